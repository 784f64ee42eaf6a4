#!/bin/sh
# A man page documents every long option its program's --help prints
# (for pdmv2-keys, the help of each command too), so the two cannot
# drift, and it renders without groff warnings.
# Usage: docs_man_options.sh PROGRAM PAGE
set -eu
prog=$1 page=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$prog" --help >"$tmp/help"
# pdmv2-keys: the commands its help lists ("  name   what it does").
if [ "$(basename "$prog")" = pdmv2-keys ]; then
	for c in $(sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' "$tmp/help"); do
		"$prog" "$c" --help >>"$tmp/help"
	done
fi
grep -o -- '--[a-z][a-z0-9-]*' "$tmp/help" | sort -u >"$tmp/help.opts"
[ -s "$tmp/help.opts" ] || { echo "FAIL: no long option in $prog --help"; exit 1; }

# The page's source with roff's \- as a plain hyphen and fonts dropped.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$page" >"$tmp/page"
fail=0
while read -r opt; do
	grep -q -- "$opt\([^a-z0-9-]\|$\)" "$tmp/page" ||
		{ echo "FAIL: $page does not document $opt"; fail=1; }
done <"$tmp/help.opts"

# groff's own warnings (bad requests, unknown escapes, lines too long).
MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/warn" ||
	{ echo "FAIL: man -l $page"; cat "$tmp/warn"; fail=1; }
if [ -s "$tmp/warn" ]; then
	echo "FAIL: $page renders with warnings:"; cat "$tmp/warn"; fail=1
fi
grep -q '^NAME' "$tmp/out" || { echo "FAIL: $page has no NAME section"; fail=1; }
[ $fail = 0 ] && echo "ok: $page documents $(wc -l <"$tmp/help.opts") options of $(basename "$prog")"
exit $fail
