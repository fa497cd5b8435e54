"""End-to-end tests of the history store (issue 11): two generated consecutive terms, history diff
against the generator's truth, explanations that carry over (and stale ones flagged), the read-back
of returned workbooks, the Overview's previous terms and PN013 from the store.

The store is an SQLite file unless CENSUSQA_TEST_POSTGRES names a PostgreSQL server
(tools/with-postgres.sh), in which case every test gets a database of its own on that server."""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import uuid
from pathlib import Path

import openpyxl

BIN = os.environ["CENSUSQA_BIN"]
GEN = os.environ["CENSUSQA_GEN"]
PG = os.environ.get("CENSUSQA_TEST_POSTGRES")
CHECKED = re.compile(r"^(CI\d{3}|EH\d{3}|PN\d{3}|CB\d{3}|AP\d{3}|IN00[1-6])$")
if os.environ.get("CENSUSQA_STORE_BACKEND") == "postgresql" and not PG:
    raise SystemExit("CENSUSQA_STORE_BACKEND=postgresql needs CENSUSQA_TEST_POSTGRES (tools/with-postgres.sh)")


def run(*args, check_exit=None):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=300)
    if check_exit is not None and p.returncode != check_exit:
        raise AssertionError(f"censusqa {' '.join(map(str, args))}: exit {p.returncode}, expected {check_exit}\n"
                             f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def gen(out, *extra, seed=7, term="SPR", date="2025-01-16"):
    subprocess.run([GEN, "--schools", "12", "--pupils", "4000", "--seed", str(seed), "--term", term,
                    "--reference-date", date, "--out", out, *map(str, extra)], check=True, capture_output=True)


def truth_ids(folder, key="defects"):
    truth = json.loads((Path(folder) / "truth.json").read_text())
    return {f"{d['rule']}:{d['laestab'] or ''}:{d['subject']}" for d in truth[key] if CHECKED.match(d["rule"])}


def findings(out):
    return json.loads((Path(out) / "findings.json").read_text())


class HistoryBase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The two terms are generated once for the class: autumn 2024, then spring 2025 of the same LA
        # with 6 pupil defects fixed and 6 new ones (censusqa-gen --term-changes).
        cls.data = Path(tempfile.mkdtemp(prefix="censusqa-history-data-"))
        gen(cls.data / "aut", term="AUT", date="2024-10-03")
        gen(cls.data / "spr", "--term-changes", "6")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.data, ignore_errors=True)

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-history-"))
        if PG:
            self.dbname = "censusqa_e2e_" + uuid.uuid4().hex[:12]
            subprocess.run(["psql", "-q", PG, "-c", f"CREATE DATABASE {self.dbname}"], check=True, capture_output=True)
            self.db = PG.rsplit("/", 1)[0] + "/" + self.dbname
        else:
            self.db = str(self.tmp / "history.db")

    def tearDown(self):
        if PG:
            subprocess.run(["psql", "-q", PG, "-c", f"DROP DATABASE {self.dbname} WITH (FORCE)"], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def sql(self, statement):
        """The rows of one SQL statement on the store (SQLite, or the PostgreSQL database of the test)."""
        if PG:
            p = subprocess.run(["psql", "-q", "-At", "-F", "\t", self.db, "-c", statement], check=True,
                               capture_output=True, text=True)
            return [tuple(line.split("\t")) for line in p.stdout.splitlines() if line]
        import sqlite3
        with sqlite3.connect(self.db) as c:
            return list(c.execute(statement))

    def record(self, la, name, *extra, check_exit=1):
        out = self.tmp / name
        run("run", la, "--out", out, "--db", self.db, "-q", *extra, check_exit=check_exit)
        return out


class HistoryDiff(HistoryBase):
    def test_diff_reports_exactly_the_findings_fixed_and_introduced(self):
        self.record(self.data / "aut", "o1")
        self.record(self.data / "spr", "o2")
        runs = json.loads(run("history", "list", "--db", self.db, "--json", check_exit=0).stdout)
        self.assertEqual([(r["term"], r["reference_date"]) for r in runs],
                         [("AUT", "2024-10-03"), ("SPR", "2025-01-16")])
        diff = json.loads(run("history", "diff", runs[0]["id"], runs[1]["id"], "--db", self.db, "--json",
                              check_exit=0).stdout)
        before, after = truth_ids(self.data / "aut"), truth_ids(self.data / "spr")
        introduced = {i for i in diff["introduced"] if CHECKED.match(i.split(":")[0])}
        resolved = {i for i in diff["resolved"] if CHECKED.match(i.split(":")[0])}
        self.assertEqual(sorted(introduced), sorted(after - before))
        self.assertEqual(sorted(resolved), sorted(before - after))
        self.assertEqual({i for i in diff["persisting"] if CHECKED.match(i.split(":")[0])}, before & after)
        # The generator's own list of what it changed between the terms is in there.
        fixed = truth_ids(self.data / "spr", "fixed_since_earlier_term")
        new = truth_ids(self.data / "spr", "introduced_since_earlier_term")
        self.assertEqual(len(fixed), 6)
        self.assertGreaterEqual(len(new), 6)
        self.assertLessEqual(fixed, resolved)
        self.assertLessEqual(new, introduced)
        # Metric changes per school: the same as the two metrics.json files say.
        m1 = json.loads((self.tmp / "o1" / "metrics.json").read_text())["schools"]
        m2 = json.loads((self.tmp / "o2" / "metrics.json").read_text())["schools"]
        for c in diff["metrics"][:50]:
            self.assertEqual(c["before"], m1.get(c["laestab"], {}).get(c["metric"]))
            self.assertEqual(c["after"], m2.get(c["laestab"], {}).get(c["metric"]))
        text = run("history", "diff", runs[0]["id"], runs[1]["id"], "--db", self.db, check_exit=0).stdout
        self.assertIn(f"{len(diff['introduced'])} introduced, {len(diff['resolved'])} resolved", text)
        self.assertNotIn("is of LA", text)  # one LA's two runs: no note
        # An LA the store has no run of is not an empty store.
        text = run("history", "list", "--db", self.db, "--la", "88", check_exit=0).stdout
        self.assertIn("No runs of LA 88 in", text)
        self.assertNotIn("yet", text)

    def test_bad_run_numbers_and_store_addresses_are_usage_errors(self):
        self.record(self.data / "aut", "o1")
        p = run("history", "diff", "1", "99", "--db", self.db, check_exit=2)
        self.assertIn("no run 99", p.stderr)
        p = run("history", "diff", "one", "2", "--db", self.db, check_exit=2)
        self.assertIn("by its number", p.stderr)
        missing = self.tmp / "hsitory.db"
        p = run("history", "list", "--db", missing, check_exit=2)
        self.assertIn("no history store at", p.stderr)
        self.assertFalse(missing.exists())
        p = run("run", self.data / "aut", "--out", self.tmp / "x", "--db", "postgresql://nobody@127.0.0.1:1/none",
                "-q", check_exit=2)
        self.assertIn("cannot open the history store postgresql://nobody@127.0.0.1:1/none", p.stderr)


class Explanations(HistoryBase):
    def query_persisting_unchanged(self, o1, o2):
        # A school's query that both terms raise with the same values (and the school has a profile).
        a = {f["id"]: f for f in findings(o1)["findings"]}
        profiled = {p.name[:7] for p in (o1 / "profiles").glob("*.xlsx")}
        for f in findings(o2)["findings"]:
            if (f["severity"] == "query" and f["id"] in a and a[f["id"]]["values"] == f["values"]
                    and f["laestab"] in profiled and f["actor"] == "school"):
                return f["id"]
        self.fail("no unchanged query in both terms")

    def test_explanation_survives_into_next_term_run_and_workbook(self):
        o1 = self.record(self.data / "aut", "o1")
        scratch = self.tmp / "scratch"  # which queries persist unchanged: run spring once without a store
        run("validate", self.data / "spr", "--out", scratch, "-q", check_exit=1)
        fid = self.query_persisting_unchanged(o1, scratch)
        p = run("explain", fid, "--text", "Confirmed with the SENCO: correct as recorded", "--by", "A. Officer",
                "--db", self.db, check_exit=0)
        self.assertIn("recorded for " + fid, p.stdout)
        o2 = self.record(self.data / "spr", "o2")
        found = findings(o2)
        f = next(f for f in found["findings"] if f["id"] == fid)
        self.assertEqual(f["explanation"]["text"], "Confirmed with the SENCO: correct as recorded")
        self.assertEqual(f["explanation"]["by"], "A. Officer")
        self.assertEqual(found["run"]["history"]["explained"], 1)
        # The school's workbook shows it as explained, with the Response and Comment filled in.
        laestab = f["laestab"]
        wb = openpyxl.load_workbook(next((o2 / "profiles").glob(f"{laestab}*.xlsx")))
        ws = wb["Data to fix"]
        rows = [[c.value for c in r] for r in ws.iter_rows()]
        header = next(i for i, r in enumerate(rows) if "Finding id" in r)
        col = {name: rows[header].index(name) for name in ("Finding id", "Response", "Comment", "Severity")}
        row = next(r for r in rows[header + 1:] if r[col["Finding id"]] == fid)
        self.assertEqual(row[col["Response"]], "Explained")
        self.assertEqual(row[col["Comment"]], "Confirmed with the SENCO: correct as recorded")
        self.assertEqual(row[col["Severity"]], "query (explained)")
        # An explained query does not count for --fail-on query; the others still do.
        only = self.tmp / "only"
        queries = [x for x in found["findings"] if x["severity"] in ("query", "error") and x["id"] != fid]
        self.assertTrue(queries)  # so exit 1 below is about them, and the explained one is not counted
        run("validate", self.data / "spr", "--out", only, "--db", self.db, "--fail-on", "query", "-q", check_exit=1)
        self.assertEqual(findings(only)["run"]["history"]["explained"], 1)

    def test_explained_query_alone_gives_exit_0_with_fail_on_query(self):
        # A tiny LA whose only query gets explained: --fail-on query then passes.
        la = self.tmp / "la"
        gen(la, "--defect-rate", "0", seed=5)
        o1 = self.tmp / "o1"
        run("validate", la, "--out", o1, "--db", self.db, "--fail-on", "none", "-q", check_exit=0)
        found = findings(o1)["findings"]
        self.assertFalse([f for f in found if f["severity"] == "error"])
        for f in found:
            if f["severity"] == "query":
                run("explain", f["id"], "--text", "Known and accepted", "--by", "LA", "--db", self.db, check_exit=0)
        run("validate", la, "--out", self.tmp / "o2", "--db", self.db, "--fail-on", "query", "-q", check_exit=0)
        run("validate", la, "--out", self.tmp / "o3", "--fail-on", "query", "-q", check_exit=1)  # without the store

    def test_stale_explanations_are_flagged_not_reused(self):
        o1 = self.record(self.data / "aut", "o1")
        scratch = self.tmp / "scratch"
        run("validate", self.data / "spr", "--out", scratch, "-q", check_exit=1)
        a = {f["id"]: f for f in findings(o1)["findings"]}
        b = {f["id"]: f for f in findings(scratch)["findings"]}
        changed = next(i for i, f in b.items() if i in a and f["severity"] != "error" and a[i]["values"] != f["values"])
        gone = next(i for i, f in a.items() if i not in b and f["severity"] != "error")
        until = next(i for i, f in b.items() if i in a and f["severity"] != "error" and a[i]["values"] == f["values"])
        for fid in (changed, gone):
            run("explain", fid, "--text", "was fine last term", "--by", "LA", "--db", self.db, check_exit=0)
        run("explain", until, "--text", "only for the autumn", "--by", "LA", "--until", "2024-12-31",
            "--db", self.db, check_exit=0)
        o2 = self.record(self.data / "spr", "o2")
        found = findings(o2)
        review = {r["finding_id"]: r for r in found["run"]["history"]["explanations_for_review"]}
        self.assertEqual(review[changed]["status"], "review")
        self.assertIn("values changed", review[changed]["reason"])
        self.assertEqual(review[gone]["status"], "review")
        self.assertIn("no longer occurs", review[gone]["reason"])
        self.assertEqual(review[until]["status"], "expired")
        self.assertEqual(found["run"]["history"]["explained"], 0)
        self.assertFalse([f for f in found["findings"] if "explanation" in f])
        # The LA workbook's Run sheet lists them too.
        ws = openpyxl.load_workbook(o2 / "validation-report.xlsx")["Run"]
        cells = [[c.value for c in r] for r in ws.iter_rows()]
        listed_in_book = {r[1]: r[2] for r in cells if r and isinstance(r[0], int) and len(r) > 2}
        self.assertEqual(listed_in_book.get(changed), "review")
        self.assertEqual(listed_in_book.get(until), "expired")
        listed = run("explain", "--list", "--status", "review", "--db", self.db, check_exit=0).stdout
        self.assertIn(changed, listed)
        self.assertIn(gone, listed)

    def test_errors_cannot_be_explained(self):
        o1 = self.record(self.data / "aut", "o1")
        err = next(f["id"] for f in findings(o1)["findings"] if f["severity"] == "error")
        p = run("explain", err, "--text", "x", "--by", "y", "--db", self.db, check_exit=2)
        self.assertIn("must be fixed", p.stderr)
        p = run("explain", "CI001:0000000:NOBODY", "--text", "x", "--by", "y", "--db", self.db, check_exit=2)
        self.assertIn("no finding", p.stderr)

    def test_responses_read_back_from_a_returned_workbook(self):
        o1 = self.record(self.data / "aut", "o1")
        scratch = self.tmp / "scratch"
        run("validate", self.data / "spr", "--out", scratch, "-q", check_exit=1)
        fid = self.query_persisting_unchanged(o1, scratch)
        laestab = fid.split(":")[1]
        # The school fills in the Data to fix sheet in a spreadsheet program and sends it back.
        src = next((o1 / "profiles").glob(f"{laestab}*.xlsx"))
        wb = openpyxl.load_workbook(src)
        ws = wb["Data to fix"]
        rows = list(ws.iter_rows())
        header = next(i for i, r in enumerate(rows) if any(c.value == "Finding id" for c in r))
        names = [c.value for c in rows[header]]
        col = {n: names.index(n) for n in ("Finding id", "Response", "Comment")}
        # The reply sits right after what is wrong, its cells the only unlocked ones of the protected sheet.
        self.assertEqual((col["Response"], col["Comment"]), (names.index("What is wrong") + 1,
                                                             names.index("What is wrong") + 2))
        self.assertTrue(ws.protection.sheet)
        marked = 0
        for r in rows[header + 1:]:
            if r[col["Finding id"]].value == fid:
                self.assertFalse(r[col["Response"]].protection.locked)
                self.assertFalse(r[col["Comment"]].protection.locked)
                self.assertTrue(r[col["Finding id"]].protection.locked)
                r[col["Response"]].value = "Explained"
                r[col["Comment"]].value = "Pupil is a looked-after child placed here by another LA"
                marked += 1
            elif r[col["Finding id"]].value and marked == 1:
                r[col["Response"]].value = "Explained"  # no Comment: nothing to keep
                marked += 1
        self.assertEqual(marked, 2)
        returned = self.tmp / "returned"
        returned.mkdir()
        wb.save(returned / src.name)
        p = run("explain", "--import", returned, "--db", self.db, check_exit=1)  # 1: a row was skipped
        self.assertIn("1 explanation(s) recorded", p.stdout)
        self.assertIn("without a Comment", p.stderr)
        listed = run("explain", "--list", "--db", self.db, check_exit=0).stdout
        self.assertIn("school " + laestab, listed)
        self.assertIn(src.name, listed)
        again = run("explain", "--import", returned, "--db", self.db, check_exit=1).stdout
        self.assertIn("0 explanation(s) recorded", again)
        self.assertIn("1 already recorded", again)
        o2 = self.record(self.data / "spr", "o2")
        f = next(f for f in findings(o2)["findings"] if f["id"] == fid)
        self.assertEqual(f["explanation"]["text"], "Pupil is a looked-after child placed here by another LA")
        # The next term's workbook, as censusqa wrote it (inline strings), reads back too: nothing new.
        p = run("explain", "--import", o2 / "profiles", "--db", self.db, check_exit=0)
        self.assertIn("0 explanation(s) recorded", p.stdout)

    def test_import_refuses_what_is_not_a_profile(self):
        self.record(self.data / "aut", "o1")
        bad = self.tmp / "not.xlsx"
        bad.write_text("not a zip")
        p = run("explain", "--import", bad, "--db", self.db, check_exit=2)
        self.assertIn("not an .xlsx workbook", p.stderr)


def data_to_fix(wb):
    """The responses sheet, its header row (0-based) and the columns of Finding id, Response, Comment."""
    ws = wb["Data to fix"]
    rows = list(ws.iter_rows())
    header = next(i for i, r in enumerate(rows) if any(c.value == "Finding id" for c in r))
    names = [c.value for c in rows[header]]
    return ws, rows, header, {n: names.index(n) + 1 for n in ("Finding id", "Response", "Comment")}


def set_check_line(wb, line):
    ws, rows, header, _ = data_to_fix(wb)
    cell = next(c for r in rows[:header] for c in r if isinstance(c.value, str) and c.value.startswith("Reply check"))
    cell.value = line


def check_line_of(path):
    ws, rows, header, _ = data_to_fix(openpyxl.load_workbook(path))
    return next(c.value for r in rows[:header] for c in r
                if isinstance(c.value, str) and c.value.startswith("Reply check"))


def zip_bomb(path, mib):
    """A zip of one part of `mib` MiB of zeros in about 1 KiB per MiB (a deflated MiB with a full
    flush, repeated), honest about its size: a 2 MiB file that inflates to 2 GiB."""
    import struct
    import zlib
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = z.compress(bytes(1 << 20)) + z.flush(zlib.Z_FULL_FLUSH)
    data = one * mib + b"\x03\x00"
    name = b"xl/worksheets/sheet1.xml"
    size = mib << 20
    crc = 0
    block = bytes(1 << 20)
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name),
                          0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    Path(path).write_bytes(local + data + central + end)


