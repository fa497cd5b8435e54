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
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCENSUSQA_WERROR=ON -DCENSUSQA_FUZZ=ON \
  -DCENSUSQA_BUILD_TESTS=OFF -DCMAKE_CXX_FLAGS="$flags" >/dev/null
targets=("$@")
[[ ${#targets[@]} == 0 ]] && targets=(census_xml xml_scan csv_reader parsers config returned_workbook)
for t in "${targets[@]}"; do cmake --build "$build" -j2 --target "fuzz_$t" >/dev/null; done
corpus=$build/corpus
mkdir -p "$corpus"/{census_xml,xml_scan,csv_reader,parsers,config,returned_workbook}
cp examples/sampleshire/census/*.xml tests/bad-inputs/*/census/*.xml "$corpus/census_xml/" 2>/dev/null || true
cp tests/bad-inputs/*/census/*.xml "$corpus/xml_scan/" 2>/dev/null || true
i=0
for f in examples/sampleshire/*.csv tests/bad-inputs/*/*.csv; do cp "$f" "$corpus/csv_reader/$((i++)).csv"; done
printf '%s' '82,267.50' >"$corpus/parsers/money"; printf '%s' '(12,666)' >"$corpus/parsers/neg"
printf '%s' '31/02/2025' >"$corpus/parsers/date"; printf '%s' 'A888200200001' >"$corpus/parsers/upn"
cp examples/sampleshire/censusqa.json "$corpus/config/"
# Real profiles from the example LA (CENSUSQA_BIN, else build/bin/censusqa), as written (deflated) and
# re-zipped with every part stored, so that mutations reach the XML readers.
if [[ " ${targets[*]} " == *" returned_workbook "* ]]; then
  bin=${CENSUSQA_BIN:-build/bin/censusqa}
  [[ -x $bin ]] || { cmake --build "$build" -j2 --target censusqa >/dev/null; bin=$build/bin/censusqa; }
  "$bin" run examples/sampleshire --out "$build/sampleshire" -q || true # exit 1: the example has errors
  for f in "$build"/sampleshire/profiles/*.xlsx; do
    cp "$f" "$corpus/returned_workbook/"
    python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as i, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as o:
    [o.writestr(n, i.read(n)) for n in i.namelist()]' "$f" "$corpus/returned_workbook/stored-$(basename "$f")"
  done
fi
for t in "${targets[@]}"; do
  mkdir -p "tests/fuzz/crashes/$t"
  echo "== fuzz_$t for ${seconds}s" >&2
  max_len=65536
  [[ $t == returned_workbook ]] && max_len=1048576 # a profile is about 100 KiB stored
  "$build/bin/fuzz_$t" "$corpus/$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="tests/fuzz/crashes/$t/" -print_final_stats=1 2>&1 | tail -20
done
