#!/bin/sh
# pdmv2-analyze on bad and unusual input: exit codes, messages naming
# the file, line or frame, nothing lost before a cut, no crash.
# usage: analyzer_inputs.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
A=$build/analyzer/pdmv2-analyze
data=$src/samples/data
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-in.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }
# run EXPECTED_RC GREP_FOR_ON_STDERR args...
run() {
	want=$1 msg=$2
	shift 2
	rc=0
	"$A" -q "$@" >out.json 2>err.txt || rc=$?
	[ "$rc" = "$want" ] || fail "exit $rc, want $want: $* ($(cat err.txt))"
	[ -z "$msg" ] || grep -q -- "$msg" err.txt || fail "no \"$msg\" in: $(cat err.txt)"
}

: >empty.pcap
run 2 "empty.pcap" empty.pcap
echo "this is not a capture, just text" >text.pcap
run 2 "text.pcap" text.pcap
head -c 10 "$data/clean-rotation.pcap" >header.pcap
run 2 "header.pcap" header.pcap
run 1 "no capture file"
run 1 "kri-window" --kri-window 0 "$data/clean-rotation.pcap"
run 1 "filter" -f "this is not bpf" "$data/clean-rotation.pcap"
run 0 "" --version
echo "ok: empty, not a capture, cut header, usage errors"

# A last packet cut short: the frames before it are all reported.
size=$(stat -c %s "$data/clean-rotation.pcap")
head -c $((size - 30)) "$data/clean-rotation.pcap" >cut.pcap
run 0 "truncated after frame 59" -k "$data/clean-rotation.keylog" cut.pcap
python3 - <<'PY' || fail "truncated capture: report incomplete"
import json
r = json.load(open("out.json"))
assert r["inputs"][0]["truncated"] is True
assert r["capture"]["packets"] == 59 and r["pdm"]["decrypted"] == 59, r["pdm"]
assert any("truncated" in w for w in r["warnings"])
PY
echo "ok: a cut last packet keeps 59 frames, truncated: true"

# Key log problems: a key log that cannot be read is an error, said
# once, with no report (every option would read "no key"); bad lines are
# named by file and line, and the capture is still analyzed.
run 2 "nokey.keylog: cannot read key log" -k nokey.keylog "$data/clean-rotation.pcap"
[ "$(grep -c nokey.keylog err.txt)" = 1 ] || fail "said $(grep -c nokey.keylog err.txt) times"
[ ! -s out.json ] || fail "a report without the key log asked for"
run 0 "bad.keylog:4" -k "$src/tests/data/keylog/bad.keylog" "$data/clean-rotation.pcap"
python3 - <<'PY' || fail "key log errors not in the report"
import json
r = json.load(open("out.json"))
lines = sorted(e["line"] for e in r["keylog"]["errors"])
assert lines == list(range(2, 11)), lines
assert all(e["file"].endswith("bad.keylog") for e in r["keylog"]["errors"])
PY
PDMV2_KEYLOG_FILE=$data/clean-rotation.keylog "$A" -q "$data/clean-rotation.pcap" >env.json
grep -q '"decrypted": *60' env.json || python3 -c '
import json,sys; r=json.load(open("env.json")); sys.exit(r["pdm"]["decrypted"] != 60)' ||
	fail "PDMV2_KEYLOG_FILE not used"
echo "ok: key log errors named by line, PDMV2_KEYLOG_FILE"

# Standard input, two inputs numbered across, a BPF filter.
"$A" -q -k "$data/clean-rotation.keylog" - <"$data/clean-rotation.pcap" >stdin.json
"$A" -q -k "$data/clean-rotation.keylog" "$data/clean-rotation.pcap" >file.json
python3 - <<'PY' || fail "stdin report differs"
import json
a, b = json.load(open("stdin.json")), json.load(open("file.json"))
a["inputs"] = b["inputs"] = None
assert a == b
PY
"$A" -q --dump-frames -k "$data/clean-rotation.keylog" "$data/clean-rotation.pcap" \
	"$data/clean-rotation.pcap" 2>two.jsonl >two.json
python3 - <<'PY' || fail "frames not numbered across inputs"
import json
frames = [json.loads(l)["frame"] for l in open("two.jsonl") if l.startswith("{")]
assert frames == list(range(1, 121)), frames[-3:]
r = json.load(open("two.json"))
assert [i["packets"] for i in r["inputs"]] == [60, 60]
PY
# (libpcap's "udp" does not look past IPv6 extension headers, as in
# tcpdump: filter on addresses)
"$A" -q -f "ip6 src 2001:db8:5::5:1" -k "$data/clean-rotation.keylog" 	"$data/clean-rotation.pcap" >f.json
python3 -c '
import json,sys; r=json.load(open("f.json")); f=r["flows"][0]; d=f["directions"]
sys.exit(not (r["capture"]["packets"] == 30 and d["c2s"]["packets"] == 30 and
              f["client"]["addr"] == "2001:db8:5::5:1" and d["s2c"]["packets"] == 0))' ||
	fail "BPF filter not applied"
