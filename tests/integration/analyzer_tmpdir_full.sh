#!/bin/sh
# pdmv2-analyze's temporary files (finished key phases, evicted flows)
# on a full disk: what they stored stays in the report, the rest is
# kept in memory, and the JSON warnings give the true reason.  A small
# tmpfs as TMPDIR (ENOSPC; needs mount rights: skipped with a message
# without them), then a file size limit (ulimit -f: EFBIG, which the
# program must take as a failed write, not be killed by SIGXFSZ).
# usage: analyzer_tmpdir_full.sh BUILD_DIR
set -eu
build=$1
A=$build/analyzer/pdmv2-analyze S=$build/samples/pdmv2-sample
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-full.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }
mkdir big small

# 20000 key phases of 88 bytes (1.7 MB) against 256 KiB: the file fills
# up after a few thousand.
"$S" -o kp.pcap -k kp.keylog --udp 2 -n 5000 -r 1 --seed 9 >/dev/null
TMPDIR=$PWD/big "$A" -q -k kp.keylog -o kp-ref.json kp.pcap
# 60 interleaved flows through a table of 8: hundreds of evictions
"$S" -o ev.pcap -k ev.keylog --udp 50 --tcp 10 --clients 5 --servers 3 \
	-n 30 -r 5 --seed 4 >/dev/null
TMPDIR=$PWD/big "$A" -q --max-flows 8 -k ev.keylog -o ev-ref.json ev.pcap

# kept REF GOT ERROR: every key phase of REF is in GOT, and one warning
# names ERROR and how many were stored before it
kept() {
	python3 - "$@" <<'PY'
import json, sys
ref, got = (json.load(open(f)) for f in sys.argv[1:3])
assert got["flows"] == ref["flows"], "the flows differ from the run with room"
w = [x for x in got["warnings"] if "temporary file of finished key phases" in x]
assert len(w) == 1 and sys.argv[3] in w[0] and "stored before" in w[0], got["warnings"]
stored = int(w[0].split("the ")[1].split(" stored")[0])
total = sum(len(f["directions"][d]["kri_epochs"]) for f in ref["flows"]
            for d in ("c2s", "s2c"))
assert 0 < stored < total, (stored, total)
print("ok: %d key phases in the report, %d of them stored before: %s"
      % (total, stored, w[0]))
PY
}

# packets REF GOT ERROR: the evictions stopped at ERROR, the flows kept
# instead: every packet of every 5-tuple is still in the report
packets() {
	python3 - "$@" <<'PY'
import collections, json, sys
ref, got = (json.load(open(f)) for f in sys.argv[1:3])
def per_tuple(r):
    n = collections.Counter()
    for f in r["flows"]:
        k = tuple(sorted([(f["client"]["addr"], f["client"]["port"]),
                          (f["server"]["addr"], f["server"]["port"])]))
        n[k] += f["directions"]["c2s"]["packets"] + f["directions"]["s2c"]["packets"]
    return n
assert per_tuple(got) == per_tuple(ref)
assert 0 < got["capture"].get("evicted_flows", 0) < ref["capture"]["evicted_flows"]
w = [x for x in got["warnings"] if "temporary file of evicted flows" in x]
assert len(w) == 1 and sys.argv[3] in w[0] and "past --max-flows 8" in w[0], got["warnings"]
print("ok: %d of %d evictions, then: %s" % (got["capture"]["evicted_flows"],
      ref["capture"]["evicted_flows"], w[0]))
PY
}

# A tmpfs of 256 KiB in a mount namespace of its own.
if command -v unshare >/dev/null 2>&1 &&
   unshare -m sh -c "mount -t tmpfs -o size=4k tmpfs '$dir/small'" 2>/dev/null; then
	on_tmpfs() {	# out args...
		out=$1
		shift
		unshare -m sh -c 'mount -t tmpfs -o size=256k tmpfs "$1/small" && shift &&
			TMPDIR=$PWD/small exec "$@"' sh "$dir" "$A" -q -o "$out" "$@"
	}
	on_tmpfs kp-full.json -k kp.keylog kp.pcap || fail "exit $? on a full TMPDIR"
	kept kp-ref.json kp-full.json "No space left on device" ||
		fail "key phases lost to a full TMPDIR"
	# the evicted flows fill it up, then the key phases find it full
	on_tmpfs ev-full.json -p --max-flows 8 -k kp.keylog -k ev.keylog ev.pcap kp.pcap ||
		fail "exit $? evicting into a full TMPDIR"
	TMPDIR=$PWD/big "$A" -q --max-flows 8 -k kp.keylog -k ev.keylog -o ev-all.json \
		ev.pcap kp.pcap
	packets ev-all.json ev-full.json "No space left on device" ||
		fail "flows lost to a full TMPDIR"
else
	echo "SKIP: the tmpfs part: cannot mount a tmpfs in a mount namespace (unshare -m)"
fi

# ulimit -f 256 (blocks of 512 or 1024 bytes): the temporary file stops
# at 128 or 256 KiB; the report goes through a pipe, which the limit
# leaves alone.
{ rc=0
  sh -c 'ulimit -f 256 && TMPDIR=$PWD/big exec "$@"' sh "$A" -q -k kp.keylog kp.pcap ||
	rc=$?
  echo $rc >fsize.rc; } | cat >kp-fsize.json
[ "$(cat fsize.rc)" = 0 ] || fail "exit $(cat fsize.rc) at a file size limit (SIGXFSZ?)"
kept kp-ref.json kp-fsize.json "File too large" ||
	fail "key phases lost to a file size limit"
