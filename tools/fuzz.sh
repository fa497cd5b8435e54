#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (everything instrumented: -fsanitize=fuzzer-no-link plus
# ASan/UBSan) in build-fuzz/, seeds a corpus per target from the example LA and tests/bad-inputs, and
# runs each target for FUZZ_SECONDS (default 600) on one core. Crashing inputs are written to
# tests/fuzz/crashes/<target>/; keep each as a regression input. Needs: apt-get install clang libclang-rt-14-dev
# Usage: [FUZZ_SECONDS=600] bash tools/fuzz.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
build=build-fuzz
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCENSUSQA_FUZZ=ON \
  -DCENSUSQA_BUILD_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" >/dev/null
targets=("$@")
[[ ${#targets[@]} == 0 ]] && targets=(census_xml xml_scan csv_reader parsers config)
for t in "${targets[@]}"; do cmake --build "$build" -j2 --target "fuzz_$t" >/dev/null; done
corpus=$build/corpus
mkdir -p "$corpus"/{census_xml,xml_scan,csv_reader,parsers,config}
cp examples/sampleshire/census/*.xml tests/bad-inputs/*/census/*.xml "$corpus/census_xml/" 2>/dev/null || true
cp tests/bad-inputs/*/census/*.xml "$corpus/xml_scan/" 2>/dev/null || true
i=0
for f in examples/sampleshire/*.csv tests/bad-inputs/*/*.csv; do cp "$f" "$corpus/csv_reader/$((i++)).csv"; done
printf '%s' '82,267.50' >"$corpus/parsers/money"; printf '%s' '(12,666)' >"$corpus/parsers/neg"
printf '%s' '31/02/2025' >"$corpus/parsers/date"; printf '%s' 'A888200200001' >"$corpus/parsers/upn"
cp examples/sampleshire/censusqa.json "$corpus/config/"
for t in "${targets[@]}"; do
  mkdir -p "tests/fuzz/crashes/$t"
  echo "== fuzz_$t for ${seconds}s" >&2
  "$build/bin/fuzz_$t" "$corpus/$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -artifact_prefix="tests/fuzz/crashes/$t/" -print_final_stats=1 2>&1 | tail -20
done
