#!/usr/bin/env python3
"""The bad-input corpus (tests/bad-inputs/): every case finishes without crashing, keeps every pupil it
can, and gives exactly its expected input findings."""
import csv
import io
import json
import os
import re
import shutil
import hashlib
import signal
import subprocess
import tempfile
import time
import unittest
import zipfile
from pathlib import Path

BIN = os.environ["CENSUSQA_BIN"]
GEN = os.environ["CENSUSQA_GEN"]
SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
CORPUS = SOURCE / "tests" / "bad-inputs"


def validate(la, out, command="validate", options=()):
    p = subprocess.run([BIN, command, str(la), "--out", str(out), "-q", *options], capture_output=True, text=True,
                       timeout=300)
    return p


def observed(out):
    found = json.loads((out / "findings.json").read_text())
    metrics = json.loads((out / "metrics.json").read_text())
    return {
        "pupils_in_returns": sum(s.get("pupils_in_return", 0) for s in metrics["schools"].values()),
        "leavers_in_returns": sum(s.get("leavers_in_return", 0) for s in metrics["schools"].values()),
        "input_findings": sorted([f["rule"], f["source"]["file"], f["source"]["line"]] for f in found["findings"]
                                 if f["rule"].startswith("IN") and f["rule"] != "IN090"),
        "other_rules": sorted({f["rule"] for f in found["findings"] if not f["rule"].startswith("IN")}),
    }


# A chart's reference: a quoted sheet name and absolute cells, nothing else.
CHART_REF = re.compile(r"^'(?:[^']|'')+'!\$[A-Z]+\$[0-9]+(?::\$[A-Z]+\$[0-9]+)?$")


def live_formulas(out):
    """Every place in the outputs a spreadsheet would read as a formula: findings.csv cells that begin
    with = + - @ tab or CR (OWASP's CSV injection), any <f> in a worksheet, and a chart reference that
    is not a plain range."""
    found = []
    if (out / "findings.csv").exists():
        for row in csv.reader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8-sig"), newline="")):
            found += [f"findings.csv: {c!r}" for c in row if c and c[0] in "=+-@\t\r"]
    for book in out.rglob("*.xlsx"):
        with zipfile.ZipFile(book) as z:
            for part in z.namelist():
                text = z.read(part).decode("utf-8")
                if part.startswith("xl/worksheets/") and re.search(r"<f[ >]", text):
                    found.append(f"{book.name}:{part}: a formula")
                found += [f"{book.name}:{part}: {ref}" for ref in re.findall(r"<c:f>([^<]*)</c:f>", text)
                          if not CHART_REF.match(ref)]
    return found


