#!/bin/sh
# Memory grows with flows, not packets: the same 50 encrypted flows with
# 10x the packets must not raise pdmv2-analyze's peak RSS by more than
# half; nor with flows past --max-flows, nor with key phases (growth
# checks, not timing tests; the benchmark prints figures).
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

# Hostile values: flows whose delays are 1 attosecond and almost an hour,
# the ends of what an RFC 8250 delta can say.  A flow must still cost a
# few KiB (it once cost 146 KiB: every power of two between the two
# values had its buckets).
hostile() {	# file flows
	python3 - "$1" "$2" <<'PY'
import struct, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    t = 0
    for f in range(n):
        src = bytes.fromhex("20010db8000000000000000000%06x" % f)
        dst = bytes.fromhex("20010db8ffff00000000000000000001")
        for i, (scale, delta) in enumerate(((0, 1), (0, 2), (61, 1400), (61, 1500))):
            pdm = struct.pack(">BBBBHHHH", 0x0F, 10, scale, scale, 10 + i, 5 + i,
                              delta, delta)
            dstopts = struct.pack(">BB", 17, 1) + pdm + b"\x01\x02\x00\x00"
            l4 = dstopts + struct.pack(">HHHH", 40000, 443, 8, 0)
            ip = struct.pack(">IHBB", 0x60000000, len(l4), 60, 64) + src + dst
            frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x86\xdd" + ip + l4
            t += 1
            out.write(struct.pack("<IIII", 1700000000, t, len(frame), len(frame)))
            out.write(frame)
PY
}
for n in 40 4000; do
	hostile h$n.pcap $n
	/usr/bin/time -f %M -o h$n.rss "$build/analyzer/pdmv2-analyze" -q \
		-o h$n.json h$n.pcap
done
python3 - <<'PY' || { echo "FAIL: hostile delays cost memory per flow"; exit 1; }
import json, sys
r = json.load(open("h4000.json"))
# the capture did what it says: every delay counted, none implausible
m = r["flows"][0]["metrics"]["rtt_us"]
assert len(r["flows"]) == 4000 and m["count"] == 4, m
assert m["min"] < 1e-11 and m["max"] > 3e9, m
assert "implausible_delta" not in r["anomalies"], r["anomalies"]
small, big = (int(open(f).read()) for f in ("h40.rss", "h4000.rss"))
per_flow = (big - small) / 3960
print("hostile delays: %.1f KiB a flow" % per_flow)
sys.exit(0 if per_flow <= 32 else 1)
PY

# Memory follows the flow table, not the capture's flows: under --jsonl
# with --max-flows 1000, 4x the one-packet UDP flows (which never
# finish) must not raise peak RSS by more than half.  Without the bound
# it grows about 3x.
for n in 5000 20000; do
	"$build/samples/pdmv2-sample" -o f$n.pcap -k f$n.keylog --udp $n -n 1 \
		--clients 500 --servers 20 --seed 5
	/usr/bin/time -f %M -o f$n.rss "$build/analyzer/pdmv2-analyze" -q --jsonl \
		--max-flows 1000 -k f$n.keylog f$n.pcap >f$n.jsonl
done
python3 - <<'PY' || { echo "FAIL: memory grew with the flows past --max-flows"; exit 1; }
import json, sys
small, big = (int(open("f%d.rss" % n).read()) for n in (5000, 20000))
lines = [json.loads(l) for l in open("f20000.jsonl")]
flows, summary = lines[:-1], lines[-1]
# every flow written once, the evictions counted
assert len(flows) == 20000 and len({f["id"] for f in flows}) == 20000
assert summary["capture"]["evicted_flows"] == 19000, summary["capture"]
assert any("19000 flows evicted" in w for w in summary["warnings"]), summary["warnings"]
print("peak RSS, --max-flows 1000: 5000 flows %d KiB, 20000 flows %d KiB, ratio %.3f"
      % (small, big, big / small))
sys.exit(0 if big <= 1.5 * small else 1)
PY

# Key phases wait for the report in a temporary file and the report
# writes them one at a time: one flow rotating its key every packet, 4x
# the key phases (10k against 40k) must not raise peak RSS by more than
# half.  Loading them back for the report grew it 3x.
for n in 5000 20000; do
	"$build/samples/pdmv2-sample" -o p$n.pcap -k p$n.keylog --udp 1 -n $n -r 1 \
		--seed 5
	/usr/bin/time -f %M -o p$n.rss "$build/analyzer/pdmv2-analyze" -q \
		-k p$n.keylog -o p$n.json p$n.pcap
done
python3 - <<'PY' || { echo "FAIL: memory grew with the key phases"; exit 1; }
import json, sys
small, big = (int(open("p%d.rss" % n).read()) for n in (5000, 20000))
d = json.load(open("p20000.json"))["flows"][0]["directions"]
for side in ("c2s", "s2c"):
    kris = [e["kri"] for e in d[side]["kri_epochs"]]
    assert kris == list(range(20000)), (side, len(kris), kris[:3], kris[-3:])
print("peak RSS: 10000 key phases %d KiB, 40000 key phases %d KiB, ratio %.3f"
      % (small, big, big / small))
sys.exit(0 if big <= 1.5 * small else 1)
PY