echo "ok: stdin, frame numbers across inputs, BPF filter"

# The tcpdump and tshark habits (issue 25): -r FILE names an input, as
# many times as wanted, before the operands; -o - is standard output,
# not a file named "-".
"$A" -q -k "$data/clean-rotation.keylog" -r "$data/clean-rotation.pcap" -o - \
	"$data/clean-rotation.pcap" >r.json
[ ! -e ./- ] || fail "-o - wrote a file named -"
python3 -c '
import json,sys; r=json.load(open("r.json")); sys.exit([i["packets"] for i in r["inputs"]] != [60, 60])' ||
	fail "-r and an operand: not two inputs"
echo "ok: -r FILE, -o -"

# A link type libpcap has no name for has one in the report; anomaly
# frame lists say how many frames they left out.
python3 - <<'PY'
import struct
pkt = bytes(20)
open("user0.pcap", "wb").write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 147) +
                                struct.pack("<IIII", 1, 0, len(pkt), len(pkt)) + pkt)
PY
run 0 "USER0" user0.pcap
grep -q '"linktype":"USER0"' out.json || fail "link type 147: $(cat out.json | head -c 300)"
"$A" -q -o anom.json "$data/forged-missing-key.pcap"
python3 - <<'PY' || fail "anomaly frame lists"
import json
a = json.load(open("anom.json"))["anomalies"]
assert a and all(v["frames_left_out"] == v["count"] - len(v["frames"]) for v in a.values()), a
assert any(v["frames_left_out"] > 0 for v in a.values()), a
PY
echo "ok: link type names, anomaly lists say what they left out"

# --jsonl: one flow per line, TCP flows as they close, then a summary.
"$A" -q --jsonl -k "$data/mixed-versions.keylog" "$data/mixed-versions.pcapng" >l.jsonl
"$A" -q -k "$data/mixed-versions.keylog" -o whole.json "$data/mixed-versions.pcapng"
python3 - <<'PY' || fail "--jsonl output"
import json
lines = [json.loads(l) for l in open("l.jsonl")]
# every line says what it is, first
assert all(list(l)[0] == "type" for l in lines), [list(l)[:2] for l in lines]
assert [l.pop("type") for l in lines] == ["flow"] * (len(lines) - 1) + ["summary"]
flows, summary = lines[:-1], lines[-1]
assert summary["schema"] == "pdmv2-analyze/1" and "flows" not in summary
assert len(flows) == 6 and all("directions" in f for f in flows)
tcp = [i for i, f in enumerate(flows) if f["protocol"] == "tcp"]
assert tcp == [0, 1], tcp      # closed with FIN: streamed before the rest
# a flow streamed mid-capture says what the whole report says of it
whole = {f["id"]: f for f in json.load(open("whole.json"))["flows"]}
for f in flows:
    assert f == whole[f["id"]], (f["id"], f, whole[f["id"]])
PY
echo "ok: --jsonl streams closed TCP flows first"

# A closed TCP flow leaves the flow table (--jsonl); its 5-tuple coming
# back is a new flow, not the old one found again: the same capture
# twice gives each flow twice, with new ids and the same counts.
"$build/samples/pdmv2-sample" -o tcp.pcap -k tcp.keylog --udp 0 --tcp 3 -n 4 \
	--seed 5 >/dev/null
for t in 1 2; do
	"$A" -q --threads $t --jsonl -k tcp.keylog tcp.pcap tcp.pcap >tcp$t.jsonl
done
cmp tcp1.jsonl tcp2.jsonl || fail "--threads 2 differs on a reused 5-tuple"
python3 - <<'PY' || fail "a reused 5-tuple after a streamed flow"
import json
flows = [json.loads(l) for l in open("tcp1.jsonl")][:-1]
assert len(flows) == 6, len(flows)
assert len({f["id"] for f in flows}) == 6
key = lambda f: (f["client"]["addr"], f["client"]["port"], f["server"]["port"])
first, again = flows[:3], flows[3:]
assert sorted(map(key, first)) == sorted(map(key, again))
for a, b in zip(sorted(first, key=key), sorted(again, key=key)):
    for d in ("c2s", "s2c"):
        assert a["directions"][d]["packets"] == b["directions"][d]["packets"] > 0
PY
echo "ok: a 5-tuple back after its flow was streamed is a new flow"

