"""The school census XML returns of an LA folder read apart from censusqa's loader, with ElementTree and
the DfE's definitions (docs/metrics.md): the tests compare censusqa's figures and workbooks with these.
Standard library only."""
import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta


def used_returns(la):
    """{LAEstab: the root of its census return}: a return belongs to the register school of its LEA and
    Estab (else of its Estab with the LA's number); of two returns of one school the later DateTime
    counts; a CTF or another collection's file counts for nobody."""
    register = {r["laestab"] for r in csv.DictReader(open(la / "schools.csv", encoding="utf-8-sig"))}
    la_number = json.loads((la / "censusqa.json").read_text())["la_code"]
    returns = {}
    for xml in sorted((la / "census").glob("*.xml")):
        root = ET.parse(xml).getroot()
        if root.tag != "Message" or root.findtext("Header/CollectionDetails/Collection") != "SC":
            continue
        lea, estab = root.findtext("Header/Source/LEA"), root.findtext("Header/Source/Estab")
        laestab = lea + estab if lea + estab in register else la_number + estab
        stamp = root.findtext("Header/Source/DateTime") or ""
        if laestab not in returns or stamp > returns[laestab][0]:
            returns[laestab] = (stamp, root)
    return {laestab: root for laestab, (_, root) in returns.items()}


def pupil_records(root):
    """Every pupil record of a return: those on roll, then the leavers."""
    yield from root.iterfind("Pupils/PupilsOnRoll/PupilOnRoll")
    yield from root.iterfind("Pupils/PupilsNoLongerOnRoll/PupilNoLongerOnRoll")


def easter_sunday(y):
    """The Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(y, month, (h + l - 7 * m + 33 * month + 19) % 32)


def reported_periods(term, census):
    """(termly, annual): the dates a return's TermlyExclusion and AnnualExclusion records cover."""
    y = census.year if census >= date(census.year, 9, 1) else census.year - 1  # the August before its year
    two = census >= date(2019, 8, 1)
    if term == "SPR":
        termly = (easter_sunday(y) + timedelta(days=1), date(y, 12, 31) if two else date(y, 7, 31))
    elif term == "SUM":
        termly = (date(y, 8, 1), easter_sunday(y + 1) if two else date(y, 12, 31))
    else:
        termly = (date(y, 1, 1), date(y, 7, 31) if two else easter_sunday(y))
    return termly, (date(y - 1, 8, 1), date(y, 7, 31))


