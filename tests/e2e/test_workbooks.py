#!/usr/bin/env python3
"""End-to-end tests of the workbooks: every sheet of the inclusion profiles and of the LA's
validation-report.xlsx, read back with openpyxl (Debian's python3-openpyxl) and checked against
metrics.json, findings.json and counts made here from the census XML; privacy across all profiles;
package integrity; LibreOffice conversion when LibreOffice is installed.

Run by ctest (tests/CMakeLists.txt) with the same environment as test_cli.py."""
import csv
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter, defaultdict
from html import unescape
from pathlib import Path

from census_count import count_census_xml, pupil_records, used_returns

import openpyxl

BIN = os.environ["CENSUSQA_BIN"]
GEN = os.environ["CENSUSQA_GEN"]
SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
EXAMPLE = SOURCE / "examples" / "sampleshire"
NEEDS = ["SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH", "NSA"]
UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
DASH = "\u2013"


def run(*args, check_exit=None):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check_exit is not None and p.returncode != check_exit:
        raise AssertionError(f"censusqa {' '.join(map(str, args))}: exit {p.returncode}, expected {check_exit}\n"
                             f"{p.stderr}")
    return p


def pct(x, n):
    """One decimal, rounded half up from exact integers, as censusqa and the DfE round."""
    return None if not n else int((x * 2000 + n) // (2 * n)) / 10


def flag(x, n, p, rate=False):
    """The stated band: within 2 standard errors 'in line', beyond 2 above/below, beyond 3 well
    above/below; binomial for percentages, Poisson for rates; counts of 1-4 never flagged (no flag)."""
    if not n or p is None:
        return None
    if 1 <= x <= 4:
        return None
    expected = n * p
    var = expected if rate else n * p * (1 - p)
    if var <= 0:
        return "in line" if abs(x - expected) < 0.5 else ("well above" if x > expected else "well below")
    z = (x - expected) / math.sqrt(var)
    return ("well above" if z > 3 else "above" if z > 2 else "well below" if z < -3 else "below" if z < -2
            else "in line")


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def table_after(ws, first_header):
    """The header and data rows of the table whose header row starts with `first_header`."""
    all_rows = rows(ws)
    for i, r in enumerate(all_rows):
        if r and r[0] == first_header:
            out = []
            for r2 in all_rows[i + 1:]:
                if r2[0] is None or all(v is None for v in r2[1:]):
                    break
                out.append(r2)
            return r, out
    raise AssertionError(f"no table headed {first_header!r} on {ws.title}")


def register_rows():
    with open(EXAMPLE / "schools.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rows_of(ws, title):
    """The data rows of the table titled `title` (the row after the title is its header)."""
    all_rows = rows(ws)
    i = next(i for i, r in enumerate(all_rows) if r and r[0] == title)
    out = []
    for r in all_rows[i + 2:]:
        if r[0] is None or all(v is None for v in r[1:]):
            break
        out.append(r)
    return out


def workbook_text(path):
    """Every string in an .xlsx package: shared strings, inline strings, properties."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                out.append(unescape(z.read(name).decode("utf-8")))
    return "\n".join(out)


MARKING = "OFFICIAL-SENSITIVE: contains pupil identifiers"


def sheet_parts(path):
    """{sheet name: its worksheet XML} of an .xlsx package, through workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as z:
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
              "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
        rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
        out = {}
        for sh in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns):
            target = rels[sh.get(f"{{{ns['r']}}}id")].lstrip("/")
            out[sh.get("name")] = z.read(target if target.startswith("xl/") else "xl/" + target).decode("utf-8")
        return out


def header_footer(xml):
    """A worksheet's odd-page header and footer as Excel stores them (&L, &C, &R codes; '&&' a literal &)."""
    root = ET.fromstring(xml)
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    hf = root.find(f"{ns}headerFooter")
    if hf is None:
        return None, None
    return hf.findtext(f"{ns}oddHeader"), hf.findtext(f"{ns}oddFooter")


def lead_lines(ws):
    """The bold 12-point lines under a sheet's subtitle (the Overview's headline), joined back into text."""
    lines = []
    for row in ws.iter_rows(min_row=2, max_col=1):
        c = row[0]
        if c.value is None:
            if lines:
                break
            continue
        if c.font.b and c.font.sz == 12 and isinstance(c.value, str):
            lines.append(c.value)
        elif lines:
            break
    return " ".join(lines)


class Workbooks(unittest.TestCase):
    """One `censusqa run` of the example LA, shared by the tests of this class."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="censusqa-wb-"))
        cls.out = cls.tmp / "out"
        cls.proc = run("run", EXAMPLE, "--out", cls.out, "-q", check_exit=1)
        cls.metrics = json.loads((cls.out / "metrics.json").read_text())
        cls.findings = json.loads((cls.out / "findings.json").read_text())
        cls.profiles = sorted((cls.out / "profiles").glob("*.xlsx"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def profile(self, laestab):
        [path] = [p for p in self.profiles if p.name.startswith(laestab + "-")]
        return openpyxl.load_workbook(path)

    def group_sum(self, members, names):
        total = 0
        for l in members:
            m = self.metrics["schools"][l]
            for n in names:
                if n.endswith(".*"):
                    total += sum(v for k, v in m.items() if k.startswith(n[:-1]))
                else:
                    total += m.get(n, 0)
        return total

    def others(self, members, laestab, names):
        """A comparator's figure: the group's total less the school's own (never in its own comparator)."""
        return self.group_sum([m for m in members if m != laestab], names)

    def comparator(self, laestab):
        """(header of the flag column or None, the members the flag compares with or None)."""
        g = self.metrics["la"]["comparator_groups"]["schools"][laestab]
        basis = g["compared_with"]
        if basis == "similar schools":
            return "Compared with Similar schools", self.similar_members(laestab)
        if basis == "LA":
            return "Compared with LA (same phase)", self.la_members(laestab)
        self.assertEqual(basis, "none")  # no England reference in the example
        return None, None

    def la_members(self, laestab):
        schools = self.metrics["la"]["comparator_groups"]["schools"]
        phase = schools[laestab]["phase"]
        members = [l for l, g in schools.items() if g["phase"] == phase]
        self.assertEqual(members, self.metrics["la"]["comparator_groups"]["groups"][schools[laestab]["la_group"]])
        return members

    def similar_members(self, laestab):
        groups = self.metrics["la"]["comparator_groups"]
        return groups["groups"][groups["schools"][laestab]["similar_group"]]

    def test_one_profile_per_school_with_a_return(self):
        self.assertEqual(sorted(p.name.split("-")[0] for p in self.profiles), sorted(self.metrics["schools"]))
        for p in self.profiles:
            self.assertRegex(p.name, r"^\d{7}-[a-z0-9-]+\.xlsx$")
        self.assertTrue((self.out / "validation-report.xlsx").is_file())
        self.assertEqual([p.name for p in self.out.iterdir() if p.name.startswith(".") and p.name != ".censusqa-outputs.json"],
                         [], "temporary files left")

    def test_sheets_in_template_order(self):
        governance = {r["laestab"]: r["governance"] for r in csv.DictReader(open(EXAMPLE / "schools.csv"))}
        for path in self.profiles:
            wb = openpyxl.load_workbook(path)
            laestab = path.name[:7]
            want = ["Overview", "Needs", "Statutory assessment", "Exclusions and AP", "Finance", "Data to fix", "About"]
            if governance[laestab] == "academy":
                want.remove("Finance")
            self.assertEqual(wb.sheetnames, want, path.name)

    def test_needs_counts_equal_the_census_and_comparators_equal_the_groups(self):
        census = count_census_xml(EXAMPLE)
        checked = 0
        for laestab, want in census.items():
            ws = self.profile(laestab)["Needs"]
            header, body = table_after(ws, "Primary need")
            self.assertEqual(header[:5], ["Primary need", "SEN support", "EHC plan", "All with SEN",
                                          "% of pupils with SEN"])
            sen = want["sen_support"] + want["ehc_plan"]
            la = self.la_members(laestab)
            flag_header, basis = self.comparator(laestab)
            g = self.metrics["la"]["comparator_groups"]["schools"][laestab]
            # Only the comparators the school has: the LA's other schools when there are any, no similar
            # column repeating it, no empty England column, no flag column without a comparator.
            want_header = ["Primary need", "SEN support", "EHC plan", "All with SEN", "% of pupils with SEN"]
            if g["la_others"]:
                want_header.append("LA (same phase) %")
            if g["similar_others"] and g["similar_basis"] != "phase":
                want_header.append("Similar schools %")
            if flag_header:
                want_header.append(flag_header)
            self.assertEqual(header, want_header, laestab)
            for code, row in zip(NEEDS, body):
                r = dict(zip(header, row))
                self.assertTrue(row[0].endswith(f"({code})"), row[0])
                sup, ehc = want[f"need.{code}.sen_support"], want[f"need.{code}.ehc_plan"]
                self.assertEqual(row[1:4], [sup, ehc, sup + ehc], f"{laestab} {code}")
                self.assertEqual(row[4], pct(sup + ehc, sen) if sen else DASH, f"{laestab} {code} %")
                names = [f"need.{code}.*"]
                den = ["sen_support", "ehc_plan"]
                if g["la_others"]:
                    self.assertEqual(r["LA (same phase) %"],
                                     pct(self.others(la, laestab, names), self.others(la, laestab, den)),
                                     f"{laestab} {code} LA, without the school")
                if flag_header:
                    bx, bn = self.others(basis, laestab, names), self.others(basis, laestab, den)
                    got = r[flag_header]
                    if 1 <= sup + ehc <= 4:
                        self.assertEqual(got, "Small number: not flagged", f"{laestab} {code}")
                    else:
                        self.assertEqual(got, flag(sup + ehc, sen, bx / bn if bn else None) if sen else None,
                                         f"{laestab} {code} flag")
                checked += 1
        self.assertEqual(checked, 13 * len(census))

    def test_overview_indicators_follow_metrics_and_the_stated_band(self):
        flags = Counter()
        for laestab, m in self.metrics["schools"].items():
            ws = self.profile(laestab)["Overview"]
            header, body = table_after(ws, "Indicator")
            self.assertEqual(header[:4], ["Indicator", "This school", "Number", "Out of"])
            self.assertEqual(header[-1], "Note")
            self.assertEqual(len(set(header)), len(header), "no column repeats another")
            self.assertNotIn("England", header, "no England column without the reference data")
            by_label = {r[0]: dict(zip(header, r)) for r in body}
            la = self.la_members(laestab)
            g = self.metrics["la"]["comparator_groups"]["schools"][laestab]
            flag_header, basis = self.comparator(laestab)
            self.assertEqual("LA (same phase)" in header, g["la_others"] > 0, laestab)
            self.assertEqual("Similar schools" in header, g["similar_others"] > 0 and g["similar_basis"] != "phase")
            self.assertEqual(by_label["Pupils on roll"]["This school"], m["pupils_on_roll"])
            if g["la_others"]:
                self.assertAlmostEqual(by_label["Pupils on roll"]["LA (same phase)"],
                                       self.others(la, laestab, ["pupils_on_roll"]) / g["la_others"],
                                       msg="the average of the other schools")
            cases = {"SEN support": (["sen_support"], ["pupils_on_roll"], False),
                     "EHC plan": (["ehc_plan"], ["pupils_on_roll"], False),
                     "Eligible for free school meals": (["fsm_eligible"], ["pupils_on_roll"], False),
                     "Suspensions per 100 pupils": (["suspensions"], ["pupils_on_roll"], True),
                     "Persistent absence (pupils missing 10% or more of sessions)":
                         (["persistent_absentees"], ["attendance_pupils"], False)}
            for label, (num, den, rate) in cases.items():
                r = by_label[label]
                x, n = self.group_sum([laestab], num), self.group_sum([laestab], den)
                self.assertEqual((r["Number"], r["Out of"]), (x, n), f"{laestab} {label}")
                self.assertEqual(r["This school"], pct(x, n), f"{laestab} {label}")
                if g["la_others"]:
                    self.assertEqual(r["LA (same phase)"],
                                     pct(self.others(la, laestab, num), self.others(la, laestab, den)),
                                     f"{laestab} {label} LA, without the school")
                if flag_header:
                    bx, bn = self.others(basis, laestab, num), self.others(basis, laestab, den)
                    self.assertEqual(r[flag_header], flag(x, n, bx / bn if bn else None, rate), f"{laestab} {label}")
                    flags[r[flag_header]] += 1
                if 1 <= x <= 4:
                    self.assertEqual(r["Note"], "Small number: not flagged")
                    self.assertIsNone(r.get(flag_header), "no 'in line' beside a small number")
                elif not flag_header:
                    self.assertEqual(r["Note"], "No comparator: not flagged", f"{laestab} {label}")
            self.assertEqual(by_label["Data-quality errors to fix"]["This school"],
                             self.findings["summary"]["by_school"].get(laestab, {}).get("error", 0))
        self.assertGreater(len(flags), 1, f"flags should vary across schools: {flags}")

    def test_statutory_and_exclusions_sheets_equal_metrics(self):
        la12 = self.metrics["la"]["ehcp_12m"]
        for laestab, m in self.metrics["schools"].items():
            wb = self.profile(laestab)
            _, body = table_after(wb["Statutory assessment"], "Measure")
            got = {r[0]: r for r in body}
            self.assertEqual(got["Requests for an EHC needs assessment"][1], m.get("ehcp.requests_12m", 0))
            self.assertEqual(got["Requests for an EHC needs assessment"][3], la12["requests"])
            self.assertEqual(got["EHC plans issued"][1], m.get("ehcp.plans_issued_12m", 0))
            plans = m.get("ehcp.plans_issued_12m", 0)
            self.assertEqual(got["Plans issued within 20 weeks (%)"][1],
                             pct(m.get("ehcp.plans_issued_within_20_weeks_12m", 0), plans) if plans else DASH)
            header, body = table_after(wb["Exclusions and AP"], "Pupils")
            got = {r[0]: dict(zip(header, r)) for r in body}
            self.assertEqual([got["All pupils"][k] for k in ("Number of pupils", "Pupils suspended", "Suspensions")],
                             [m["pupils_on_roll"], m["pupils_suspended"], m["suspensions"]])
            self.assertEqual(got["SEN support"]["Suspensions"], m["suspensions.sen_support"])
            self.assertEqual(got["SEN support"]["Pupils suspended"], m["pupils_suspended.sen_support"])
            self.assertEqual(got["EHC plan"]["Permanent exclusions"], m["permanent_exclusions.ehc_plan"])
            self.assertLessEqual(m["pupils_suspended"], m["suspensions"])
            for label, r in got.items():
                x = r["Suspensions"]
                if 1 <= x <= 4 and not 1 <= r["Number of pupils"] <= 4:
                    self.assertEqual(r["Note"], f"Small number: {x} suspension{'s' if x > 1 else ''}, read with care", f"{laestab} {label}")
                elif x == 0 and r["Permanent exclusions"] == 0 and not 1 <= r["Number of pupils"] <= 4:
                    self.assertIsNone(r["Note"])

    def test_finance_sheet_is_the_clawback_row(self):
        for row in self.metrics["la"]["clawback"]:
            _, body = table_after(self.profile(row["laestab"])["Finance"], "Line")
            self.assertEqual({r[0]: r[2] for r in body}, {k: row[k] for k in "ABCDEFGHIJK"})

    def shown_to(self, laestab):
        """The findings a school's Data to fix shows: its own and the LA-level ones shown to it, errors
        first, otherwise in findings.json's order."""
        want = [f for f in self.findings["findings"] if f["laestab"] == laestab or laestab in f.get("shown_to", [])]
        return sorted(want, key=lambda f: ["error", "query", "info"].index(f["severity"]))

    def test_data_to_fix_lists_the_schools_findings_with_a_response_drop_down(self):
        for laestab in self.metrics["schools"]:
            path = [p for p in self.profiles if p.name.startswith(laestab + "-")][0]
            ws = openpyxl.load_workbook(path)["Data to fix"]
            want = self.shown_to(laestab)
            header, body = table_after(ws, "Record")
            # The reply right after what is wrong; who acts and what to do next to it.
            # Which rows COLLECT will also raise, beside the severity (test_dfe.py checks its cells).
            self.assertEqual(header[:10], ["Record", "Pupil UPN", "Codes", "Severity", "DfE rule (COLLECT)",
                                           "What is wrong", "Response", "Comment", "Who acts", "What to do"])
            self.assertEqual(header[-1], "Finding id")
            self.assertEqual(len(body), len(want), laestab)
            self.assertEqual([r[3] for r in body], [f["severity"] for f in want], "errors first, as findings.json")
            self.assertEqual([r[2] for r in body], [f["codes"] for f in want])
            self.assertEqual([r[8] for r in body], [f["who_acts"] for f in want])
            self.assertEqual([r[-1] for r in body], [f["id"] for f in want])
            if not want:
                continue
            self.assertEqual(list(ws.tables.keys()), ["DataToFix"])
            [dv] = ws.data_validations.dataValidation
            self.assertEqual(dv.type, "list")
            self.assertEqual(dv.formula1, '"Fixed in MIS,Explained,Disputed"')

    def test_data_to_fix_freezes_the_record_and_protects_all_but_the_school_reply_cells(self):
        for laestab in ("8882002", "8881100", "8887000", "8882001"):
            ws = self.profile(laestab)["Data to fix"]
            header_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Record")
            # The header and the two identifying columns (Record, Pupil UPN) stay in view.
            self.assertEqual(ws.freeze_panes, f"C{header_row + 1}", laestab)
            # Protected without a password; filters still work.
            self.assertTrue(ws.protection.sheet, laestab)
            self.assertIsNone(ws.protection.password)
            self.assertFalse(ws.protection.autoFilter)  # False: not forbidden
            self.assertGreaterEqual(ws.column_dimensions["H"].width, 45, "Comment is wide")
            rows_ = [r for r in ws.iter_rows(min_row=header_row + 1) if r[0].value is not None]
            self.assertTrue(rows_)
            for r in rows_:
                school = r[8].value == "School"
                answers = school and r[3].value != "info"  # the school's errors and queries
                for c in r:
                    editable = c.column in (7, 8) and answers  # their Response and Comment
                    self.assertEqual(c.protection.locked, not editable, f"{laestab} {c.coordinate}")
                    if editable:
                        self.assertTrue(c.alignment.wrap_text, "the reply wraps as it is typed")
                # The instruction follows who acts.
                if answers:  # the census in the MIS, or the LA's own files (a clawback's commitments)
                    from_census = (r[13].value or "").startswith("census/")
                    self.assertIn("MIS" if from_census else "Send the LA what How to fix asks for", r[9].value)
                elif school:
                    self.assertEqual(r[9].value, "For information: no reply needed.")
                else:
                    self.assertTrue(r[9].value.startswith(f"For information: the {r[8].value} "), r[9].value)
                    self.assertIn("No reply needed.", r[9].value)
            # Field names read as words: no snake_case names in "Field and value" (the values stay as given).
            for r in rows_:
                for pair in (r[10].value or "").split("; "):
                    self.assertNotIn("_", pair.split(" = ")[0], f"{laestab} {r[10].value}")
            # The header and the lines above it are locked too.
            self.assertTrue(ws.cell(header_row, 7).protection.locked)
            self.assertTrue(ws["A1"].protection.locked)
            # Every other sheet is the LA's figures: protected, nothing to type in.
            wb = self.profile(laestab)
            for other in wb.worksheets:
                self.assertTrue(other.protection.sheet, f"{laestab} {other.title}")
                if other.title != "Data to fix":
                    unlocked = [c.coordinate for row in other.iter_rows() for c in row
                                if c.value is not None and not c.protection.locked]
                    self.assertEqual(unlocked, [], f"{laestab} {other.title}")

    def test_data_to_fix_gives_the_deadline_and_contact_at_the_top(self):
        ws = self.profile("8882002")["Data to fix"]
        top = [r[0] for r in rows(ws)[:8] if r[0]]
        self.assertIn("Reply by 14 February 2025. Questions: Census team, census@la888.example, 01632 960000.",
                      " ".join(top))
        about = " ".join(str(r[1]) for r in rows(self.profile("8882002")["About"]) if r[0] == "Replying")
        self.assertIn("No password is needed", about)

    def test_one_row_per_problem_the_loader_code_beside_the_rule_code(self):
        merged = [f for f in self.findings["findings"] if f.get("merged")]
        self.assertTrue(merged, "the example has loader findings on the fields rules report")
        ids = {f["id"] for f in self.findings["findings"]}
        for f in merged:
            for m in f["merged"]:
                self.assertNotIn(m["id"], ids, "a merged finding has no row of its own")
                self.assertEqual(f["codes"], m["rule"] + ", " + f["rule"])
        # A statement code (SEN provision S): one row, the loader's IN004 (DfE rule 2115), on the school's Data to
        # fix. CI008 reports only a missing provision, so nothing is merged: the loader's finding stands alone.
        f = next(f for f in self.findings["findings"] if f["rule"] == "IN004" and f["dfe_rule"] == "2115")
        _, body = table_after(self.profile(f["laestab"])["Data to fix"], "Record")
        mine = [r for r in body if r[1] == f["upn"]]
        self.assertEqual([r[2] for r in mine], ["IN004"])
        self.assertEqual(mine[0][3], "error")
        self.assertIn("DfE 2115 (error)", mine[0][4])

    def test_a_pupil_on_roll_at_two_schools_reaches_both_naming_the_other(self):
        [f] = [f for f in self.findings["findings"] if f["rule"] == "CI005"]
        self.assertEqual(len(f["shown_to"]), 2)
        names = {r["laestab"]: r["name"] for r in csv.DictReader(open(EXAMPLE / "schools.csv", encoding="utf-8-sig"))}
        for laestab in f["shown_to"]:
            [other] = [l for l in f["shown_to"] if l != laestab]
            _, body = table_after(self.profile(laestab)["Data to fix"], "Record")
            [row] = [r for r in body if r[-1] == f["id"]]
            self.assertEqual((row[1], row[2], row[8]), (f["upn"], "CI005", "LA data team"))
            self.assertIn(f"{names[other]} ({other})", row[9])
        # Counted among each school's findings on the Overview's data-quality figures.
        for laestab in f["shown_to"]:
            self.assertEqual(self.metrics["schools"][laestab]["findings.query"],
                             sum(1 for x in self.shown_to(laestab) if x["severity"] == "query"))

    def test_who_acts_is_the_school_or_the_la_team_whose_records_they_are(self):
        for f in self.findings["findings"]:
            family = "CI005" if f["rule"] == "CI005" else f["rule"][:2]  # CI005: the LA sorts it out with both
            if f["rule"] in ("CB002", "CB005"):  # the school must evidence its commitments or its plan
                family = "CB-school"
            want = {"EH": "la_sen", "AP": "la_ap", "CB": "la_finance", "CI": "school", "PN": "school",
                    "CI005": "la_data", "CB-school": "school"}.get(family)
            if want:
                self.assertEqual(f["actor"], want, f["id"])
        self.assertEqual({f["who_acts"] for f in self.findings["findings"]},
                         {"School", "LA data team", "LA SEN team", "LA AP team", "LA finance team"})
        # An input finding goes to whoever owns the input.
        for f in self.findings["findings"]:
            for m in [f] + f.get("merged", []):
                if m["rule"] in ("IN003", "IN004") and m.get("source"):
                    file = m["source"]["file"]
                    want = ("school" if file.startswith("census/") else "la_sen" if file == "ehcp_cases.csv" or file.startswith("sen2/")
                            else "la_ap" if file == "ap_placements.csv" else "la_finance"
                            if file in ("balances.csv", "commitments.csv") else "la_data")
                    self.assertEqual(f["actor"], want, m["id"])
        with open(self.out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
            got = {r["id"]: (r["who_acts"], r["codes"], r["merged_ids"]) for r in csv.DictReader(fh)}
        for f in self.findings["findings"]:
            self.assertEqual(got[f["id"]], (f["who_acts"], f["codes"], "; ".join(m["id"] for m in f.get("merged", []))))

    def test_about_sheet_and_custom_properties_carry_versions_and_hashes(self):
        inputs = {i["path"]: i["sha256"] for i in self.findings["run"]["inputs"]}
        for path in self.profiles:
            laestab = path.name[:7]
            ws = openpyxl.load_workbook(path)["About"]
            _, body = table_after(ws, "File")
            shown = {r[0]: r[3] for r in body}
            self.assertIn(f"census/{laestab}.xml", shown)
            self.assertFalse([p for p in shown if p.startswith("census/") and laestab not in p], "other schools' files")
            for p, h in shown.items():
                self.assertEqual(inputs[p], h)
            with zipfile.ZipFile(path) as z:
                custom = z.read("docProps/custom.xml").decode()
            self.assertIn("censusqa version", custom)
            self.assertIn("plugin primary-need", custom)
            self.assertIn(inputs[f"census/{laestab}.xml"], custom)

    def test_la_workbook_sheets_equal_findings_and_metrics(self):
        wb = openpyxl.load_workbook(self.out / "validation-report.xlsx")
        self.assertEqual(wb.sheetnames,
                         ["Summary", "Returns", "Findings", "Clawback", "EHCP timeliness", "AP", "Movement", "Run"])
        header, body = table_after(wb["Findings"], "Finding id")
        self.assertEqual([r[0] for r in body], [f["id"] for f in self.findings["findings"]])
        self.assertEqual(list(wb["Findings"].tables.keys()), ["Findings"])
        self.assertEqual(header[:10], ["Finding id", "Severity", "Codes", "DfE rule", "Title", "LAEstab", "School",
                                       "Who acts", "Profile", "How to fix"])
        self.assertEqual([r[2] for r in body], [f["codes"] for f in self.findings["findings"]])
        self.assertEqual([r[7] for r in body], [f["who_acts"] for f in self.findings["findings"]])
        rules_text = run("rules", "IN004", check_exit=0).stdout
        [in004] = [r for r in body if r[2] == "IN004"][:1]
        self.assertIn(in004[9], rules_text.replace("\n", " "))
        _, body = table_after(wb["Summary"], "LAEstab")
        by_school = self.findings["summary"]["by_school"]
        for r in body:
            if r[0] in by_school:
                self.assertEqual(r[3:6], [by_school[r[0]][s] for s in ("error", "query", "info")], r[0])
        # Each school's profile is linked (relative to the workbook), as on Findings; a school the register
        # does not know says so.
        summary_ws = wb["Summary"]
        header_row = next(c.row for c in summary_ws["A"] if c.value == "LAEstab")
        for row in summary_ws.iter_rows(min_row=header_row + 1):
            if row[0].value is None:
                break  # the By rule table follows
            if row[8].value:  # Profile, after the COLLECT errors and queries expected (test_dfe.py)
                self.assertEqual(row[8].hyperlink.target, row[8].value)
                self.assertTrue((self.out / row[8].value).is_file(), row[8].value)
            names = {r["laestab"] for r in register_rows()}
            if row[0].value and row[0].value != "(LA-wide)" and row[0].value not in names:
                self.assertEqual(row[1].value, "not in the register")
        # Each school's link lands on its first finding.
        findings_ws = wb["Findings"]
        for cell in wb["Summary"]["A"]:
            if cell.hyperlink and cell.value != "(LA-wide)":
                target = cell.hyperlink.location.split("!")[1]
                self.assertEqual(findings_ws[target.replace("A", "F", 1)].value, cell.value)  # LAEstab
        _, body = table_after(wb["Clawback"], "LAEstab")
        self.assertEqual([[r[0]] + r[3:14] for r in body],
                         [[c["laestab"]] + [c[k] for k in "ABCDEFGHIJK"] for c in self.metrics["la"]["clawback"]])
        _, body = table_after(wb["EHCP timeliness"], "Year")
        self.assertEqual([r[0] for r in body], [y["year"] for y in self.metrics["la"]["ehcp_timeliness"]])
        ws = wb["EHCP timeliness"]
        years = [c for c in ws["A"] if isinstance(c.value, int)]
        self.assertEqual(len(years), len(body))
        for c in years:
            self.assertEqual(c.number_format, "0", f"{c.coordinate}: a year shows as 2018, not 2,018")
        # The AP sheet's headers are words, not metrics.json's names.
        header, body = table_after(wb["AP"], "LAEstab")
        self.assertEqual(header[:4], ["LAEstab", "School", "Pupils placed", "Placements started this academic year"])
        self.assertFalse([h for h in header if "_" in h], header)
        for r in body:
            self.assertEqual(r[2], self.metrics["la"]["ap"]["by_school"][r[0]]["pupils"])

    def test_pupil_movement_table_shows_the_schools_figures_and_lists_its_pupils_on_no_roll(self):
        gone = defaultdict(set)
        for f in self.findings["findings"]:
            if f["rule"] == "MV001":
                gone[f["laestab"]].add(f["upn"])
        self.assertTrue(gone, "the example has pupils on no roll (MV001)")
        for laestab in self.metrics["la"]["movement"]["by_school"]:
            wb = self.profile(laestab)
            all_rows = rows(wb["Exclusions and AP"])
            start = next(i for i, r in enumerate(all_rows) if r[0] == "Pupil movement since the previous census")
            head = all_rows[start + 1]
            first = dict(zip(head, all_rows[start + 2]))
            m = self.metrics["schools"][laestab]
            self.assertEqual(first["Pupils"], "All pupils", laestab)
            self.assertEqual(first["On roll at the previous census"], m["movement.on_roll_previous"], laestab)
            self.assertEqual(first["On no roll, no leavers' list, no placement"], m["movement.vanished"], laestab)
            self.assertEqual(first["Unexplained exits"], m["movement.unexplained_exits"], laestab)
            self.assertEqual(first["Joined since"], m["movement.joined"], laestab)
            listed = set()
            for i, r in enumerate(all_rows):
                if r[0] == "Pupils on this school's roll at the previous census and on no roll now":
                    for r2 in all_rows[i + 2:]:
                        if r2[0] is None or str(r2[0]).startswith("Say where"):
                            break
                        listed.add(r2[0])
            self.assertEqual(listed, gone.get(laestab, set()), laestab)

    def test_schools_alone_in_their_phase_have_no_comparator_and_no_flag(self):
        # The special school, the PRU and the only secondary: their phase's LA group is the school itself.
        for laestab, words in (("8887000", "special school"), ("8881100", "pupil referral unit"),
                               ("8884000", "secondary school")):
            wb = self.profile(laestab)
            g = self.metrics["la"]["comparator_groups"]["schools"][laestab]
            self.assertEqual((g["la_others"], g["similar_others"], g["compared_with"]), (0, 0, "none"), laestab)
            header, body = table_after(wb["Overview"], "Indicator")
            self.assertEqual(header, ["Indicator", "This school", "Number", "Out of", "Note"], laestab)
            subtitle = " ".join(str(r[0]) for r in rows(wb["Overview"])[:8] if r[0])
            self.assertIn(f"This is the LA's only {words} with a return", subtitle)
            self.assertIn("there is no comparator and nothing is flagged", subtitle)
            for r in body:
                self.assertNotIn(r[-1], ("in line", "above", "below"), f"{laestab} {r[0]}")
            header, body = table_after(wb["Needs"], "Primary need")
            self.assertEqual(header, ["Primary need", "SEN support", "EHC plan", "All with SEN",
                                      "% of pupils with SEN"], laestab)
            header, _ = table_after(wb["Exclusions and AP"], "Pupils")
            self.assertFalse([h for h in header if h and h.startswith("LA")], laestab)
            text = workbook_text(self.out / "profiles" / [p.name for p in self.profiles if p.name.startswith(laestab)][0])
            self.assertNotIn(">in line<", text, laestab)

    def test_a_primary_is_compared_with_the_other_primaries_in_one_column(self):
        # Vale Green: 7 primaries, too few to split by FSM quintile, so the similar group is the phase and
        # only the LA column shows, without the school.
        for laestab in ("8882002", "8882001"):
            g = self.metrics["la"]["comparator_groups"]["schools"][laestab]
            self.assertEqual((g["la_others"], g["similar_basis"], g["compared_with"]), (6, "phase", "LA"))
            header, body = table_after(self.profile(laestab)["Overview"], "Indicator")
            self.assertEqual(header, ["Indicator", "This school", "Number", "Out of", "LA (same phase)",
                                      "Compared with LA (same phase)", "Note"])
            r = {row[0]: row for row in body}["SEN support"]
            la = self.la_members(laestab)
            self.assertEqual(r[4], pct(self.others(la, laestab, ["sen_support"]),
                                       self.others(la, laestab, ["pupils_on_roll"])))
        subtitle = " ".join(str(r[0]) for r in rows(self.profile("8882002")["Overview"])[:8] if r[0])
        self.assertIn("the LA's 6 other primary schools with a return", subtitle)
        self.assertIn("this school is not part of its own comparators", subtitle)

    def test_statutory_years_are_years_and_small_numbers_are_named(self):
        for laestab in ("8887000", "8882002", "8881100", "8882001"):
            ws = self.profile(laestab)["Statutory assessment"]
            header, body = table_after(ws, "Year")
            self.assertNotIn("England % (published)", header, "no empty England column")
            self.assertEqual(header[-1], "Note")
            for r in body:
                plans = r[header.index("Plans issued")]
                if 1 <= plans <= 4:
                    self.assertEqual(r[-1], f"Small number: {plans} plan{'s' if plans > 1 else ''} issued, read with care")
                else:
                    self.assertIsNone(r[-1])
            years = [c for c in ws["A"] if isinstance(c.value, int)]
            self.assertEqual(len(years), len(body), laestab)
            for c in years:
                self.assertEqual(c.number_format, "0", f"{laestab} {c.coordinate}")
        _, body = table_after(self.profile("8887000")["Statutory assessment"], "Year")
        self.assertEqual(body[0][0], 2018)

    def test_words_not_codes_on_the_figures_sheets(self):
        snake = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
        for path in self.profiles:
            wb = openpyxl.load_workbook(path)
            for name in ("Overview", "Needs", "Statutory assessment", "Exclusions and AP"):
                for r in rows(wb[name]):
                    for v in r:
                        if isinstance(v, str):
                            self.assertIsNone(snake.search(v), f"{path.name} {name}: {v!r}")
                            self.assertNotIn(v.strip().lower(), ("pru", "neet", "same school", "ehe", "post16"))
        self.assertIn("Phase: pupil referral unit", workbook_text(
            [p for p in self.profiles if p.name.startswith("8881100")][0]))

    def test_ap_pupils_and_placements_and_destinations_that_add_up(self):
        placements = list(csv.DictReader(open(EXAMPLE / "ap_placements.csv")))
        ap = self.metrics["la"]["ap"]
        for laestab, fig in ap["by_school"].items():
            m = self.metrics["schools"][laestab]
            self.assertEqual(m["ap.pupils_placed"], fig["pupils"])
            self.assertLessEqual(fig["pupils"], fig["open"] + fig["ended"])
            wb = self.profile(laestab)
            _, body = table_after(wb["Overview"], "Indicator")
            over = {r[0]: r for r in body}
            self.assertEqual(over["Pupils placed in alternative provision (open or ended placements)"][1], fig["pupils"])
            header, body = table_after(wb["Exclusions and AP"], "Measure")
            got = {r[0]: r[1] for r in body}
            self.assertEqual(got["Pupils placed (open or ended placements)"], fig["pupils"])
            self.assertEqual(got["Placements (open or ended; a pupil may have several)"], fig["open"] + fig["ended"])
            header, body = table_after(wb["Exclusions and AP"], "Destination")
            if fig["ended"]:
                self.assertEqual(body[-1], ["All ended placements", fig["ended"]] + [None] * (len(body[-1]) - 2))
                self.assertEqual(sum(r[1] for r in body[:-1]), fig["ended"], "the destinations add up")
                self.assertIn("Back to the home school", [r[0] for r in body])
        home = {p["upn"] for p in placements if p["home_laestab"] == "8884000"}
        self.assertLessEqual(ap["by_school"]["8884000"]["pupils"], len(home))
        self.assertGreater(ap["by_school"]["8884000"]["pupils"], 0)

    def test_the_pru_counts_its_dual_registered_pupils_and_sees_the_placements_at_it(self):
        m = self.metrics["schools"]["8881100"]
        root = used_returns(EXAMPLE)["8881100"]
        statuses = Counter(p.findtext("PupilStatus/EnrolStatus") for p in
                           root.iterfind("Pupils/PupilsOnRoll/PupilOnRoll"))
        self.assertGreater(statuses["S"], 0)
        self.assertEqual(m["dual_subsidiary"], statuses["S"])
        self.assertEqual(m["pupils_on_roll"], statuses["C"] + statuses["M"] + statuses["S"])
        wb = self.profile("8881100")
        _, body = table_after(wb["Overview"], "Indicator")
        self.assertEqual({r[0]: r[1] for r in body}["Pupils on roll"], m["pupils_on_roll"])
        urn = next(r["urn"] for r in csv.DictReader(open(EXAMPLE / "schools.csv")) if r["laestab"] == "8881100")
        at = self.metrics["la"]["ap"]["by_provider"][urn]
        all_rows = rows(wb["Exclusions and AP"])
        titles = [r[0] for r in all_rows]
        i = titles.index("Alternative provision placements at this school (as the provider)")
        got = {r[0]: r[1] for r in all_rows[i + 2:i + 11]}
        self.assertEqual(got["Pupils placed (open or ended placements)"], at["pupils"])
        self.assertEqual(got["Placements ended"], at["ended"])
        self.assertEqual(got["Reintegrations sustained (number)"], at["sustained"])
        self.assertGreater(at["pupils"], 0)
        self.assertIn("Where pupils went when their placement here ended", titles)
        # A primary is no provider: no such table.
        self.assertNotIn("Alternative provision placements at this school (as the provider)",
                         [r[0] for r in rows(self.profile("8882002")["Exclusions and AP"])])

    def test_a_special_school_pupil_without_sen_is_a_query(self):
        root = used_returns(EXAMPLE)["8887000"]
        no_sen = sorted(p.findtext("PupilIdentifiers/UPN") for p in root.iterfind("Pupils/PupilsOnRoll/PupilOnRoll")
                        if p.findtext("SpecialEducationalNeeds/SENprovision") == "N")
        self.assertGreater(len(no_sen), 0)
        ci019 = [f for f in self.findings["findings"] if f["rule"] == "CI019"]
        self.assertEqual(sorted(f["upn"] for f in ci019), no_sen)
        self.assertEqual({f["laestab"] for f in ci019}, {"8887000"})
        header, body = table_after(self.profile("8887000")["Data to fix"], "Record")
        self.assertEqual(header[:4], ["Record", "Pupil UPN", "Codes", "Severity"])
        self.assertEqual(sorted(r[1] for r in body if r[2] == "CI019"), no_sen)
        self.assertEqual({r[3] for r in body if r[2] == "CI019"}, {"error"})

    def test_la_findings_link_each_school_profile_by_a_relative_path(self):
        wb = openpyxl.load_workbook(self.out / "validation-report.xlsx")
        ws = wb["Findings"]
        header_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Finding id")
        linked = 0
        for r in ws.iter_rows(min_row=header_row + 1):
            if r[0].value is None:
                break
            laestab, cell = r[5].value, r[8]  # LAEstab and Profile, after the DfE rule column
            if laestab and laestab in self.metrics["schools"]:
                [path] = [p for p in self.profiles if p.name.startswith(laestab + "-")]
                self.assertEqual(cell.value, f"profiles/{path.name}")
                self.assertEqual(cell.hyperlink.target, f"profiles/{path.name}")  # relative: the folder moves whole
                self.assertTrue((self.out / cell.hyperlink.target).is_file())
                linked += 1
            else:
                self.assertIsNone(cell.value, r[0].value)  # LA-wide, or no profile: nothing to link
        self.assertGreater(linked, 20)
        with zipfile.ZipFile(self.out / "validation-report.xlsx") as z:
            rels = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/_rels/")]
        self.assertTrue(any('Target="profiles/' in r and 'TargetMode="External"' in r for r in rels))

    def check_print(self, path, whose, wide=()):
        """Every sheet prints A4 landscape with the header (whose, marking, census) and footer (page x
        of y), one page wide except the sheets in `wide` (two)."""
        wb = openpyxl.load_workbook(path)
        parts = sheet_parts(path)
        for ws in wb.worksheets:
            where = f"{path.name} {ws.title}"
            header, footer = header_footer(parts[ws.title])
            self.assertEqual(header, f"&L{whose}&C{MARKING}&RSpring 2025 census", where)
            self.assertRegex(footer, r"^&L.+: " + re.escape(ws.title.replace("&", "&&")) +
                             r"&CPage &P of &N&R" + re.escape(MARKING) + "$", where)
            self.assertEqual(ws.page_setup.orientation, "landscape", where)
            self.assertEqual(ws.page_setup.paperSize, 9, where)  # A4
            self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage, where)
            # OOXML's default for fitToWidth is 1, so a writer may leave it out.
            self.assertEqual(int(ws.page_setup.fitToWidth or 1), 2 if ws.title in wide else 1, where)
            self.assertEqual(int(ws.page_setup.fitToHeight), 0, where)
        return wb

    def test_every_sheet_prints_with_header_footer_page_numbers_and_repeated_headers(self):
        names = {r["laestab"]: r["name"] for r in register_rows()}
        for path in self.profiles:
            l = path.name[:7]
            wb = self.check_print(path, f"{names[l]} (LAEstab {l})", wide={"Data to fix"})
            ws = wb["Data to fix"]
            header, body = table_after(ws, "Record")
            if body:  # the header row repeats on every printed page, as it stays on screen
                row = next(c.row for c in ws["A"] if c.value == "Record")
                self.assertEqual(ws.print_title_rows, f"${row}:${row}", path.name)
                self.assertEqual(ws.freeze_panes, f"C{row + 1}", path.name)  # and the Record and UPN columns,
                self.assertEqual(ws.print_title_cols, "$A:$B", path.name)  # which print on every page too
        wb = self.check_print(self.out / "validation-report.xlsx", "Sampleshire (generated) (LA 888)",
                              wide={"Findings"})
        for title, first in (("Findings", "Finding id"), ("Returns", "LAEstab")):
            row = next(c.row for c in wb[title]["A"] if c.value == first)
            self.assertEqual(wb[title].print_title_rows, f"${row}:${row}", title)

    def test_the_chart_has_alternative_text_with_its_figures(self):
        path = [p for p in self.profiles if p.name.startswith("8882002-")][0]
        with zipfile.ZipFile(path) as z:
            drawing = next(n for n in z.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml"))
            xml = z.read(drawing).decode()
        descr = unescape(re.search(r'<xdr:cNvPr [^>]*descr="([^"]*)"', xml).group(1))
        _, body = table_after(openpyxl.load_workbook(path)["Needs"], "Primary need")
        self.assertTrue(descr.startswith("Bar chart: Primary need: % of pupils with SEN. Values are % of pupils "
                                         "with SEN."), descr)
        asd = next(r for r in body if r[0].endswith("(ASD)"))
        la_asd = f"{asd[5]:.1f}%" if isinstance(asd[5], float) else asd[5]
        mine = f"{asd[4]:.1f}%" if isinstance(asd[4], float) else asd[4]
        self.assertIn(f"{asd[0]}: Vale Green Primary School {mine}, LA (same phase) {la_asd};", descr)

    def test_the_overview_opens_with_a_headline_from_its_rows(self):
        for laestab in self.metrics["schools"]:
            ws = self.profile(laestab)["Overview"]
            text = lead_lines(ws)
            header, body = table_after(ws, "Indicator")
            flag_cols = [i for i, h in enumerate(header) if h.startswith("Compared with ")]
            if not flag_cols:  # no comparator (the LA's only school of its phase): nothing to headline
                self.assertTrue(text.startswith("No indicator"), laestab)
                continue
            flag_col = flag_cols[0]
            name = header[flag_col][len("Compared with "):]
            sim_col = next(i for i, h in enumerate(header) if i != flag_col and h.startswith(name))
            differing = [r for r in body if r[flag_col] in ("above", "below", "well above", "well below")
                         and not (r[-1] or "").startswith("Small number")]
            # The strongest flags first, then the largest difference relative to the comparator.
            differing.sort(key=lambda r: (-(2 if r[flag_col].startswith("well") else 1),
                                          -(abs(r[1] - r[sim_col]) / r[sim_col] if r[sim_col] else math.inf)))
            for r in differing[:3]:
                self.assertIn(f"{r[0]} is {r[flag_col]} {name}: ", text, laestab)
            for r in differing[3:]:
                self.assertNotIn(f"{r[0]} is ", text, laestab)
            if not differing:
                self.assertTrue(text.startswith("No indicator"), laestab)
            for r in body:  # a small number never makes a headline
                if (r[-1] or "").startswith("Small number"):
                    self.assertNotIn(f"{r[0]} is ", text, laestab)
            if len(differing) > 3:
                self.assertIn(f"{len(differing) - 3} other indicator", text, laestab)
            # The school's own rows (who acts: School), as Data to fix asks it to answer them.
            mine = [f for f in self.findings["findings"] if laestab in (f.get("shown_to") or [f["laestab"]])
                    and f["who_acts"] == "School" and "explanation" not in f]
            errors = sum(f["severity"] == "error" for f in mine)
            queries = sum(f["severity"] == "query" for f in mine)
            if errors or queries:
                self.assertIn(f"{errors} error{'' if errors == 1 else 's'} and {queries} "
                              f"quer{'y' if queries == 1 else 'ies'} for the school to answer are listed on the Data to "
                              f"fix sheet; please reply there by Friday 14 February 2025 (questions: Census team, "
                              f"census@la888.example, 01632 960000).", text, laestab)
            sentences = re.split(r"(?<=\.)\s+(?=[A-Z0-9])", text)
            self.assertTrue(1 <= len(sentences) <= 5, sentences)
            # The headline sits above the indicators table, under the subtitle.
            lead_row = next(c.row for c in ws["A"] if c.value and text.startswith(c.value))
            table_row = next(c.row for c in ws["A"] if c.value == "Headline indicators")
            self.assertLess(lead_row, table_row)

    def test_returns_sheet_lists_every_register_school_without_a_store(self):
        wb = openpyxl.load_workbook(self.out / "validation-report.xlsx")
        ws = wb["Returns"]
        header, body = table_after(ws, "LAEstab")
        self.assertEqual(header, ["LAEstab", "School", "Census return", "Exported (MIS date and time)",
                                  "Export number (SerialNo)", "MIS and release", "Errors open", "Queries open",
                                  "Explained (applied this run)", "Disputes awaiting the LA", "Profile",
                                  "Reply received", "Days to the deadline", "Next step"])
        register = [r for r in register_rows() if r["laestab"].startswith("888")]
        self.assertEqual([r[0] for r in body], sorted(r["laestab"] for r in register))
        rows = {r[0]: r for r in body}
        # Open: the school's own rows (who acts: School), as Data to fix asks it to answer them.
        def school_open(l, severity):
            return sum(1 for f in self.findings["findings"]
                       if l in (f.get("shown_to") or [f["laestab"]]) and f["severity"] == severity
                       and f["who_acts"] == "School" and not f.get("explanation"))
        for l, r in rows.items():
            self.assertEqual(r[6:8], [school_open(l, "error"), school_open(l, "query")], l)
            self.assertEqual(r[9], "needs --db")
            self.assertEqual(r[11], "needs --db")
        # The school with no return: IN007 fires for it and the sheet says so.
        in007 = [f for f in self.findings["findings"] if f["rule"] == "IN007"]
        self.assertEqual([f["laestab"] for f in in007], ["8882007"])
        self.assertEqual(rows["8882007"][2], "no return")
        self.assertEqual(rows["8882007"][10], "none: no return")
        self.assertEqual(rows["8882007"][13], "Chase the census return (IN007)")
        # A return: its file, the MIS's export time and number from its header.
        v = rows["8882002"]
        self.assertEqual(v[2:6], ["census/8882002.xml", "2025-01-19 13:58", 5, "BROMCOM 25.1.3"])
        self.assertEqual(v[10], "written in this run")
        started = datetime.date.fromisoformat(self.findings["run"]["started"][:10])
        days = (datetime.date(2025, 2, 14) - started).days
        self.assertEqual(v[12], days if v[6] + v[7] else None)
        self.assertIn(("Overdue: chase the reply" if days < 0 else "Awaiting the school's reply (replies need --db)")
                      if v[6] + v[7] else "Nothing open", [v[13]])
        self.assertIn("Without a history store (--db)", " ".join(str(c.value) for c in ws["A"][:6]))
        # Each LAEstab links to the school's first finding.
        findings_ws = wb["Findings"]
        for cell in ws["A"]:
            if cell.hyperlink:
                target = cell.hyperlink.location.split("!")[1]
                self.assertEqual(findings_ws[target.replace("A", "F", 1)].value, cell.value)  # LAEstab

    def test_clawback_annex_lists_the_schools_it_leaves_out(self):
        wb = openpyxl.load_workbook(self.out / "validation-report.xlsx")
        header, body = table_after(wb["Clawback"], "LAEstab")
        in_annex = {r[0] for r in body}
        rows = rows_of(wb["Clawback"], "Schools the annex leaves out")
        left_out = {r[0]: r[2] for r in rows}
        self.assertEqual(left_out, {c["laestab"]: c["reason"] for c in self.metrics["la"]["clawback_left_out"]})
        register = {r["laestab"]: r for r in register_rows()}
        self.assertEqual(set(left_out) | in_annex, set(register))
        self.assertFalse(set(left_out) & in_annex)
        for l, why in left_out.items():
            if register[l]["governance"] == "academy":
                self.assertTrue(why.startswith("an academy at the financial year end"), why)

    def test_packages_are_valid(self):
        for path in self.profiles + [self.out / "validation-report.xlsx"]:
            with zipfile.ZipFile(path) as z:
                self.assertIsNone(z.testzip(), path.name)
                names = z.namelist()
                self.assertIn("[Content_Types].xml", names)
                for name in names:
                    if name.endswith((".xml", ".rels")):
                        ET.fromstring(z.read(name))  # every XML part parses

    def test_libreoffice_converts_a_profile_to_pdf(self):
        office = shutil.which("libreoffice") or shutil.which("soffice")
        if not office:
            self.skipTest("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
        pdf_dir = self.tmp / "pdf"
        p = subprocess.run([office, "--headless", f"-env:UserInstallation=file://{self.tmp}/lo-profile",
                            "--convert-to", "pdf", "--outdir", str(pdf_dir), str(self.profiles[0])],
                           capture_output=True, text=True, timeout=300)
        pdf = pdf_dir / (self.profiles[0].stem + ".pdf")
        self.assertTrue(pdf.is_file(), p.stdout + p.stderr)
        self.assertGreater(len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())), 4)


class Privacy(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-privacy-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def check_la(self, la):
        out = self.tmp / ("out-" + la.name)
        run("run", la, "--out", out, "-q")
        roll, names, school_words = {}, set(), set()
        for laestab, root in used_returns(la).items():
            for p in pupil_records(root):
                roll.setdefault(laestab, set()).add((p.findtext("PupilIdentifiers/UPN") or "").strip().upper())
        # The previous census's roll is the school's own too: a pupil gone since (MV001) is the school's to explain.
        for xml in (la / "previous" / "census").glob("*.xml"):
            root = ET.parse(xml).getroot()
            laestab = (root.findtext("Header/Source/LEA") or "") + (root.findtext("Header/Source/Estab") or "")
            for p in root.iterfind("Pupils/PupilsOnRoll/PupilOnRoll"):
                roll.setdefault(laestab, set()).add((p.findtext("PupilIdentifiers/UPN") or "").strip().upper())
                names.add((p.findtext("PupilIdentifiers/Forename"), p.findtext("PupilIdentifiers/Surname")))
        for xml in (la / "census").glob("*.xml"):  # every file's names, the CTF's and the superseded return's too
            for p in ET.parse(xml).getroot().iter("PupilIdentifiers"):
                names.add((p.findtext("Forename"), p.findtext("Surname")))
            for p in ET.parse(xml).getroot().iter("Pupil"):
                names.add((p.findtext("Forename"), p.findtext("Surname")))
        # DFE1580/1590's injected pupils have an empty Surname or Forename: nothing to look for
        names = {(f, s) for f, s in names if f and s}
        for r in csv.DictReader(open(la / "schools.csv", encoding="utf-8-sig")):
            school_words.update(r.get("name", "").split())
        if (la / "ap_placements.csv").exists():
            for r in csv.DictReader(open(la / "ap_placements.csv", encoding="utf-8-sig")):
                roll.setdefault(r["home_laestab"], set()).add(r["upn"].strip().upper())
        self.assertGreater(len(names), 10)
        profiles = sorted((out / "profiles").glob("*.xlsx"))
        self.assertEqual(len(profiles), len(roll.keys() & {p.name[:7] for p in profiles}))
        seen = 0
        for path in profiles:
            text = workbook_text(path)
            upns = set(UPN.findall(text))
            seen += len(upns)
            self.assertEqual(sorted(upns - roll.get(path.name[:7], set())), [], f"{path.name}: other schools' pupils")
            for forename, surname in names:
                self.assertNotIn(f"{forename} {surname}", text, path.name)
                if surname not in school_words:
                    self.assertIsNone(re.search(rf"\b{re.escape(surname)}\b", text), f"{surname} in {path.name}")
        self.assertGreater(seen, 0, "the profiles should name their own pupils in Data to fix")
        la_text = workbook_text(out / "validation-report.xlsx")
        for forename, surname in names:
            self.assertNotIn(f"{forename} {surname}", la_text)

    def test_example_la(self):
        self.check_la(EXAMPLE)

    def test_generated_la_with_cross_school_pupils(self):
        la = self.tmp / "gen"
        subprocess.run([GEN, "--schools", "25", "--pupils", "6000", "--seed", "23", "--out", la], check=True,
                       capture_output=True)
        self.check_la(la)

    def test_masking_a_foreign_upn(self):
        # A finding that names another school's pupil (a duplicate UPN across schools) is masked.
        la = self.tmp / "dup"
        shutil.copytree(EXAMPLE, la)
        a, b = sorted((la / "census").glob("*.xml"))[:2]
        upn_b = ET.parse(b).getroot().find(".//PupilOnRoll/PupilIdentifiers/UPN").text
        text = a.read_text()
        first = re.search(r"<UPN>([^<]+)</UPN>", text).group(1)
        a.write_text(text.replace(f"<UPN>{first}</UPN>", f"<UPN>{upn_b}</UPN>", 1))
        self.check_la(la)


class EnglandFromRealReference(unittest.TestCase):
    """The England column from the DfE's real SEN in England school-level file (a sample of it)."""

    def test_england_figures_equal_the_dfe_file_by_phase(self):
        shared = Path(os.environ["CENSUSQA_SHARED_DIR"])
        ref = shared / "data" / "dfe-sample-schools-2223" / "sen_school_level_underlying_data_202223_sample69.csv"
        tmp = Path(tempfile.mkdtemp(prefix="censusqa-england-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        la = tmp / "la"
        shutil.copytree(EXAMPLE, la)
        (la / "reference").mkdir()
        shutil.copy(ref, la / "reference" / ref.name)
        out = tmp / "out"
        run("run", la, "--out", out, "-q")
        number = lambda v: int(v.replace(",", "").strip('"')) if re.fullmatch(r'"?[\d,]+"?', v.strip()) else 0
        want = Counter()
        for r in csv.DictReader(open(ref, encoding="utf-8-sig")):
            if r["phase_type_grouping"] == "State-funded primary":
                want["schools"] += 1
                want["pupils_on_roll"] += number(r["Total pupils"])
                want["sen_support"] += number(r["SEN support"])
                want["ehc_plan"] += number(r["EHC plan"])
                want["need.ASD.ehc_plan"] += number(r["EHC_Primary_need_asd"])
                want["need.ASD.sen_support"] += number(r["SUP_Primary_need_asd"])
        self.assertGreater(want["schools"], 10)
        metrics = json.loads((out / "metrics.json").read_text())
        england = metrics["la"]["england"]["primary"]
        for k, v in want.items():
            self.assertEqual(england[k], v, k)
        wb = openpyxl.load_workbook(next((out / "profiles").glob("8882002-*.xlsx")))
        header, body = table_after(wb["Overview"], "Indicator")
        by_label = {r[0]: dict(zip(header, r)) for r in body}
        self.assertEqual(by_label["SEN support"]["England"], pct(want["sen_support"], want["pupils_on_roll"]))
        self.assertEqual(by_label["EHC plan"]["England"], pct(want["ehc_plan"], want["pupils_on_roll"]))
        self.assertEqual(by_label["Suspensions per 100 pupils"]["England"], DASH)  # not in this reference file
        self.assertIn("Compared with LA (same phase)", header)  # other primaries: the LA's, not England's
        # The LA's only special school, PRU and secondary: compared with England, now that it is loaded.
        for laestab, phase in (("8887000", "special"), ("8881100", "pru"), ("8884000", "secondary")):
            g = metrics["la"]["comparator_groups"]["schools"][laestab]
            self.assertEqual(g["compared_with"], "England", laestab)
            e = metrics["la"]["england"][phase]
            m = metrics["schools"][laestab]
            alone = openpyxl.load_workbook(next((out / "profiles").glob(f"{laestab}-*.xlsx")))
            header, body = table_after(alone["Overview"], "Indicator")
            self.assertEqual(header, ["Indicator", "This school", "Number", "Out of", "England", "Compared with England",
                                      "Note"], laestab)
            r = {row[0]: dict(zip(header, row)) for row in body}["EHC plan"]
            self.assertEqual(r["England"], pct(e["ehc_plan"], e["pupils_on_roll"]), laestab)
            self.assertEqual(r["Compared with England"],
                             flag(m["ehc_plan"], m["pupils_on_roll"], e["ehc_plan"] / e["pupils_on_roll"]), laestab)
            r = {row[0]: dict(zip(header, row)) for row in body}["Suspensions per 100 pupils"]
            self.assertIsNone(r["Compared with England"])  # England's file has no exclusions: nothing to compare
            self.assertIn(r["Note"], ("No comparator: not flagged", "Small number: not flagged"), laestab)
        header, body = table_after(wb["Needs"], "Primary need")
        col = header.index("England %")
        asd = [r for r in body if r[0].endswith("(ASD)")][0]
        self.assertEqual(asd[col], pct(want["need.ASD.ehc_plan"] + want["need.ASD.sen_support"], england_sen(england)))


def england_sen(e):
    return e["sen_support"] + e["ehc_plan"]


class Commands(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-cmd-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_summer_census_shows_needs_as_not_collected(self):
        # SEN type is collected in the spring census: a summer profile's needs are not 0 "in line".
        la = self.tmp / "sum"
        subprocess.run([GEN, "--schools", "4", "--pupils", "900", "--seed", "5", "--term", "SUM",
                        "--reference-date", "2025-05-15", "--out", la], check=True, capture_output=True)
        out = self.tmp / "sum-out"
        run("run", la, "--out", out, "-q", check_exit=None)
        metrics = json.loads((out / "metrics.json").read_text())
        self.assertFalse(any(k.startswith("need.") and v for k, v in metrics["la"].items()))
        for path in sorted((out / "profiles").glob("*.xlsx")):
            wb = openpyxl.load_workbook(path)
            _, body = table_after(wb["Needs"], "Primary need")
            self.assertEqual(len(body), 13, path.name)
            for r in body:
                self.assertEqual(r[1:4], [DASH, DASH, DASH], (path.name, r))
                self.assertNotIn("in line", [str(v) for v in r], (path.name, r))
            text = " ".join(str(v) for r in rows(wb["Needs"]) for v in r if v)
            self.assertIn("Primary needs are not collected in this census", text, path.name)
            self.assertNotIn("no primary need recorded: see Data to fix", text, path.name)
            header, body = table_after(wb["Overview"], "Indicator")
            needs = [dict(zip(header, r)) for r in body if r[0].startswith("Pupils with SEN whose primary need")]
            self.assertEqual(len(needs), 5, path.name)
            for r in needs:
                self.assertEqual(r["This school"], DASH, (path.name, r))
                self.assertEqual(r["Note"], "Not collected in this census (the spring census collects primary needs)")
                self.assertNotIn("in line", [str(v) for v in r.values()], (path.name, r))

    def test_run_sheet_shows_each_plugins_isolation_and_messages(self):
        out = self.tmp / "v"
        run("validate", EXAMPLE, "--out", out, "-q", "--plugins",
            Path(os.environ["CENSUSQA_TEST_PLUGINS"]) / "logging", check_exit=1)
        ws = openpyxl.load_workbook(out / "validation-report.xlsx")["Run"]
        header, body = table_after(ws, "Plugin")
        self.assertEqual(header[:8], ["Plugin", "Version", "SDK", "File", "Rules", "Status", "Isolated", "Error"])
        isolated = {r[0]: r[6] for r in body}
        self.assertEqual(isolated["logging"], "yes")
        self.assertEqual(isolated["census-integrity"], "no")
        messages = rows_of(ws, "Plugin messages")
        self.assertEqual([m[:3] for m in messages[:2]], [["logging", "info", "read 3 holiday dates"],
                                                         ["logging", "warning",
                                                          "the holidays list ends before the census date"]])
        self.assertEqual(len(messages), 101)
        self.assertEqual(messages[-1][:3], ["logging", None, "50 more message(s) not kept"])

    def test_profile_writes_profiles_only_and_schools_filters(self):
        out = self.tmp / "p"
        run("profile", EXAMPLE, "--out", out, "-q", "--schools", "8882002,8887000", "--schools", "8881100")
        self.assertEqual(sorted(p.name for p in out.iterdir()), [".censusqa-outputs.json", "profiles"])
        self.assertEqual(sorted(p.name[:7] for p in (out / "profiles").iterdir()), ["8881100", "8882002", "8887000"])

    def test_without_a_configured_deadline_data_to_fix_says_whom_to_ask(self):
        la = self.tmp / "la"
        shutil.copytree(EXAMPLE, la)
        config = json.loads((la / "censusqa.json").read_text())
        del config["replies"]
        (la / "censusqa.json").write_text(json.dumps(config))
        out = self.tmp / "p"
        run("profile", la, "--out", out, "-q", "--schools", "8882002")
        [path] = (out / "profiles").iterdir()
        top = [r[0] for r in rows(openpyxl.load_workbook(path)["Data to fix"])[:8] if r[0]]
        self.assertIn("Reply by the date the LA data team gives you. Questions: ask the LA data team.", top)

    def test_la_findings_link_only_the_profiles_this_run_wrote(self):
        out = self.tmp / "r"
        run("run", EXAMPLE, "--out", out, "-q", "--schools", "8882002")
        ws = openpyxl.load_workbook(out / "validation-report.xlsx")["Findings"]
        header_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Finding id")
        linked = {r[5].value: r[8].value for r in ws.iter_rows(min_row=header_row + 1) if r[8].value}
        [path] = (out / "profiles").iterdir()
        self.assertEqual(linked, {"8882002": f"profiles/{path.name}"})

    def test_a_hostile_school_name_prints_as_written_within_excels_limit(self):
        la = self.tmp / "la"
        shutil.copytree(EXAMPLE, la)
        text = (la / "schools.csv").read_text()
        long_name = "Ysgol Gynradd " + "\u0175" * 300
        text = text.replace("Vale Green Primary School", "A&P &P&N School &[Picture] &G")
        text = text.replace("Brook Brook Primary School", long_name)
        (la / "schools.csv").write_text(text)
        out = self.tmp / "o"
        run("profile", la, "--out", out, "-q", "--schools", "8882002,8882000")
        [hostile] = (out / "profiles").glob("8882002-*.xlsx")
        for name, xml in sheet_parts(hostile).items():
            header, _ = header_footer(xml)
            # '&' doubled: Excel prints "A&P &P&N", never a page number or a picture.
            # libxlsxwriter would take "&G" and "&[Picture]" for images: a zero-width space keeps them apart.
            self.assertEqual(header, f"&LA&&P &&P&&N School &&\u200b[Picture] &&\u200bG (LAEstab 8882002)"
                                     f"&C{MARKING}&RSpring 2025 census", name)
        [long] = (out / "profiles").glob("8882000*.xlsx")
        for name, xml in sheet_parts(long).items():
            header, _ = header_footer(xml)
            self.assertLessEqual(len(header), 255, name)  # characters, as Excel counts them
            self.assertTrue(header.startswith("&LYsgol Gynradd \u0175\u0175"), name)
            self.assertTrue(header.endswith(f"\u0175\u2026&C{MARKING}&RSpring 2025 census"), name)

    def test_unknown_school_is_a_usage_error(self):
        p = run("run", EXAMPLE, "--out", self.tmp / "x", "--schools", "8882099", check_exit=2)
        self.assertIn("no census return for LAEstab 8882099", p.stderr)

    def test_validate_writes_the_la_workbook_but_no_profiles(self):
        out = self.tmp / "v"
        run("validate", EXAMPLE, "--out", out, "-q")
        self.assertEqual(sorted(p.name for p in out.iterdir()), [".censusqa-outputs.json", "findings.csv",
                                                                 "findings.json", "metrics.json", "validation-report.xlsx"])

    def test_template_can_drop_and_rename_sheets_and_bad_keys_are_named(self):
        tpl = json.loads((SOURCE / "templates" / "inclusion-profile.json").read_text())
        tpl["sheets"] = [{"id": "data_to_fix", "title": "Please fix"}, {"id": "overview", "title": "Summary"}]
        tpl["logo_text"] = "Rebranded Council"
        path = self.tmp / "t.json"
        path.write_text(json.dumps(tpl))
        out = self.tmp / "t"
        run("profile", EXAMPLE, "--out", out, "-q", "--template", path, "--schools", "8882002")
        wb = openpyxl.load_workbook(next((out / "profiles").iterdir()))
        self.assertEqual(wb.sheetnames, ["Please fix", "Summary"])
        self.assertEqual(wb["Summary"]["A2"].value, "Rebranded Council")
        tpl["sheets"][0]["id"] = "data_to_fx"
        path.write_text(json.dumps(tpl))
        p = run("profile", EXAMPLE, "--out", out, "--template", path, check_exit=2)
        self.assertIn('sheets[0].id: "data_to_fx" is not a sheet; did you mean "data_to_fix"?', p.stderr)

    def test_findings_sheet_without_a_table_above_the_limit(self):
        out = self.tmp / "c"
        run("validate", EXAMPLE, "--out", out, "-q", "--table-limit", "10")
        wb = openpyxl.load_workbook(out / "validation-report.xlsx")
        self.assertEqual(list(wb["Findings"].tables.keys()), [])
        self.assertIsNotNone(wb["Findings"].auto_filter.ref)
        findings = json.loads((out / "findings.json").read_text())["findings"]
        n = len(findings)
        header, body = table_after(wb["Findings"], "Finding id")
        self.assertEqual(len(body), n)
        # Its rows are made as the sheet is written (never all held): the same cells, widths and
        # heights as the table a smaller run holds whole, less the columns every finding of a rule
        # shares, which the By rule table on Summary gives once per rule.
        whole = self.tmp / "w"
        run("validate", EXAMPLE, "--out", whole, "-q")
        held = openpyxl.load_workbook(whole / "validation-report.xlsx")["Findings"]
        held_header, held_body = table_after(held, "Finding id")
        per_rule = ["How to fix", "Scope", "Plugin"]
        self.assertEqual(header, [h for h in held_header if h not in per_rule])
        kept = [i for i, h in enumerate(held_header) if h not in per_rule]
        self.assertEqual(body, [[r[i] for i in kept] for r in held_body])
        self.assertIn("Each rule's how to fix, scope and plugin are in the By rule table on Summary",
                      " ".join(str(r[0]) for r in rows(wb["Findings"]) if r and r[0]))
        streamed = wb["Findings"]
        letter = openpyxl.utils.get_column_letter
        for to, i in enumerate(kept):
            self.assertEqual(streamed.column_dimensions[letter(to + 1)].width,
                             held.column_dimensions[letter(i + 1)].width, held_header[i])
        # The By rule table gives each rule's how to fix, scope and plugin, as the held rows do.
        rule_header, by_rule = table_after(wb["Summary"], "Rule")
        self.assertEqual(rule_header, ["Rule", "Title", "Plugin", "Severity", "Scope", "Findings",
                                       "COLLECT errors expected", "COLLECT queries expected", "How to fix"])
        given = {r[0]: r for r in by_rule}
        rule_of = {f["id"]: f["rule"] for f in findings}
        at = {h: held_header.index(h) for h in per_rule}
        for r in held_body:
            rule = given[rule_of[r[0]]]
            self.assertEqual((rule[2], rule[4], rule[8]), (r[at["Plugin"]], r[at["Scope"]], r[at["How to fix"]]))
        self.assertEqual(sum(r[5] for r in by_rule), n)
        # Its COLLECT counts add up to By school's.
        _, by_school = table_after(wb["Summary"], "LAEstab")
        self.assertEqual([sum(r[6] for r in by_rule), sum(r[7] for r in by_rule)],
                         [sum(r[6] for r in by_school), sum(r[7] for r in by_school)])
        def heights(ws):
            first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Finding id")
            return [ws.row_dimensions[r].height for r in range(first + 1, first + 1 + n)]
        # Without the how to fix, a streamed row is never taller than the held one, and still wraps.
        self.assertEqual(len(heights(streamed)), len(heights(held)))
        self.assertTrue(all((s or 15) <= (h or 15) for s, h in zip(heights(streamed), heights(held))))
        self.assertTrue(any(h for h in heights(streamed)))  # some rows wrap: the comparison means something


if __name__ == "__main__":
    unittest.main()
