#!/bin/sh
# The plugin's kri_window preference is clamped like the analyzer's
# --kri-window (1..1024): with a wrong key every frame searches the
# whole window, so an unclamped 100000 costs a hundred times what 1024
# does (issue 24: 291 frames took 73 s).  Not a timing target: the two
# runs are compared with each other, with a generous factor.
# usage: dissector_kri_window.sh TSHARK_WRAPPER PLUGIN_SO CAPTURE
set -eu
wrapper=$1 so=$2 cap=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-kw.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "PDMV2_SECRET * * aes128gcm $(printf '%064d' 1) -" >"$dir/wrong.keylog"
run() {	# window -> seconds on stdout
	s=$(date +%s.%N)
	sh "$wrapper" "$so" -n -r "$cap" -o "pdmv2.keylog_file:$dir/wrong.keylog" \
		-o "pdmv2.kri_window:$1" -T fields -e pdmv2.psntp >"$dir/out.$1"
	e=$(date +%s.%N)
	echo "$s $e" | awk '{printf "%.3f", $2 - $1}'
}
small=$(run 1024)
big=$(run 100000)
echo "kri_window 1024: $small s, 100000: $big s"
cmp -s "$dir/out.1024" "$dir/out.100000" || { echo "FAIL: the outputs differ"; exit 1; }
awk -v s="$small" -v b="$big" 'BEGIN { exit !(b < 3 * s + 2) }' ||
	{ echo "FAIL: kri_window 100000 is not clamped"; exit 1; }
echo "ok: kri_window is clamped"