class Replies(HistoryBase):
    """explain --import trusts nothing in a reply (issue 17, points 2 and 5; docs/replies-security.md)."""

    def setUp(self):
        super().setUp()
        self.o1 = self.record(self.data / "aut", "o1")
        self.found = findings(self.o1)["findings"]
        by_school = {}
        for f in self.found:
            if f["laestab"]:
                by_school.setdefault(f["laestab"], []).append(f)
        # Two schools that each have a query of their own (who acts: School) and an error.
        def own_query(f):
            return f["severity"] == "query" and f["who_acts"] == "School"
        both = [l for l, fs in sorted(by_school.items())
                if any(own_query(f) for f in fs) and any(f["severity"] == "error" for f in fs)]
        self.a, self.b = both[0], both[1]
        self.query = {l: next(f["id"] for f in by_school[l] if own_query(f)) for l in (self.a, self.b)}
        # A query about the LA's own records (an LA team acts), of some school.
        self.la_team_query = next(f for f in self.found if f["laestab"] and f["severity"] == "query"
                                  and f["who_acts"] != "School")
        self.error_a = next(f["id"] for f in by_school[self.a] if f["severity"] == "error")
        self.la_level = next(f["id"] for f in self.found if not f["laestab"])
        self.returned = self.tmp / "returned"
        self.returned.mkdir()

    def profile(self, laestab):
        return next((self.o1 / "profiles").glob(f"{laestab}-*.xlsx"))

    def reply(self, laestab, rows, name=None, check_line=None):
        """School `laestab`'s profile with (finding id, response, comment) rows added at the end."""
        src = self.profile(laestab)
        wb = openpyxl.load_workbook(src)
        ws, _, _, col = data_to_fix(wb)
        at = ws.max_row + 1
        for i, (fid, response, comment) in enumerate(rows):
            ws.cell(at + i, col["Finding id"], fid)
            ws.cell(at + i, col["Response"], response)
            ws.cell(at + i, col["Comment"], comment).data_type = "s"  # text, even when it starts with "="
        if check_line:
            set_check_line(wb, check_line)
        dest = self.returned / (name or src.name)
        wb.save(dest)
        return dest, at

    def test_only_this_schools_queries_are_kept_and_each_refused_row_is_reported(self):
        path, at = self.reply(self.a, [
            (self.query[self.b], "Explained", "Another school's pupil, explained by us"),
            (self.la_level, "Explained", "An LA-level finding, explained by a school"),
            (self.error_a, "Explained", "An error explained instead of fixed"),
            ("CI001:0000000:NOBODY", "Disputed", "No such finding"),
            (self.query[self.a], "Explained", "Our own query, explained"),
            (self.la_team_query["id"], "Explained", "The LA's own records, explained by a school"),
        ])
        p = run("explain", "--import", path, "--db", self.db, check_exit=1)
        self.assertIn("1 explanation(s) recorded", p.stdout)
        self.assertIn("5 row(s) refused", p.stdout)
        where = f"{path.name}, sheet 'Data to fix' row"
        self.assertIn(f"{where} {at} ({self.query[self.b]}): refused: a finding of school {self.b}", p.stderr)
        self.assertIn(f"{where} {at + 1} ({self.la_level}): refused: an LA-level finding", p.stderr)
        self.assertIn(f"{where} {at + 2} ({self.error_a}): refused: an error", p.stderr)
        self.assertIn(f"{where} {at + 3} (CI001:0000000:NOBODY): refused: no finding", p.stderr)
        self.assertIn(f"{where} {at + 5} ({self.la_team_query['id']}): refused: a row for the "
                      f"{self.la_team_query['who_acts']} (the LA's own records)", p.stderr)
        o2 = self.record(self.data / "aut", "o2")
        explained = {f["id"] for f in findings(o2)["findings"] if "explanation" in f}
        self.assertEqual(explained, {self.query[self.a]})

    def returns_sheet(self, out):
        ws = openpyxl.load_workbook(out / "validation-report.xlsx")["Returns"]
        all_rows = [[c.value for c in r] for r in ws.iter_rows()]
        header = next(i for i, r in enumerate(all_rows) if r[0] == "LAEstab")
        cols = all_rows[header]
        body = {r[0]: dict(zip(cols, r)) for r in all_rows[header + 1:] if r[0] and r[1] is not None}
        return all_rows[:header], body

    def test_the_returns_sheet_follows_profiles_and_replies_through_the_store(self):
        # o1 (setUp) wrote every profile and recorded them; nothing has come back yet.
        top, before = self.returns_sheet(self.o1)
        self.assertFalse(any("Without a history store" in str(r[0]) for r in top))
        self.assertEqual(before[self.a]["Profile"], "written in this run")
        self.assertEqual(before[self.a]["Reply received"], "none yet")
        self.assertEqual(before[self.a]["Disputes awaiting the LA"], 0)
        # The school's own queries (who acts: School): the rows its reply cells are open on.
        queries_a = [f["id"] for f in self.found
                     if f["laestab"] == self.a and f["severity"] == "query" and f["who_acts"] == "School"]
        rows = [(queries_a[0], "Explained", "Our own query, explained")]
        if len(queries_a) > 1:
            rows.append((queries_a[1], "Disputed", "This pupil has left"))
        path, _ = self.reply(self.a, rows)
        run("explain", "--import", path, "--db", self.db, check_exit=0)
        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        # A validate run writes no profiles: the sheet says when the earlier run wrote them.
        o2 = self.tmp / "o2"
        run("validate", self.data / "aut", "--out", o2, "--db", self.db, "-q", check_exit=1)
        started = findings(self.o1)["run"]["started"]
        _, after = self.returns_sheet(o2)
        a = after[self.a]
        self.assertEqual(a["Profile"], "written " + started[:10] + " " + started[11:16])
        self.assertTrue(a["Reply received"].startswith(today), a["Reply received"])
        self.assertTrue(a["Reply received"].endswith(f"({path.name})"), a["Reply received"])
        self.assertEqual(a["Explained (applied this run)"], 1)
        self.assertEqual(a["Disputes awaiting the LA"], 1 if len(queries_a) > 1 else 0)
        self.assertEqual(a["Queries open"], before[self.a]["Queries open"] - 1)
        self.assertEqual(a["Days to the deadline"], None)  # replied: no longer counting down
        self.assertEqual(a["Next step"], "Reply received: still open items, check them with the school")
        self.assertEqual(after[self.b]["Reply received"], "none yet")

    def test_the_same_reply_imported_again_adds_no_second_dispute(self):
        path, _ = self.reply(self.a, [(self.query[self.a], "Disputed", "This pupil has left")])
        first = run("explain", "--import", path, "--db", self.db, check_exit=0).stdout
        again = run("explain", "--import", path, "--db", self.db, check_exit=0).stdout
        self.assertIn("1 already recorded", again, first)
        review = run("explain", "--list", "--status", "review", "--db", self.db, check_exit=0).stdout
        self.assertEqual(review.count(self.query[self.a]), 1, review)

    def test_a_reply_check_of_school_a_on_school_bs_file_is_refused(self):
        a_line = check_line_of(self.profile(self.a))
        rows = [(self.query[self.b], "Explained", "B's query, sent with A's reply check")]
        # Named as B's profile.
        as_b, _ = self.reply(self.b, rows, check_line=a_line)
        p = run("explain", "--import", as_b, "--db", self.db, check_exit=2)
        self.assertIn(f"is for school {self.a}, but it is named as school {self.b}'s profile", p.stderr)
        # Renamed: its rows still give it away.
        as_b.rename(self.returned / "reply.xlsx")
        p = run("explain", "--import", self.returned / "reply.xlsx", "--db", self.db, check_exit=2)
        self.assertIn(f"its rows are findings of school {self.b}", p.stderr)
        # A's name on B's rows, the check edited to say B: no run made that code.
        forged = a_line.replace(self.a, self.b)
        (self.returned / "reply.xlsx").unlink()
        forged_path, _ = self.reply(self.b, rows, check_line=forged)
        p = run("explain", "--import", forged_path, "--db", self.db, check_exit=2)
        self.assertIn("matches no run recorded in this store", p.stderr)
        self.assertIn("0 explanation(s) recorded", p.stdout)
        listed = run("explain", "--list", "--db", self.db, check_exit=0).stdout
        self.assertNotIn(self.query[self.b], listed)

    def unkeyed_code(self, laestab):
        """The reply check code made, as runs recorded before store schema 9 made it, from the run's inputs
        and their hashes alone: what a school whose profile lists every input (a CSV census) can compute."""
        import hashlib
        import hmac
        text = b"censusqa reply key 1\n"
        for i in findings(self.o1)["run"]["inputs"]:
            text += i["path"].encode() + b"\0" + i["sha256"].encode() + b"\n"
        key = hashlib.sha256(text).digest()
        return hmac.new(key, b"censusqa reply 1\n" + laestab.encode(), hashlib.sha256).hexdigest()[:32]

    def test_a_reply_check_made_from_the_runs_inputs_alone_is_refused(self):
        # A school that has every input's path and hash (its profile's properties list them all when
        # the census is one CSV) makes school B's check: the run's secret is not in them.
        line = f"Reply check (keep this line): LAEstab {self.b}, code {self.unkeyed_code(self.b)}"
        path, _ = self.reply(self.a, [(self.query[self.b], "Explained", "B's query, explained by A")],
                             name="reply.xlsx", check_line=line)
        p = run("explain", "--import", path, "--db", self.db, check_exit=2)
        self.assertIn("matches no run recorded in this store", p.stderr)
        self.assertIn("0 explanation(s) recorded", p.stdout)
        self.assertNotIn(self.query[self.b], run("explain", "--list", "--db", self.db, check_exit=0).stdout)

    def test_a_run_recorded_without_a_reply_secret_is_trusted_only_with_school(self):
        self.sql("UPDATE runs SET reply_secret = ''")  # as an earlier censusqa recorded it
        line = f"Reply check (keep this line): LAEstab {self.b}, code {self.unkeyed_code(self.b)}"
        path, _ = self.reply(self.b, [(self.query[self.b], "Explained", "B's query, explained")],
                             name="reply.xlsx", check_line=line)
        p = run("explain", "--import", path, "--db", self.db, check_exit=2)
        self.assertIn("recorded by an earlier censusqa whose reply checks had no secret key", p.stderr)
        self.assertIn(f"import it alone with --school {self.b}", p.stderr)
        p = run("explain", "--import", path, "--db", self.db, "--school", self.b, check_exit=0)
        self.assertIn("1 explanation(s) recorded", p.stdout)

    def test_the_reply_secret_is_in_no_output(self):
        secrets = [r[0] for r in self.sql("SELECT reply_secret FROM runs")]
        self.assertTrue(secrets and all(re.fullmatch("[0-9a-f]{64}", s) for s in secrets), secrets)
        for f in self.o1.rglob("*"):
            if f.is_file():
                data = f.read_bytes()
                if f.suffix == ".xlsx":
                    import zipfile
                    with zipfile.ZipFile(f) as z:
                        data = b"".join(z.read(n) for n in z.namelist())
                for s in secrets:
                    self.assertNotIn(s.encode(), data, f.name)

    def test_a_comment_that_looks_like_a_formula_stays_text_everywhere(self):
        comment = '=HYPERLINK("http://example.invalid/x","Click here")'
        path, _ = self.reply(self.a, [(self.query[self.a], "Explained", comment + "\x7f")])
        run("explain", "--import", path, "--db", self.db, check_exit=0)
        o2 = self.record(self.data / "aut", "o2")
        f = next(f for f in findings(o2)["findings"] if f["id"] == self.query[self.a])
        self.assertEqual(f["explanation"]["text"], comment)  # the control character gone
        for book in [o2 / "validation-report.xlsx", next((o2 / "profiles").glob(f"{self.a}-*.xlsx"))]:
            seen = 0
            for ws in openpyxl.load_workbook(book).worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        if isinstance(c.value, str) and "HYPERLINK" in c.value:
                            self.assertEqual(c.data_type, "s", f"{book.name} {ws.title}!{c.coordinate}")
                            seen += 1
            self.assertGreater(seen, 0, book.name)
        csv = (o2 / "findings.csv").read_text(encoding="utf-8-sig")
        self.assertIn(",\"'" + comment.replace('"', '""'), csv)  # a leading apostrophe: text in Excel

    def test_a_deeply_nested_reply_and_a_zip_bomb_are_refused_in_bounded_memory(self):
        import resource
        import zipfile

        def limited():  # 1 GiB of address space: the old reader needed 4.8 GB for the bomb
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

        # AddressSanitizer reserves terabytes of address space for its shadow memory, so under
        # tools/sanitize.sh the bound is checked on the peak resident memory instead.
        sanitizers = os.environ.get("CENSUSQA_SANITIZERS") == "1"

        src = self.profile(self.a)
        deep = self.returned / "deep.xlsx"
        with zipfile.ZipFile(src) as i, zipfile.ZipFile(deep, "w", zipfile.ZIP_DEFLATED) as o:
            for n in i.namelist():
                data = i.read(n)
                if n.startswith("xl/worksheets/"):
                    data = data.replace(b"<sheetData>", b"<sheetData>" + b"<a>" * 1000000 + b"</a>" * 1000000, 1)
                o.writestr(n, data)
        bomb = self.returned / "bomb.xlsx"
        zip_bomb(bomb, 2048)
        self.assertLess(bomb.stat().st_size, 3 << 20)
        for path, why in [(deep, "nested more than 64 deep"), (bomb, "declares more than 1024 MiB")]:
            p = subprocess.run([BIN, "explain", "--import", path, "--db", self.db], capture_output=True, text=True,
                               timeout=120, preexec_fn=None if sanitizers else limited)
            self.assertEqual(p.returncode, 2, p.stderr)
            if sanitizers:  # ru_maxrss: KiB, the largest of the children waited for so far
                self.assertLess(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, 2 << 20)
            self.assertIn(why, p.stderr)
            self.assertIn(path.name, p.stderr)


