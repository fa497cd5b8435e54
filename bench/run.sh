#!/usr/bin/env bash
# LA-scale benchmark: generates (once, cached) an LA of 600 schools and 200,000 pupils with every
# input censusqa reads (census XML, previous/ spring census, EHC cases, balances), then times
# `censusqa $MODE` (validate by default; MODE=run adds the 600 profiles) several times and reports min and median wall time, peak memory, and the time to
# read the same bytes (cat > /dev/null) as a baseline. Not part of ctest.
# Usage: [MODE=run] [RUNS=5] bash bench/run.sh [BUILD_DIR] [CACHE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cache=${2:-/tmp/censusqa-bench}
runs=${RUNS:-5}
mode=${MODE:-validate}
la="$cache/la600"
if [[ ! -f "$la/truth.json" ]]; then
  echo "generating $la ..." >&2
  "$build/bin/censusqa-gen" --schools 600 --pupils 200000 --seed 7 --out "$la" >/dev/null
fi
xml_bytes=$(cat "$la"/census/*.xml "$la"/previous/census/*.xml | wc -c)
times=()
peak=0
for ((i = 0; i < runs; i++)); do
  /usr/bin/time -f "%e %M" -o "$cache/time.txt" "$build/bin/censusqa" "$mode" "$la" --out "$cache/out" -q || true
  read -r t kb < <(tail -n 1 "$cache/time.txt") # the last line: time adds one for a non-zero exit
  times+=("$t")
  ((kb > peak)) && peak=$kb
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
min=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
start=$(date +%s.%N)
cat "$la"/census/*.xml "$la"/previous/census/*.xml "$la"/*.csv >/dev/null
read_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "mode=$mode runs=$runs min=${min}s median=${median}s peak=$((peak / 1024))MB xml=$((xml_bytes / 1048576))MB raw_read=${read_s}s"
