#!/bin/sh
# Configure and build pdmv2-tools into ./build (or $PDMV2_BUILD_DIR),
# installing the Debian packages it needs first.  Extra arguments go to
# the CMake configure step (e.g. -DPDMV2_SANITIZE=ON).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PDMV2_BUILD_DIR:-$top/build}

sh "$top/tests/setup-deps.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
