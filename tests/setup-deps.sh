#!/bin/sh
# Installs the Debian 12 packages pdmv2-tools needs to build and test,
# skipping those already present.  Idempotent; apt is the only network use.
set -eu

PKGS="build-essential cmake pkg-config libpcap-dev libwireshark-dev tshark
libglib2.0-dev libssl-dev libjson-c-dev libcmocka-dev wireshark-common
openssl python3 clang libclang-rt-14-dev time"

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
