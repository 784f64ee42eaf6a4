#!/bin/sh
# Memory grows with flows, not packets: the same 50 encrypted flows with
# 10x the packets must not raise pdmv2-analyze's peak RSS by more than
# half (a growth check, not a timing test; the benchmark prints figures).
# usage: analyzer_memory.sh BUILD_DIR
set -eu
build=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-mem.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
for n in 200 2000; do
	"$build/samples/pdmv2-sample" -o $n.pcap -k k.keylog --udp 40 --tcp 10 \
		--clients 5 --servers 3 -n $n -r 50 --burst 2 --seed 51
	/usr/bin/time -f %M -o $n.rss "$build/analyzer/pdmv2-analyze" -q -k k.keylog \
		-o $n.json $n.pcap
done
small=$(cat 200.rss) big=$(cat 2000.rss)
pk_small=$(python3 -c 'import json; print(json.load(open("200.json"))["capture"]["packets"])')
pk_big=$(python3 -c 'import json; print(json.load(open("2000.json"))["capture"]["packets"])')
echo "peak RSS: $pk_small packets ${small} KiB, $pk_big packets ${big} KiB"
python3 -c "import sys; sys.exit(0 if $big <= 1.5 * $small else 1)" || {
	echo "FAIL: memory grew with the packet count"
	exit 1
}
echo "ok: ratio $(python3 -c "print(round($big / $small, 3))")"
