#!/usr/bin/env python3
"""End-to-end tests of the DfE rule numbers (issue 20): `censusqa rules` and `rules --dfe`, the generated
docs/dfe-parity.md, and the DfE rule and COLLECT's severity on every output (findings.json, findings.csv,
the LA workbook's Findings and Summary, the profile's Data to fix).

Run by ctest (tests/CMakeLists.txt) with the same environment as test_cli.py."""
import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from collections import Counter
from pathlib import Path

BIN = os.environ["CENSUSQA_BIN"]
TEST_PLUGINS = Path(os.environ["CENSUSQA_TEST_PLUGINS"])
SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
EXAMPLE = SOURCE / "examples" / "sampleshire"
DFE_ID = re.compile(r"^([0-9]{3,4}|TonT[0-9]{1,2}[A-Z])$")


def run(*args, check_exit=None):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=600)
    if check_exit is not None and p.returncode != check_exit:
        raise AssertionError(f"censusqa {' '.join(map(str, args))}: exit {p.returncode}, expected {check_exit}\n"
                             f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def table_after(ws, first_header):
    """The header and data rows of the table whose header row starts with `first_header`."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for i, r in enumerate(rows):
        if r and r[0] == first_header:
            body = []
            for r2 in rows[i + 1:]:
                if r2[0] is None or all(v is None for v in r2[1:]):
                    break
                body.append(r2)
            return r, body
    raise AssertionError(f"no table headed {first_header!r} on {ws.title}")


class DfeParity(unittest.TestCase):
    """`censusqa rules` with the DfE's numbers, and the parity table."""

    def test_docs_dfe_parity_md_is_generated_from_the_catalogue_and_the_rules(self):
        p = run("rules", "--dfe", "--markdown", check_exit=0)
        committed = (SOURCE / "docs" / "dfe-parity.md").read_text()
        self.assertEqual(committed, p.stdout, "docs/dfe-parity.md is stale: regenerate it with "
                                              "'censusqa rules --dfe --markdown > docs/dfe-parity.md'")

    def test_rules_dfe_lists_every_catalogue_entry_by_group_with_its_cover_or_why_not(self):
        p = run("rules", "--dfe", check_exit=0)
        lines = p.stdout.splitlines()
        m = re.fullmatch(r"(\d+) of (\d+) DfE rules in scope covered", lines[-1])
        self.assertTrue(m, lines[-1])
        covered, total = int(m[1]), int(m[2])
        self.assertGreater(total, 90)
        self.assertLessEqual(covered, total)
        entries = [l for l in lines if re.match(r"^  (\d{3,4}|TonT\d+[A-Z]) +(error|query) ", l)]
        self.assertEqual(len(entries), total)
        # Each entry is followed by its cover: rules with their match and plugin, the loader's field, or why not.
        cover = [lines[lines.index(e) + 1].strip() for e in entries]
        self.assertEqual(sum(not c.startswith("not covered: ") for c in cover), covered)
        for c in cover:
            if not c.startswith("not covered: "):
                for one in c.split("; "):
                    self.assertRegex(one, r"^[A-Z]{2,4}\d{3,4} \(((exact|stricter|partial), [a-z0-9-]+|loader, [\w/]+)\)$", c)
        self.assertIn("DFE1940 (exact, dfe-census)", p.stdout)  # the exemplar rule
        # Names no rule covers say why: the catalogue's reason (1620 needs the pupils' names).
        [c1620] = [cover[k] for k, e in enumerate(entries) if e.split()[0] == "1620"]
        self.assertTrue(c1620.startswith("not covered: ") and "names" in c1620, c1620)
        # By group, in the catalogue's order, each under its title.
        self.assertLess(lines.index("Pupil identity"), lines.index("National curriculum year"))
        self.assertLess(lines.index("Special educational needs"), lines.index("Term-on-term queries (against the "
                                                                                "previous census)"))

    def test_rules_dfe_markdown_has_the_preamble_the_groups_and_the_numbers_not_in_scope(self):
        md = run("rules", "--dfe", "--markdown", check_exit=0).stdout
        self.assertTrue(md.startswith("# DfE rule parity"))
        for source in ("DFE-Digital/dfe-data-provider-hub", "errors.js", "queries.js", "Arbor", "ScholarPack",
                       "term-on-term"):
            self.assertIn(source, md)
        self.assertRegex(md, r"\*\*\d+ of \d+ DfE rules in scope covered\.\*\*")
        self.assertIn("| DfE rule | COLLECT | What COLLECT checks | censusqa |", md)
        self.assertIn("| 1940 | error | ", md)
        tail = md.split("## Numbers known but not in scope", 1)[1]
        self.assertIn("2360, 2361, 2365-2370, 2375-2377", tail)
        # A table row per entry: the same count as the text listing.
        total = int(re.search(r"\*\*\d+ of (\d+) DfE", md)[1])
        self.assertEqual(len(re.findall(r"(?m)^\| (\d{3,4}|TonT\d+[A-Z]) \| (error|query) \|", md)), total)

    def test_rules_shows_the_dfe_rule_and_match_of_each_rule(self):
        p = run("rules", "DFE1940", check_exit=0)
        self.assertIn("  DfE rule:   1940 (exact)\n", p.stdout)
        self.assertIn("  DfE match:  exact: the same condition and severity", p.stdout)
        self.assertRegex(p.stdout, r"  DfE 1940: +COLLECT error: ")
        self.assertIn("  DfE rule:   none: an LA-level check COLLECT does not make\n",
                      run("rules", "CI005", check_exit=0).stdout)
        listing = run("rules", check_exit=0).stdout
        [line] = [l for l in listing.splitlines() if l.startswith("DFE1940 ")]
        self.assertTrue(line.endswith("  [DfE 1940, exact]"), line)
        self.assertIn("- DfE rule: 1940 (exact)\n", run("rules", "--markdown", check_exit=0).stdout)
        self.assertIn("--dfe", run("rules", "--help", check_exit=0).stdout)
        self.assertIn("give no rule code", run("rules", "CI001", "--dfe", check_exit=2).stderr)

    def test_a_plugin_naming_a_dfe_rule_its_rule_does_not_fails(self):
        tmp = Path(tempfile.mkdtemp(prefix="censusqa-dfe-"))
        try:
            p = run("validate", EXAMPLE, "--out", tmp / "out", "-q", "--plugins", TEST_PLUGINS / "wrong_dfe",
                    check_exit=3)
            self.assertIn("plugin 'wrong-dfe' emitted a finding for rule 'WD001' naming DfE rule '1530', which its "
                          "metadata does not name (it names 1520)", p.stderr)
            found = json.loads((tmp / "out" / "findings.json").read_text())
            self.assertFalse([f for f in found["findings"] if f["rule"] == "WD001"])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_the_host_fills_a_self_built_findings_dfe_rule_when_its_rule_names_one(self):
        tmp = Path(tempfile.mkdtemp(prefix="censusqa-dfe-"))
        try:
            run("validate", EXAMPLE, "--out", tmp / "out", "-q", "--fail-on", "none", "--plugins",
                TEST_PLUGINS / "dfe_filled", check_exit=0)
            found = json.loads((tmp / "out" / "findings.json").read_text())
            got = {f["subject"]: (f["dfe_rule"], f["collect"]) for f in found["findings"]
                   if f["rule"] in ("DF001", "DF002")}
            # DF001 is a query for censusqa; COLLECT's 1520 is an error, and collect says so.
            self.assertEqual(got, {"one": ("1520", "error"), "chosen": ("2582", "error"), "unchosen": (None, None)})
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class DfeInOutputs(unittest.TestCase):
    """One `censusqa run` of the example LA: the DfE rule on every output."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="censusqa-dfe-"))
        cls.out = cls.tmp / "out"
        # With a plugin whose LA-level findings name DfE rules: the LA-wide row of the Summary counts them.
        run("run", EXAMPLE, "--out", cls.out, "-q", "--plugins", TEST_PLUGINS / "dfe_filled", check_exit=1)
        cls.found = json.loads((cls.out / "findings.json").read_text())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_findings_json_carries_dfe_rule_and_collect_and_matches_its_schema(self):
        import jsonschema  # Debian's python3-jsonschema, installed by tools/setup.sh
        schema = json.loads((SOURCE / "schemas" / "findings.schema.json").read_text())
        jsonschema.validate(self.found, schema)
        rules = {}
        for f in self.found["findings"]:
            self.assertIn("dfe_rule", f)
            self.assertIn(f["collect"], ("error", "query", None))
            if f["dfe_rule"] is None:
                self.assertIsNone(f["collect"], f["id"])
            else:
                self.assertRegex(f["dfe_rule"], DFE_ID)
            for m in f.get("merged", []):
                self.assertIn("dfe_rule", m)
            if not f.get("merged"):  # a merged loader finding may bring its own number (PN003 takes 2170)
                rules.setdefault(f["rule"], set()).add(f["dfe_rule"])
        # A finding of a rule naming one DfE rule carries it; an LA-level check's carry none.
        listing = run("rules", "--plugins", TEST_PLUGINS / "dfe_filled", check_exit=0).stdout
        listed = re.findall(r"(?m)^(\S+) .*  \[DfE (.+), (exact|stricter|partial)\]$", listing)
        named = {code: dfe.split(", ") for code, dfe, _ in listed}
        stricter = {code for code, _, match in listed if match == "stricter"}  # its own findings may carry none
        self.assertEqual(named["DF002"], ["2530", "2582"])
        for rule, numbers in rules.items():
            if rule in named and len(named[rule]) == 1 and rule not in stricter:
                self.assertEqual(numbers, set(named[rule]), rule)
            elif rule in named:
                self.assertLessEqual(numbers, set(named[rule]) | {None}, rule)
            elif not rule.startswith("IN"):
                self.assertEqual(numbers, {None}, rule)
        self.assertEqual(rules["DF001"], {"1520"})
        # The schema can fail: a DfE rule that is not a DfE id, or a collect that is not COLLECT's.
        for key, bad in (("dfe_rule", "15x0"), ("collect", "info")):
            broken = json.loads(json.dumps(self.found))
            broken["findings"][0][key] = bad
            with self.assertRaises(jsonschema.ValidationError):
                jsonschema.validate(broken, schema)

    def test_findings_csv_has_dfe_rule_and_collect_last_and_equal_to_json(self):
        with open(self.out / "findings.csv", encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            self.assertEqual(reader.fieldnames[-2:], ["dfe_rule", "collect"])
            self.assertEqual(reader.fieldnames[:17], ["id", "rule", "severity", "plugin", "scope", "laestab", "upn",
                                                      "subject", "file", "line", "message", "values", "explanation",
                                                      "who_acts", "codes", "merged_ids", "shown_to"])
            got = {r["id"]: (r["dfe_rule"], r["collect"]) for r in reader}
        for f in self.found["findings"]:
            self.assertEqual(got[f["id"]], (f["dfe_rule"] or "", f["collect"] or ""), f["id"])

    def test_la_workbook_shows_the_dfe_rule_and_counts_what_collect_will_raise(self):
        import openpyxl
        wb = openpyxl.load_workbook(self.out / "validation-report.xlsx")
        header, body = table_after(wb["Findings"], "Finding id")
        col = header.index("DfE rule")
        for r, f in zip(body, self.found["findings"]):
            want = None if f["dfe_rule"] is None else f["dfe_rule"] + (f" ({f['collect']})" if f["collect"] else "")
            self.assertEqual(r[col], want, f["id"])
        header, body = table_after(wb["Summary"], "LAEstab")
        e, q = header.index("COLLECT errors expected"), header.index("COLLECT queries expected")
        self.assertEqual(header[3:6], ["Errors", "Queries", "Info"])  # beside the LA-level counts
        count = Counter((f["laestab"] or "", f["collect"]) for f in self.found["findings"] if f["collect"])
        for r in body:
            laestab = "" if r[0] == "(LA-wide)" else r[0]
            self.assertEqual((r[e], r[q]), (count[(laestab, "error")], count[(laestab, "query")]), r[0])
        [la_wide] = [r for r in body if r[0] == "(LA-wide)"]
        self.assertGreaterEqual(la_wide[e], 2)  # dfe_filled's DF001 (1520) and DF002 (2582): COLLECT errors

    def test_data_to_fix_says_which_rows_collect_will_also_raise(self):
        import openpyxl
        for path in sorted((self.out / "profiles").glob("*.xlsx")):
            laestab = path.name[:7]
            ws = openpyxl.load_workbook(path)["Data to fix"]
            header, body = table_after(ws, "Record")
            col = header.index("DfE rule (COLLECT)")
            self.assertEqual(header[col - 1], "Severity")
            self.assertEqual(header[col + 1:col + 3], ["What is wrong", "Response"])
            by_id = {f["id"]: f for f in self.found["findings"]}
            shown = 0
            for r in body:
                f = by_id[r[-1]]
                want = None if f["dfe_rule"] is None else "DfE " + f["dfe_rule"] + (
                    f" ({f['collect']})" if f["collect"] else "")
                self.assertEqual(r[col], want, f["id"])
                shown += want is not None
            lines = [c for row in ws.iter_rows(max_col=1, values_only=True) for c in row if isinstance(c, str)]
            said = [l for l in lines if l.startswith("The DfE's own checks (COLLECT) will also raise")]
            self.assertEqual(len(said), 1 if shown else 0, laestab)
            if shown:
                self.assertIn(f"will also raise {shown} of these rows", said[0])


if __name__ == "__main__":
    unittest.main()
