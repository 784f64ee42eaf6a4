#!/bin/sh
# pdmv2-analyze on hostile input that once gave wrong answers with exit
# status 0 (issue 24): time stamps past the int64 range, time running
# backwards, -o naming an input, a run that reads nothing over an old
# report, file names that are not UTF-8 or carry terminal escapes, a PDM
# option longer than its header, Pad1/PadN as the option type, a first
# record libpcap cannot read, a pcapng with two link types.
# usage: analyzer_hostile.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
A=$build/analyzer/pdmv2-analyze
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-hostile.XXXXXX")
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
python3 "$src/tests/integration/hostile_captures.py"

# Stamps outside 1677..2262 saturate, with a warning; nothing wraps,
# no duration is negative.
for f in tsresol-seconds.pcapng ns-after-2262.pcapng tsoffset.pcapng; do
	run 0 "clamped" "$f"
	F=$f python3 - <<'PY' || fail "$f: time stamps wrapped"
import json, os
r = json.load(open("out.json"))
c = r["capture"]
assert c["duration_us"] >= 0, c
assert c["first_ts"] <= c["last_ts"], c
years = {c["first_ts"][:4], c["last_ts"][:4]}
assert years <= {"2023", "2262", "1677"}, years
if os.environ["F"] == "tsoffset.pcapng":
    assert c["first_ts"].startswith("1677-"), c
else:
    assert c["last_ts"].startswith("2262-04-11T23:47:16.854775807"), c
for f in r["flows"]:
    assert f["first_ts"] <= f["last_ts"], f
assert any("clamped" in w for w in r["warnings"]), r["warnings"]
PY
done
echo "ok: pcapng stamps past the int64 ns range saturate with a warning"

run 0 "" backwards.pcap
python3 - <<'PY' || fail "time running backwards"
import json
r = json.load(open("out.json"))
f = r["flows"][0]
assert f["first_ts"] == "2023-11-14T22:13:20.000000000Z", f
assert f["last_ts"] == "2023-11-14T22:15:00.000000000Z", f
assert r["capture"]["duration_us"] == 100e6, r["capture"]
assert any("earlier than the frame before" in w for w in r["warnings"]), r["warnings"]
PY
echo "ok: time running backwards keeps first_ts <= last_ts, with a warning"

# -o naming an input is refused before anything is read.
cp good.pcap in.pcap
run 1 "refusing" -o in.pcap in.pcap
cmp -s good.pcap in.pcap || fail "-o truncated its input"
ln -s in.pcap link.pcap
run 1 "refusing" -o link.pcap in.pcap
cmp -s good.pcap in.pcap || fail "-o through a link truncated its input"
echo "ok: -o naming an input is refused, the input untouched"

# A run that reads nothing leaves an existing report as it was; a good
# run replaces it, with the old file's mode.
echo previous >report.json
chmod 640 report.json
echo "not a capture" >text.pcap
run 2 "no input" -o report.json text.pcap
[ "$(cat report.json)" = previous ] || fail "a run that read nothing emptied the report"
run 1 "filter" -f "not bpf at all" -o report.json good.pcap
[ "$(cat report.json)" = previous ] || fail "a usage error emptied the report"
run 0 "" -o report.json good.pcap
python3 -c 'import json; json.load(open("report.json"))' || fail "report not written"
[ "$(stat -c %a report.json)" = 640 ] || fail "report mode $(stat -c %a report.json)"
ls -a | grep -q '^\.report\.json\.' && fail "temporary report left behind"
echo "ok: the report is replaced only by a complete one"

# File names that are not UTF-8, with a terminal escape: valid UTF-8
# in the JSON (bad bytes as U+FFFD), escaped on stderr.
bad=$(printf 'bad\377\033[2Jname.pcap')
echo "not a capture" >"$bad"
run 0 "" good.pcap "$bad"
python3 - <<'PY' || fail "file names not made valid UTF-8"
import json
raw = open("out.json", "rb").read()
r = json.loads(raw.decode("utf-8"))          # strict: raises on bad bytes
names = [i["file"] for i in r["inputs"]]
assert names[1] == "bad\ufffd\x1b[2Jname.pcap", names
PY
if grep -q "$(printf '\033')" err.txt; then fail "an escape sequence reached stderr"; fi
grep -q 'bad\\xff\\x1b\[2Jname.pcap' err.txt || fail "name not escaped: $(cat err.txt)"
echo "ok: non-UTF-8 names are valid JSON, escapes do not reach the terminal"

# A PDM option running past the end of its header is malformed (2.4).
run 0 "" overrun.pcap
python3 - <<'PY' || fail "overrunning option not counted as malformed"
import json
r = json.load(open("out.json"))
assert r["pdm"]["malformed"] == 1 and r["pdm"]["packets"] == 2, r["pdm"]
assert r["anomalies"]["malformed_option"]["frames"] == [1], r["anomalies"]
PY
echo "ok: an option longer than its header is a malformed option"

run 1 "option-type" --option-type 0 good.pcap
run 1 "option-type" --option-type 1 good.pcap
run 0 "" --option-type 2 good.pcap
echo "ok: --option-type refuses Pad1 and PadN"

# A valid header and then nothing readable: an unreadable input.
run 2 "cannot read its first record" bad-first-record.pcap
run 2 "different from the type" two-linktypes-first.pcapng
if grep -q truncated err.txt; then fail "two link types called truncated"; fi
run 0 "cannot read on after frame 2" two-linktypes-later.pcapng
python3 - <<'PY' || fail "second link type after frames"
import json
r = json.load(open("out.json"))
i = r["inputs"][0]
assert i["packets"] == 2 and i["truncated"] is False and i.get("error") is True, i
assert not any("truncated" in w for w in r["warnings"]), r["warnings"]
PY
echo "ok: unreadable first records exit 2; a refused link type is not 'truncated'"
