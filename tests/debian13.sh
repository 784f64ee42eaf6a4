#!/bin/sh
# The normal build and its whole ctest again on Debian 13 (trixie),
# whose Wireshark is 4.4, in a chroot made with debootstrap from
# Debian's package servers.  tests/run.sh calls this; it needs root.
#
# The root file system is cached outside the clone (CI starts from a
# fresh one) in $PDMV2_DEBIAN13_CACHE/trixie-<key>, the key a hash of
# tests/setup-deps.sh (the one package list, which is run inside the
# chroot) and of the debootstrap parameters below: a changed list makes
# a new root file system.  It is built in a temporary folder and renamed
# only once complete, so an interrupted debootstrap is never taken as
# good.  The cache stays clean: the source is copied into a tmpfs /tmp,
# the build and HOME live there, and every mount is made in a private
# mount namespace (unshare), so the kernel drops them all when the leg
# ends, however it ends.
#
# PDMV2_SKIP_DEBIAN13=1 skips the leg, saying so; for local use only.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${PDMV2_DEBIAN13_CACHE:-/var/cache/pdmv2-tools}
mirror=${PDMV2_DEBIAN_MIRROR:-http://deb.debian.org/debian}
params="trixie --variant=minbase $mirror"

fail() {
	echo "debian13: FAILED: $*" >&2
	exit 1
}

if [ "${PDMV2_SKIP_DEBIAN13:-0}" = 1 ]; then
	echo "debian13: SKIPPED (PDMV2_SKIP_DEBIAN13=1): Wireshark 4.4 untested" >&2
	exit 0
fi
[ "$(id -u)" -eq 0 ] ||
	fail "needs root (debootstrap, chroot, mounts); PDMV2_SKIP_DEBIAN13=1 skips it"
command -v debootstrap >/dev/null 2>&1 ||
	fail "debootstrap is missing (tests/setup-deps.sh installs it)"

key=$( { cat "$top/tests/setup-deps.sh"; echo "$params"; } |
	sha256sum | cut -c1-16)
root=$cache/trixie-$key
mkdir -p "$cache"

# in_chroot ROOT COMMAND...: runs COMMAND (a shell script text) inside
# ROOT with /proc, /sys, /dev, a tmpfs /tmp and the host's resolv.conf,
# all mounted in a private namespace that dies with the command.  With
# PDMV2_SRC set (a test run, not the root file system's making), /usr is
# an overlay whose writes land in a tmpfs: the README's install into
# /usr runs as written and the cache stays clean.
in_chroot() {
	r=$1
	shift
	unshare --mount --propagation private sh -eu -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --rbind /sys "$r/sys"
		mount --rbind /dev "$r/dev"
		mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
		if [ -f /etc/resolv.conf ]; then
			[ -e "$r/etc/resolv.conf" ] || : >"$r/etc/resolv.conf"
			mount --bind /etc/resolv.conf "$r/etc/resolv.conf"
		fi
		if [ -n "${PDMV2_SRC:-}" ]; then
			mount -t tmpfs tmpfs "$r/mnt"	# the chroot never uses it
			mkdir "$r/mnt/up" "$r/mnt/work"
			mount -t overlay overlay -o lowerdir="$r/usr",upperdir="$r/mnt/up",workdir="$r/mnt/work" "$r/usr"
		fi
		[ -z "${PDMV2_SRC:-}" ] || mkdir -p "$r/tmp/src"
		[ -z "${PDMV2_SRC:-}" ] ||
			tar -C "$PDMV2_SRC" --exclude=./.git --exclude="./build*" \
				-cf - . | tar -C "$r/tmp/src" -xf -
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/tmp/home LANG=C.UTF-8 CI="${CI:-}" /bin/sh -eu -c "$1"
	' in_chroot "$r" "$@"
}

build_root() {
	# Only one run builds; a second waits, then finds it done.
	exec 9>"$cache/trixie.lock"
	flock 9
	[ -f "$root/.pdmv2-complete" ] && return 0
	# Leftovers of interrupted builds: never used, removed (their
	# mounts died with their namespace; --one-file-system in case).
	rm -rf --one-file-system "$cache"/trixie-*.partial
	tmp=$root.partial
	echo "debian13: building the trixie root file system in $root" >&2
	start=$(date +%s)
	# In its own mount namespace too: the /proc and /sys debootstrap
	# mounts inside the target cannot outlive it.
	unshare --mount --propagation private \
		debootstrap --variant=minbase trixie "$tmp" "$mirror" \
		>"$cache/debootstrap.log" 2>&1 || {
		tail -n 20 "$cache/debootstrap.log" >&2
		fail "debootstrap trixie from $mirror (log: $cache/debootstrap.log)"
	}
	cp "$top/tests/setup-deps.sh" "$tmp/setup-deps.sh"
	in_chroot "$tmp" 'sh /setup-deps.sh && apt-get clean' ||
		fail "tests/setup-deps.sh inside trixie"
	rm -f "$tmp/setup-deps.sh"
	rm -rf "$tmp/var/lib/apt/lists"/*_dists_*
	date -u >"$tmp/.pdmv2-complete"
	mv "$tmp" "$root"
	echo "debian13: root file system built in $(($(date +%s) - start)) s" >&2
	flock -u 9
}

[ -f "$root/.pdmv2-complete" ] || build_root

echo "debian13: $(chroot "$root" dpkg-query -W -f='wireshark ${Version}' libwireshark-dev)" >&2
# setup-deps.sh again: a no-op when the cached list is complete, and the
# proof of it.  Then the normal build and its ctest, as run.sh does.
PDMV2_SRC=$top in_chroot "$root" '
	sh /tmp/src/tests/setup-deps.sh
	mkdir -p "$HOME"
	cmake -S /tmp/src -B /tmp/build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	# The build says nothing unless it fails or warns: warnings on
	# Wireshark 4.4 (deprecations a 4.0 build cannot show) are printed.
	cmake --build /tmp/build -j "$(nproc)" >/tmp/build.log 2>&1 ||
		{ tail -n 50 /tmp/build.log; exit 1; }
	if grep -q "warning:" /tmp/build.log; then
		echo "debian13: compiler warnings:" >&2
		grep -A 3 "warning:" /tmp/build.log >&2
	fi
	ctest --test-dir /tmp/build --output-on-failure -j "$(nproc)"
	# The README, as root: install into /usr (an overlay here), then
	# the system tshark, run as root, loads the plugin from there.
	cmake --install /tmp/build --prefix /usr >/dev/null
	d=/tmp/src/samples/data
	tshark -G plugins | grep -q "pdmv2.so" ||
		{ echo "debian13: root tshark does not load the installed plugin" >&2; exit 1; }
	n=$(tshark -n -r $d/clean-rotation.pcap -o pdmv2.keylog_file:$d/clean-rotation.keylog \
		-T fields -e pdmv2.rtt_us | grep -c "[0-9]")
	[ "$n" -gt 0 ] ||
		{ echo "debian13: the installed plugin shows no RTT" >&2; exit 1; }
	pdmv2-analyze --version >/dev/null && man -w pdmv2-analyze >/dev/null ||
		{ echo "debian13: tools or man pages not installed" >&2; exit 1; }
	echo "debian13: installed into /usr as root: tshark shows RTT on $n frames"
'
