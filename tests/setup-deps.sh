#!/bin/sh
# The one place pdmv2-tools installs packages: everything the build, the
# tests, the fuzzers, the bench and the man pages need, on Debian 12 or
# 13, skipping what is already present.  Idempotent; apt is the only
# network use.
#   build:  build-essential cmake pkg-config and the -dev packages
#   tests:  tshark and wireshark-common (editcap), python3, openssl,
#           time (/usr/bin/time), man-db and groff-base (man -l),
#           debootstrap (tests/debian13.sh's Debian 13 root)
#   fuzz:   clang and its libFuzzer/sanitizer runtime, libclang-rt-N-dev
#           where N is clang's major version (14 on Debian 12, 19 on 13)
set -eu

PKGS="build-essential cmake pkg-config libpcap-dev libwireshark-dev tshark
libglib2.0-dev libssl-dev libjson-c-dev libcmocka-dev wireshark-common
openssl python3 clang time man-db groff-base debootstrap"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
updated=""

install_missing() {
	missing=""
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
		echo "setup-deps: need root or sudo to install:$missing" >&2
		exit 1
	fi
	echo "setup-deps: installing:$missing" >&2
	# tshark asks whether non-root users may capture; answer without a prompt.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		$SUDO debconf-set-selections
	if [ -z "$updated" ]; then
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
		updated=yes
	fi
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >/dev/null
}

# shellcheck disable=SC2086
install_missing $PKGS
# The runtime package follows the clang just installed, not a fixed name.
major=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
[ -n "$major" ] || { echo "setup-deps: cannot tell clang's version" >&2; exit 1; }
install_missing "libclang-rt-$major-dev"
