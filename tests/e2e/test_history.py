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
                    and f["laestab"] in profiled):
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
        marked = 0
        for r in rows[header + 1:]:
            if r[col["Finding id"]].value == fid:
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
        # Without a store there is no such table.
        run("profile", self.data / "spr", "--out", self.tmp / "plain", "--schools", laestab, "-q", check_exit=1)
        plain = openpyxl.load_workbook(next((self.tmp / "plain" / "profiles").glob("*.xlsx")))
        self.assertFalse(any(r[0].value == "This school over the last census terms" for r in plain["Overview"].iter_rows()))

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
        self.assertIn("previous census from the history store: needs from run 1 (Spring 2024", p.stderr)
        found = findings(self.tmp / "store")
        self.assertEqual({f["id"] for f in found["findings"] if f["rule"] == "PN013"}, expected)
        self.assertTrue(found["run"]["history"]["previous_from"].startswith("needs from run 1"))


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
