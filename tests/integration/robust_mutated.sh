#!/bin/sh
# Hostile input at scale: every bundled capture, bit-flipped by editcap -E
# with several seeds (thousands of frames), through pdmv2-analyze and
# through tshark with the plugin loaded.  Neither may crash, hang or
# report a plugin assertion; the analyzer must still write its report.
# Then hostile key logs: a 100k-line file, huge lines, NUL bytes, CRLF,
# duplicate and conflicting entries, all handled in bounded time.
# usage: robust_mutated.sh BUILD_DIR SOURCE_DIR [PLUGIN_SO]
set -eu
build=$1 src=$2 so=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-mut.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
frames=0 files=0
for cap in "$src"/samples/data/*.pcap*; do
	name=$(basename "$cap")
	key=${cap%.pcap*}.keylog
	for seed in 1 2 3 4; do
		m=$dir/$seed-$name
		editcap -E 0.02 --seed $seed "$cap" "$m" 2>/dev/null
		rc=0
		timeout 60 "$build/analyzer/pdmv2-analyze" -q -k "$key" -o "$dir/r.json" "$m" \
			2>"$dir/err" || rc=$?
		[ $rc -eq 0 ] || fail "pdmv2-analyze exit $rc on $m: $(tail -3 "$dir/err")"
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/r.json" ||
			fail "no valid report for $m"
		n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["capture"]["packets"])' "$dir/r.json")
		frames=$((frames + n))
		files=$((files + 1))
		if [ -n "$so" ]; then
			rc=0
			timeout 120 sh "$here/dissector_tshark.sh" "$so" -n -r "$m" \
				-o "pdmv2.keylog_file:$key" -V >"$dir/v.txt" 2>"$dir/terr" || rc=$?
			[ $rc -eq 0 ] || fail "tshark exit $rc on $m: $(tail -3 "$dir/terr")"
			if grep -qiE "assert|Dissector bug|segmentation fault" "$dir/v.txt" "$dir/terr"; then
				fail "tshark reported a dissector bug on $m: $(grep -iE 'assert|bug' "$dir/v.txt" | head -2)"
			fi
		fi
	done
done
echo "ok: $files mutated captures, $frames frames, no crash${so:+ (analyzer and tshark+plugin)}"

# Hostile key logs.
python3 - "$dir" <<'PY'
import random, sys
d = sys.argv[1]
s = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
rnd = random.Random(7)
with open(d + "/big.keylog", "w") as f:
    for i in range(100000):
        a = "2001:db8:%x::%x" % (i % 4096, i)
        f.write("PDMV2_SECRET %s 2001:db8::2 aes128gcm %s -\n" % (a, s))
with open(d + "/hostile.keylog", "wb") as f:
    f.write(b"A" * 1000000 + b"\n")                    # one huge line
    f.write(b"PDMV2_SECRET \x00 x\n")                  # NUL byte
    f.write(("PDMV2_SECRET * * aes128gcm %s -\r\n" % s).encode())       # CRLF
    f.write(("PDMV2_SECRET * * aes128gcm %s -\n" % s).encode())         # duplicate
    f.write(("PDMV2_SECRET * * aes256gcm %s -\n" % s[::-1]).encode())   # conflicting
    f.write(bytes(rnd.randrange(256) for _ in range(20000)))            # noise
PY
for k in big hostile; do
	rc=0
	/usr/bin/time -f "%e s %M KiB" -o "$dir/$k.time" timeout 120 \
		"$build/analyzer/pdmv2-analyze" -q -k "$dir/$k.keylog" -o "$dir/k.json" \
		"$src/samples/data/clean-rotation.pcap" 2>/dev/null || rc=$?
	[ $rc -eq 0 ] || fail "key log $k: exit $rc"
	echo "ok: $k.keylog loaded in $(cat "$dir/$k.time")"
done
python3 - "$dir/k.json" <<'PY' || fail "hostile key log: wrong outcome"
import json, sys
r = json.load(open(sys.argv[1]))
# the duplicate and the conflicting wildcard lines load; the tag decides
assert r["keylog"]["entries"] == 3, r["keylog"]["entries"]
assert any("longer than" in e["message"] for e in r["keylog"]["errors"])
assert any("NUL" in e["message"] for e in r["keylog"]["errors"])
assert r["pdm"]["decrypted"] == 0 and r["pdm"]["auth_failed"] == r["pdm"]["pdmv2_encrypted"]
PY
echo "ok: hostile key log: huge line and NUL reported, CRLF/duplicate/conflict loaded"