def count_census_xml(la, subsidiary_at_pru=None):
    """{LAEstab: Counter of metrics.json's census figures}, counted from the used returns. A PRU's pupils
    with status S are also added to `subsidiary_at_pru` (a Counter), which the LA's totals leave out."""
    figures = {}
    def d(s):
        try:
            return date.fromisoformat(s) if s and re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) else None
        except ValueError:  # 30 February: unreadable, as the loader finds it
            return None
    codes = {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH", "NSA"}
    authorised, unauthorised = set("CEHIMRST") | {"C1", "C2", "J1"}, set("GNOU")
    prus = {r["laestab"] for r in csv.DictReader(open(la / "schools.csv", encoding="utf-8-sig")) if r["phase"] == "pru"}
    for laestab, root in used_returns(la).items():
        census = date.fromisoformat(root.findtext("Header/CollectionDetails/ReferenceDate"))
        term = root.findtext("Header/CollectionDetails/Term")
        termly_period, annual_period = reported_periods(term, census)
        age_date = date(census.year - 1, 8, 31)
        want = Counter()

        # Suspensions in the academic year of the census's exclusion terms (1 August to 31 July; for an October,
        # January or May census the one that began the August of the year before), once per pupil and start date.
        year_from, year_to = date(census.year - 1, 8, 1), date(census.year, 7, 31)
        in_year = {}  # (UPN, start) -> SEN provision at it

        def exclusions(p, band):
            """Exclusion records by category and SEN provision; pupils with a suspension by their own."""
            suspended, latest = 0, None  # latest: (start, SEN provision) of the latest suspension
            upn = (p.findtext("PupilIdentifiers/UPN") or "").strip().upper()
            for e in p.findall("Exclusions/*"):
                start = d(e.findtext("StartDate"))
                if e.findtext("Category") == "SUSP" and upn and start and year_from <= start <= year_to:
                    in_year[(upn, start)] = e.findtext("SENprovision") or band
                cat = {"SUSP": "suspensions", "PERM": "permanent_exclusions", "LNCH": "lunchtime_exclusions"}.get(
                    e.findtext("Category"))
                if not cat:
                    continue
                want[cat] += 1
                lo, hi = annual_period if e.tag == "AnnualExclusion" else termly_period
                if cat == "suspensions" and (start is None or lo <= start <= hi):  # the bands: the terms reported
                    suspended += 1
                    key = (start or date.min, e.findtext("SENprovision") or band)
                    if latest is None or latest[0] <= key[0]:
                        latest = key
                if cat != "lunchtime_exclusions":
                    b = {"K": "sen_support", "E": "ehc_plan"}.get(e.findtext("SENprovision") or band, "no_sen")
                    want[f"{cat}.{b}"] += 1
            status = {"K": "sen_support", "E": "ehc_plan"}.get(latest and latest[1], "no_sen")
            for at_least, name in ((1, "pupils_suspended"), (2, "pupils_suspended_2plus"), (10, "pupils_suspended_10plus")):
                if suspended >= at_least:
                    want[name] += 1
                    want[f"{name}.{status}"] += 1

        def absence(p):
            dob = d(p.findtext("PupilIdentifiers/DOB"))
            if not dob:
                return
            age = age_date.year - dob.year - ((age_date.month, age_date.day) < (dob.month, dob.day))
            def module(name):
                """(possible, authorised, unauthorised) of one attendance module, or None when not counted."""
                t = p.find("Attendance/" + name)
                if t is None or not (t.findtext("SessionsPossible") or "").isdigit():
                    return None
                possible = int(t.findtext("SessionsPossible"))
                rows = t.findall("SessionDetails/SessionDetail")
                if rows:
                    a = sum(int(r.findtext("AbsenceSessions")) for r in rows if r.findtext("AttendanceReason") in authorised)
                    u = sum(int(r.findtext("AbsenceSessions")) for r in rows if r.findtext("AttendanceReason") in unauthorised)
                else:
                    a, u = int(t.findtext("SessionsAuthorised") or 0), int(t.findtext("SessionsUnauthorised") or 0)
                return (possible, a, u) if possible > 0 and a + u <= possible else None

            counted = module("TermlyAttendance") if 5 <= age <= 15 else None
            if counted is None:
                return
            possible, a, u = counted
            # An autumn census's summer term: both halves, the second not for pupils aged 15.
            half2 = module("SummerHalfTerm2Attendance") if term == "AUT" and age < 15 else None
            if half2:
                possible, a, u = possible + half2[0], a + half2[1], u + half2[2]
            want["attendance_pupils"] += 1
            want["sessions_possible"] += possible
            want["sessions_authorised"] += a
            want["sessions_unauthorised"] += u
            want["sessions_missed"] += a + u
            want["persistent_absentees"] += (a + u) * 10 >= possible

        for p in root.iterfind("Pupils/PupilsNoLongerOnRoll/PupilNoLongerOnRoll"):
            want["leavers_in_return"] += 1
            exclusions(p, None)
            absence(p)
        for p in root.iterfind("Pupils/PupilsOnRoll/PupilOnRoll"):
            want["pupils_in_return"] += 1
            band = {"K": "sen_support", "E": "ehc_plan"}.get(p.findtext("SpecialEducationalNeeds/SENprovision"))
            exclusions(p, p.findtext("SpecialEducationalNeeds/SENprovision"))
            status = p.findtext("PupilStatus/EnrolStatus")
            want["dual_subsidiary"] += status == "S"
            # A PRU counts its dual-registered (S) pupils on roll too; absence stays C and M.
            if status not in ("C", "M") and not (status == "S" and laestab in prus):
                continue
            # A PRU's S pupil counts on the PRU's roll but not in the LA's totals (its main school counts it).
            on_roll = Counter()
            on_roll["pupils_on_roll"] += 1
            on_roll["school_arranged_ap_pupils"] += p.find("APPlacementDetails/SchoolArrangedAPDetail") is not None
            for f in p.findall("PupilCharacteristics/FSMeligibility/FSMperiod"):
                start, end = d(f.findtext("FSMstartDate")), d(f.findtext("FSMendDate"))
                if start and start <= census and (end is None or end >= census) and f.findtext("UKcountry") in (
                        None, "ENG"):
                    on_roll["fsm_eligible"] += 1
                    break
            if status in ("C", "M"):
                absence(p)
            on_roll[band or "no_sen"] += 1
            if band:
                primary = [n.findtext("SENtype") for n in p.iterfind("SpecialEducationalNeeds/SENneeds/SENneed")
                           if n.findtext("SENtypeRank") == "1" and n.findtext("SENtype") in codes]
                if primary:
                    on_roll[f"need.{primary[0]}.{band}"] += 1
            want.update(on_roll)
            if status == "S" and subsidiary_at_pru is not None:
                subsidiary_at_pru.update(on_roll)
        per_pupil = {}
        for (upn, start), sen in sorted(in_year.items()):
            n, _ = per_pupil.get(upn, (0, None))
            per_pupil[upn] = (n + 1, sen)  # the SEN provision at the latest
        for name in ("suspensions", "pupils_1plus", "pupils_2plus", "pupils_10plus"):
            for suffix in ("", ".sen_support", ".ehc_plan", ".no_sen"):
                want["suspensions_year." + name + suffix] += 0
        for n, sen in per_pupil.values():
            status = {"K": ".sen_support", "E": ".ehc_plan"}.get(sen, ".no_sen")
            for suffix in ("", status):
                want["suspensions_year.suspensions" + suffix] += n
                for at_least, name in ((1, "pupils_1plus"), (2, "pupils_2plus"), (10, "pupils_10plus")):
                    if n >= at_least:
                        want[f"suspensions_year.{name}{suffix}"] += 1
        figures[laestab] = want
    return figures