class BadInputCorpus(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-bad-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_every_case_gives_its_expected_findings(self):
        cases = sorted(p for p in CORPUS.iterdir() if p.is_dir())
        self.assertGreaterEqual(len(cases), 25)
        for case in cases:
            with self.subTest(case=case.name):
                want = json.loads((case / "expected.json").read_text())
                out = self.tmp / case.name
                # A copy: a case must not be able to change the corpus (or write beside it).
                la = self.tmp / "la" / case.name
                shutil.copytree(case, la, symlinks=True)
                p = validate(la, out, want.get("command", "validate"), want.get("options", []))
                # Without "exit_code" a case must finish with 0 or 1 (findings); with it, exactly that.
                if "exit_code" in want:
                    self.assertEqual(p.returncode, want["exit_code"], f"{case.name}: exit {p.returncode}\n{p.stderr}")
                else:
                    self.assertIn(p.returncode, (0, 1), f"{case.name}: exit {p.returncode}\n{p.stderr}")
                if "stderr_contains" in want:
                    self.assertIn(want["stderr_contains"], p.stderr, case.name)
                if p.returncode not in (0, 1):
                    continue  # a run that stops writes no findings
                # Whatever the case, every file it wrote is under --out, and a profile's name is
                # "<7-digit LAEstab>-<slug>.xlsx".
                self.assertEqual([p for p in Path(tempfile.gettempdir()).glob("PWNED*")], [], case.name)
                outside = [p for p in self.tmp.rglob("*") if p.is_file() and not p.is_relative_to(self.tmp / "la")
                           and not any(p.is_relative_to(self.tmp / c.name) for c in cases)]
                self.assertEqual(outside, [], case.name)
                for profile in (out / "profiles").glob("*") if (out / "profiles").exists() else []:
                    self.assertRegex(profile.name, r"^[0-9]{7}(-[a-z0-9]+)*\.xlsx$", case.name)
                self.assertEqual(live_formulas(out), [], case.name)
                got = observed(out)
                for key in ("pupils_in_returns", "leavers_in_returns", "input_findings", "other_rules"):
                    if key in want:
                        self.assertEqual(got[key], want[key], f"{case.name}: {key}")

    def test_ten_megabyte_single_line_census(self):
        la = self.tmp / "one-line"
        shutil.copytree(CORPUS / "clean", la)
        xml = (la / "census" / "8882002.xml").read_text()
        head, rest = xml.split("<PupilsOnRoll>", 1)
        pupils = "".join(re.findall(r"<PupilOnRoll>.*?</PupilOnRoll>", rest, re.S)).replace("\n", "")
        reps = 10 * 1024 * 1024 // len(pupils) + 1
        text = head.replace("\n", "") + "<PupilsOnRoll>" + pupils * reps + "</PupilsOnRoll></Pupils></Message>"
        (la / "census" / "8882002.xml").write_text(text)
        self.assertGreater(len(text), 10 * 1024 * 1024)
        self.assertEqual(text.count("\n"), 0)
        p = validate(la, self.tmp / "out")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        got = observed(self.tmp / "out")
        self.assertEqual(got["pupils_in_returns"], 2 * reps)  # every record kept, on line 1
        self.assertEqual(got["input_findings"], [])
        self.assertIn("CI004", got["other_rules"])  # the same two UPNs repeated: duplicates, not input errors


class SafeOutputs(unittest.TestCase):
    """A run killed while it writes leaves the previous outputs exactly as they were."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-kill-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def snapshot(out):
        return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*")) if p.is_file() and ".censusqa-staging-" not in str(p)}

    def test_killed_run_leaves_previous_outputs_untouched(self):
        la, out = self.tmp / "la", self.tmp / "out"
        subprocess.run([GEN, "--schools", "150", "--pupils", "40000", "--seed", "3", "--out", la], check=True,
                       capture_output=True)
        first = subprocess.run([BIN, "run", str(la), "--out", str(out), "-q"], capture_output=True, text=True)
        self.assertIn(first.returncode, (0, 1), first.stderr)
        before = self.snapshot(out)
        self.assertGreater(len([k for k in before if k.startswith("profiles/")]), 100)
        # Change an input so that a completed second run would change the outputs, then kill it while
        # it writes profiles.
        (la / "censusqa.json").write_text((la / "censusqa.json").read_text().replace('"la_name": "',
                                                                                       '"la_name": "Renamed '))
        proc = subprocess.Popen([BIN, "run", str(la), "--out", str(out), "-q"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        killed = False
        while time.time() < deadline and proc.poll() is None:
            staged = list(out.glob(".censusqa-staging-*/profiles/*.xlsx"))
            if staged:
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.002)
        proc.wait()
        if not killed:
            self.skipTest("the run finished before it could be killed")
        self.assertEqual(self.snapshot(out), before, "a killed run changed the previous outputs")
        self.assertTrue(list(out.glob(".censusqa-staging-*")), "the killed run's staging folder")
        # The next run clears the staging folder and publishes complete outputs.
        third = subprocess.run([BIN, "run", str(la), "--out", str(out), "-q"], capture_output=True, text=True)
        self.assertIn(third.returncode, (0, 1), third.stderr)
        self.assertEqual(list(out.glob(".censusqa-staging-*")), [])
        after = self.snapshot(out)
        self.assertEqual(sorted(after), sorted(before))
        self.assertNotEqual(after["validation-report.xlsx"], before["validation-report.xlsx"])


if __name__ == "__main__":
    unittest.main()
