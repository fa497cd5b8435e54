#!/usr/bin/env bash
# Renders docs/profile-overview.png and docs/profile-needs.png from the example LA's profile of
# Church Vale Primary School (8882003): censusqa -> xlsx -> LibreOffice (PDF) -> pdftoppm (PNG).
# Needs: apt-get install libreoffice-calc-nogui poppler-utils
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Exit 1 means findings (the example LA has injected errors), not a failure.
status=0
build/bin/censusqa profile examples/sampleshire --out "$tmp/out" --schools 8882003 -q || status=$?
[ "$status" -le 1 ] || exit "$status"
libreoffice --headless "-env:UserInstallation=file://$tmp/lo" --convert-to pdf --outdir "$tmp" \
  "$tmp"/out/profiles/8882003-*.xlsx >/dev/null
pdf=$(ls "$tmp"/*.pdf)
pdftoppm -r 100 -png -singlefile -f 1 -l 1 -x 40 -y 60 -W 1040 -H 520 "$pdf" docs/profile-overview
pdftoppm -r 100 -png -singlefile -f 3 -l 3 -x 40 -y 65 -W 1040 -H 630 "$pdf" docs/profile-needs
echo "wrote docs/profile-overview.png docs/profile-needs.png"
