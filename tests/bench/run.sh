#!/bin/sh
# Benchmark: pdmv2-analyze against the read limit (a bare libpcap loop)
# and against tshark with the plugin, on captures written by
# pdmv2-sample.  Prints packets per second (median of RUNS runs), the
# ratios the project aims for, and peak RSS.  Not a test: nothing here
# asserts a speed.
# usage: sh tests/bench/run.sh [BUILD_DIR]    (env: RUNS=3, BIG=10000000)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
runs=${RUNS:-3}
big=${BIG:-10000000}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-bench.XXXXXX")}
trap 'rm -rf "$dir"' EXIT
S=$build/samples/pdmv2-sample A=$build/analyzer/pdmv2-analyze
C=$build/tests/pcap_count

# 1000 UDP flows over 50 clients and 20 servers, encrypted, a new key
# phase every 200 packets a sender sends (so the 1M capture already
# rotates: per-direction state is at its bound in both); one exchange =
# 2 packets.
gen() {	# name packets mode
	ex=$(($2 / 2000))
	/usr/bin/time -f "%e" -o "$dir/$1.gen" "$S" -o "$dir/$1.pcap" -k "$dir/$1.keylog" \
		--udp 1000 --clients 50 --servers 20 -n "$ex" -m "$3" -r 200 \
		--owd 20000 --think 500 --jitter 200 --seed 61
	echo "written: $1 $(python3 -c "import os; print(os.path.getsize('$dir/$1.pcap') // 1000000)") MB in $(cat "$dir/$1.gen") s"
}

# median wall seconds and max RSS (KiB) of RUNS runs of a command
measure() {
	: >"$dir/m"
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f "%e %M" -o "$dir/t" "$@" >/dev/null 2>&1
		cat "$dir/t" >>"$dir/m"
		i=$((i + 1))
	done
	python3 - "$dir/m" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print(statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows))
PY
}

gen m1 1000000 encrypted
gen m10 "$big" encrypted
gen p1 1000000 pdm


echo
printf "%-44s %10s %12s %12s\n" "measurement" "seconds" "packets/s" "peak RSS MB"
: >"$dir/results"
row() {	# label packets seconds rss
	pps=$(python3 -c "print(round($2 / $3))")
	printf "%-44s %10.2f %12s %12.1f\n" "$1" "$3" "$pps" "$(python3 -c "print($4 / 1024)")"
	echo "$1|$pps|$4" >>"$dir/results"
}
for cap in m1 m10 p1; do
	n=$("$C" "$dir/$cap.pcap" | awk '{print $1}')
	set -- $(measure "$C" "$dir/$cap.pcap"); row "$cap: bare libpcap loop" "$n" "$1" "$2"
	# the same loop reading through the analyzer's 256 KiB buffer: the
	# stricter read limit (libc's default buffer costs a read(2) per 4 KiB)
	set -- $(measure "$C" "$dir/$cap.pcap" 262144); row "$cap: bare libpcap loop, 256 KiB buffer" "$n" "$1" "$2"
	set -- $(measure "$A" -q -o /dev/null "$dir/$cap.pcap"); row "$cap: pdmv2-analyze, decode only" "$n" "$1" "$2"
	if [ "$cap" != p1 ]; then
		set -- $(measure "$A" -q -k "$dir/$cap.keylog" -o /dev/null "$dir/$cap.pcap")
		row "$cap: pdmv2-analyze, decrypting" "$n" "$1" "$2"
	fi
	# the default is a reading thread and an analysis thread; one
	# thread, for the comparison
	if [ "$cap" = m1 ]; then
		set -- $(measure "$A" --threads 1 -q -o /dev/null "$dir/$cap.pcap")
		row "$cap: pdmv2-analyze, decode only, 1 thread" "$n" "$1" "$2"
		set -- $(measure "$A" --threads 1 -q -k "$dir/$cap.keylog" -o /dev/null "$dir/$cap.pcap")
		row "$cap: pdmv2-analyze, decrypting, 1 thread" "$n" "$1" "$2"
	fi
