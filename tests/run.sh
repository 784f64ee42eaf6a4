#!/bin/sh
# The whole test suite: installs what is missing, builds, runs every test
# (ctest) in the normal build, again in a Debian 13 chroot (Wireshark
# 4.4, tests/debian13.sh), again in the ASan+UBSan build, the
# analyzer's tests under ThreadSanitizer, then each libFuzzer harness
# for a minute (PDMV2_FUZZ_SECONDS).
# Exits non-zero on any failure.  .ci/run calls exactly this.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

echo "== normal build"
PDMV2_BUILD_DIR="$top/build" sh "$top/tests/build.sh"
ctest --test-dir "$top/build" --output-on-failure -j "$jobs"

echo "== Debian 13 (Wireshark 4.4) build"
# PDMV2_SKIP_DEBIAN13=1 skips it (local use), saying so; otherwise a
# missing debootstrap or mirror fails the run like any test.
sh "$top/tests/debian13.sh"

echo "== ASan+UBSan build"
# The plugin is left out here: an ASan-instrumented .so cannot load into
# the system's uninstrumented tshark.  Everything else runs again.
PDMV2_BUILD_DIR="$top/build-asan" sh "$top/tests/build.sh" -DPDMV2_SANITIZE=ON \
	-DPDMV2_BUILD_PLUGIN=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir "$top/build-asan" --output-on-failure -j "$jobs"

echo "== ThreadSanitizer build (the analyzer's two threads, key lookups)"
PDMV2_BUILD_DIR="$top/build-tsan" sh "$top/tests/build.sh" -DPDMV2_TSAN=ON \
	-DPDMV2_BUILD_PLUGIN=OFF
# G_SLICE=always-malloc: GLib 2.74's slice allocator hands memory from
# one thread to another under a lock ThreadSanitizer cannot see (a
# futex), and reports the reuse as a race.
G_SLICE=always-malloc TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	ctest --test-dir "$top/build-tsan" --output-on-failure -j "$jobs" \
	-R '^(analyzer\.|unit\.test_keylog$)'

echo "== fuzzing"
CC=clang PDMV2_BUILD_DIR="$top/build-fuzz" sh "$top/tests/build.sh" \
	-DPDMV2_FUZZ=ON -DPDMV2_BUILD_PLUGIN=OFF
sh "$top/tests/fuzz/run.sh" "$top/build-fuzz" "${PDMV2_FUZZ_SECONDS:-60}"
