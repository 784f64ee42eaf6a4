#!/bin/sh
# pdmv2-keys writing and checking key log files (issue 24):
#  - appending after a last line without newline keeps both entries
#  - an existing 0644 key log is made 0600 (with a warning); new ones 0600
#  - a symbolic link is not followed
#  - --enc of the wrong length names the right length; a bad option prints
#    usage on stderr; an encrypted PEM key is refused without a prompt
#  - encap --json with nowhere to write the secret is refused
#  - check: a byte order mark is skipped; an unknown label exits 1
# usage: keys_keylog_files.sh BUILD_DIR
set -eu
K=$1/keys/pdmv2-keys
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-klf.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }
expect_fail() {
	want=$1
	shift
	if "$@" >out.txt 2>err.txt </dev/null; then fail "succeeded: $*"; fi
	grep -q -- "$want" err.txt || fail "no \"$want\" in: $(cat err.txt)"
}
C=2001:db8:c::c:1 S=2001:db8:5::5:1
"$K" genkey --out srv >/dev/null

# a key log whose last line has no newline, readable by others
printf 'PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm %s -' \
	000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >old.keylog
chmod 0644 old.keylog
"$K" encap --server-pub srv.pub --client $C --server $S --keylog old.keylog \
	>/dev/null 2>err.txt
grep -q "now 0600" err.txt || fail "no warning about the mode: $(cat err.txt)"
[ "$(stat -c %a old.keylog)" = 600 ] || fail "mode $(stat -c %a old.keylog), not 600"
"$K" check --keylog old.keylog >check.out 2>&1 || fail "glued lines: $(cat check.out)"
grep -q "2 entries, 0 errors" check.out || fail "not 2 entries: $(cat check.out)"
"$K" encap --server-pub srv.pub --client $C --server $S --keylog new.keylog >/dev/null
[ "$(stat -c %a new.keylog)" = 600 ] || fail "new key log mode $(stat -c %a new.keylog)"
echo "ok: appended after a missing newline; key logs end up 0600"

ln -s new.keylog link.keylog
expect_fail "symbolic link" "$K" encap --server-pub srv.pub --client $C --server $S \
	--keylog link.keylog
echo "ok: a symbolic link is not followed"

expect_fail "want 32$" "$K" decap --server-key srv.key --enc abcd --salt - --client $C \
	--server $S --print-secret
expect_fail "Usage" "$K" check --no-such-option
[ -s out.txt ] && fail "usage went to stdout"
openssl genpkey -algorithm X25519 -aes-256-cbc -pass pass:secret -out enc.key 2>/dev/null
expect_fail "encrypted" "$K" decap --server-key enc.key \
	--enc "$(printf '%064d' 0)" --salt - --client $C --server $S \
	--print-secret
expect_fail "nowhere" "$K" encap --server-pub srv.pub --client $C --server $S --json
[ -s out.txt ] && fail "encap printed a registration it did not keep"
echo "ok: --enc length, usage on stderr, encrypted key, --json with nowhere to write"

printf '\357\273\277' >bom.keylog
cat new.keylog >>bom.keylog
"$K" check --keylog bom.keylog >check.out 2>&1 || fail "BOM: $(cat check.out)"
grep -q "1 entries, 0 errors, 0 warnings" check.out || fail "BOM: $(cat check.out)"
cp new.keylog unknown.keylog
echo "PDMV2_SECRT a b c d e" >>unknown.keylog
if "$K" check --keylog unknown.keylog >check.out 2>&1; then
	fail "check passed an unknown label"
fi
grep -q "unknown.keylog:2: warning" check.out || fail "no warning: $(cat check.out)"
echo "ok: check skips a BOM and fails on an unknown label"
