#!/usr/bin/env bash
# Installs the Debian 12 packages censusqa needs (only those missing) and builds it into build/.
# Safe to run again: apt is skipped when everything is installed, and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libboost-dev libboost-program-options-dev libxlsxwriter-dev libpoco-dev libexpat1-dev
          libpq-dev libsqlite3-dev postgresql catch2 python3 python3-openpyxl python3-jsonschema ccache)
# postgresql: the server the history store's PostgreSQL tests start (tools/with-postgres.sh).
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Release (GCC -O3, as a user builds it) with CENSUSQA_WERROR: warnings are errors in the development
# build and CI (a user's own cmake leaves it off). -O3 is where GCC 12's optimiser-only warnings
# (-Wrestrict, -Wstringop-*) show, so CI builds this one tree and runs the suite on it.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCENSUSQA_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build build -j"$(nproc)"
