#!/usr/bin/env python3
"""End-to-end tests of the censusqa CLI: the shipped example against its truth file, bad inputs,
exit codes, plugin failures, determinism, privacy and help. Standard library only.

Run by ctest (tests/CMakeLists.txt), which sets CENSUSQA_BIN, CENSUSQA_GEN, CENSUSQA_TEST_PLUGINS,
CENSUSQA_SOURCE_DIR and CENSUSQA_SHARED_DIR."""
import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

from census_count import count_census_xml

BIN = os.environ["CENSUSQA_BIN"]
GEN = os.environ["CENSUSQA_GEN"]
TEST_PLUGINS = Path(os.environ["CENSUSQA_TEST_PLUGINS"])
SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
SHARED = Path(os.environ["CENSUSQA_SHARED_DIR"])
EXAMPLE = SOURCE / "examples" / "sampleshire"
CHECKED_RULES = re.compile(r"^(CI\d{3}|EH\d{3}|PN\d{3}|CB\d{3}|AP\d{3}|IN00[1-9]|DFE\d{3,4}|TT\d{3}|MV\d{3})$")


def dfe_group(number):
    """The catalogue group (core/src/dfe/catalogue.cpp, docs/dfe-parity.md) of a DfE rule number."""
    if number.startswith("TonT"):
        return "term-on-term"
    n = int(number)
    for group, lo, hi, extra in (("identity", 1500, 1620, {5065}), ("status", 1860, 1990, set()),
                                 ("nc-year", 2000, 2112, {200}), ("sen", 2115, 2250, {5049, 5050}),
                                 ("exclusions", 2270, 2335, {5051}), ("fsm", 1741, 1768, set()),
                                 ("attendance", 2470, 2611, {5057, 5080}), ("ap", 2360, 2392, {3131})):
        if lo <= n <= hi or n in extra:
            return group
    return None


DFE_GROUPS = ("identity", "status", "nc-year", "sen", "exclusions", "fsm", "attendance", "ap", "term-on-term")


