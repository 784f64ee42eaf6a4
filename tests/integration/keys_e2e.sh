#!/bin/sh
# pdmv2-keys end to end:
#  - genkey -> encap -> decap, separate invocations: identical PDMV2_SECRET lines
#  - OpenSSL interop both ways (openssl's keys work with us, ours in openssl)
#  - a capture written with the registered secret is fully decrypted by
#    pdmv2-analyze with the client's key log (report equals the truth)
#  - a PDMV2_SESSION_KEY line alone decrypts exactly that flow phase
#  - epoch-key: a PDMV2_EPOCH_KEY line alone opens exactly that Epoch of
#    one direction (the writer's truth for a one-line key log), and check
#    accepts the label and reports a bad Epoch by line
#  - bad input: clear message, non-zero exit
#  - check reports every bad line by number
# usage: keys_e2e.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 src=$2
K=$build/keys/pdmv2-keys
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-keys.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }
# not the sample writer's default addresses: it is told these (--client,
# --server), as a user matches a capture to a registration
C=2001:db8:77::10 S=2001:db8:99::443

# round trip
"$K" genkey --out srv >/dev/null
[ "$(stat -c %a srv.key)" = 600 ] || fail "private key mode $(stat -c %a srv.key)"
"$K" encap --server-pub srv.pub --client $C --server $S --keylog client.keylog >encap.out
enc=$(awk '$1 == "enc" {print $2}' encap.out)
salt=$(awk '$1 == "salt" {print $2}' encap.out)
"$K" decap --server-key srv.key --enc "$enc" --salt "$salt" --client $C --server $S \
	--keylog server.keylog
cmp client.keylog server.keylog || fail "client and server key logs differ"
[ "$(stat -c %a client.keylog)" = 600 ] || fail "key log mode"
echo "ok: encap and decap wrote the same PDMV2_SECRET line"

# interop: openssl's key pair with us, ours with openssl
openssl genpkey -algorithm X25519 -out ossl.key 2>/dev/null
openssl pkey -in ossl.key -pubout -out ossl.pub 2>/dev/null
"$K" encap --server-pub ossl.pub --client $C --server $S --print-secret >o.out
"$K" decap --server-key ossl.key --enc "$(awk '$1 == "enc" {print $2}' o.out)" \
	--salt "$(awk '$1 == "salt" {print $2}' o.out)" --client $C --server $S \
	--print-secret >o2.out
[ "$(grep PDMV2_SECRET o.out)" = "$(cat o2.out)" ] || fail "openssl key pair: secrets differ"
openssl pkey -in srv.key -noout 2>/dev/null || fail "openssl cannot read our private key"
[ "$(openssl pkey -in srv.key -pubout 2>/dev/null)" = "$(cat srv.pub)" ] ||
	fail "openssl derives another public key from ours"
echo "ok: OpenSSL interop both ways"

# a capture sealed with the registered secret and salt
secret=$(awk '{print $5}' client.keylog)
"$build/samples/pdmv2-sample" -o cap.pcap -t truth.json --secret "$secret" \
	--salt "$salt" --client $C --server $S --udp 1 -n 40 -r 12 --seed 31
"$build/analyzer/pdmv2-analyze" -q -k client.keylog -o report.json cap.pcap
python3 "$here/compare_truth.py" report.json truth.json >/dev/null ||
	fail "the registered key log does not decrypt the capture as the truth says"
python3 - <<'PY' || fail "not everything decrypted"
import json
r = json.load(open("report.json"))
assert r["pdm"]["decrypted"] == r["pdm"]["pdmv2_encrypted"] > 0, r["pdm"]
PY
echo "ok: pdmv2-analyze decrypts the capture with the registered key log"

# least privilege: one direction, one kri
"$K" session-key --keylog client.keylog --flow "$C,40000,$S,5001,17" --kri 1 \
	>session.keylog
# the protocol by name as well as by number (issue 25)
"$K" session-key --keylog client.keylog --flow "$C,40000,$S,5001,UDP" --kri 1 >named.keylog
cmp session.keylog named.keylog || fail "--flow ...,UDP differs from ...,17"
"$build/analyzer/pdmv2-analyze" -q -k session.keylog -o rs.json cap.pcap
python3 - <<'PY' || fail "the session key opened more or less than its phase"
import json
r, t = json.load(open("rs.json")), json.load(open("truth.json"))
c2s, s2c = r["flows"][0]["directions"]["c2s"], r["flows"][0]["directions"]["s2c"]
want = [e for e in t["flows"][0]["directions"]["c2s"]["kri_epochs"] if e["kri"] == 1]
assert want and want[0]["packets"] > 0
assert [e["kri"] for e in c2s["kri_epochs"]] == [1], c2s["kri_epochs"]
assert c2s["decrypted"] == want[0]["packets"], (c2s["decrypted"], want)
# the rest is refused: "no key" for the other phase bit, "auth failed"
# for kri 3, 5... which share kri 1's F and are tried with its key (5.4
# step 2)
assert c2s["no_key"] + c2s["auth_failed"] == c2s["pdm_packets"] - want[0]["packets"]
assert c2s["no_key"] > 0
assert s2c["decrypted"] == 0 and s2c["no_key"] == s2c["pdm_packets"]
print("ok: the session key opened %d packets of kri 1, c2s only" % c2s["decrypted"])
PY

