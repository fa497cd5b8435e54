#!/usr/bin/env bash
# Renders docs/profile-overview.png and docs/profile-needs.png from the example LA's profile of
# Park Green Primary School: censusqa -> xlsx -> LibreOffice (PDF) -> pdftoppm (PNG).
# Needs: apt-get install libreoffice-calc-nogui poppler-utils
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/bin/censusqa profile examples/sampleshire --out "$tmp/out" --schools 8882002 -q
libreoffice --headless "-env:UserInstallation=file://$tmp/lo" --convert-to pdf --outdir "$tmp" \
  "$tmp"/out/profiles/8882002-*.xlsx >/dev/null
pdf=$(ls "$tmp"/*.pdf)
pdftoppm -r 100 -png -singlefile -f 1 -l 1 -x 60 -y 60 -W 1040 -H 520 "$pdf" docs/profile-overview
pdftoppm -r 100 -png -singlefile -f 3 -l 3 -x 60 -y 65 -W 1040 -H 630 "$pdf" docs/profile-needs
echo "wrote docs/profile-overview.png docs/profile-needs.png"
