#!/bin/sh
# samples/regen.sh, run again, writes every bundled sample byte for byte
# as committed (capture, key log and truth).
# usage: samples_reproducible.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-rep.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sh "$src/samples/regen.sh" "$build" "$dir"
fail=0 n=0
for f in "$src"/samples/data/*; do
	n=$((n + 1))
	cmp -s "$f" "$dir/$(basename "$f")" ||
		{ echo "FAIL: $(basename "$f") differs when written again"; fail=1; }
done
for f in "$dir"/*; do
	[ -e "$src/samples/data/$(basename "$f")" ] ||
		{ echo "FAIL: regen.sh writes $(basename "$f"), not committed"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $n bundled files written again byte for byte"
exit $fail
