#!/usr/bin/env python3
"""Text inputs (issue 17, points 4 and 6): whatever the encoding of an LA's files, every output is valid
UTF-8; a CSV row of the wrong shape is reported at its line and not used; a pupil's name never reaches an
output, whatever column it was shifted into."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

BIN = os.environ["CENSUSQA_BIN"]
SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
EXAMPLE = SOURCE / "examples" / "sampleshire"

# A CSV census for one more school: a good row with bytes that are not UTF-8 in its need code, and a row
# whose surname holds an unquoted comma, which shifts the forename into the dob column and every later
# field one place on.
PUPILS = (b"laestab,upn,surname,forename,dob,sex,enrol_status,nc_year,sen_provision,sen_need_1\n"
          b"8882099,A888209900001,Nguyen,Linh,2017-02-01,F,C,2,K,\xff\xfeAS\n"
          b"8882099,A888209900002,Adebayo,Tolu,2017-03-01,M,C,2,N,\n"
          b"8882099,A888209900003,Smith, Jr,Zebedee,2017-04-01,M,C,2,N,\n")


def output_texts(out):
    """Every output file as text, every part of every workbook on its own; strict UTF-8 throughout."""
    texts = {}
    for p in sorted(out.rglob("*")):
        if not p.is_file():
            continue
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(p) as z:
                for part in z.namelist():
                    texts[f"{p.relative_to(out)}!{part}"] = z.read(part).decode("utf-8", errors="strict")
        else:
            texts[str(p.relative_to(out))] = p.read_bytes().decode("utf-8", errors="strict")
    return texts


class TextInputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="censusqa-text-"))
        la = cls.tmp / "la"
        shutil.copytree(EXAMPLE, la)
        # The register, balances and AP placements as Windows-1252, as Excel on Windows saves "CSV".
        schools = (la / "schools.csv").read_text(encoding="utf-8")
        cls.school_line = schools.count("\n") + 1  # the line of the school added below
        schools += "8882099,188099,St Mary\u2019s C of E Primary School,primary,maintained\n"
        (la / "schools.csv").write_bytes(schools.encode("cp1252"))
        # A pound sign before the first row's total balance (inside its quotes when it has them).
        lines = (la / "balances.csv").read_text(encoding="utf-8").split("\n")
        head, total = lines[1].split(",", 2)[:2], lines[1].split(",", 2)[2]
        total = total.replace("\u00a3", "", 1)  # the generator writes some balances with their pound sign already
        total = '"\u00a3' + total[1:] if total.startswith('"') else "\u00a3" + total
        lines[1] = ",".join(head + [total])
        balances = "\n".join(lines)
        (la / "balances.csv").write_bytes(balances.encode("cp1252"))
        ap = (la / "ap_placements.csv").read_text(encoding="utf-8").replace("Meadow Forest Short Stay School",
                                                                           "Meadow Forest\u2019s Short Stay School")
        (la / "ap_placements.csv").write_bytes(ap.encode("cp1252"))
        (la / "census" / "pupils.csv").write_bytes(PUPILS)
        # A census XML declared UTF-8 with a Latin-1 byte in a school name.
        xml = (la / "census" / "8882003.xml").read_bytes()
        (la / "census" / "8882003.xml").write_bytes(xml.replace(b"<SchoolName>", b"<SchoolName>Caf\xe9 ", 1))
        cls.out = cls.tmp / "out"
        cls.proc = subprocess.run([BIN, "run", str(la), "--out", str(cls.out), "-q"], capture_output=True, text=True,
                                 timeout=300)
        cls.findings = json.loads((cls.out / "findings.json").read_text(encoding="utf-8"))["findings"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def of(self, rule, file):
        """The findings of `rule` on `file`, those merged into a rule's finding of the same problem too."""
        every = self.findings + [{**m, "laestab": f["laestab"]} for f in self.findings for m in f.get("merged", [])]
        return [f for f in every if f["rule"] == rule and f["source"] and f["source"]["file"] == file]

    def test_run_finishes(self):
        self.assertIn(self.proc.returncode, (0, 1), self.proc.stderr)

    def test_every_output_and_every_workbook_part_is_utf8(self):
        texts = output_texts(self.out)  # raises UnicodeDecodeError on the first bad byte
        self.assertIn("findings.json", texts)
        self.assertIn("validation-report.xlsx!xl/sharedStrings.xml", texts)
        self.assertGreater(len([k for k in texts if k.startswith("profiles/")]), 10)

    def test_windows_1252_files_are_named_and_read_right(self):
        for file in ("schools.csv", "balances.csv", "ap_placements.csv"):
            got = self.of("IN010", file)
            self.assertEqual(len(got), 1, file)
            self.assertEqual(got[0]["source"]["line"], 2 if file != "schools.csv" else self.school_line, file)
        self.assertEqual(self.of("IN010", "census/pupils.csv")[0]["source"]["line"], 2)
        texts = output_texts(self.out)
        self.assertTrue(any("St Mary\u2019s C of E Primary School" in t for t in texts.values()))
        # The pound sign came through as one, so the balance is money, not an unreadable value.
        # (the example's own defect on that row, a budget share of "1,2,3", is still reported.)
        on_row = [f for f in self.of("IN003", "balances.csv") if f["source"]["line"] == 2]
        self.assertEqual([f["id"] for f in on_row], ["IN003:8882002:8882002.budget_share"])
        # The need code that was not UTF-8 is reported with its value decoded, not its bytes. (Four letters:
        # a value of five letters or more that cannot be read is not shown, as it may be a name.)
        bad = [f for f in self.of("IN004", "census/pupils.csv") if f["source"]["line"] == 2]
        self.assertEqual(len(bad), 1, self.of("IN004", "census/pupils.csv"))
        self.assertIn("\u00ff\u00feAS'", json.dumps(bad[0], ensure_ascii=False))

    def test_shifted_row_is_reported_and_not_used(self):
        got = [f for f in self.of("IN001", "census/pupils.csv") if f["source"]["line"] == 4]
        self.assertEqual(len(got), 1)
        self.assertEqual(got[0]["values"]["expected_fields"], "10")
        self.assertEqual(got[0]["values"]["found_fields"], "11")
        metrics = json.loads((self.out / "metrics.json").read_text(encoding="utf-8"))
        self.assertEqual(metrics["schools"]["8882099"]["pupils_in_return"], 2)

    def test_no_name_reaches_any_output(self):
        for name, text in output_texts(self.out).items():
            for word in ("Zebedee", "Linh", "Nguyen", "Adebayo", "Tolu", "Smith"):
                self.assertNotIn(word, text, f"{word} in {name}")


if __name__ == "__main__":
    unittest.main()
