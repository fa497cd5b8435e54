#!/usr/bin/env python3
"""The baseline censusqa's census loader is measured against (bench/RESULTS.md): the same work in Python,
as an analyst would write it with the standard library's fastest streaming parser. For every census/*.xml
file of an LA folder: read the bytes, hash them (SHA-256), and with xml.etree.ElementTree.iterparse turn
every pupil on roll and every leaver into a record of the fields censusqa reads (identifiers, status,
SEN and needs, FSM periods, exclusions, attendance modules with sessions by reason code, AP placements),
clearing each pupil's elements once read. Prints MB/s on one core (run it under taskset -c N).

Usage: python3 bench/iterparse_baseline.py LA_FOLDER [--repeat N]"""
import hashlib
import io
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

PUPIL_TAGS = {"PupilOnRoll", "PupilNoLongerOnRoll"}


def text(e, path):
    v = e.findtext(path)
    return v.strip() if v else None


def pupil_record(p):
    rec = {
        "upn": text(p, "PupilIdentifiers/UPN"),
        "sex": text(p, "PupilIdentifiers/Sex") or text(p, "PupilIdentifiers/Gender"),
        "dob": text(p, "PupilIdentifiers/DOB"),
        "enrol_status": text(p, "PupilStatus/EnrolStatus"),
        "entry_date": text(p, "PupilStatus/EntryDate"),
        "leaving_date": text(p, "PupilStatus/LeavingDate"),
        "nc_year": text(p, "PupilStatus/NCyearActual") or text(p, "PupilStatus/NCyearLeaving"),
        "sen_provision": text(p, "SpecialEducationalNeeds/SENprovision"),
        "needs": [(text(n, "SENtypeRank"), text(n, "SENtype"))
                  for n in p.iterfind("SpecialEducationalNeeds/SENneeds/SENneed")],
        "fsm": [(text(f, "FSMstartDate"), text(f, "FSMendDate"), text(f, "UKcountry"))
                for f in p.iterfind("PupilCharacteristics/FSMeligibility/FSMperiod")],
        "exclusions": [(text(x, "Category"), text(x, "Reason"), text(x, "StartDate"), text(x, "Sessions"),
                        text(x, "SENprovision")) for x in p.iterfind("Exclusions/*")],
        "ap": [(text(a, "URN"), text(a, "EntryDate"), text(a, "LeavingDate"))
               for a in p.iterfind("APPlacementDetails/SchoolArrangedAPDetail")],
        "attendance": [],
    }
    for m in p.iterfind("Attendance/*"):
        detail = [(text(d, "AttendanceReason"), int(text(d, "AbsenceSessions") or 0))
                  for d in m.iterfind("SessionDetails/SessionDetail")]
        rec["attendance"].append((m.tag, text(m, "SessionsPossible"), text(m, "SessionsAuthorised"),
                                  text(m, "SessionsUnauthorised"), detail))
    return rec


def load(path):
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    records = []
    for event, elem in ET.iterparse(io.BytesIO(data), events=("end",)):
        if elem.tag in PUPIL_TAGS:
            records.append(pupil_record(elem))
            elem.clear()
    return digest, records


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = Path(sys.argv[1])
    repeat = int(sys.argv[3]) if len(sys.argv) >= 4 and sys.argv[2] == "--repeat" else 3
    files = sorted((folder / "census").glob("*.xml"))
    size = sum(f.stat().st_size for f in files)
    best, pupils = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        pupils = sum(len(load(f)[1]) for f in files)
        best = min(best, time.perf_counter() - t0)
    mb = size / 1048576
    print(f"files={len(files)} pupil_records={pupils} xml={mb:.0f}MB best_of={repeat} "
          f"load={best:.3f}s ({mb / best:.1f} MB/s on one core)")


if __name__ == "__main__":
    main()