done
if [ -f "$build/dissector/pdmv2.so" ]; then
	n=$("$C" "$dir/m1.pcap" | awk '{print $1}')
	runs=1		# slow: one run
	set -- $(measure sh "$top/tests/integration/dissector_tshark.sh" \
		"$build/dissector/pdmv2.so" -n -r "$dir/m1.pcap" \
		-o "pdmv2.keylog_file:$dir/m1.keylog" -T fields -e pdmv2.kri -e pdmv2.psntp \
		-e pdmv2.rtt_us)
	row "m1: tshark 4.0 + plugin, -T fields, key log" "$n" "$1" "$2"
fi

echo
# The floor under "decrypting": one AEAD open per packet, warm, through
# the library; reading plus opening alone caps the ratio to the loop.
"$build/tests/aead_open" | tee "$dir/open"
echo
python3 - "$dir/results" "$dir/open" <<'PY'
import sys
r = {}
for l in open(sys.argv[1]):
    k, pps, rss = l.strip().split("|")
    r[k] = (int(pps), int(rss))
def ratio(a, b, target, what):
    if a in r and b in r:
        v = r[a][0] / r[b][0]
        print("%-58s %6.2fx  (target %s)" % (what, v, target))
# against both loops: the one libpcap opens itself (as tcpdump reads),
# and the one with the analyzer's read buffer (the stricter limit)
for loop, tag in (("bare libpcap loop", "bare loop"),
                  ("bare libpcap loop, 256 KiB buffer", "256 KiB loop")):
    for cap, what, target, label in (
            ("m1", "decode only", ">= 0.5", "decode-only (1M)"),
            ("m10", "decode only", ">= 0.5", "decode-only (10M)"),
            ("m1", "decode only, 1 thread", ">= 0.5", "decode-only (1M), 1 thread"),
            ("m1", "decrypting", ">= 0.3", "decrypting (1M)"),
            ("m1", "decrypting, 1 thread", ">= 0.3", "decrypting (1M), 1 thread"),
            ("m10", "decrypting", ">= 0.3", "decrypting (10M)")):
        ratio("%s: pdmv2-analyze, %s" % (cap, what), "%s: %s" % (cap, loop),
              target, "%s / %s" % (label, tag))
ratio("m1: pdmv2-analyze, decrypting", "m1: tshark 4.0 + plugin, -T fields, key log", ">= 100", "decrypting / tshark+plugin (1M)")
opens = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[2])}
fast = "m1: bare libpcap loop, 256 KiB buffer"
if fast in r and "aes128gcm" in opens:
    read = r[fast][0]	# what the analyzer's reading costs at best
    o = opens["aes128gcm"] * 1e-9
    t = "m1: tshark 4.0 + plugin, -T fields, key log"
    # one thread reads and opens in turn; with two, one thread reads and
    # the opens are shared out so that both are busy (pdmv2-analyze's
    # reader opens a moving share of them): reading alone sets the pace
    # only when it is the larger half
    for label, cap in (("1 thread", 1 / (1 / read + o)),
                       ("2 threads", 1 / max(1 / read, (1 / read + o) / 2))):
        for loop, tag in (("m1: bare libpcap loop", "bare loop"), (fast, "256 KiB loop")):
            if loop in r:
                print("%-58s %6.2fx  (read + one warm aes128gcm open per packet, nothing else)"
                      % ("ceiling, decrypting / %s, %s" % (tag, label), cap / r[loop][0]))
        if t in r:
            print("%-58s %6.0fx" % ("ceiling, decrypting / tshark+plugin, " + label,
                                     cap / r[t][0]))
a, b = "m10: pdmv2-analyze, decrypting", "m1: pdmv2-analyze, decrypting"
if a in r and b in r:
    print("%-58s %6.2fx  (target <= 1.1)" % ("peak RSS 10M / 1M, same flows", r[a][1] / r[b][1]))
PY
