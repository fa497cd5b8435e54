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
import sqlite3
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
        # A finding about a file that could not be opened (a symbolic link loop) has no source: "", 0.
        # Input findings merged into a rule's finding of the same problem (IN003 into CI006) count too.
        "input_findings": sorted([f["rule"], (f["source"] or {}).get("file", ""), (f["source"] or {}).get("line", 0)]
                                 for f in found["findings"] + [m for x in found["findings"] for m in x.get("merged", [])]
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
                # (and beside it, the lock file a run holds: docs/publish-and-store-security.md)
                outside = [p for p in self.tmp.rglob("*") if p.is_file() and not p.is_relative_to(self.tmp / "la")
                           and not any(p.is_relative_to(self.tmp / c.name) or p.name == f".{c.name}.censusqa-lock"
                                       for c in cases)]
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


def run_into(la, out, *options, command="run", env=None):
    return subprocess.run([BIN, command, str(la), "--out", str(out), "-q", *options], capture_output=True,
                          text=True, timeout=300, env=env)


class SafeOutputs(unittest.TestCase):
    """--out is published whole (docs/publish-and-store-security.md): a run writes into a staging folder
    beside it (.<name>.censusqa-staging-*) and swaps it in with one rename, so --out is always the complete
    previous outputs or the complete new ones; a second run into the same --out fails at once."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-kill-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    @staticmethod
    def snapshot(out):
        """Every file under out, by its bytes."""
        return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*")) if p.is_file()}

    def beside(self, pattern):
        return sorted(self.tmp.glob(".out.censusqa-" + pattern))

    def small_la(self, schools=3):
        la = self.tmp / "la"
        subprocess.run([GEN, "--schools", str(schools), "--pupils", str(100 * schools), "--seed", "5", "--out", la],
                       check=True, capture_output=True)
        return la

    def test_killed_run_leaves_previous_outputs_byte_identical(self):
        la, out = self.tmp / "la", self.tmp / "out"
        subprocess.run([GEN, "--schools", "150", "--pupils", "40000", "--seed", "3", "--out", la], check=True,
                       capture_output=True)
        first = run_into(la, out)
        self.assertIn(first.returncode, (0, 1), first.stderr)
        before = self.snapshot(out)
        self.assertGreater(len([k for k in before if k.startswith("profiles/")]), 100)
        # Change an input so that a completed second run would change the outputs, then kill it while
        # it writes profiles (into its staging folder, beside out).
        (la / "censusqa.json").write_text((la / "censusqa.json").read_text().replace('"la_name": "',
                                                                                       '"la_name": "Renamed '))
        proc = subprocess.Popen([BIN, "run", str(la), "--out", str(out), "-q"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        killed = False
        while time.time() < deadline and proc.poll() is None:
            if list(self.tmp.glob(".out.censusqa-staging-*/profiles/*.xlsx")):
                proc.send_signal(signal.SIGKILL)
                killed = True
                break
            time.sleep(0.002)
        proc.wait()
        if not killed:
            self.skipTest("the run finished before it could be killed")
        self.assertEqual(self.snapshot(out), before, "a killed run changed the previous outputs")
        self.assertTrue(self.beside("staging-*"), "the killed run's staging folder")
        self.assertFalse(list(out.glob(".censusqa-staging-*")), "nothing is staged inside out any more")
        # The next run clears the staging folder and publishes complete outputs.
        third = run_into(la, out)
        self.assertIn(third.returncode, (0, 1), third.stderr)
        self.assertEqual(self.beside("staging-*") + self.beside("old-*"), [])
        after = self.snapshot(out)
        self.assertEqual(sorted(after), sorted(before))
        self.assertNotEqual(after["validation-report.xlsx"], before["validation-report.xlsx"])

    def test_profile_of_a_school_no_longer_in_the_run_is_removed(self):
        la, out = self.small_la(), self.tmp / "out"
        self.assertIn(run_into(la, out).returncode, (0, 1))
        profiles = sorted(p.name for p in (out / "profiles").iterdir())
        self.assertEqual(len(profiles), 3)
        keep = profiles[0].split("-")[0]
        second = run_into(la, out, "--schools", keep)  # the other two schools' profiles are not produced
        self.assertIn(second.returncode, (0, 1), second.stderr)
        self.assertEqual(sorted(p.name for p in (out / "profiles").iterdir()), [profiles[0]])
        manifest = json.loads((out / ".censusqa-outputs.json").read_text())
        self.assertIn("profiles/" + profiles[0], manifest["files"])
        self.assertEqual(self.beside("staging-*") + self.beside("old-*"), [])

    def test_second_run_into_the_same_out_fails_at_once_naming_the_first(self):
        la, out = self.tmp / "la", self.tmp / "out"
        subprocess.run([GEN, "--schools", "60", "--pupils", "16000", "--seed", "4", "--out", la], check=True,
                       capture_output=True)
        first = subprocess.Popen([BIN, "run", str(la), "--out", str(out), "-q"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        lock = self.tmp / ".out.censusqa-lock"
        deadline = time.time() + 30
        while time.time() < deadline and first.poll() is None:
            if lock.exists() and lock.read_text().startswith(f"pid {first.pid} "):
                break
            time.sleep(0.005)
        still_running = first.poll() is None
        t0 = time.time()
        second = run_into(la, out)
        took = time.time() - t0
        _, err = first.communicate(timeout=300)
        self.assertIn(first.returncode, (0, 1), err)
        if not still_running:
            self.skipTest("the first run finished before the second started")
        self.assertEqual(second.returncode, 2, second.stderr)
        self.assertIn(f"is in use by another censusqa run (pid {first.pid} on ", second.stderr)
        self.assertLess(took, 5, "the second run fails before any work")
        # The first run's outputs are complete and untouched by the second.
        manifest = json.loads((out / ".censusqa-outputs.json").read_text())
        self.assertEqual(sorted(manifest["files"]), sorted(self.snapshot(out).keys() - {".censusqa-outputs.json"}))
        self.assertEqual(len([f for f in manifest["files"] if f.startswith("profiles/")]), 60)
        json.loads((out / "findings.json").read_text())
        self.assertEqual(self.beside("staging-*") + self.beside("old-*"), [])

    def test_out_that_is_a_file_fails_before_any_work(self):
        la, out = self.small_la(), self.tmp / "out"
        out.write_text("not a folder")
        p = run_into(la, out)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("is a file: give a folder for the outputs", p.stderr)
        self.assertEqual(out.read_text(), "not a folder")
        self.assertEqual(self.beside("staging-*"), [])

    def test_out_holding_files_censusqa_did_not_write_is_refused(self):
        la, out = self.small_la(), self.tmp / "out"
        out.mkdir()
        (out / "notes.docx").write_text("mine")
        p = run_into(la, out)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("holds files censusqa did not write: notes.docx", p.stderr)
        self.assertEqual(sorted(x.name for x in out.iterdir()), ["notes.docx"])


class SafeStore(unittest.TestCase):
    """The history store (--db): safe when two runs create it at once, and clear, fast errors."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-store-"))
        self.la = self.tmp / "la"
        shutil.copytree(CORPUS / "clean", self.la)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_two_first_runs_create_one_store(self):
        for round in range(5):
            db = self.tmp / f"history-{round}.sqlite"
            procs = [subprocess.Popen([BIN, "validate", str(self.la), "--out", str(self.tmp / f"out-{round}-{i}"),
                                       "-q", "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True) for i in range(3)]
            for p in procs:
                _, err = p.communicate(timeout=120)
                self.assertIn(p.returncode, (0, 1), f"round {round}: {err}")
            with sqlite3.connect(db) as con:
                self.assertEqual(con.execute("SELECT COUNT(*) FROM runs").fetchone()[0], 3)

    def test_db_that_is_a_folder_fails_at_once(self):
        (self.tmp / "store").mkdir()
        t0 = time.time()
        p = run_into(self.la, self.tmp / "out", "--db", str(self.tmp / "store"), command="validate")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("is a folder: --db takes an SQLite file", p.stderr)
        self.assertLess(time.time() - t0, 10)  # was a 60 s stall, then "unable to open database file"

    def test_locked_store_says_how_long_it_waited(self):
        db = self.tmp / "history.sqlite"
        self.assertIn(run_into(self.la, self.tmp / "out", "--db", str(db), command="validate").returncode, (0, 1))
        con = sqlite3.connect(db, isolation_level=None)
        con.execute("BEGIN EXCLUSIVE")
        try:
            t0 = time.time()
            p = run_into(self.la, self.tmp / "out", "--db", str(db), command="validate",
                         env={**os.environ, "CENSUSQA_DB_WAIT": "1"})
            took = time.time() - t0
        finally:
            con.execute("ROLLBACK")
            con.close()
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("is locked by another process", p.stderr)
        self.assertRegex(p.stderr, r"waited 1\.\d s")
        self.assertLess(took, 10)


if __name__ == "__main__":
    unittest.main()
