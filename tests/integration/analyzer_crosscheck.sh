#!/bin/sh
# Cross-check with an independent decoder: for RFC 8250 PDM options the
# analyzer's raw fields equal what the system tshark (no plugin) shows in
# its built-in ipv6.opt.pdm.* fields, frame by frame.
# usage: analyzer_crosscheck.sh BUILD_DIR
set -eu
build=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-xc.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$build/samples/pdmv2-sample" -o v1.pcap -m pdm --udp 2 --tcp 1 --icmp 1 -n 25 \
	--loss 0.05 --seed 41 --no-truth-frames
"$build/analyzer/pdmv2-analyze" -q --dump-frames -o /dev/null v1.pcap 2>frames.jsonl
HOME=$dir tshark -n -r v1.pcap -T fields -E separator=, -e frame.number \
	-e ipv6.opt.pdm.scale_dtlr -e ipv6.opt.pdm.scale_dtls \
	-e ipv6.opt.pdm.psn_this_pkt -e ipv6.opt.pdm.psn_last_recv \
	-e ipv6.opt.pdm.delta_last_recv -e ipv6.opt.pdm.delta_last_sent \
	>tshark.csv 2>/dev/null
python3 - <<'PY'
import csv, json, sys
ours = {}
for l in open("frames.jsonl"):
    if l.startswith("{"):
        j = json.loads(l)
        ours[j["frame"]] = j
keys = ["scale_dtlr", "scale_dtls", "psntp", "psnlr", "delta_tlr", "delta_tls"]
bad = n = 0
for row in csv.reader(open("tshark.csv")):
    frame, vals = int(row[0]), [int(v, 0) for v in row[1:]]
    o = ours.get(frame)
    got = [o[k] for k in keys] if o else None
    n += 1
    if got != vals:
        bad += 1
        print("frame %d: analyzer %s, tshark %s" % (frame, got, vals))
if n == 0 or len(ours) != n:
    print("frames: analyzer %d, tshark %d" % (len(ours), n))
    sys.exit(1)
print("%s: %d RFC 8250 frames, %d differences" % ("FAIL" if bad else "ok", n, bad))
sys.exit(1 if bad else 0)
PY
