#!/bin/sh
# Runs the system tshark with the freshly built pdmv2.so loaded, the way
# a user has it: from a personal plugin folder.  tshark run as root
# ignores plugin folders, so as root it runs as "nobody" with a
# temporary HOME; files it must read are copied somewhere it can.
# PLUGIN_SO "none" runs the same tshark, same way, without the plugin
# (an empty personal plugin folder): the reference for what Wireshark
# shows on its own.  The plugin folder is named after the installed
# Wireshark's major.minor, as tshark looks for it.
# usage: dissector_tshark.sh PLUGIN_SO|none tshark-args...
set -eu
so=$1
shift
base=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-ws.XXXXXX")
trap 'rm -rf "$base"' EXIT
ver=$(tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')
[ -n "$ver" ] || ver=$(pkg-config --modversion wireshark | cut -d. -f1,2)
mkdir -p "$base/home/.local/lib/wireshark/plugins/$ver/epan"
if [ "$so" != none ]; then
	cp "$so" "$base/home/.local/lib/wireshark/plugins/$ver/epan/"
fi
chmod -R a+rX "$base"
if [ "$(id -u)" -eq 0 ]; then
	# nobody cannot read root's 0600 files: readable copies of any
	# existing file argument, same base name.
	mkdir -p "$base/files"
	args=""
	for a in "$@"; do
		# a capture path, or a preference whose value is a file
		case $a in
		*:*) p=${a%%:*}; f=${a#*:} ;;
		*) p=""; f=$a ;;
		esac
		if [ -f "$f" ]; then
			cp "$f" "$base/files/$(basename "$f")"
			chmod a+r "$base/files/$(basename "$f")"
			if [ -n "$p" ]; then
				a="$p:$base/files/$(basename "$f")"
			else
				a="$base/files/$(basename "$f")"
			fi
		fi
		args="$args $(printf '%s' "$a" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
	done
	cd "$base"
	eval "set -- $args"
	rc=0
	runuser -u nobody -- env HOME="$base/home" tshark "$@" || rc=$?
	exit $rc
fi
rc=0
HOME="$base/home" tshark "$@" || rc=$?
exit $rc