# --max-flows: past it the least recently seen flow is evicted, written
# as it is (a --jsonl line, or into the report); its 5-tuple seen again
# is a new flow.  35 interleaved flows through a table of 7: the same
# flows and numbers with --jsonl and without, with 1 or 2 threads,
# pretty or not, every packet of each 5-tuple counted once, and the
# evictions counted in the warnings.
"$build/samples/pdmv2-sample" -o ev.pcap -k ev.keylog -t ev.truth.json --udp 30 \
	--tcp 5 --clients 5 --servers 3 -n 20 -r 5 --seed 4 >/dev/null
for t in 1 2; do
	"$A" -q --threads $t --max-flows 7 -k ev.keylog -o ev$t.json ev.pcap
	"$A" -q --threads $t --max-flows 7 -k ev.keylog --jsonl ev.pcap >ev$t.jsonl
done
"$A" -q --max-flows 7 -k ev.keylog -p -o ev-pretty.json ev.pcap
"$A" -q --max-flows 0 -k ev.keylog -o ev-all.json ev.pcap
cmp ev1.json ev2.json || fail "--max-flows: --threads 2 report differs"
cmp ev1.jsonl ev2.jsonl || fail "--max-flows: --threads 2 --jsonl differs"
python3 - <<'PY' || fail "--max-flows"
import collections, json
r, p, whole = (json.load(open(f)) for f in ("ev1.json", "ev-pretty.json", "ev-all.json"))
lines = [json.loads(l) for l in open("ev1.jsonl")]
assert [l.pop("type") for l in lines] == ["flow"] * (len(lines) - 1) + ["summary"]
assert r == p
truth = json.load(open("ev.truth.json"))
assert len(truth["flows"]) == len(whole["flows"]) == 35   # 0: no bound
assert "evicted_flows" not in whole["capture"]
assert whole["warnings"] == [], whole["warnings"]
n = r["capture"]["evicted_flows"]
assert n > 0 and len(r["flows"]) == 7 + n, (n, len(r["flows"]))
assert r["warnings"] == ["%d flows evicted: the flow table was full (--max-flows 7), "
                         "so the least recently seen flow went out as it was when "
                         "a new one came; a 5-tuple seen again after that is a new "
                         "flow" % n], r["warnings"]
# --jsonl: the same flows, evicted ones as they left, then the summary
assert {f["id"]: f for f in lines[:-1]} == {f["id"]: f for f in r["flows"]}
assert lines[-1]["warnings"] == r["warnings"]
# the report: evicted flows first, in the order they left, as --jsonl
# wrote them; then the table's by id
ids = [f["id"] for f in r["flows"]]
assert ids[:n] == [f["id"] for f in lines[:n]], ids[:10]
assert ids[n:] == sorted(ids[n:]) and sorted(ids) == list(range(1, len(ids) + 1))
# every packet once: per 5-tuple, the pieces add up to the truth's flow
def tuples(flows):
    c = collections.Counter()
    for f in flows:
        k = (f["client"]["addr"], f["client"]["port"], f["server"]["addr"],
             f["server"]["port"])
        if k not in c and (k[2], k[3], k[0], k[1]) in c:
            k = (k[2], k[3], k[0], k[1])
        c[k] += sum(f["directions"][d]["packets"] for d in ("c2s", "s2c"))
    return c
assert tuples(r["flows"]) == tuples(truth["flows"])
assert sum(tuples(r["flows"]).values()) == r["capture"]["packets"]
PY
echo "ok: --max-flows evicts the least recently seen flow, in --jsonl and the report alike"

# Finished Kri epochs go to a temporary file under $TMPDIR; without one
# they stay in memory, with a warning, and the report is the same.
"$build/samples/pdmv2-sample" -o rot.pcap -k rot.keylog --udp 2 -n 40 -r 5 --seed 3 >/dev/null
mkdir -p tmp
TMPDIR=$PWD/tmp "$A" -q -k rot.keylog -o rot-file.json rot.pcap
TMPDIR=$PWD/no-such-dir "$A" -q -k rot.keylog -o rot-mem.json rot.pcap
[ -z "$(ls tmp)" ] || fail "temporary file left behind"
python3 - <<'PY' || fail "epochs through the temporary file"
import json
a, b = json.load(open("rot-file.json")), json.load(open("rot-mem.json"))
assert a["warnings"] == [], a["warnings"]
assert any("temporary file" in w for w in b["warnings"]), b["warnings"]
assert a["flows"] == b["flows"]
kris = [e["kri"] for e in a["flows"][0]["directions"]["c2s"]["kri_epochs"]]
assert kris == list(range(len(kris))) and len(kris) >= 6, kris
PY
echo "ok: finished Kri epochs through a temporary file, or memory without one"

