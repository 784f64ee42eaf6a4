#!/bin/sh
# cmake --install stays inside its root: with DESTDIR, and again with
# --prefix, the three tools land in BINDIR, their man pages in
# MANDIR/man1 and the plugin in Wireshark's plugin folder (MAJOR.MINOR
# of the installed Wireshark), all under that root; the installed
# pdmv2-analyze prints the project version.
# Usage: docs_install.sh BUILD VERSION PREFIX BINDIR MANDIR PLUGINDIR|""
set -eu
build=$1 version=$2 prefix=$3 bindir=$4 mandir=$5 plugindir=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {	# ROOT-PREFIX: the files expected under it
	for t in pdmv2-analyze pdmv2-keys pdmv2-sample; do
		[ -x "$1/$bindir/$t" ] || { echo "FAIL: no $1/$bindir/$t"; fail=1; }
		[ -f "$1/$mandir/man1/$t.1" ] || { echo "FAIL: no $1/$mandir/man1/$t.1"; fail=1; }
	done
	if [ -n "$plugindir" ]; then
		case $plugindir in
		/*) so=$2$plugindir/pdmv2.so ;;	# absolute: under DESTDIR only
		*) so=$1/$plugindir/pdmv2.so ;;
		esac
		[ -f "$so" ] || { echo "FAIL: no plugin at $so"; fail=1; }
	fi
}
# Nothing may land outside the root: every installed path starts with it.
inside() {	# ROOT MANIFEST
	if grep -v "^$1/" "$2"; then
		echo "FAIL: installed outside $1 (above)"; fail=1
	fi
}

DESTDIR="$tmp/destdir" cmake --install "$build" >"$tmp/log1" 2>&1 ||
	{ cat "$tmp/log1"; exit 1; }
sed -n 's/^-- Installing: //p' "$tmp/log1" >"$tmp/m1"
inside "$tmp/destdir" "$tmp/m1"
check "$tmp/destdir$prefix" "$tmp/destdir"

cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/log2" 2>&1 ||
	{ cat "$tmp/log2"; exit 1; }
sed -n 's/^-- Installing: //p' "$tmp/log2" >"$tmp/m2"
inside "$tmp/prefix" "$tmp/m2"
case $plugindir in /*) plugindir="" ;; esac	# not under --prefix by design
check "$tmp/prefix" "$tmp/prefix"

if [ -n "$plugindir" ]; then
	ws=$(pkg-config --modversion wireshark | cut -d. -f1,2)
	case $plugindir in
	*/plugins/"$ws"/epan) ;;
	*) echo "FAIL: plugin folder $plugindir is not Wireshark $ws's"; fail=1 ;;
	esac
fi

got=$("$tmp/destdir$prefix/$bindir/pdmv2-analyze" --version)
[ "$got" = "pdmv2-analyze $version" ] ||
	{ echo "FAIL: installed --version says \"$got\", want $version"; fail=1; }
[ $fail = 0 ] && echo "ok: $(wc -l <"$tmp/m1") files installed under DESTDIR and --prefix; $got"
exit $fail
