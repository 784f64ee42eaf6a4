#!/bin/sh
# Paired comparison of two pdmv2-analyze builds (or any two commands
# taking the same arguments): A and B run in turn N times, the order
# alternating, and each pair gives a ratio B/A.  On a shared host a slow
# spell then slows both runs of a pair instead of one side of the
# comparison: the median of the ratios, and how many pairs B won, say
# more than two medians of separate series, which differ by more than
# most changes do.  Not a test: nothing here asserts a speed.
# Wall times come from tests/walltime (to the microsecond, as run.sh
# takes them; /usr/bin/time's hundredths are a fortieth of a 1M run),
# CPU times from /usr/bin/time.
# usage: sh tests/bench/paired.sh N A B ARGS...    (env: WALLTIME, the
#        walltime binary; build/tests/walltime by default)
#   e.g. sh tests/bench/paired.sh 20 old/pdmv2-analyze build/analyzer/pdmv2-analyze \
#            -q -k m1.keylog -o /dev/null m1.pcap
set -eu
if [ $# -lt 3 ]; then
	echo "usage: sh $0 N A B ARGS..." >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
W=${WALLTIME:-$top/build/tests/walltime}
if [ ! -x "$W" ]; then
	echo "paired.sh: no $W: build it (cmake --build build) or set WALLTIME" >&2
	exit 2
fi
n=$1 a=$2 b=$3
shift 3
dir=$(mktemp -d "${TMPDIR:-/tmp}/pdmv2-paired.XXXXXX")
trap 'rm -rf "$dir"' EXIT
i=1
while [ "$i" -le "$n" ]; do
	if [ $((i % 2)) = 0 ]; then order="A B"; else order="B A"; fi
	for w in $order; do
		if [ "$w" = A ]; then cmd=$a; else cmd=$b; fi
		"$W" "$dir/w" /usr/bin/time -f "%U %S" -o "$dir/t" "$cmd" "$@" \
			>/dev/null 2>&1
		echo "$i $w $(cat "$dir/w") $(cat "$dir/t")" >>"$dir/raw"
	done
	i=$((i + 1))
done
python3 - "$dir/raw" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    i, w, wall, user, sys_ = line.split()
    runs.setdefault(int(i), {})[w] = (float(wall), float(user) + float(sys_))
pairs = [r for r in runs.values() if "A" in r and "B" in r and r["A"][0] > 0 and r["A"][1] > 0]
for k, what in ((0, "wall"), (1, "CPU")):
    ratio = [r["B"][k] / r["A"][k] for r in pairs]
    print("%-4s A %.3f s, B %.3f s (medians); B/A per pair: median %.3f, B less in %d of %d"
          % (what, statistics.median(r["A"][k] for r in pairs),
             statistics.median(r["B"][k] for r in pairs), statistics.median(ratio),
             sum(x < 1 for x in ratio), len(ratio)))
PY
