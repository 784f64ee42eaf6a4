#!/bin/sh
# Installs the Debian 12 packages pdmv2-tools needs to build and test,
# skipping those already present.  Idempotent; apt is the only network use.
set -eu

# clang's runtime (libFuzzer, sanitizers) is named after its major
# version: 14 on Debian 12, 19 on Debian 13 (tests/debian13.sh's chroot).
clang_rt=libclang-rt-14-dev
. /etc/os-release
[ "${VERSION_CODENAME:-}" = trixie ] && clang_rt=libclang-rt-19-dev

# debootstrap: tests/debian13.sh's Debian 13 root file system.
PKGS="build-essential cmake pkg-config libpcap-dev libwireshark-dev tshark
libglib2.0-dev libssl-dev libjson-c-dev libcmocka-dev wireshark-common
openssl python3 clang $clang_rt time debootstrap"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "setup-deps: need root or sudo to install:$missing" >&2
		exit 1
	}
	SUDO="sudo"
fi

echo "setup-deps: installing:$missing" >&2
# tshark asks whether non-root users may capture; answer without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends $missing >/dev/null
