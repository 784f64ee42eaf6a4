#!/bin/sh
# samples/regen.sh, run again, writes every bundled sample as committed:
# captures and key logs byte for byte, truth files value for value (each
# number parses to the same double; json-c's text for a double differs
# between Debian 12's 0.16 and Debian 13's 0.18).
# usage: samples_reproducible.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-rep.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sh "$src/samples/regen.sh" "$build" "$dir"
fail=0 n=0
for f in "$src"/samples/data/*; do
	n=$((n + 1))
	g="$dir/$(basename "$f")"
	cmp -s "$f" "$g" && continue
	case $f in
	*.json) python3 -c 'import json, sys
sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$f" "$g" &&
		continue ;;
	esac
	echo "FAIL: $(basename "$f") differs when written again"; fail=1
done
for f in "$dir"/*; do
	[ -e "$src/samples/data/$(basename "$f")" ] ||
		{ echo "FAIL: regen.sh writes $(basename "$f"), not committed"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $n bundled files written again as committed"
exit $fail
