#!/bin/sh
# Benchmark: pdmv2-analyze against the read limit (bare libpcap loops)
# and against tshark with the plugin, on captures written by
# pdmv2-sample.  Prints packets per second (median of RUNS rounds), the
# ratios the project aims for, and peak RSS.  Not a test: nothing here
# asserts a speed.
#
# A round runs every command of a capture once, in turn, and each ratio
# is taken within a round, then the median over rounds is given with its
# range: on a shared host a slow spell then slows both sides of a ratio
# instead of one.
# usage: sh tests/bench/run.sh [BUILD_DIR]    (env: RUNS=5, BIG=10000000)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
runs=${RUNS:-5}
big=${BIG:-10000000}
dir=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-bench.XXXXXX")}
trap 'rm -rf "$dir"' EXIT
S=$build/samples/pdmv2-sample A=$build/analyzer/pdmv2-analyze
C=$build/tests/pcap_count W=$build/tests/walltime

# 1000 UDP flows over 50 clients and 20 servers, encrypted, a new key
# phase every 200 packets a sender sends (so the 1M capture already
# rotates: per-direction state is at its bound in both); one exchange =
# 2 packets.
gen() {	# name packets mode [rotate [pdmv2-sample options...]]
	name=$1 ex=$(($2 / 2000)) mode=$3 rot=${4:-200}
	shift 3
	if [ $# -gt 0 ]; then shift; fi
	/usr/bin/time -f "%e" -o "$dir/$name.gen" "$S" -o "$dir/$name.pcap" -k "$dir/$name.keylog" \
		--udp 1000 --clients 50 --servers 20 -n "$ex" -m "$mode" -r "$rot" \
		--owd 20000 --think 500 --jitter 200 --seed 61 "$@"
	echo "written: $name $(python3 -c "import os; print(os.path.getsize('$dir/$name.pcap') // 1000000)") MB in $(cat "$dir/$name.gen") s"
}

gen m1 1000000 encrypted
gen m10 "$big" encrypted
gen p1 1000000 pdm
# The Epoch layout (drafts -09 to -14), protected, as m1: a new Epoch
# every 200 packets a sender sends.  The Epoch is clear, so decrypting
# needs no key search (PROFILE.md 5.5).
gen e1 1000000 encrypted 200 --layout epoch
# Key phases as long as the PRSEQ allows (32767 packets): what a sender
# would do outside a benchmark.  A phase's record of PRSEQs must not
# grow with it, which rotation every 200 packets would not show.
gen l1 1000000 encrypted 32767
gen l10 "$big" encrypted 32767
# Many short flows: 100k UDP flows of one exchange from 500 clients, a
# key log line per client.  What a flow costs to set up (key log lookup,
# two key derivations and a cipher context per direction) and to report.
/usr/bin/time -f "%e" -o "$dir/s1.gen" "$S" -o "$dir/s1.pcap" -k "$dir/s1.keylog" \
	--udp 100000 --clients 500 --servers 20 -n 1 -m encrypted --seed 7
echo "written: s1 $(python3 -c "import os; print(os.path.getsize('$dir/s1.pcap') // 1000000)") MB in $(cat "$dir/s1.gen") s"
# Memory bounds, for peak RSS: one-packet UDP flows, which never finish
# (100k and 1M, flood_pcap.py), read with --jsonl: the table holds
# --max-flows of them (65536); one flow whose key changes with every
# packet (100k and 1M key phases): they wait in a temporary file and
# the report writes them one at a time.
for n in 100000 1000000; do
	name=f$((n / 100000))
	/usr/bin/time -f "%e" -o "$dir/$name.gen" python3 "$top/tests/bench/flood_pcap.py" \
		$n random "$dir/$name.pcap"
	echo "written: $name $(python3 -c "import os; print(os.path.getsize('$dir/$name.pcap') // 1000000)") MB in $(cat "$dir/$name.gen") s"
	name=k$((n / 100000))
	/usr/bin/time -f "%e" -o "$dir/$name.gen" "$S" -o "$dir/$name.pcap" \
		-k "$dir/$name.keylog" --udp 1 -n $((n / 2)) -r 1 --seed 7
	echo "written: $name $(python3 -c "import os; print(os.path.getsize('$dir/$name.pcap') // 1000000)") MB in $(cat "$dir/$name.gen") s"
done

# one command once: "capture|label|round|seconds|max RSS KiB" to raw
run() {	# capture label command...
	cap=$1 label=$2
	shift 2
	# wall time to the microsecond (walltime.c says why not %e), peak
	# RSS from /usr/bin/time (its own start adds the same fraction of a
	# millisecond to every command)
	"$W" "$dir/w" /usr/bin/time -f "%M" -o "$dir/t" "$@" >/dev/null 2>&1
	echo "$cap|$label|$round|$(cat "$dir/w")|$(cat "$dir/t")" >>"$dir/raw"
}
: >"$dir/raw"
: >"$dir/count"
for cap in m1 m10 p1 e1; do
	f=$dir/$cap.pcap k=$dir/$cap.keylog
	echo "$cap|$("$C" "$f" | awk '{print $1}')" >>"$dir/count"
	round=1
	while [ $round -le "$runs" ]; do
		run $cap "bare libpcap loop" "$C" "$f"
		# the same loop reading through the analyzer's 64 KiB buffer:
		# the stricter read limit (libc's default buffer costs a
		# read(2) per 4 KiB)
		run $cap "bare libpcap loop, 64 KiB buffer" "$C" "$f" 65536
		run $cap "pdmv2-analyze, decode only" "$A" -q -o /dev/null "$f"
		if [ $cap != p1 ]; then
			run $cap "pdmv2-analyze, decrypting" "$A" -q -k "$k" -o /dev/null "$f"
		fi
		# the default is a reading thread and an analysis thread; one
		# thread, for the comparison
		if [ $cap = m1 ]; then
			run $cap "pdmv2-analyze, decode only, 1 thread" \
				"$A" --threads 1 -q -o /dev/null "$f"
			run $cap "pdmv2-analyze, decrypting, 1 thread" \
				"$A" --threads 1 -q -k "$k" -o /dev/null "$f"
		fi
		round=$((round + 1))
	done
done
# long key phases: for peak RSS, one round
echo "s1|$("$C" "$dir/s1.pcap" | awk '{print $1}')" >>"$dir/count"
round=1
while [ $round -le "$runs" ]; do
	run s1 "pdmv2-analyze, decode only, 100k flows" "$A" -q -o /dev/null "$dir/s1.pcap"
	run s1 "pdmv2-analyze, decrypting, 100k flows" "$A" -q -k "$dir/s1.keylog" \
		-o /dev/null "$dir/s1.pcap"
	round=$((round + 1))
done
for cap in l1 l10; do
	echo "$cap|$("$C" "$dir/$cap.pcap" | awk '{print $1}')" >>"$dir/count"
	round=1
	run $cap "pdmv2-analyze, decrypting, phases of 32767" "$A" -q \
		-k "$dir/$cap.keylog" -o /dev/null "$dir/$cap.pcap"
done
# memory bounds: one round
for cap in f1 f10 k1 k10; do
	echo "$cap|$("$C" "$dir/$cap.pcap" | awk '{print $1}')" >>"$dir/count"
	round=1
	case $cap in
	f*)	run $cap "pdmv2-analyze --jsonl, one-packet flows" "$A" -q --jsonl \
			-o /dev/null "$dir/$cap.pcap" ;;
	k*)	run $cap "pdmv2-analyze, decrypting, a key phase a packet" "$A" -q \
			-k "$dir/$cap.keylog" -o /dev/null "$dir/$cap.pcap" ;;
	esac
done
if [ -f "$build/dissector/pdmv2.so" ]; then
	# slow: tshark once, with the analyzer three times right before it
	# (the ratio takes their median: one run of under a second is at
	# the mercy of a slow spell, one of a minute is not)
	for round in 1 2 3; do
		run m1 "pdmv2-analyze, decrypting, next to tshark" \
			"$A" -q -k "$dir/m1.keylog" -o /dev/null "$dir/m1.pcap"
	done
	round=1
	run m1 "tshark 4.0 + plugin, -T fields, key log" \
		sh "$top/tests/integration/dissector_tshark.sh" \
		"$build/dissector/pdmv2.so" -n -r "$dir/m1.pcap" \
		-o "pdmv2.keylog_file:$dir/m1.keylog" -T fields -e pdmv2.kri \
		-e pdmv2.psntp -e pdmv2.rtt_us
fi

echo
# The floor under "decrypting": one AEAD open per packet, warm, through
# the library; reading plus opening alone caps the ratio to the loop.
"$build/tests/aead_open" | tee "$dir/open"
echo
python3 - "$dir/raw" "$dir/count" "$dir/open" "$runs" <<'PY'
import collections, statistics, sys
secs = collections.defaultdict(dict)	# (cap, label) -> round -> seconds
rss = collections.defaultdict(int)
for l in open(sys.argv[1]):
    cap, label, rnd, s, m = l.strip().split("|")
    secs[cap, label][int(rnd)] = float(s)
    rss[cap, label] = max(rss[cap, label], int(m))
count = dict(l.strip().split("|") for l in open(sys.argv[2]))
opens = {l.split()[0]: float(l.split()[1]) for l in open(sys.argv[3])}
print("%-52s %8s %12s %12s" % ("measurement (median of %s rounds)" % sys.argv[4],
                                "seconds", "packets/s", "peak RSS MB"))
med = {}
for (cap, label), by in secs.items():
    med[cap, label] = statistics.median(by.values())
    print("%-52s %8.3f %12.0f %12.1f" % (cap + ": " + label, med[cap, label],
          int(count[cap]) / med[cap, label], rss[cap, label] / 1024))
print()

def ratio(cap, a, b, target, what):
    """packets/s of a over b, round by round (same packets: t_b / t_a)"""
    x, y = secs.get((cap, a)), secs.get((cap, b))
    if not x or not y:
        return
    r = [y[k] / x[k] for k in x if k in y and x[k] > 0]
    print("%-52s %6.2fx  (%.2f-%.2f; target %s)" % (what, statistics.median(r),
          min(r), max(r), target))

# against both loops: the one libpcap opens itself (as tcpdump reads),
# and the one with the analyzer's read buffer (the stricter limit)
for loop, tag in (("bare libpcap loop", "bare loop"),
                  ("bare libpcap loop, 64 KiB buffer", "64 KiB loop")):
    for cap, what, target, label in (
            ("m1", "decode only", ">= 0.5", "decode-only (1M)"),
            ("m10", "decode only", ">= 0.5", "decode-only (10M)"),
            ("m1", "decode only, 1 thread", ">= 0.5", "decode-only (1M), 1 thread"),
            ("m1", "decrypting", ">= 0.3", "decrypting (1M)"),
            ("m1", "decrypting, 1 thread", ">= 0.3", "decrypting (1M), 1 thread"),
            ("m10", "decrypting", ">= 0.3", "decrypting (10M)"),
            ("e1", "decode only", ">= 0.5", "Epoch layout decode-only (1M)"),
            ("e1", "decrypting", ">= 0.3", "Epoch layout decrypting (1M)")):
        ratio(cap, "pdmv2-analyze, " + what, loop, target, "%s / %s" % (label, tag))
# the two layouts, each as a ratio to the bare loop over its own capture
# in the same round (the Epoch layout's options are 4 bytes longer)
for loop, tag in (("bare libpcap loop", "bare loop"),
                  ("bare libpcap loop, 64 KiB buffer", "64 KiB loop")):
    a = [secs.get((c, l)) for c in ("e1", "m1")
         for l in ("pdmv2-analyze, decrypting", loop)]
    if all(a):
        r = [(a[1][k] / a[0][k]) / (a[3][k] / a[2][k]) for k in a[0]
             if all(k in x for x in a)]
        print("%-52s %6.2fx  (%.2f-%.2f; target >= 1)" % (
            "Epoch / Kri decrypting, each / %s (1M)" % tag,
            statistics.median(r), min(r), max(r)))
# tshark ran once: its one time against the median of the analyzer's
# three runs next to it
a = secs.get(("m1", "pdmv2-analyze, decrypting, next to tshark"))
t = secs.get(("m1", "tshark 4.0 + plugin, -T fields, key log"))
if a and t:
    r = [t[1] / x for x in a.values() if x > 0]
    print("%-52s %6.2fx  (%.2f-%.2f over the analyzer's %d runs; target >= 100)"
          % ("decrypting / tshark+plugin (1M)", statistics.median(r), min(r),
             max(r), len(r)))

fast = ("m1", "bare libpcap loop, 64 KiB buffer")
if fast in med and "aes128gcm" in opens:
    n = int(count["m1"])
    read = n / med[fast]	# what the analyzer's reading costs at best
    o = opens["aes128gcm"] * 1e-9
    t = ("m1", "tshark 4.0 + plugin, -T fields, key log")
    # one thread reads and opens in turn; with two, one thread reads and
    # the opens are shared out so that both are busy (pdmv2-analyze's
    # reader opens a moving share of them): reading alone sets the pace
    # only when it is the larger half
    for label, cap in (("1 thread", 1 / (1 / read + o)),
                       ("2 threads", 1 / max(1 / read, (1 / read + o) / 2))):
        for loop, tag in (("bare libpcap loop", "bare loop"), (fast[1], "64 KiB loop")):
            print("%-52s %6.2fx  (read + one warm aes128gcm open per packet, nothing else)"
                  % ("ceiling, decrypting / %s, %s" % (tag, label), cap / (n / med["m1", loop])))
        if t in med:
            print("%-52s %6.0fx" % ("ceiling, decrypting / tshark+plugin, " + label,
                                     cap / (n / med[t])))
for what in ("decode only", "decrypting"):
    k = ("s1", "pdmv2-analyze, %s, 100k flows" % what)
    if k in med:
        print("%-52s %6.1f us  (%.0f flows/s)" % ("per flow of one exchange, " + what,
              med[k] / 1e5 * 1e6, 1e5 / med[k]))
for big, small, what in (("m10", "m1", "decrypting"),
                         ("l10", "l1", "decrypting, phases of 32767")):
    a, b = (big, "pdmv2-analyze, " + what), (small, "pdmv2-analyze, " + what)
    if a in rss and b in rss:
        print("%-52s %6.2fx  (target <= 1.1)" % ("peak RSS 10M / 1M, same flows" +
              ("" if big == "m10" else ", long key phases"), rss[a] / rss[b]))
for big, small, label, what in (
        ("f10", "f1", "pdmv2-analyze --jsonl, one-packet flows",
         "peak RSS 1M / 100k one-packet flows, --jsonl"),
        ("k10", "k1", "pdmv2-analyze, decrypting, a key phase a packet",
         "peak RSS 1M / 100k key phases, one flow")):
    a, b = (big, label), (small, label)
    if a in rss and b in rss:
        print("%-52s %6.2fx  (target <= 1.1; %.0f MB)" % (what, rss[a] / rss[b],
              rss[a] / 1024))
PY
