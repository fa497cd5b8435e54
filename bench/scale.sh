#!/usr/bin/env bash
# Scale benchmark: how time and memory grow from one LA to England. Generates (once, cached) 45 LAs
# of 534 schools and about 200,000 pupils each with censusqa-gen (fixed seeds, real LA numbers from
# templates/la-numbers.csv), and assembles census-only sets of 1, 4, 16 and 45 LAs (45 LAs: 24,030
# schools, about 9 million pupils, England's size): each set is one folder with every LA's census XML
# (symlinked) and one merged schools.csv. For each set it times `censusqa validate` (RUNS runs; min
# and median), records peak memory (/usr/bin/time -v) and the load phase, and the time to read the same
# bytes (cat > /dev/null) as a baseline; SCALE_RUN=1 also times `censusqa run` (all profiles) once.
# Not part of ctest. Usage: [SETS="1 4 16 45"] [RUNS=3] [SCALE_RUN=1] bash bench/scale.sh [BUILD] [CACHE]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cache=${2:-/tmp/censusqa-scale}
sets=${SETS:-1 4 16 45}
runs=${RUNS:-3}
mkdir -p "$cache/las"
mapfile -t codes < <(awk -F, 'NR > 1 { print $1 }' templates/la-numbers.csv | head -45)

for ((i = 0; i < 45; i++)); do
  la="$cache/las/${codes[$i]}"
  if [[ ! -f "$la/truth.json" ]]; then
    echo "generating LA ${codes[$i]} ($((i + 1))/45) ..." >&2
    "$build/bin/censusqa-gen" --schools 534 --pupils 200000 --seed $((100 + i)) --la "${codes[$i]}" \
      --la-name "Generated LA ${codes[$i]}" --out "$la" >/dev/null
  fi
done

printf '| LAs | schools | pupils | census XML | validate min / median | load (median run) | XML MB/s (per core) | raw read | peak memory |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for n in $sets; do
  set_dir="$cache/x$n"
  if [[ ! -f "$set_dir/schools.csv" ]]; then
    rm -rf "$set_dir"
    mkdir -p "$set_dir/census"
    head -1 "$cache/las/${codes[0]}/schools.csv" >"$set_dir/schools.csv"
    for ((i = 0; i < n; i++)); do
      la="$cache/las/${codes[$i]}"
      tail -n +2 "$la/schools.csv" >>"$set_dir/schools.csv"
      ln -s "$la"/census/*.xml "$set_dir/census/"
    done
  fi
  schools=$(($(wc -l <"$set_dir/schools.csv") - 1))
  bytes=$(cat "$set_dir"/census/*.xml | wc -c)
  times=() loads=() peak=0 pupils=0
  for ((r = 0; r < runs; r++)); do
    /usr/bin/time -v -o "$cache/time.txt" "$build/bin/censusqa" validate "$set_dir" --out "$cache/out-x$n" \
      --fail-on none 2>"$cache/stderr.txt" >/dev/null
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$cache/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$cache/time.txt")
    load=$(grep -o 'load [0-9]* ms' "$cache/stderr.txt" | awk '{ print $2 / 1000 }')
    pupils=$(grep -o 'loaded [0-9]* pupils' "$cache/stderr.txt" | awk '{ print $2 }')
    times+=("$t") loads+=("$load")
    ((kb > peak)) && peak=$kb
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  min=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
  load=$(printf '%s\n' "${loads[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
  start=$(date +%s.%N)
  cat "$set_dir"/census/*.xml >/dev/null
  raw=$(echo "$(date +%s.%N) - $start" | bc)
  mbs=$(echo "scale=0; $bytes / 1048576 / $load / 2" | bc)
  printf '| %s | %s | %s | %s MB | %s s / %s s | %s s | %s | %.2f s | %s MB |\n' "$n" "$schools" "$pupils" \
    $((bytes / 1048576)) "$min" "$median" "$load" "$mbs" "$raw" $((peak / 1024))
  if [[ ${SCALE_RUN:-0} == 1 ]]; then
    /usr/bin/time -v -o "$cache/time.txt" "$build/bin/censusqa" run "$set_dir" --out "$cache/run-x$n" \
      --fail-on none -q >/dev/null
    t=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$cache/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$cache/time.txt")
    echo "run x$n: $t wall, peak $((kb / 1024)) MB, $(ls "$cache/run-x$n/profiles" | wc -l) profiles" >&2
    rm -rf "$cache/run-x$n"
  fi
done
