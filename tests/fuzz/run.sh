#!/bin/sh
# Runs every libFuzzer harness for SECONDS each, two at a time (one per
# core), on a scratch copy of the committed corpus.  Fails if any
# harness finds a crash, leak or timeout; the input is left in the work
# directory to commit under tests/fuzz/regressions/<harness>/.
# usage: tests/fuzz/run.sh FUZZ_BUILD_DIR [SECONDS]
set -eu
build=$1
secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$build/fuzz-work
mkdir -p "$work"
status=0

one() {
	h=$1
	mkdir -p "$work/$h" "$work/artifacts-$h"
	if "$build/tests/fuzz_$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/artifacts-$h/" \
		"$work/$h" "$here/corpus/$h" >"$work/$h.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$h.log")
		echo "fuzz $h: ${secs}s, $runs runs, no findings"
	else
		echo "fuzz $h: FOUND A PROBLEM:"
		grep -E "ERROR|SUMMARY|artifact" "$work/$h.log" | head -5
		return 1
	fi
}

set -- walk keylog open analyzer capture
while [ $# -gt 0 ]; do
	a=$1
	shift
	if [ $# -gt 0 ]; then
		b=$1
		shift
		one "$a" & pa=$!
		one "$b" || status=1
		wait $pa || status=1
	else
		one "$a" || status=1
	fi
done
exit $status