class PreviousTerms(HistoryBase):
    def test_overview_shows_the_previous_terms_from_the_store(self):
        o1 = self.record(self.data / "aut", "o1")
        o2 = self.record(self.data / "spr", "o2")
        m1 = json.loads((o1 / "metrics.json").read_text())["schools"]
        m2 = json.loads((o2 / "metrics.json").read_text())["schools"]
        laestab = sorted(set(m1) & set(m2))[1]
        wb = openpyxl.load_workbook(next((o2 / "profiles").glob(f"{laestab}*.xlsx")))
        rows = [[c.value for c in r] for r in wb["Overview"].iter_rows()]
        title = next(i for i, r in enumerate(rows) if r[0] == "This school over the last census terms")
        header = rows[title + 1]
        self.assertEqual(header[1], "Autumn 2024")
        self.assertEqual(header[2], "Spring 2025 (this run)")
        body = {r[0]: r for r in rows[title + 2:] if r[0]}
        sen = body["SEN support"]
        m = m1[laestab]
        self.assertAlmostEqual(sen[1], 100.0 * m["sen_support"] / m["pupils_on_roll"], places=1)
        m = m2[laestab]
        self.assertAlmostEqual(sen[2], 100.0 * m["sen_support"] / m["pupils_on_roll"], places=1)
        self.assertEqual(body["Pupils on roll"][1:3], [m1[laestab]["pupils_on_roll"], m2[laestab]["pupils_on_roll"]])
        # This run's column is the headline table's figure, indicator by indicator (a 0 there is a 0 here).
        head = next(i for i, r in enumerate(rows) if r[0] == "Indicator")
        school = rows[head].index("This school")
        headline = {}
        for r in rows[head + 1:]:
            if not r[0]:
                break
            headline[r[0]] = r[school]
        compared = [k for k in headline if k in body]
        self.assertGreater(len(compared), 5)
        for k in compared:
            self.assertEqual(body[k][2], headline[k], k)
        # Without a store there is no such table.
        run("profile", self.data / "spr", "--out", self.tmp / "plain", "--schools", laestab, "-q", check_exit=1)
        plain = openpyxl.load_workbook(next((self.tmp / "plain" / "profiles").glob("*.xlsx")))
        self.assertFalse(any(r[0].value == "This school over the last census terms" for r in plain["Overview"].iter_rows()))

    def test_overview_shows_the_last_three_terms_when_the_store_has_more(self):
        terms = [("AUT", "2023-10-05", "Autumn 2023"), ("SPR", "2024-01-18", "Spring 2024"),
                 ("SUM", "2024-05-16", "Summer 2024")]
        stored = {}
        for term, date, label in terms:
            gen(self.tmp / term, term=term, date=date)
            out = self.tmp / ("out-" + term)
            run("validate", self.tmp / term, "--out", out, "--db", self.db, "-q", check_exit=1)
            stored[label] = json.loads((out / "metrics.json").read_text())["schools"]
        o = self.record(self.data / "aut", "o-aut")
        stored["Autumn 2024"] = json.loads((o / "metrics.json").read_text())["schools"]
        laestab = sorted(stored["Autumn 2024"])[0]
        out = self.tmp / "spr"
        run("profile", self.data / "spr", "--out", out, "--db", self.db, "--schools", laestab, "-q", check_exit=1)
        wb = openpyxl.load_workbook(next((out / "profiles").glob("*.xlsx")))
        rows = [[c.value for c in r] for r in wb["Overview"].iter_rows()]
        title = next(i for i, r in enumerate(rows) if r[0] == "This school over the last census terms")
        header = rows[title + 1]
        # The three latest terms before this one, oldest first (Autumn 2023 is the fourth: left out).
        self.assertEqual(header[:5], ["Indicator", "Spring 2024", "Summer 2024", "Autumn 2024", "Spring 2025 (this run)"])
        body = {r[0]: r for r in rows[title + 2:] if r[0]}
        for i, label in enumerate(["Spring 2024", "Summer 2024", "Autumn 2024"], start=1):
            m = stored[label][laestab]
            self.assertEqual(body["Pupils on roll"][i], m["pupils_on_roll"], label)
            self.assertAlmostEqual(body["SEN support"][i], 100.0 * m["sen_support"] / m["pupils_on_roll"], places=1)

    def test_pn013_uses_the_previous_spring_run_when_previous_is_not_given(self):
        with_previous = self.tmp / "with"
        run("validate", self.data / "spr", "--out", with_previous, "-q", check_exit=1)
        expected = {f["id"] for f in findings(with_previous)["findings"] if f["rule"] == "PN013"}
        self.assertTrue(expected)
        # Record last spring's census (the example's previous/ folder) in the store ...
        run("validate", self.data / "spr" / "previous", "--out", self.tmp / "last-spring", "--db", self.db, "-q",
            "--fail-on", "none", check_exit=0)
        # ... and run this spring without previous/.
        la = self.tmp / "la"
        shutil.copytree(self.data / "spr", la)
        shutil.rmtree(la / "previous")
        without = self.tmp / "without"
        run("validate", la, "--out", without, "-q", check_exit=1)
        self.assertFalse([f for f in findings(without)["findings"] if f["rule"] == "PN013"])
        p = run("validate", la, "--out", self.tmp / "store", "--db", self.db, check_exit=1)
        # The run recorded last spring's whole roll (schema 7): the store stands in for the whole census.
        self.assertIn("previous census from the history store: census from run 1 (Spring 2024", p.stderr)
        found = findings(self.tmp / "store")
        self.assertEqual({f["id"] for f in found["findings"] if f["rule"] == "PN013"}, expected)
        self.assertTrue(found["run"]["history"]["previous_from"].startswith("census from run 1"))
        # Pupil movement from the stored roll gives what it gives from previous/, school by school, and says so.
        stored = json.loads((self.tmp / "store" / "metrics.json").read_text())
        direct = json.loads((with_previous / "metrics.json").read_text())
        self.assertEqual(stored["la"]["movement"]["source"], "history store run 1")
        self.assertEqual(direct["la"]["movement"]["source"], "previous/")
        for laestab, figures in direct["schools"].items():
            for k, v in figures.items():
                if k.startswith("movement."):
                    self.assertEqual(stored["schools"][laestab][k], v, f"{laestab} {k}")
        self.assertGreater(direct["la"]["movement"]["totals"]["on_roll_previous"], 0)
        self.assertEqual({f["id"] for f in found["findings"] if f["rule"] == "MV001"},
                         {f["id"] for f in findings(with_previous)["findings"] if f["rule"] == "MV001"})


