#!/bin/sh
# Runs the system tshark with the freshly built pdmv2.so loaded, the way
# a user has it: from a personal plugin folder.  tshark run as root
# ignores plugin folders, so as root it runs as "nobody" with a
# temporary HOME; files it must read are copied somewhere it can.
# usage: dissector_tshark.sh PLUGIN_SO tshark-args...
set -eu
so=$1
shift
base=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-ws.XXXXXX")
trap 'rm -rf "$base"' EXIT
mkdir -p "$base/home/.local/lib/wireshark/plugins/4.0/epan"
cp "$so" "$base/home/.local/lib/wireshark/plugins/4.0/epan/"
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
