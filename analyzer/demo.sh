#!/bin/sh
# The main job on a bundled sample: installs what is missing, builds, and
# prints pdmv2-analyze's JSON report for an encrypted PDMv2 capture
# decrypted with its key log.  Usage: sh analyzer/demo.sh [sample-name]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-clean-rotation}
data="$top/samples/data"

PDMV2_BUILD_DIR="$top/build" sh "$top/tests/build.sh"
cap=$(ls "$data/$name".pcap* 2>/dev/null | head -n 1)
[ -n "$cap" ] || { echo "demo: no sample named $name in $data" >&2; exit 1; }
exec "$top/build/analyzer/pdmv2-analyze" --pretty \
	--keylog "$data/$name.keylog" "$cap"