class SuspensionsYear(HistoryBase):
    def test_the_years_earlier_census_in_the_store_adds_its_suspensions_once(self):
        # Spring 2025 recorded, then summer 2025 (the same LA's schools): the academic year 2024/25 counts the
        # spring return's autumn suspensions and the summer return's own, each once.
        spr = self.tmp / "spr"
        shutil.copytree(self.data / "spr", spr)
        shutil.rmtree(spr / "previous")
        spring = json.loads((self.record(spr, "spring") / "metrics.json").read_text())
        self.assertEqual(spring["la"]["suspensions_year"]["terms_seen"], ["autumn"])
        summer = self.tmp / "sum"
        gen(summer, term="SUM", date="2025-05-15")
        shutil.rmtree(summer / "previous")
        alone = self.tmp / "alone"
        run("validate", summer, "--out", alone, "-q")
        alone = json.loads((alone / "metrics.json").read_text())
        both = json.loads((self.record(summer, "both") / "metrics.json").read_text())
        self.assertEqual(both["la"]["suspensions_year"]["academic_year"], "2024/25")
        self.assertEqual(both["la"]["suspensions_year"]["terms_seen"], ["autumn", "spring"])
        self.assertEqual(both["la"]["suspensions_year"]["censuses"], 2)
        added = 0
        for laestab, figures in both["schools"].items():
            stored = spring["schools"].get(laestab, {}).get("suspensions_year.suspensions", 0)
            self.assertEqual(figures["suspensions_year.suspensions"],
                             alone["schools"][laestab]["suspensions_year.suspensions"] + stored, laestab)
            added += stored
        self.assertGreater(added, 0)
        # Recording the summer again changes nothing: a census is not counted with itself.
        again = json.loads((self.record(summer, "again") / "metrics.json").read_text())
        self.assertEqual(again["la"]["suspensions_year"], both["la"]["suspensions_year"])


