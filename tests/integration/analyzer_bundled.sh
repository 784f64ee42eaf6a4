#!/bin/sh
# A bundled sample (samples/data/NAME.*) against its committed truth.
# usage: analyzer_bundled.sh BUILD_DIR DATA_DIR NAME
set -eu
build=$1 data=$2 name=$3
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-bnd.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cap=$(ls "$data/$name".pcap* | head -n 1)
"$build/analyzer/pdmv2-analyze" -q --dump-frames -k "$data/$name.keylog" \
	-o "$dir/report.json" "$cap" 2>"$dir/frames.jsonl"
python3 "$here/compare_truth.py" "$dir/report.json" "$data/$name.truth.json" \
	"$dir/frames.jsonl"
