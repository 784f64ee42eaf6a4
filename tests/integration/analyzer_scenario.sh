#!/bin/sh
# One analyzer-vs-truth scenario: pdmv2-sample writes a capture, key log
# and truth with the given arguments; pdmv2-analyze reads it; the report
# and its per-frame dump must equal the truth.
# usage: analyzer_scenario.sh BUILD_DIR NAME [pdmv2-sample args...]
set -eu
build=$1 name=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-scn.XXXXXX")
trap 'rm -rf "$dir"' EXIT

case " $* " in
*" -F pcapng "*) ext=pcapng ;;
*) ext=pcap ;;
esac
"$build/samples/pdmv2-sample" -o "$dir/$name.$ext" -k "$dir/$name.keylog" \
	-t "$dir/$name.truth.json" "$@"
"$build/analyzer/pdmv2-analyze" -q --dump-frames -k "$dir/$name.keylog" \
	-o "$dir/report.json" "$dir/$name.$ext" 2>"$dir/frames.jsonl"
python3 "$here/compare_truth.py" "$dir/report.json" "$dir/$name.truth.json" \
	"$dir/frames.jsonl"