# --threads 1 and 2 give the same bytes: report, --jsonl stream and
# --dump-frames, over enough frames for several hand-overs (4096 each),
# with TCP flows that close (streamed from the analysis thread).
"$build/samples/pdmv2-sample" -o thr.pcap -k thr.keylog --udp 12 --tcp 6 \
	-n 400 -r 25 --loss 0.02 --seed 21 >/dev/null
for t in 1 2; do
	"$A" -q --threads $t -k thr.keylog --dump-frames -o thr$t.json thr.pcap 2>thr$t.frames
	"$A" -q --threads $t -k thr.keylog --jsonl thr.pcap >thr$t.jsonl
done
cmp thr1.json thr2.json || fail "--threads 2 report differs from --threads 1"
cmp thr1.jsonl thr2.jsonl || fail "--threads 2 --jsonl differs from --threads 1"
cmp thr1.frames thr2.frames || fail "--threads 2 --dump-frames differs"
# The same with both layouts in one capture (the reader opens the
# Epoch layout ahead too), key phases moving every 30 packets, and a
# key log that lacks the keys of some flows' later Epochs.
"$build/samples/pdmv2-sample" -o thr-e.pcap -k thr-e.keylog --udp 12 --tcp 6 \
	-n 400 -r 30 --layout mixed --key-lines keys --loss 0.02 --seed 23 >/dev/null
awk 'NR % 7 != 3' thr-e.keylog >thr-e-part.keylog
for k in thr-e thr-e-part; do
	for t in 1 2; do
		"$A" -q --threads $t -k $k.keylog --dump-frames -o $k$t.json thr-e.pcap 2>$k$t.frames
	done
	cmp $k''1.json $k''2.json || fail "--threads 2 report differs on $k"
	cmp $k''1.frames $k''2.frames || fail "--threads 2 --dump-frames differs on $k"
done
python3 - <<'PY' || fail "mixed-layout --threads capture too thin"
import json
r = json.load(open("thr-e1.json"))
p = json.load(open("thr-e-part1.json"))["pdm"]
assert r["pdm"]["epoch_layout"] > 4096 and r["pdm"]["decrypted"] == r["pdm"]["pdmv2_encrypted"], r["pdm"]
assert 0 < p["no_key"] < p["pdmv2_encrypted"], p
PY
# Both threads look keys up (the reader opens ahead, preopen.h); a
# PRIMARY_SECRET for every pair makes each lookup derive and cache a
# secondary secret: the ThreadSanitizer stage checks that cache.
{ cat thr.keylog; echo "PDMV2_PRIMARY_SECRET * * aes128gcm $(printf '%064d' 7) -"; } >thr-p.keylog
for t in 1 2; do
	"$A" -q --threads $t -k thr-p.keylog -o thr-p$t.json thr.pcap
done
cmp thr-p1.json thr-p2.json || fail "--threads 2 with a PRIMARY_SECRET differs"
python3 - <<'PY' || fail "--threads test capture too small"
import json
r = json.load(open("thr1.json"))
assert r["capture"]["packets"] > 3 * 4096, r["capture"]["packets"]
assert r["pdm"]["decrypted"] > 0
PY
# A report of 2500 flows, written a flow at a time: whole, in order,
# plain and indented the same, and the same with one thread or two.
"$build/samples/pdmv2-sample" -o many.pcap -k many.keylog --udp 2500 -n 1 \
	--clients 50 --servers 5 --seed 22 >/dev/null
for t in 1 2; do
	"$A" -q --threads $t -k many.keylog -o many$t.json many.pcap
	"$A" -q --threads $t -k many.keylog -p -o many-p$t.json many.pcap
done
cmp many1.json many2.json || fail "--threads 2 report of 2500 flows differs"
cmp many-p1.json many-p2.json || fail "--threads 2 --pretty report of 2500 flows differs"
python3 - <<'PY' || fail "the 2500-flow report is not what was written"
import json
r = json.load(open("many2.json"))
p = json.load(open("many-p2.json"))
assert r == p
ids = [f["id"] for f in r["flows"]]
assert len(ids) == 2500 and ids == sorted(ids), len(ids)
assert r["pdm"]["decrypted"] == 5000, r["pdm"]
PY
run 1 "threads" --threads 3 thr.pcap
# --dump-frames has a buffer of its own: a failed write still fails the run
rc=0
"$A" -q --dump-frames -o /dev/null thr.pcap 2>/dev/full || rc=$?
[ "$rc" = 1 ] || fail "--dump-frames to a full device: exit $rc, want 1"
echo "ok: --threads 1 and 2, same report, stream and frames"

# Hostile link types and garbage: a capture of unsupported DLT.
python3 - <<'PY'
import struct
with open("dlt.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 147))
    f.write(struct.pack("<IIII", 1, 0, 4, 4) + b"abcd")
PY
run 0 "not decoded" dlt.pcap
echo "ok: unsupported link type warned and skipped"
