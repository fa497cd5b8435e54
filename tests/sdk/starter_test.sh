#!/usr/bin/env bash
# The plugin SDK as a third party meets it: install censusqa to a temporary prefix, copy the starter
# from the installed docs (PREFIX/share/doc/censusqa/examples/plugin-starter: the prefix alone, nothing
# from the source tree), build it against that prefix (find_package(censusqa)) with the -Wall -Wextra
# censusqa_add_plugin gives it and no warning at all, run its own tests, load it into the installed
# censusqa with --plugins and find its findings in findings.json and its section in a profile.
# Usage: starter_test.sh BUILD_DIR SOURCE_DIR PYTHON3
set -euo pipefail
build=$1 source=$2 python=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cp -r "$tmp/prefix/share/doc/censusqa/examples/plugin-starter" "$tmp/src"
cmake -S "$tmp/src" -B "$tmp/starter" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
# Built verbosely: the log shows each compile line (the warning flags) and every diagnostic.
cmake --build "$tmp/starter" -j2 --verbose >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
warning_free() { # the log of a build: -Wall -Wextra on the plugin's compile lines, and no warning
  grep -E "(c\+\+|g\+\+|clang\+\+).* -c .*/$2" "$1" | grep -q -- "-Wall -Wextra" ||
    { echo "the plugin was not compiled with -Wall -Wextra:"; cat "$1"; exit 1; }
  if grep -q "warning:" "$1"; then echo "the starter does not build warning-free:"; grep -A3 "warning:" "$1"; exit 1; fi
}
warning_free "$tmp/build.log" rules/st001_persistent_absence.cpp
(cd "$tmp/starter" && ctest --no-tests=error --output-on-failure >/dev/null)
"$tmp/prefix/bin/censusqa" plugins --plugins "$tmp/starter/attendance-starter.so" | grep -q '^attendance-starter '
rc=0
"$tmp/prefix/bin/censusqa" run "$source/examples/sampleshire" --out "$tmp/out" -q \
  --plugins "$tmp/starter/attendance-starter.so" --schools 8882002 || rc=$?
[[ $rc == 1 ]] || { echo "censusqa run: exit $rc, expected 1 (the example has errors)"; exit 1; }
"$python" - "$tmp/out" <<'PY'
import json, sys, zipfile
out = sys.argv[1]
found = json.load(open(f"{out}/findings.json"))
st = [f for f in found["findings"] if f["plugin"] == "attendance-starter"]
assert st and {f["rule"] for f in st} <= {"ST001", "ST002"}, "no starter findings"
assert all(f["upn"] and f["laestab"] for f in st if f["rule"] == "ST001")
assert {"id": "attendance-starter", "status": "ok"}.items() <= [p for p in found["run"]["plugins"] if p["id"] == "attendance-starter"][0].items()
metrics = json.load(open(f"{out}/metrics.json"))
assert "starter.persistent_absentees.sen" in metrics["schools"]["8882002"]
import glob
(profile,) = glob.glob(f"{out}/profiles/8882002-*.xlsx")
with zipfile.ZipFile(profile) as z:
    workbook = z.read("xl/workbook.xml").decode()
assert 'name="Attendance"' in workbook, "the starter's profile sheet is missing"
print(f"starter: {len(st)} findings, section and metric present")
PY

# Configured from censusqa.json as an LA would: the declared default is what config --dump shows, a
# value of the wrong type or out of range is refused (exit 2, naming the file, the key, what was given and
# what is expected) before anything runs, and a good value is accepted.
so="$tmp/starter/attendance-starter.so"
"$tmp/prefix/bin/censusqa" config --dump "$source/examples/sampleshire" --plugins "$so" >"$tmp/dump.json"
"$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["attendance-starter"]["max_pct"] == 25, d["attendance-starter"]' "$tmp/dump.json"
for bad in '"lots"' 150; do
  "$python" - "$source/examples/sampleshire/censusqa.json" "$tmp/bad.json" "$bad" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["attendance-starter"] = {"max_pct": json.loads(sys.argv[3])}
json.dump(cfg, open(sys.argv[2], "w"))
PY
  rc=0
  "$tmp/prefix/bin/censusqa" validate "$source/examples/sampleshire" --out "$tmp/bad-out" -q --config "$tmp/bad.json" \
    --plugins "$so" 2>"$tmp/bad.err" || rc=$?
  [[ $rc == 2 ]] || { echo "max_pct $bad: exit $rc, expected 2"; cat "$tmp/bad.err"; exit 1; }
  grep -q "bad.json: attendance-starter.max_pct: $bad was given; expected a number" "$tmp/bad.err" ||
    { cat "$tmp/bad.err"; exit 1; }
  [[ ! -e "$tmp/bad-out/findings.json" ]] || { echo "a refused configuration wrote findings"; exit 1; }
done
echo "configuration: default 25 applied, \"lots\" and 150 refused with exit 2"

# The installed scaffold adds a rule to the starter: it builds, its test fails until written (and only
# it), and the plugin declares the new rule.
"$tmp/prefix/bin/censusqa-new-rule" "$tmp/src" ST003 late_arrivals --title "Many late arrivals" >/dev/null
cmake --build "$tmp/starter" -j2 --verbose >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
warning_free "$tmp/build.log" rules/st003_late_arrivals.cpp
rc=0
(cd "$tmp/starter" && ctest --no-tests=error >"$tmp/ctest.log" 2>&1) || rc=$?
[[ $rc != 0 ]] || { echo "the scaffolded rule's test passed before it was written"; exit 1; }
grep -q "ST003 has tests .*Failed" "$tmp/ctest.log" || { cat "$tmp/ctest.log"; exit 1; }
grep -q " 1 tests failed out of" "$tmp/ctest.log" || { cat "$tmp/ctest.log"; exit 1; }
"$tmp/prefix/bin/censusqa" rules ST003 --plugins "$tmp/starter/attendance-starter.so" | grep -q "Many late arrivals"
echo "scaffold: ST003 added, built warning-free, its test fails until written, the plugin declares it"