def run(*args, check_exit=None):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=300)
    if check_exit is not None and p.returncode != check_exit:
        raise AssertionError(f"censusqa {' '.join(map(str, args))}: exit {p.returncode}, expected {check_exit}\n"
                             f"stdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def findings(out):
    return json.loads((Path(out) / "findings.json").read_text())


def every_finding(found):
    """Each finding and each finding merged into one (a loader's IN003/IN004 on the field a rule reports),
    the merged ones with their school and the id of the finding they are part of."""
    for f in found["findings"]:
        yield f
        for m in f.get("merged", []):
            yield {**m, "laestab": f["laestab"], "upn": f["upn"], "merged_into": f["id"]}


def keys(found, pattern=CHECKED_RULES):
    return {(f["rule"], f["laestab"], f["subject"]) for f in every_finding(found) if pattern.match(f["rule"])}


def truth_keys(folder, pattern=CHECKED_RULES):
    truth = json.loads((Path(folder) / "truth.json").read_text())
    return {(d["rule"], d["laestab"], d["subject"]) for d in truth["defects"] if pattern.match(d["rule"])}


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-e2e-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


class ExampleAgainstTruth(Base):
    def test_example_validate_finds_exactly_the_injected_defects(self):
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, check_exit=1)  # the example has injected errors
        for name in ("findings.json", "findings.csv", "metrics.json"):
            self.assertTrue((out / name).is_file(), name)
        found = findings(out)
        truth = truth_keys(EXAMPLE)
        self.assertGreater(len({t[0] for t in truth}), 9, "the example should exercise every CI rule")
        self.assertEqual(sorted(truth - keys(found)), [], "injected defects not reported")
        self.assertEqual(sorted(keys(found) - truth), [], "findings that were not injected")
        self.assertIn("outputs written to", p.stderr)

    def test_example_trips_every_group_of_dfe_rules(self):
        # The example's findings name a DfE rule (Finding::dfe_rule) of every catalogue group at least once:
        # the DfE rules' own (DFE, TT) and the existing rules' that make a DfE check (CI, PN, the loader's).
        found = findings(self._validate())
        groups = Counter(dfe_group(f["dfe_rule"]) for f in every_finding(found) if f.get("dfe_rule"))
        for group in DFE_GROUPS:
            self.assertGreater(groups[group], 0, group)
        # and the generator injected a DFE or TT defect in each group the other rules do not reach
        truth = json.loads((EXAMPLE / "truth.json").read_text())
        injected = {d["rule"] for d in truth["defects"]}
        for code in ("DFE1570", "DFE1580", "DFE1940", "DFE1768", "DFE2364"):
            self.assertIn(code, injected)
        self.assertTrue(any(c.startswith("TT") for c in injected), "no term-on-term query in the example")

    def test_generated_csv_census_against_truth(self):
        la = self.tmp / "la"
        subprocess.run([GEN, "--schools", "25", "--pupils", "6000", "--seed", "11", "--census-format", "csv",
                        "--defect-rate", "0.03", "--out", la], check=True, capture_output=True)
        out = self.tmp / "out"
        run("validate", la, "--out", out, check_exit=1)
        self.assertEqual(sorted(truth_keys(la) - keys(findings(out))), [])
        self.assertEqual(sorted(keys(findings(out)) - truth_keys(la)), [])

    def test_ehc_cases_through_sen2_find_their_truth_and_the_csv_routes_figures(self):
        # The same LA generated twice, its EHC cases as ehcp_cases.csv and as its SEN2 return beside the
        # CSV (the run reads the SEN2 return then): each run finds exactly its truth (truth.json names
        # the cases as each route does), and the timeliness figures, LA and school, are the same.
        outs = {}
        for source in ("csv", "both"):
            la = self.tmp / ("la-" + source)
            subprocess.run([GEN, "--schools", "12", "--pupils", "5000", "--seed", "5", "--ehc-source", source,
                            "--out", la], check=True, capture_output=True)
            out = outs[source] = self.tmp / ("out-" + source)
            run("validate", la, "--out", out, check_exit=1)
            with self.subTest(source=source):
                self.assertEqual(sorted(truth_keys(la) - keys(findings(out))), [])
                self.assertEqual(sorted(keys(findings(out)) - truth_keys(la)), [])
        self.assertTrue((self.tmp / "la-both" / "sen2" / "sen2_2025.xml").is_file())
        info = {f["rule"]: f["message"] for f in findings(outs["both"])["findings"] if f["rule"] in ("IN012", "IN013")}
        self.assertIn("ehcp_cases.csv is not read", info["IN012"])
        self.assertIn("2025 SEN2 return", info["IN013"])
        csv_m, sen2_m = (json.loads((outs[s] / "metrics.json").read_text()) for s in ("csv", "both"))
        self.assertEqual(csv_m["la"]["ehcp_timeliness"], sen2_m["la"]["ehcp_timeliness"])
        self.assertGreater(sum(r["plans_issued_den"] for r in csv_m["la"]["ehcp_timeliness"]), 10)
        ehcp = lambda m: {s: {k: v for k, v in f.items() if k.startswith("ehcp")} for s, f in m["schools"].items()}
        self.assertEqual(ehcp(csv_m), ehcp(sen2_m))
        # No name or postcode of the SEN2 return reaches an output.
        sen2 = (self.tmp / "la-both" / "sen2" / "sen2_2025.xml").read_text()
        surnames = set(re.findall(r"<Surname>([^<]+)</Surname>", sen2))
        self.assertGreater(len(surnames), 3)
        text = (outs["both"] / "findings.json").read_text() + (outs["both"] / "findings.csv").read_text()
        for name in surnames:
            self.assertNotIn(">" + name + "<", text)
            self.assertNotIn('"' + name + '"', text)

    def test_ap_placements_through_the_ap_census_agree_with_the_csv_route(self):
        # The example LA carries its placements as ap_placements.csv (which it reads: its configuration says
        # ap_placements_from: csv) and as its AP census return (each pupil's latest placement of the year).
        # Read through the AP census instead, the return is read whole (no input finding on it), the rules
        # that need a planned end, review or destination are skipped, and the findings the AP census can
        # support (pupils in AP on no roll, no provision from the sixth day) are the CSV route's own.
        la = self.tmp / "la"
        shutil.copytree(EXAMPLE, la)
        ap_xml = la / "ap_census" / "ap_census_2025.xml"
        self.assertTrue(ap_xml.is_file())
        config = json.loads((la / "censusqa.json").read_text())
        self.assertEqual(config["ap_placements_from"], "csv")
        config["ap_placements_from"] = "ap_census"
        (la / "censusqa.json").write_text(json.dumps(config))
        outs = {}
        for name, folder in (("csv", EXAMPLE), ("ap_census", la)):
            outs[name] = self.tmp / ("out-" + name)
            run("validate", folder, "--out", outs[name], check_exit=1)
        csv_found, apc_found = findings(outs["csv"]), findings(outs["ap_census"])
        on_return = [f for f in every_finding(apc_found)
                     if f.get("source") and str(f["source"]["file"]).startswith("ap_census/")]
        self.assertEqual([(f["rule"], f["message"]) for f in on_return if f["rule"].startswith("IN")], [])
        self.assertGreater(len(on_return), 0)  # the AP rules' findings on its placements name it
        info = {f["rule"]: f["message"] for f in apc_found["findings"] if f["rule"] == "IN016"}
        self.assertIn("ap_placements.csv is not read", info["IN016"])
        self.assertIn("It was compared with the AP census: they agree", info["IN016"])
        csv_info = [f["message"] for f in csv_found["findings"] if f["rule"] == "IN016"]
        self.assertEqual(len(csv_info), 1)
        self.assertIn("read from ap_placements.csv, as the configuration says", csv_info[0])
        for rule in ("AP002", "AP004", "AP006"):
            self.assertFalse(any(f["rule"] == rule for f in apc_found["findings"]), rule)
        placements = len(re.findall(r"<Placement>", ap_xml.read_text()))
        self.assertGreater(placements, 10)
        # By pupil: the AP census names no home school, so a pupil on no roll has none (the CSV gives one).
        pupil_keys = lambda found, rule: {f["upn"] for f in found["findings"] if f["rule"] == rule}
        for rule in ("AP003", "AP008"):
            with self.subTest(rule=rule):
                self.assertLessEqual(pupil_keys(apc_found, rule), pupil_keys(csv_found, rule))
        self.assertGreater(len(pupil_keys(apc_found, "AP003")), 0)
        # No name or postcode of the AP census reaches an output.
        text = (outs["ap_census"] / "findings.json").read_text() + (outs["ap_census"] / "findings.csv").read_text()
        surnames = set(re.findall(r"<Surname>([^<]+)</Surname>", ap_xml.read_text()))
        self.assertGreater(len(surnames), 3)
        for surname in surnames:
            self.assertNotIn('"' + surname + '"', text)
        for postcode in set(re.findall(r"<PostCode>([^<]+)</PostCode>", ap_xml.read_text())):
            self.assertNotIn(postcode, text)

    def test_other_terms_and_seeds_find_exactly_their_truth(self):
        # Each term's own modules and the queries a defect sets off in them (an autumn return's summer
        # half-term attendance for a pupil a DOB defect makes 16: DfE 2571; a pupil entered after census
        # day with the summer's sessions: 1881), beyond the example's seed.
        for args in (["--term", "AUT", "--reference-date", "2024-10-03", "--seed", "8"],
                     ["--term", "SUM", "--reference-date", "2025-05-15", "--seed", "9"],
                     ["--seed", "3"]):
            with self.subTest(args=args):
                la = self.tmp / ("la" + "".join(args))
                subprocess.run([GEN, "--schools", "12", "--pupils", "4000", *args, "--out", la], check=True,
                               capture_output=True)
                out = self.tmp / ("out" + "".join(args))
                run("validate", la, "--out", out, check_exit=1)
                self.assertEqual(sorted(truth_keys(la) - keys(findings(out))), [])
                self.assertEqual(sorted(keys(findings(out)) - truth_keys(la)), [])

    def test_data_without_defects_gives_no_error_and_exit_0(self):
        # Realistic EHC cases still raise queries (late plans are real, not data errors): exactly those.
        la = self.tmp / "la"
        subprocess.run([GEN, "--schools", "12", "--pupils", "4000", "--seed", "5", "--defect-rate", "0", "--out", la],
                       check=True, capture_output=True)
        out = self.tmp / "out"
        run("validate", la, "--out", out, check_exit=0)
        found = findings(out)["findings"]
        self.assertEqual([f for f in found if f["severity"] == "error"], [])
        # CI019: the generator's special schools have about 1 pupil in 100 without SEN, a query of its own.
        # The term-on-term queries (TT) the two censuses' own changes raise are real, not data errors: the
        # truth lists them (compared below).
        self.assertEqual({f["rule"] for f in found if not f["rule"].startswith("TT")} - {"EH004", "EH005", "EH006", "EH007", "EH008", "EH009", "EH010", "PN010", "PN012", "CI019",
                                                          "CB002", "CB003", "CB004", "CB005", "CB007", "AP003",
                                                          "AP004", "AP005", "AP006", "AP007", "AP008", "AP009", "AP010",
                                                          # the DfE's queries on clean data (truth.json lists them) and
                                                          # the rules skipped for a module this spring census lacks
                                                          "DFE1767", "DFE1870", "DFE1750", "DFE2040", "IN090",
                                                          # an exception case that met 20 weeks anyway (a scenario),
                                                          # and the SEN2 return read instead of the CSV, against
                                                          # the 2024 schema
                                                          "EH013", "IN012", "IN013",
                                                          # the AP placements read from the CSV, not the AP
                                                          # census beside it (the configuration says so)
                                                          "IN016",
                                                          # pupils on the previous roll and on none now (the
                                                          # generator's moves, in the truth), and a permanently
                                                          # excluded pupil whose placement has ended
                                                          "MV001", "MV003"}, set())
        self.assertFalse(any(f["rule"] == "PN010" for f in found), "PN010 on unaltered schools")
        self.assertEqual(keys(findings(out)), truth_keys(la))

    def test_a_rule_that_stopped_firing_would_fail_this_test(self):
        # Every CI rule must have fired on the example, so losing any rule breaks the truth comparison.
        fired = Counter(f["rule"] for f in findings(self._validate())["findings"])
        for code in ([f"CI{n:03d}" for n in range(1, 20)] + [f"EH{n:03d}" for n in range(1, 11)] +
                     [f"PN{n:03d}" for n in range(1, 14)] + [f"CB{n:03d}" for n in range(1, 8)] +
                     [f"AP{n:03d}" for n in range(1, 11)]):
            self.assertGreater(fired[code], 0, code)

    def test_pn010_names_the_schools_whose_need_mix_was_altered_and_the_truths_others(self):
        # Every altered school is named; any other school named is one whose clean mix is as far from
        # the LA's by chance, which the generator works out the way PN010 does (truth.json lists it).
        truth = json.loads((EXAMPLE / "truth.json").read_text())
        named = {f["laestab"] for f in findings(self._validate())["findings"] if f["rule"] == "PN010"}
        self.assertTrue(truth["need_mix_altered"])
        self.assertLessEqual(set(truth["need_mix_altered"]), named)
        self.assertEqual(named, {d["laestab"] for d in truth["defects"] if d["rule"] == "PN010"})

    def test_committed_example_is_what_the_generator_makes(self):
        regenerated = self.tmp / "la"
        subprocess.run([GEN, "--schools", "10", "--pupils", "3000", "--seed", "1", "--out", regenerated],
                       check=True, capture_output=True)
        for f in sorted(p.relative_to(EXAMPLE) for p in EXAMPLE.rglob("*") if p.is_file()):
            self.assertEqual((EXAMPLE / f).read_bytes(), (regenerated / f).read_bytes(), str(f))

    def _validate(self):
        out = self.tmp / "o"
        run("validate", EXAMPLE, "--out", out, "-q")
        return out