class ApTracking(HistoryBase):
    def test_a_breakdown_recorded_only_in_an_earlier_census_is_found_through_the_store(self):
        # This spring's LA folder, without previous/: nothing from last term's census but the store.
        spr = self.tmp / "spr"
        shutil.copytree(self.data / "spr", spr)
        shutil.rmtree(spr / "previous")
        plain = self.tmp / "plain"
        run("validate", spr, "--out", plain, "-q", check_exit=1)
        already = {f["upn"] for f in findings(plain)["findings"] if f["rule"] == "AP007"}
        # A return from AP that ended in the summer, for a pupil in the autumn census without exclusions,
        # with no breakdown this spring can see ...
        aut = self.tmp / "aut"
        shutil.copytree(self.data / "aut", aut)
        # The returns the run uses: one per school (not an earlier export, not a common transfer file).
        census = {p: p.read_text() for p in sorted((aut / "census").glob("*.xml"))
                  if re.fullmatch(r"\d{7}\.xml", p.name)}
        chosen = None
        for line in (spr / "ap_placements.csv").read_text().splitlines()[1:]:
            c = line.split(",")
            pid, upn, end, dest = c[0], c[1], c[9], c[10]
            if dest not in ("same_school", "other_mainstream") or not end or not ("2024-05-01" <= end <= "2024-09-01"):
                continue
            if upn in already:
                continue
            for path, text in census.items():
                at = text.find(f"<UPN>{upn}</UPN>")
                if at < 0:
                    continue
                close = text.find("</PupilOnRoll>", at)  # on roll: the leavers come after every PupilOnRoll
                if close < 0 or "<PupilNoLongerOnRoll>" in text[at:close]:
                    continue
                if "<Exclusions>" not in text[at:close]:
                    chosen = (pid, upn, end, path, at, close)
                    break
            if chosen:
                break
        self.assertIsNotNone(chosen, "no suitable reintegrated placement in the generated LA")
        pid, upn, end, path, at, close = chosen
        # ... and a permanent exclusion 14 days after it, in the autumn census only: the pupil's Exclusions
        # module, in the real order after SpecialEducationalNeeds (a line of its own, as the MIS writes it);
        # a PERM carries no Sessions.
        y, m, d = map(int, end.split("-"))
        start = (datetime.date(y, m, d) + datetime.timedelta(days=14)).isoformat()
        text = census[path]
        sen = re.search(r"<SpecialEducationalNeeds><SENprovision>(\w+)</SENprovision>.*?"
                        r"</SpecialEducationalNeeds>\n", text[at:close])
        self.assertIsNotNone(sen, "the pupil's record has no SpecialEducationalNeeds module")
        after = at + sen.end()
        path.write_text(text[:after] + "        <Exclusions><TermlyExclusion><Category>PERM</Category>"
                        f"<Reason>PA</Reason><StartDate>{start}</StartDate><SENprovision>{sen.group(1)}"
                        "</SENprovision></TermlyExclusion></Exclusions>\n" + text[after:])
        self.record(aut, "o1")
        p = run("validate", spr, "--out", self.tmp / "o2", "--db", self.db, check_exit=1)
        self.assertIn("permanent exclusion(s) from run(s) 1", p.stderr)
        found = [f for f in findings(self.tmp / "o2")["findings"] if f["rule"] == "AP007" and f["upn"] == upn]
        self.assertEqual(len(found), 1, found)
        self.assertIn(f"after placement {pid} (ended {end}) broke down: permanent exclusion (previous census) on {start}",
                      found[0]["message"])
        # Nothing else changed: the other AP007 findings are the ones the plain run has.
        others = {f["upn"] for f in findings(self.tmp / "o2")["findings"] if f["rule"] == "AP007"} - {upn}
        self.assertEqual(others, already)


if __name__ == "__main__":
    unittest.main()