# least privilege in the Epoch layout: one direction, one Epoch.  The
# capture does not depend on --key-lines: written twice, the same bytes.
"$build/samples/pdmv2-sample" -o ep.pcap -k ep.keylog -t ep.json --layout epoch \
	--secret "$secret" --salt "$salt" --client $C --server $S --udp 2 -n 30 -r 10 --seed 32
"$build/samples/pdmv2-sample" -o ep1.pcap -k one.keylog -t one.json --layout epoch \
	--secret "$secret" --salt "$salt" --client $C --server $S --udp 2 -n 30 -r 10 --seed 32 \
	--key-lines one
cmp ep.pcap ep1.pcap || fail "--key-lines changed the capture"
"$K" epoch-key --keylog client.keylog --flow "$C,40000,$S,5001,17" --epoch 0 >epoch.keylog
[ "$(grep -c . epoch.keylog)" = 1 ] || fail "epoch-key printed $(cat epoch.keylog)"
grep '^PDMV2_EPOCH_KEY' one.keylog | cmp - epoch.keylog ||
	fail "epoch-key and the writer's one line differ"
"$build/tests/samples_roundtrip" ep.pcap epoch.keylog one.json >rt.out ||
	fail "the PDMV2_EPOCH_KEY line opened more or less than the truth says: $(tail -3 rt.out)"
python3 - <<'PY' || fail "one Epoch's key: wrong truth"
import json
t = json.load(open("one.json"))
c2s = t["flows"][0]["directions"]["c2s"]
e0 = [e for e in c2s["epochs"] if e["epoch"] == 0][0]
assert t["pdm"]["decrypted"] == e0["packets"] > 0, (t["pdm"], e0)
assert t["pdm"]["no_key"] == t["pdm"]["pdmv2_encrypted"] - e0["packets"] > 0
PY
echo "ok: epoch-key's line opens Epoch 0 of one direction: $(tail -1 rt.out)"
"$K" check --keylog epoch.keylog >check.out || fail "check refused a PDMV2_EPOCH_KEY line"
grep -q "1 entries, 0 errors" check.out || fail "check: $(cat check.out)"
sed 's/ 5001 17 0 / 5001 17 4096 /' epoch.keylog >bad-epoch.keylog
if "$K" check --keylog bad-epoch.keylog >check.out 2>&1; then
	fail "check passed Epoch 4096"
fi
grep -q "bad-epoch.keylog:1: error" check.out || fail "check: $(cat check.out)"
echo "ok: check accepts PDMV2_EPOCH_KEY and reports a 13-bit Epoch by line"

# bad input: a message and a non-zero exit each
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub 2>/dev/null
expect_fail() {
	want=$1
	shift
	if "$@" >out.txt 2>err.txt; then fail "succeeded: $*"; fi
	grep -q -- "$want" err.txt || fail "no \"$want\" in: $(cat err.txt)"
}
expect_fail "X25519 wanted" "$K" encap --server-pub ec.pub --client $C --server $S --print-secret
expect_fail "X25519 wanted" "$K" decap --server-key ec.key --enc "$enc" --salt - --client $C --server $S --print-secret
expect_fail "not a PEM" "$K" encap --server-pub srv.key --client $C --server $S --print-secret
expect_fail "32" "$K" decap --server-key srv.key --enc abcd --salt - --client $C --server $S --print-secret
expect_fail "odd number" "$K" decap --server-key srv.key --enc "${enc}0" --salt - --client $C --server $S
expect_fail "not hex" "$K" decap --server-key srv.key --enc "$enc" --salt zz --client $C --server $S
expect_fail "unknown AEAD" "$K" encap --server-pub srv.pub --client $C --server $S --aead aes512
expect_fail "not an IPv6" "$K" encap --server-pub srv.pub --client 10.0.0.1 --server $S
expect_fail "No such file" "$K" encap --server-pub missing.pub --client $C --server $S
expect_fail "0..4095" "$K" epoch-key --keylog client.keylog --flow "$C,40000,$S,5001,17" --epoch 4096
expect_fail "belongs to epoch-key" "$K" session-key --keylog client.keylog --flow "$C,40000,$S,5001,17" --epoch 1
expect_fail "no entry" "$K" epoch-key --keylog session.keylog --flow "$C,40000,$S,5001,17" --epoch 1
expect_fail "PROTO udp, tcp" "$K" session-key --keylog client.keylog --flow "$C,40000,$S,5001,udpx" --kri 1
expect_fail "ports 0..65535" "$K" session-key --keylog client.keylog --flow "$C,4000x,$S,5001,17" --kri 1
expect_fail "ports 0..65535" "$K" session-key --keylog client.keylog --flow "$C,-1,$S,5001,17" --kri 1
expect_fail "PROTO udp, tcp" "$K" epoch-key --keylog client.keylog --flow "$C,40000,$S,5001,256" --epoch 1
echo "ok: bad input refused with a message"

# check: every bad line by number, exit 1; a good file exits 0
if "$K" check --keylog "$src/tests/data/keylog/bad.keylog" >check.out 2>&1; then
	fail "check passed a bad key log"
fi
for n in 2 3 4 5 6 7 8 9 10; do
	grep -q "bad.keylog:$n: error" check.out || fail "check did not report line $n"
done
"$K" check --keylog client.keylog >/dev/null || fail "check refused a good key log"
echo "ok: check reports lines 2-10 of bad.keylog"