class Metrics(Base):
    def test_metrics_equal_an_independent_count_of_the_census_xml(self):
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q")
        m = json.loads((out / "metrics.json").read_text())
        metrics = m["schools"]
        at_pru = Counter()
        counted = count_census_xml(EXAMPLE, at_pru)
        self.assertGreater(at_pru["pupils_on_roll"], 0)  # the example's PRU has dual-subsidiary pupils
        # The LA's totals: each school's figure summed, a PRU's S pupils once (at their main school).
        for k in ("pupils_on_roll", "sen_support", "ehc_plan", "no_sen", "fsm_eligible", "need.SEMH.sen_support",
                  "suspensions", "dual_subsidiary"):
            self.assertEqual(m["la"][k], sum(w[k] for w in counted.values()) - at_pru[k], k)
        self.assertEqual(sorted(counted), sorted(metrics))  # the CTF and the superseded return count for nobody
        for laestab, want in counted.items():
            got = metrics[laestab]
            self.assertGreater(want["leavers_in_return"], 0, laestab)
            for k, v in want.items():
                self.assertEqual(got[k], v, f"{laestab} {k}")
            for k, v in got.items():
                if not k.startswith(("ehcp.", "ap.", "findings.", "movement.")):
                    self.assertEqual(v, want.get(k, 0), f"{laestab} {k}")

    def test_one_thread_and_two_give_the_same_outputs(self):
        # --jobs 1 runs every stage on one thread (the census metrics after the findings' decisions,
        # not beside them); the outputs are the same, byte for byte.
        outs = {}
        for jobs in ("1", "2"):
            out = self.tmp / ("j" + jobs)
            run("validate", EXAMPLE, "--out", out, "-q", "--jobs", jobs, "--fail-on", "none")
            outs[jobs] = out
        for name in ("findings.csv", "metrics.json"):
            self.assertEqual((outs["1"] / name).read_bytes(), (outs["2"] / name).read_bytes(), name)
        one, two = (json.loads((outs[j] / "findings.json").read_text())["findings"] for j in ("1", "2"))
        self.assertGreater(len(one), 100)
        self.assertEqual(one, two)

    def test_metrics_equal_the_generators_expected_figures(self):
        # The generator works the figures out from what it wrote, by the definitions in docs/metrics.md;
        # an autumn, a summer and a CSV LA besides the example.
        for args in ([], ["--term", "AUT", "--reference-date", "2024-10-03"],
                     ["--term", "SUM", "--reference-date", "2025-05-15", "--seed", "4"],
                     ["--census-format", "csv", "--seed", "9"]):
            with self.subTest(args=args):
                la = self.tmp / ("la" + "".join(args))
                subprocess.run([GEN, "--schools", "10", "--pupils", "3000", *args, "--out", la], check=True,
                               capture_output=True)
                out = self.tmp / ("out" + "".join(args))
                run("validate", la, "--out", out, "-q")
                metrics = json.loads((out / "metrics.json").read_text())["schools"]
                expected = json.loads((la / "truth.json").read_text())["expected_figures"]
                self.assertEqual(sorted(expected), sorted(metrics))
                for laestab, figures in expected.items():
                    for k, v in figures.items():
                        self.assertEqual(metrics[laestab][k], v, f"{laestab} {k}")

    def test_pupil_movement_gives_back_every_move_the_generator_made(self):
        # previous/ holds the moves the generator made (truth.json "movement"): leavers who were on the roll then,
        # joiners since, pupils moved between two schools of the LA, pupils on no roll now (MV001).
        for args in ([], ["--census-format", "csv", "--seed", "9"]):
            with self.subTest(args=args):
                la = self.tmp / ("la" + "".join(args))
                subprocess.run([GEN, "--schools", "12", "--pupils", "3000", *args, "--out", la], check=True,
                               capture_output=True)
                out = self.tmp / ("out" + "".join(args))
                run("validate", la, "--out", out, "-q")
                metrics = json.loads((out / "metrics.json").read_text())
                truth = json.loads((la / "truth.json").read_text())["movement"]
                self.assertEqual(sorted(truth), sorted(metrics["la"]["movement"]["by_school"]))
                moved = 0
                for laestab, want in truth.items():
                    got = metrics["schools"][laestab]
                    for k, v in want.items():
                        self.assertEqual(got["movement." + k], v, f"{laestab} {k}")
                    # every pupil of the previous roll has exactly one outcome
                    self.assertEqual(got["movement.on_roll_previous"],
                                     sum(got["movement." + k] for k in ("stayed", "completed_phase", "moved_out",
                                                                         "into_ap", "left_on_record", "vanished")))
                    moved += want["moved_out"]
                self.assertGreater(moved, 0)
                self.assertGreater(sum(w["vanished"] for w in truth.values()), 0)
                self.assertGreater(sum(w["left_on_record"] for w in truth.values()), 0)
                found = {(f["rule"], f["laestab"], f["subject"]) for f in findings(out)["findings"] if f["rule"] == "MV001"}
                self.assertEqual(found, truth_keys(la, re.compile(r"^MV001$")))

    def test_a_mistyped_lea_in_a_previous_return_is_read_as_the_registers_school(self):
        # As in this census (CI009's mapping): the LA's register places the return, so the school's pupils are
        # followed as before, not lost as a school with no previous return.
        la = self.tmp / "la"
        shutil.copytree(EXAMPLE, la)
        f = la / "previous" / "census" / "8882002.xml"
        f.write_text(f.read_text().replace("<LEA>888</LEA>", "<LEA>889</LEA>", 1))
        run("validate", EXAMPLE, "--out", self.tmp / "before", "-q")
        run("validate", la, "--out", self.tmp / "after", "-q")
        before = json.loads((self.tmp / "before" / "metrics.json").read_text())
        after = json.loads((self.tmp / "after" / "metrics.json").read_text())
        self.assertEqual(after["la"]["movement"]["schools_not_measured"], {})
        self.assertEqual({k: v for k, v in after["schools"]["8882002"].items() if k.startswith("movement.")},
                         {k: v for k, v in before["schools"]["8882002"].items() if k.startswith("movement.")})

    def test_ehcp_timeliness_equals_an_independent_count_of_the_cases(self):
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q")
        table = {row["year"]: row for row in json.loads((out / "metrics.json").read_text())["la"]["ehcp_timeliness"]}
        want = defaultdict(Counter)
        from datetime import date
        d = lambda s: date.fromisoformat(s) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s or "") and s[5:] != "02-30" else None
        for c in csv.DictReader(open(EXAMPLE / "ehcp_cases.csv")):
            req, issued = d(c["request_date"]), d(c["plan_issue_date"])
            if req:
                want[req.year]["requests_received"] += 1
            if not issued:
                continue
            ex = c["exception"] == "Y"
            want[issued.year]["plans_issued_den"] += 1  # every plan issued; a band only with a usable request date
            if not ex:
                want[issued.year]["plans_issued_den_ex"] += 1
            if not (req and issued >= req):
                continue
            days = (issued - req).days
            band = "within_20_weeks" if days <= 140 else "gt20weeks_ltYear" if days <= 364 else "gt_1_year"
            want[issued.year]["plans_issued_" + band] += 1
            if not ex:
                want[issued.year]["plans_issued_20_weeks_ex" if band == "within_20_weeks" else f"plans_issued_{band}_ex"] += 1
        self.assertEqual(sorted(table), sorted(want))
        for year, counts in want.items():
            for k, v in counts.items():
                self.assertEqual(table[year][k], v, f"{year} {k}")
            den = counts["plans_issued_den"]
            if den:
                pc = int((counts["plans_issued_within_20_weeks"] * 2000 + den) // (2 * den)) / 10
                self.assertEqual(table[year]["pc_plans_issued_within_20_weeks"], pc)
            self.assertNotIn("published", table[year])  # no reference/ folder in the example

    def test_published_dfe_figures_appear_beside_the_computed_ones(self):
        la = self.tmp / "la"
        shutil.copytree(EXAMPLE, la)
        (la / "reference").mkdir()
        shutil.copy(SHARED / "data" / "ehcp-sen2" / "timeliness_20_week_2019_2024.csv", la / "reference")
        (la / "reference" / "notes.csv").write_text("a,b\n1,2\n")
        out = self.tmp / "out"
        run("validate", la, "--out", out, "-q")
        table = {row["year"]: row for row in json.loads((out / "metrics.json").read_text())["la"]["ehcp_timeliness"]}
        # England 2023 and Lancashire (LA 888, the example's la_code) 2023, as published.
        rows = list(csv.DictReader(open(SHARED / "data" / "ehcp-sen2" / "timeliness_20_week_2019_2024.csv", encoding="utf-8-sig")))
        pick = lambda level, la_code: next(r for r in rows if r["time_period"] == "2023" and r["breakdown_topic"] == "All EHC plans issued"
                                            and r["geographic_level"] == level and (la_code is None or r["old_la_code"] == la_code))
        england, lancashire = pick("National", None), pick("Local authority", "888")
        published = table[2023]["published"]
        self.assertEqual(published["england"]["plans_issued_den"], int(england["plans_issued_den"]))
        self.assertEqual(published["england"]["pc_plans_issued_within_20_weeks"], float(england["pc_plans_issued_within_20_weeks"]))
        self.assertEqual(published["la"]["plans_issued_den"], int(lancashire["plans_issued_den"]))
        for year in set(table) - {int(r["time_period"]) for r in rows}:  # not yet published by the DfE
            self.assertEqual(table[year]["published"], {}, year)
        ignored = [f for f in findings(out)["findings"] if f["rule"] == "IN091" and "notes.csv" in f["message"]]
        self.assertEqual(len(ignored), 1)

    def test_clawback_annex_totals_equal_the_sums_of_their_rows(self):
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q")
        la = json.loads((out / "metrics.json").read_text())["la"]
        rows, summary = la["clawback"], la["clawback_summary"]
        self.assertGreater(len(rows), 3)
        for letter in "ABCDEFGHIJK":
            self.assertEqual(summary["la_total"][letter], sum(r[letter] for r in rows), letter)
            for g in summary["groups"]:
                self.assertEqual(g[letter], sum(r[letter] for r in rows if r["phase_group"] == g["phase_group"]))
        for r in rows:  # the scheme's identities, in whole pounds (each letter rounded from pence)
            self.assertLessEqual(abs(r["C"] - (r["A"] - r["B"])), 1)
            self.assertEqual(r["I"], max(r["G"], r["H"]))
            self.assertGreaterEqual(r["J"], 0)
        self.assertTrue(any(q["decision"] == "pending" and q["J_if_approved"] <= q["J_if_rejected"] for q in la["clawback_requests"]))

    def test_metrics_for_the_shared_sample_la(self):
        out = self.tmp / "out"
        # exit 1: the spec's sample omits items COLLECT requires (SENunitIndicator and
        # ResourcedProvisionIndicator for K and E pupils, ULNs at 14 and over), which the DfE's rules report
        run("validate", SHARED / "spec" / "sample-la", "--out", out, "-q", check_exit=1)
        errors = {f["rule"] for f in findings(out)["findings"] if f["severity"] == "error"}
        self.assertTrue(errors and all(r.startswith("DFE") for r in errors), errors)
        m = json.loads((out / "metrics.json").read_text())
        self.assertEqual(sorted(m["schools"]), ["8881001", "8881100", "8884001"])
        self.assertEqual(m["la"]["pupils_on_roll"], sum(s["pupils_on_roll"] for s in m["schools"].values()))


class BadInputs(Base):
    def make_la(self):
        la = self.tmp / "la"
        shutil.copytree(SHARED / "spec" / "sample-la", la)
        return la

    def test_malformed_xml_missing_column_bad_date_and_unknown_code(self):
        la = self.make_la()
        xml = (la / "census" / "8881001.xml").read_text()
        # A bad date and an unknown code in the first pupil of one school.
        xml = xml.replace("<DOB>2014-12-09</DOB>", "<DOB>2014-13-09</DOB>", 1)
        xml = xml.replace("<EnrolStatus>C</EnrolStatus>", "<EnrolStatus>Q</EnrolStatus>", 1)
        (la / "census" / "8881001.xml").write_text(xml)
        # Another school's file cut off mid-pupil.
        lines = (la / "census" / "8884001.xml").read_text().splitlines(keepends=True)
        (la / "census" / "8884001.xml").write_text("".join(lines[:40]))
        # The register without its phase column.
        rows = list(csv.reader(open(la / "schools.csv")))
        i = rows[0].index("phase")
        with open(la / "schools.csv", "w", newline="") as f:
            csv.writer(f).writerows([r[:i] + r[i + 1:] for r in rows])
        out = self.tmp / "out"
        run("validate", la, "--out", out, check_exit=1)
        found = findings(out)["findings"]
        by_rule = defaultdict(list)
        for f in every_finding(findings(out)):
            by_rule[f["rule"]].append(f)
        self.assertEqual([(f["source"]["file"], f["source"]["line"], f["values"]["field"], f["values"]["value"])
                          for f in by_rule["IN003"]], [("census/8881001.xml", 12, "DOB", "2014-13-09")])
        # The unreadable DOB is one problem with CI006's invalid date: one finding, both codes.
        self.assertEqual(by_rule["IN003"][0]["merged_into"], "CI006:8881001:" + by_rule["IN003"][0]["upn"])
        [ci006] = [f for f in found if f["id"] == by_rule["IN003"][0]["merged_into"]]
        self.assertEqual((ci006["codes"], ci006["severity"], ci006["who_acts"]), ("IN003, CI006", "error", "School"))
        self.assertEqual([(f["source"]["file"], f["source"]["line"], f["values"]["value"]) for f in by_rule["IN004"]],
                         [("census/8881001.xml", 14, "Q")])
        self.assertIn("C, M, S, F, O", by_rule["IN004"][0]["message"])
        (in001,) = by_rule["IN001"]
        self.assertEqual(in001["source"], {"file": "census/8884001.xml", "line": 41})
        self.assertIn("not well-formed", in001["message"])
        (in002,) = by_rule["IN002"]
        self.assertEqual(in002["source"], {"file": "schools.csv", "line": 1})
        self.assertEqual(in002["message"], "Required column 'phase' is missing from the header")
        # The rest of the run completed: the invalid DOB is CI006, and the truncated school's
        # complete pupils are still counted.
        self.assertTrue(any(f["rule"] == "CI006" and f["laestab"] == "8881001" for f in found))
        metrics = json.loads((out / "metrics.json").read_text())["schools"]
        self.assertEqual(metrics["8884001"]["pupils_in_return"], 3)  # the fourth pupil is cut at line 40
        self.assertEqual(metrics["8881100"]["pupils_in_return"], 6)

    def test_missing_census_and_missing_folder_are_exit_2(self):
        la = self.tmp / "la"
        la.mkdir()
        p = run("validate", la, "--out", self.tmp / "out", check_exit=2)
        self.assertIn("no census returns", p.stderr)
        run("validate", self.tmp / "nowhere", "--out", self.tmp / "out", check_exit=2)

    def test_bad_configuration_is_exit_2_naming_the_key(self):
        la = self.make_la()
        (la / "censusqa.json").write_text('{"la_code": "888", "refrence_date": "2025-01-16"}')
        p = run("validate", la, "--out", self.tmp / "out", check_exit=2)
        self.assertIn('unknown key "refrence_date"; did you mean "reference_date"?', p.stderr)

    def test_no_partial_or_temporary_files_are_left(self):
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q")
        # The outputs and their manifest; beside out, only its lock file (no staging or previous folder).
        self.assertEqual(sorted(p.name for p in out.iterdir()), [".censusqa-outputs.json", "findings.csv",
                                                                 "findings.json", "metrics.json", "validation-report.xlsx"])
        self.assertEqual(sorted(p.name for p in out.parent.glob(".out.*")), [".out.censusqa-lock"])


class ExitCodesAndPlugins(Base):
    def test_an_argument_too_many_is_named(self):
        p = run("validate", EXAMPLE, "extra_arg", "--out", self.tmp / "o", check_exit=2)
        self.assertIn("'extra_arg'", p.stderr)
        self.assertNotIn("too many positional", p.stderr)
        self.assertFalse((self.tmp / "o").exists())

    def test_fail_on(self):
        run("validate", EXAMPLE, "--out", self.tmp / "a", "--fail-on", "none", "-q", check_exit=0)
        run("validate", EXAMPLE, "--out", self.tmp / "b", "--fail-on", "query", "-q", check_exit=1)
        p = run("validate", EXAMPLE, "--out", self.tmp / "c", "--fail-on", "warning", check_exit=2)
        self.assertIn("--fail-on must be error, query, info or none", p.stderr)
        run("validate", EXAMPLE, check_exit=2)

    def test_plugin_built_for_another_sdk_is_refused_and_others_still_run(self):
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, "--plugins", TEST_PLUGINS / "wrong_sdk", check_exit=3)
        self.assertIn(f"{TEST_PLUGINS}/wrong_sdk/wrong_sdk.so was built with SDK 99.0, gcc 12, libstdc++ 12: a "
                      "different SDK major version; "
                      "expected SDK", p.stderr)
        self.assertIn("expected SDK 9.0 to 9.2 and", p.stderr)
        found = findings(out)
        self.assertEqual(len(found["run"]["plugin_load_errors"]), 1)
        self.assertEqual(keys(found), truth_keys(EXAMPLE))

    def test_throwing_plugin_gives_exit_3_and_keeps_other_findings(self):
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, "--plugins", TEST_PLUGINS / "throwing", check_exit=3)
        self.assertIn("plugin 'throwing' threw: simulated failure in rule TX001", p.stderr)
        found = findings(out)
        status = {pl["id"]: pl["status"] for pl in found["run"]["plugins"]}
        self.assertEqual(status, {"ap-reintegration": "ok", "census-integrity": "ok", "clawback": "ok",
                                  "dfe-census": "ok", "ehcp-timeliness": "ok", "primary-need": "ok", "pupil-movement": "ok",
                                  "throwing": "failed"})
        self.assertFalse(any(f["rule"] == "TX001" for f in found["findings"]))
        self.assertEqual(keys(found), truth_keys(EXAMPLE))

    def test_crashing_plugin_under_isolate_gives_exit_3_and_keeps_the_others(self):
        plain, isolated = self.tmp / "plain", self.tmp / "isolated"
        run("validate", EXAMPLE, "--out", plain, "-q", "--fail-on", "none", check_exit=0)
        p = run("run", EXAMPLE, "--out", isolated, "--isolate", "--plugins", TEST_PLUGINS / "crashing", check_exit=3)
        if os.environ.get("CENSUSQA_SANITIZERS"):
            # AddressSanitizer catches the child's SIGSEGV itself and exits with status 1.
            self.assertRegex(p.stderr, r"plugin 'crashing' (crashed with signal 11|ended with exit status 1)")
        else:
            self.assertIn("plugin 'crashing' crashed with signal 11 (Segmentation fault); its findings were "
                          "discarded", p.stderr)
        found = findings(isolated)
        status = {pl["id"]: pl["status"] for pl in found["run"]["plugins"]}
        self.assertEqual(status["crashing"], "failed")
        self.assertEqual(sum(s == "ok" for s in status.values()), 7)
        self.assertFalse(any(f["rule"] == "TC001" for f in found["findings"]))
        # Everything else crossed the process boundary intact: the same findings and metrics.
        self.assertEqual(findings(plain)["findings"], found["findings"])
        self.assertEqual((plain / "metrics.json").read_text(), (isolated / "metrics.json").read_text())
        self.assertTrue((isolated / "validation-report.xlsx").is_file())

    def test_plugin_emitting_an_undeclared_rule_is_a_failure(self):
        p = run("validate", EXAMPLE, "--out", self.tmp / "out", "--plugins", TEST_PLUGINS / "undeclared_rule",
                check_exit=3)
        self.assertIn("emitted a finding for rule 'ZZ999', which it does not declare", p.stderr)

    def test_rule_codes_not_valid_or_listed_twice_are_refused_naming_the_full_path(self):
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, "--plugins", TEST_PLUGINS / "bad_code", "--plugins",
                TEST_PLUGINS / "code_twice", check_exit=3)
        self.assertIn(f"censusqa: plugin refused: {TEST_PLUGINS}/bad_code/bad_code.so: rule code 'prb1' is not valid: "
                      "a rule code is 2 to 4 capital letters and 3 or 4 digits, e.g. ATT003", p.stderr)
        self.assertIn(f"{TEST_PLUGINS}/code_twice/code_twice.so: rule code TW001 is listed twice in the plugin",
                      p.stderr)
        found = findings(out)
        self.assertEqual(len(found["run"]["plugin_load_errors"]), 2)
        self.assertEqual(keys(found), truth_keys(EXAMPLE))

    def test_crashing_plugin_from_plugins_is_isolated_by_default(self):
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, "--plugins", TEST_PLUGINS / "crashing", check_exit=3)
        self.assertRegex(p.stderr, r"plugin 'crashing' (crashed with signal 11|ended with exit status 1)")
        found = findings(out)
        isolated = {pl["id"]: pl["isolated"] for pl in found["run"]["plugins"]}
        # The first-party plugins, installed with censusqa, stay in-process.
        self.assertEqual(isolated, {"ap-reintegration": False, "census-integrity": False, "clawback": False,
                                    "dfe-census": False, "ehcp-timeliness": False, "primary-need": False,
                                    "pupil-movement": False, "crashing": True})
        self.assertEqual(keys(found), truth_keys(EXAMPLE))

    def test_isolate_none_runs_every_plugin_in_process(self):
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, "-q", "--isolate=none", "--plugins", TEST_PLUGINS / "crashing")
        self.assertEqual(p.returncode, -11 if not os.environ.get("CENSUSQA_SANITIZERS") else 1)  # the whole run
        self.assertFalse((out / "findings.json").exists())
        out = self.tmp / "all"
        run("validate", EXAMPLE, "--out", out, "-q", "--isolate", "--plugins", TEST_PLUGINS / "throwing", check_exit=3)
        self.assertTrue(all(pl["isolated"] for pl in findings(out)["run"]["plugins"]))

    def test_hanging_plugin_is_stopped_at_the_time_limit_with_what_it_started(self):
        out, pid_file = self.tmp / "out", self.tmp / "pid"
        t = time.monotonic()
        p = subprocess.run([BIN, "validate", EXAMPLE, "--out", out, "--plugin-timeout", "2", "--plugins",
                            TEST_PLUGINS / "hanging"], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "CENSUSQA_TEST_PID_FILE": str(pid_file)})
        took = time.monotonic() - t
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertLess(took, 60)
        self.assertIn("censusqa: plugin 'hanging' did not finish within 2 s and was stopped (plugins.timeout_seconds "
                      "/ --plugin-timeout); its findings were discarded", p.stderr)
        found = findings(out)
        status = {pl["id"]: pl["status"] for pl in found["run"]["plugins"]}
        self.assertEqual(status["hanging"], "failed")
        self.assertEqual(sum(s == "ok" for s in status.values()), 7)
        self.assertFalse(any(f["rule"] == "HG001" for f in found["findings"]))
        self.assertEqual(keys(found), truth_keys(EXAMPLE))
        # The process the plugin started was stopped with it (its process group).
        started = int(pid_file.read_text())
        for _ in range(100):
            try:
                state = Path(f"/proc/{started}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except FileNotFoundError:
                break
            if state in ("Z", "X"):
                break
            time.sleep(0.05)
        else:
            self.fail(f"process {started}, started by the hanging plugin, still runs")

    def test_time_limit_and_isolation_from_the_configuration_and_the_command_line_over_it(self):
        cfg = json.loads((EXAMPLE / "censusqa.json").read_text())
        cfg["plugins"] = {"isolate": "all", "timeout_seconds": 2}
        (self.tmp / "censusqa.json").write_text(json.dumps(cfg))
        t = time.monotonic()
        p = subprocess.run([BIN, "validate", EXAMPLE, "--out", self.tmp / "out", "--config", self.tmp / "censusqa.json",
                            "--plugins", TEST_PLUGINS / "hanging"], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertLess(time.monotonic() - t, 60)
        self.assertIn("censusqa: plugin 'hanging' did not finish within 2 s and was stopped", p.stderr)
        found = findings(self.tmp / "out")
        # "isolate": "all" from the file: the first-party plugins ran in child processes too.
        self.assertTrue(all(pl["isolated"] for pl in found["run"]["plugins"]), found["run"]["plugins"])
        self.assertEqual(keys(found), truth_keys(EXAMPLE))
        # The command line wins over the file.
        p = run("validate", EXAMPLE, "--out", self.tmp / "out2", "--config", self.tmp / "censusqa.json",
                "--isolate=out-of-tree", check_exit=1)
        found = findings(self.tmp / "out2")
        self.assertFalse(any(pl["isolated"] for pl in found["run"]["plugins"]), found["run"]["plugins"])

    def test_isolate_and_plugin_timeout_values_are_checked(self):
        p = run("validate", EXAMPLE, "--out", self.tmp / "out", "--isolate=some", check_exit=2)
        self.assertIn("--isolate must be out-of-tree, all or none, not 'some'", p.stderr)
        for bad in ("0", "-5", "ten", "86401"):
            p = run("validate", EXAMPLE, "--out", self.tmp / "out", "--plugin-timeout", bad, check_exit=2)
            self.assertIn(f"--plugin-timeout must be a whole number of seconds from 1 to 86400, not '{bad}'",
                          p.stderr)
        # A bare --isolate before the LA folder takes no value from it.
        run("validate", "--isolate", EXAMPLE, "--out", self.tmp / "ok", "-q", "--fail-on", "none", check_exit=0)

    def test_plugin_writing_a_core_metric_fails_and_the_core_figure_stays(self):
        plain = self.tmp / "plain"
        run("validate", EXAMPLE, "--out", plain, "-q", "--fail-on", "none", check_exit=0)
        core = json.loads((plain / "metrics.json").read_text())
        for mode in ("out-of-tree", "none"):
            out = self.tmp / mode
            p = run("validate", EXAMPLE, "--out", out, f"--isolate={mode}", "--plugins", TEST_PLUGINS / "core_metric",
                    check_exit=3)
            self.assertIn("censusqa: plugin 'core-metric' wrote the metric 'attendance_pupils', which belongs to the "
                          "core; a plugin writes only the names it declares (metric_names: core-metric.); its findings "
                          "were discarded", p.stderr)
            metrics = json.loads((out / "metrics.json").read_text())
            self.assertEqual(metrics["schools"], core["schools"])  # attendance_pupils the core's; no core-metric.mine
            self.assertGreater(sum(s["attendance_pupils"] for s in metrics["schools"].values()), 0)
            self.assertFalse(any(f["rule"] == "CM001" for f in findings(out)["findings"]))

    def test_plugin_declaring_a_core_metric_prefix_is_refused_at_load(self):
        p = run("plugins", "--plugins", TEST_PLUGINS / "need_prefix", check_exit=3)
        self.assertIn(f"refused: {TEST_PLUGINS}/need_prefix/need_prefix.so: the metric prefix 'need.' overlaps the "
                      "core's 'need.'", p.stdout)

    def test_plugin_messages_are_printed_and_kept_in_findings_json(self):
        import jsonschema
        out = self.tmp / "out"
        p = run("validate", EXAMPLE, "--out", out, "--plugins", TEST_PLUGINS / "logging", check_exit=1)
        self.assertIn("censusqa: plugin logging: the holidays list ends before the census date\n", p.stderr)
        self.assertIn("censusqa: plugin logging: read 3 holiday dates\n", p.stderr)
        self.assertIn("censusqa: plugin logging: bad \u00ff byte and a second line\n", p.stderr)
        self.assertIn("censusqa: plugin logging: 50 more message(s) not kept (the first 100 are)", p.stderr)
        found = findings(out)
        jsonschema.validate(found, json.loads((SOURCE / "schemas" / "findings.schema.json").read_text()))
        plugin = next(pl for pl in found["run"]["plugins"] if pl["id"] == "logging")
        self.assertEqual(plugin["status"], "ok")
        self.assertTrue(plugin["isolated"])
        self.assertEqual(len(plugin["messages"]), 100)
        self.assertEqual(plugin["messages_dropped"], 50)
        self.assertEqual(plugin["messages"][:2], [{"level": "info", "message": "read 3 holiday dates"},
                                                  {"level": "warning",
                                                   "message": "the holidays list ends before the census date"}])
        census = next(pl for pl in found["run"]["plugins"] if pl["id"] == "census-integrity")
        self.assertEqual(census["messages"], [])
        self.assertNotIn("messages_dropped", census)
        self.assertIn("logging.returns", next(iter(json.loads((out / "metrics.json").read_text())["schools"].values())))
        # -q: the warnings still, the information not.
        p = run("validate", EXAMPLE, "--out", self.tmp / "quiet", "-q", "--plugins", TEST_PLUGINS / "logging")
        self.assertIn("censusqa: plugin logging: the holidays list ends before the census date", p.stderr)
        self.assertNotIn("read 3 holiday dates", p.stderr)

    def test_plugins_command_lists_and_refuses(self):
        p = run("plugins", check_exit=0)
        self.assertRegex(p.stdout, r"census-integrity\s+1\.0\.0\s+9\s+20\s")
        self.assertRegex(p.stdout, r"dfe-census\s+1\.0\.0\s+\d+\s+\d+\s")
        p = run("plugins", "--plugins", TEST_PLUGINS / "wrong_sdk", check_exit=3)
        self.assertIn(f"refused: {TEST_PLUGINS}/wrong_sdk/wrong_sdk.so was built with SDK 99.0", p.stdout)


class DeterminismAndPrivacy(Base):
    def test_same_inputs_give_identical_findings(self):
        run("validate", EXAMPLE, "--out", self.tmp / "a", "-q", "-j", "1")
        run("validate", EXAMPLE, "--out", self.tmp / "b", "-q", "-j", "2")
        a, b = findings(self.tmp / "a"), findings(self.tmp / "b")
        a["run"].pop("started"), b["run"].pop("started")
        self.assertEqual(a, b)
        for name in ("findings.csv", "metrics.json"):
            self.assertEqual((self.tmp / "a" / name).read_bytes(), (self.tmp / "b" / name).read_bytes(), name)

    def test_findings_are_sorted_and_ids_unique(self):
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q")
        found = findings(out)["findings"]
        order = {"error": 0, "query": 1, "info": 2}
        keys_ = [(f["laestab"] or "", order[f["severity"]], f["rule"], f["subject"]) for f in found]
        self.assertEqual(keys_, sorted(keys_))
        ids = [f["id"] for f in found]
        self.assertEqual(len(ids), len(set(ids)))
        rows = list(csv.DictReader(open(out / "findings.csv", encoding="utf-8-sig")))
        self.assertEqual([r["id"] for r in rows], ids)

    def test_no_pupil_name_in_any_output(self):
        names = set()
        for xml in (EXAMPLE / "census").glob("*.xml"):
            for p in ET.parse(xml).getroot().iter("PupilIdentifiers"):  # pupils on roll and leavers
                names.add(p.findtext("Surname"))
                names.add(p.findtext("Forename"))
        names -= {None, ""}  # DFE1580/1590's injected pupils have an empty Surname or Forename
        self.assertGreater(len(names), 10)
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q")
        for f in out.iterdir():
            if f.suffix == ".xlsx":
                continue  # the workbooks: test_workbooks.Privacy
            text = f.read_text(encoding="utf-8-sig")
            for n in names:
                self.assertNotIn(n, text, f"{n} in {f.name}")


class Schemas(Base):
    def test_outputs_and_configurations_match_their_schemas(self):
        import jsonschema  # Debian's python3-jsonschema, installed by tools/setup.sh
        schema = lambda name: json.loads((SOURCE / "schemas" / name).read_text())
        out = self.tmp / "out"
        run("validate", EXAMPLE, "--out", out, "-q", "--plugins", TEST_PLUGINS / "throwing")
        jsonschema.validate(findings(out), schema("findings.schema.json"))
        jsonschema.validate(json.loads((out / "metrics.json").read_text()), schema("metrics.schema.json"))
        for cfg in (EXAMPLE / "censusqa.json", SHARED / "spec" / "sample-la" / "censusqa.json"):
            jsonschema.validate(json.loads(cfg.read_text()), schema("config.schema.json"))
        # The schema can fail: a finding without a message is refused.
        broken = findings(out)
        broken["findings"][0]["message"] = ""
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema("findings.schema.json"))


class Help(Base):
    def test_every_command_has_help(self):
        for cmd in ("run", "validate", "rules", "plugins"):
            p = run(cmd, "--help", check_exit=0)
            self.assertIn("Usage: censusqa " + cmd, p.stdout)
        self.assertIn("--fail-on", run("validate", "--help").stdout)
        help_text = " ".join(run("run", "--help").stdout.split())
        for words in ("--isolate [=MODE(=all)]", "out-of-tree (the default", "all (a bare --isolate)",
                      "none (every plugin in-process", "--plugin-timeout SECONDS", "(default 600)"):
            self.assertIn(words, help_text)
        self.assertIn("Exit codes", run("--help", check_exit=0).stdout)
        self.assertIn("unknown command 'valdate'", run("valdate", check_exit=2).stderr)
        self.assertIn("censusqa 0.", run("--version", check_exit=0).stdout)

    def test_rules_lists_and_explains(self):
        p = run("rules", check_exit=0)
        for code in [f"CI{n:03d}" for n in range(1, 11)] + [f"EH{n:03d}" for n in range(1, 11)] + [f"PN{n:03d}" for n in range(1, 14)] + [f"CB{n:03d}" for n in range(1, 8)] + [f"AP{n:03d}" for n in range(1, 11)] + ["IN001", "IN090", "IN091"]:
            self.assertIn(code, p.stdout)
        p = run("rules", "ci002", check_exit=0)
        self.assertIn("check letter", p.stdout)
        self.assertIn("how to fix:", p.stdout)
        self.assertIn("who acts:   School", p.stdout)
        # Who acts is declared with each rule: the LA's own records go to its teams.
        self.assertIn("who acts:   LA SEN team", run("rules", "EH005", check_exit=0).stdout)
        self.assertIn("who acts:   LA AP team", run("rules", "AP004", check_exit=0).stdout)
        self.assertIn("who acts:   LA finance team", run("rules", "CB004", check_exit=0).stdout)
        self.assertIn("who acts:   School", run("rules", "CB002", check_exit=0).stdout)  # its evidence
        self.assertIn("who acts:   whoever owns the input", run("rules", "IN003", check_exit=0).stdout)
        self.assertIn("who acts:   LA data team", run("rules", "IN008", check_exit=0).stdout)
        self.assertIn("did you mean CI002?", run("rules", "CI0022", check_exit=2).stderr)

    def test_docs_rules_md_is_generated_from_metadata(self):
        p = run("rules", "--markdown", check_exit=0)
        committed = (SOURCE / "docs" / "rules.md").read_text()
        self.assertEqual(committed, p.stdout,
                         "docs/rules.md is stale: regenerate it with 'censusqa rules --markdown > docs/rules.md'")

    def test_docs_census_input_names_every_element_the_map_knows(self):
        # docs/census-input.md says what is read: every element of schemas/census-xml-map.json is in it.
        doc = (SOURCE / "docs" / "census-input.md").read_text()
        census_map = json.loads((SOURCE / "schemas" / "census-xml-map.json").read_text())
        missing = sorted({name for section in census_map["records"].values() for path in section
                          for name in path.split("/") if f"`{name}" not in doc and f"/{name}`" not in doc
                          and f"/{name}/" not in doc})
        self.assertEqual(missing, [])


if __name__ == "__main__":
    unittest.main()
