#!/bin/sh
# pdmv2-sample --reorder on its own reorders every direction's PSNs at
# the tap (issue 25: a swap with the next packet of any flow, in a
# request/response flow the reply, reordered none), and pdmv2-analyze
# counts what the truth counts.
# usage: samples_reorder.sh BUILD_DIR
set -eu
build=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-reo.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$build/samples/pdmv2-sample" -o r.pcap -k r.keylog -t r.truth --udp 3 -n 60 \
	--reorder 0.2 --seed 29 >/dev/null
"$build/analyzer/pdmv2-analyze" -q -k r.keylog -o r.json r.pcap
python3 - <<'PY'
import json, sys
t, r = json.load(open("r.truth")), json.load(open("r.json"))
want = [(d, f["directions"][d]["psn"]["reordered"]) for f in t["flows"] for d in ("c2s", "s2c")]
got = [(d, f["directions"][d]["psn"]["reordered"]) for f in r["flows"] for d in ("c2s", "s2c")]
if not all(n > 0 for _, n in want) or want != got:
    sys.exit("FAIL: reordered per direction: truth %s, analyzer %s" % (want, got))
print("ok: --reorder alone reorders every direction: %s" % [n for _, n in want])
PY
