#!/usr/bin/env bash
# The build a user makes (cmake -DCMAKE_BUILD_TYPE=Release: GCC 12 at -O3, tests included, as the
# top-level project builds them), with warnings as errors: CI fails on a warning that only the
# optimiser finds (GCC's -Wrestrict and -Wstringop-* false positives), which the RelWithDebInfo (-O2)
# and sanitizer (-O0) builds never see. Build only: the suite runs in the other two builds.
# Usage: bash tools/release-build.sh [BUILD_DIR (build-release)] [extra cmake arguments, e.g. -DCMAKE_CXX_COMPILER=clang++]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
shift || true
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCENSUSQA_WERROR=ON "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j2
