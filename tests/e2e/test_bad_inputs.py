#!/usr/bin/env python3
"""The bad-input corpus (tests/bad-inputs/): every case finishes without crashing, keeps every pupil it
can, and gives exactly its expected input findings."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

BIN = os.environ["CENSUSQA_BIN"]
SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
CORPUS = SOURCE / "tests" / "bad-inputs"


def validate(la, out):
    p = subprocess.run([BIN, "validate", str(la), "--out", str(out), "-q"], capture_output=True, text=True,
                       timeout=300)
    return p


def observed(out):
    found = json.loads((out / "findings.json").read_text())
    metrics = json.loads((out / "metrics.json").read_text())
    return {
        "pupils_in_returns": sum(s.get("pupils_in_return", 0) for s in metrics["schools"].values()),
        "input_findings": sorted([f["rule"], f["source"]["file"], f["source"]["line"]] for f in found["findings"]
                                 if f["rule"].startswith("IN") and f["rule"] != "IN090"),
        "other_rules": sorted({f["rule"] for f in found["findings"] if not f["rule"].startswith("IN")}),
    }


class BadInputCorpus(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-bad-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_every_case_gives_its_expected_findings(self):
        cases = sorted(p for p in CORPUS.iterdir() if p.is_dir())
        self.assertGreaterEqual(len(cases), 12)
        for case in cases:
            with self.subTest(case=case.name):
                want = json.loads((case / "expected.json").read_text())
                out = self.tmp / case.name
                p = validate(case, out)
                self.assertIn(p.returncode, (0, 1), f"{case.name}: exit {p.returncode}\n{p.stderr}")
                got = observed(out)
                for key in ("pupils_in_returns", "input_findings", "other_rules"):
                    self.assertEqual(got[key], want[key], f"{case.name}: {key}")

    def test_ten_megabyte_single_line_census(self):
        la = self.tmp / "one-line"
        shutil.copytree(CORPUS / "clean", la)
        xml = (la / "census" / "8882002.xml").read_text()
        head, rest = xml.split("<Pupils>", 1)
        pupils = "".join(re.findall(r"<PupilOnRoll>.*?</PupilOnRoll>", rest, re.S)).replace("\n", "")
        reps = 10 * 1024 * 1024 // len(pupils) + 1
        text = head.replace("\n", "") + "<Pupils>" + pupils * reps + "</Pupils></Message>"
        (la / "census" / "8882002.xml").write_text(text)
        self.assertGreater(len(text), 10 * 1024 * 1024)
        self.assertEqual(text.count("\n"), 0)
        p = validate(la, self.tmp / "out")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        got = observed(self.tmp / "out")
        self.assertEqual(got["pupils_in_returns"], 2 * reps)  # every record kept, on line 1
        self.assertEqual(got["input_findings"], [])
        self.assertIn("CI004", got["other_rules"])  # the same two UPNs repeated: duplicates, not input errors


if __name__ == "__main__":
    unittest.main()
