#!/usr/bin/env bash
# The README's first command: set up, build, and run the main job on the shipped example LA.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
echo
echo "Running: build/bin/censusqa run examples/sampleshire --out out/sampleshire"
status=0
build/bin/censusqa run examples/sampleshire --out out/sampleshire || status=$?
echo
case $status in
  0) echo "Done: no errors found. Outputs are in $(pwd)/out/sampleshire" ;;
  1) echo "Done: the example LA has deliberately injected errors (listed in examples/sampleshire/truth.json),"
     echo "so censusqa exits 1 as it would for a real LA with errors to fix. Outputs are in $(pwd)/out/sampleshire" ;;
  *) echo "censusqa failed with exit code $status"; exit "$status" ;;
esac
