// Census XML loading, in the shape MIS software writes it: every module read by its path, leavers, FSM
// periods, attendance by module and reason code, school-arranged AP, codes checked by year, and a precise
// IN finding for every defect.
#include "dfe/catalogue.hpp"
#include "fixtures.hpp"
#include "load/census_xml.hpp"
#include "load/dfe_fields.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace censusqa;
using namespace censusqa::load;
using censusqa::testkit::census_context;

namespace {

std::string header(const std::string& term = "SPR", const std::string& date = "2025-01-16",
                   const std::string& source = "<LEA>888</LEA><Estab>3001</Estab><URN>123456</URN>") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Message>\n"
         "  <Header>\n"
         "    <CollectionDetails><Collection>SC</Collection><Term>" +
         term + "</Term><Year>" + date.substr(0, 4) + "</Year><ReferenceDate>" + date +
         "</ReferenceDate></CollectionDetails>\n"
         "    <Source><SourceLevel>S</SourceLevel>" +
         source +
         "<SoftwareCode>MIS</SoftwareCode><Release>1</Release><SerialNo>7</SerialNo>"
         "<DateTime>2025-01-16T09:12:30</DateTime></Source>\n"
         "  </Header>\n"
         "  <School><SchoolCharacteristics><SchoolName>Test School</SchoolName><Phase>PS</Phase>"
         "<LowestNCyear>N1</LowestNCyear><HighestNCyear>6</HighestNCyear></SchoolCharacteristics></School>\n"
         "  <Pupils>\n"
         "    <PupilsOnRoll>\n"; // line 9
}

// A pupil on roll, one module a line (the pupil's first line is its <PupilOnRoll>).
std::string pupil(const std::string& upn, const std::string& modules = "", const std::string& dob = "2015-03-02",
                  const std::string& sen = "K", const std::string& status = "<EnrolStatus>C</EnrolStatus>") {
  return "      <PupilOnRoll>\n"
         "        <PupilIdentifiers><UPN>" +
         upn + "</UPN><Surname>Smith</Surname><Forename>Ann</Forename><Sex>F</Sex><DOB>" + dob +
         "</DOB></PupilIdentifiers>\n"
         "        <PupilStatus>" +
         status +
         "<EntryDate>2019-09-04</EntryDate><PartTime>false</PartTime><NCyearActual>4</NCyearActual></PupilStatus>\n"
         "        <SpecialEducationalNeeds><SENprovision>" +
         sen +
         "</SENprovision></SpecialEducationalNeeds>\n"
         "        <HomeInformation><Address><PostCode>ZZ99 3AA</PostCode></Address></HomeInformation>\n" +
         modules + "      </PupilOnRoll>\n";
}
const std::string on_roll_end = "    </PupilsOnRoll>\n";
const std::string footer = "  </Pupils>\n</Message>\n";

std::string leaver(const std::string& upn, const std::string& modules, const std::string& leaving = "2024-11-20") {
  return "      <PupilNoLongerOnRoll>\n"
         "        <PupilIdentifiers><UPN>" +
         upn +
         "</UPN><Surname>Jones</Surname><Forename>Bo</Forename><Sex>M</Sex><DOB>2010-05-01</DOB></PupilIdentifiers>\n"
         "        <PupilStatus><EntryDate>2021-09-02</EntryDate><LeavingDate>" +
         leaving + "</LeavingDate><PartTime>false</PartTime><Boarder>N</Boarder></PupilStatus>\n" + modules +
         "      </PupilNoLongerOnRoll>\n";
}

CensusPart read(const std::string& xml) { return read_census_xml(xml, 1, census_context()); }

std::vector<std::string> findings_of(const CensusPart& part) {
  std::vector<std::string> out;
  for (const auto& f : part.report.findings())
    out.push_back(f.rule + " " + f.subject + " @" + std::to_string(f.source.line));
  return out;
}

const std::string attendance =
    "        <Attendance><TermlyAttendance><SessionsPossible>140</SessionsPossible>"
    "<SessionDetails><SessionDetail><AttendanceReason>I</AttendanceReason><AbsenceSessions>8"
    "</AbsenceSessions></SessionDetail><SessionDetail><AttendanceReason>M</AttendanceReason>"
    "<AbsenceSessions>2</AbsenceSessions></SessionDetail><SessionDetail><AttendanceReason>O"
    "</AttendanceReason><AbsenceSessions>3</AbsenceSessions></SessionDetail></SessionDetails>"
    "</TermlyAttendance></Attendance>\n";

} // namespace

TEST_CASE("XML: every module of a pupil on roll becomes typed records, read by path") {
  const auto part = read(
      header() +
      pupil(
          "B801200005001",
          "        <PupilCharacteristics><Ethnicity>WBRI</Ethnicity><FSMeligibility><FSMperiod><FSMstartDate>2023-09-01"
          "</FSMstartDate><FSMendDate>2024-03-31</FSMendDate><UKcountry>ENG</UKcountry></FSMperiod><FSMperiod>"
          "<FSMstartDate>2024-10-01</FSMstartDate><UKcountry>ENG</UKcountry></FSMperiod></FSMeligibility>"
          "<TopUpFunding>1</TopUpFunding></PupilCharacteristics>\n"
          "        <Exclusions><TermlyExclusion><Category>SUSP</Category><Reason>PA</Reason><Reason>VA</Reason>"
          "<StartDate>2024-11-05</StartDate><Sessions>4</Sessions><SENprovision>N</SENprovision></TermlyExclusion>"
          "</Exclusions>\n" +
              attendance +
              "        <APPlacementDetails><SchoolArrangedAPDetail><URN>140001</URN><EntryDate>2024-09-09</EntryDate>"
              "<APSessionsPerWeek>2</APSessionsPerWeek><APSettingType>OTH</APSettingType><PlacementReason>BHS"
              "</PlacementReason><SENprovisionEntry>K</SENprovisionEntry><APAttendancePattern>PT"
              "</APAttendancePattern></SchoolArrangedAPDetail></APPlacementDetails>\n") +
      on_roll_end + footer);
  CHECK(findings_of(part).empty());
  REQUIRE(part.kind == FileKind::census);
  REQUIRE(part.returns.size() == 1);
  const CensusReturn& r = part.returns[0];
  CHECK(r.laestab == "8883001");
  CHECK(r.lea == "888");
  CHECK(r.estab == "3001");
  CHECK(r.urn == "123456");
  CHECK(r.term == Term::SPR);
  CHECK(r.reference_date == Date::parse("2025-01-16"));
  CHECK(r.serial_no == 7);
  CHECK(r.date_time == "2025-01-16T09:12:30");
  CHECK(r.software == "MIS");
  CHECK(r.release == "1");
  CHECK(r.phase_code == "PS");
  CHECK(r.lowest_nc_year == NcYear::parse("N1"));
  REQUIRE(part.pupils.size() == 1);
  const Pupil& p = part.pupils[0];
  CHECK_FALSE(p.leaver);
  CHECK(p.upn == "B801200005001");
  CHECK(p.source.line == 10);
  CHECK(p.sex == 'F');
  CHECK(p.entry_date == Date::parse("2019-09-04")); // PupilStatus's, not the placement's
  CHECK(p.part_time == false);
  CHECK(p.sen_provision == SenProvision::K); // SpecialEducationalNeeds's, not the exclusion's
  CHECK(p.top_up_funding == true);
  // FSM: the second period covers census day.
  REQUIRE(p.fsm_count == 2);
  CHECK(part.fsm_periods[0].end == Date::parse("2024-03-31"));
  CHECK(p.fsm_eligible == true);
  REQUIRE(p.exclusion_count == 1);
  const Exclusion& e = part.exclusions[0];
  CHECK(e.category == ExclusionCategory::SUSP);
  CHECK(e.reasons[0] == "PA");
  CHECK(e.reasons[1] == "VA");
  CHECK(e.sessions == 4);
  CHECK(e.sen_provision == SenProvision::N);
  REQUIRE(p.attendance_count == 1);
  const Attendance& a = part.attendance[0];
  CHECK(a.period == AttendancePeriod::termly);
  CHECK(a.possible == 140);
  CHECK(a.has_detail);
  CHECK(a.authorised == 10); // I + M
  CHECK(a.unauthorised == 3);
  CHECK_FALSE(a.authorised_given);
  CHECK(a.detail_count == 3);
  CHECK(part.absence_sessions[2].reason == "O");
  CHECK(part.absence_sessions[2].category == AbsenceCategory::unauthorised);
  REQUIRE(p.ap_count == 1);
  const SchoolArrangedAp& ap = part.school_ap[0];
  CHECK(ap.urn == "140001");
  CHECK(ap.entry_date == Date::parse("2024-09-09"));
  CHECK(ap.sessions_per_week == 2);
  CHECK(ap.setting_type == "OTH");
  CHECK(ap.reason == "BHS");
  CHECK(ap.sen_provision_entry == SenProvision::K);
  CHECK(ap.attendance_pattern == "PT");
  CHECK(part.records == 1);
}

TEST_CASE("XML: leavers are their own list, with their exclusions and attendance") {
  const auto part =
      read(header() + pupil("B801200005001") + on_roll_end + "    <PupilsNoLongerOnRoll>\n" +
           leaver("A950000178301", "        <Exclusions><TermlyExclusion><Category>PERM</Category><Reason>PA</Reason>"
                                   "<StartDate>2024-11-14</StartDate><SENprovision>E</SENprovision></TermlyExclusion>"
                                   "</Exclusions>\n" +
                                       attendance) +
           "    </PupilsNoLongerOnRoll>\n" + footer);
  CHECK(findings_of(part).empty());
  REQUIRE(part.pupils.size() == 1);
  REQUIRE(part.leavers.size() == 1);
  const Pupil& l = part.leavers[0];
  CHECK(l.leaver);
  CHECK(l.upn == "A950000178301");
  CHECK(l.leaving_date == Date::parse("2024-11-20"));
  CHECK(l.entry_date == Date::parse("2021-09-02"));
  CHECK_FALSE(l.enrol_status);
  CHECK_FALSE(l.fsm_eligible); // leavers' FSM is not returned
  REQUIRE(l.exclusion_count == 1);
  CHECK(part.exclusions[l.first_exclusion].category == ExclusionCategory::PERM);
  CHECK_FALSE(part.exclusions[l.first_exclusion].sessions);
  CHECK(part.exclusions[l.first_exclusion].sen_provision == SenProvision::E);
  REQUIRE(l.attendance_count == 1);
  CHECK(part.attendance[l.first_attendance].possible == 140);
  CHECK(part.returns[0].pupil_count == 1);
  CHECK(part.returns[0].leaver_count == 1);
  CHECK(part.records == 2);
}

TEST_CASE("XML: an autumn return's two attendance modules are kept apart, each its own period") {
  const auto part =
      read(header("AUT", "2024-10-03") +
           pupil("B801200005001",
                 "        <Attendance><TermlyAttendance><SessionsPossible>70</SessionsPossible><SessionsAuthorised>4"
                 "</SessionsAuthorised><SessionsUnauthorised>1</SessionsUnauthorised></TermlyAttendance>"
                 "<SummerHalfTerm2Attendance><SessionsPossible>62</SessionsPossible><SessionDetails><SessionDetail>"
                 "<AttendanceReason>I</AttendanceReason><AbsenceSessions>6</AbsenceSessions></SessionDetail>"
                 "</SessionDetails></SummerHalfTerm2Attendance></Attendance>\n") +
           on_roll_end + footer);
  CHECK(findings_of(part).empty());
  const Pupil& p = part.pupils.at(0);
  REQUIRE(p.attendance_count == 2);
  const Attendance& termly = part.attendance[0];
  const Attendance& second = part.attendance[1];
  CHECK(termly.period == AttendancePeriod::termly);
  CHECK(termly.possible == 70);
  CHECK_FALSE(termly.has_detail); // totals only: taken as given
  CHECK(termly.authorised == 4);
  CHECK(termly.unauthorised == 1);
  CHECK(second.period == AttendancePeriod::summer_half_term_2);
  CHECK(second.possible == 62);
  CHECK(second.authorised == 6);
  CHECK(second.unauthorised == 0);
}

TEST_CASE("XML: a module given twice for one period: the first is the pupil's, the second is reported") {
  const std::string termly = "<TermlyAttendance><SessionsPossible>100</SessionsPossible><SessionsAuthorised>3"
                             "</SessionsAuthorised><SessionsUnauthorised>0</SessionsUnauthorised></TermlyAttendance>";
  const std::string again = "<TermlyAttendance><SessionsPossible>100</SessionsPossible><SessionsAuthorised>0"
                            "</SessionsAuthorised><SessionsUnauthorised>30</SessionsUnauthorised></TermlyAttendance>";
  const auto part =
      read(header() + pupil("B801200005001", "        <Attendance>" + termly + "\n" + again + "</Attendance>\n") +
           on_roll_end + footer);
  REQUIRE(findings_of(part).size() == 1);
  const Finding& f = part.report.findings()[0];
  CHECK(f.rule == "IN003");
  CHECK_THAT(f.message, Catch::Contains("TermlyAttendance is given twice") && Catch::Contains("the first is used"));
  CHECK(f.source.line == part.attendance.at(1).line);
  CHECK(part.attendance.at(0).line < part.attendance.at(1).line);
  Dataset d;
  d.pupils = part.pupils;
  d.attendance = part.attendance;
  CHECK(d.attendance_of(d.pupils[0], AttendancePeriod::termly)->unauthorised == 0); // the first
  // One module of each period is no repeat.
  const auto autumn =
      read(header("AUT", "2024-10-03") +
           pupil("B801200005001", "        <Attendance>" + termly +
                                      "<SummerHalfTerm2Attendance><SessionsPossible>62"
                                      "</SessionsPossible></SummerHalfTerm2Attendance></Attendance>\n") +
           on_roll_end + footer);
  CHECK(findings_of(autumn).empty());
}

TEST_CASE("XML: detail and totals both given keep both, so that a rule can compare them") {
  const auto part = read(header() +
                         pupil("B801200005001",
                               "        <Attendance><TermlyAttendance><SessionsPossible>140</SessionsPossible>"
                               "<SessionDetails><SessionDetail><AttendanceReason>I</AttendanceReason><AbsenceSessions>8"
                               "</AbsenceSessions></SessionDetail></SessionDetails><SessionsAuthorised>9"
                               "</SessionsAuthorised><SessionsUnauthorised>0</SessionsUnauthorised></TermlyAttendance>"
                               "</Attendance>\n") +
                         on_roll_end + footer);
  const Attendance& a = part.attendance.at(0);
  CHECK(a.authorised == 8); // from the detail
  CHECK(a.authorised_given == 9);
  CHECK(a.unauthorised_given == 0);
}

TEST_CASE("XML: FSM eligibility on census day, from the periods") {
  auto eligible = [](const std::string& periods) {
    const auto part = read(header() +
                           pupil("B801200005001", "        <PupilCharacteristics><FSMeligibility>" + periods +
                                                      "</FSMeligibility></PupilCharacteristics>\n") +
                           on_roll_end + footer);
    REQUIRE(findings_of(part).empty());
    return part.pupils.at(0).fsm_eligible;
  };
  auto period = [](const std::string& start, const std::string& end, const std::string& country = "ENG") {
    return "<FSMperiod><FSMstartDate>" + start + "</FSMstartDate>" +
           (end.empty() ? "" : "<FSMendDate>" + end + "</FSMendDate>") + "<UKcountry>" + country +
           "</UKcountry></FSMperiod>";
  };
  CHECK(eligible(period("2021-09-01", "")) == true);
  CHECK(eligible(period("2025-01-16", "")) == true);           // starting on census day
  CHECK(eligible(period("2021-09-01", "2025-01-16")) == true); // ending on census day
  CHECK(eligible(period("2021-09-01", "2025-01-15")) == false);
  CHECK(eligible(period("2025-01-17", "")) == false);
  CHECK(eligible(period("2021-09-01", "", "WLS")) == false); // eligible in Wales, not here
  CHECK(eligible(period("2021-09-01", "2022-07-31") + period("2024-09-01", "")) == true);
  // No FSM module at all: not eligible.
  const auto none = read(header() + pupil("B801200005001") + on_roll_end + footer);
  CHECK(none.pupils.at(0).fsm_eligible == false);
}

TEST_CASE("XML: codes are checked against the lists of their own date") {
  auto exclusion = [](const std::string& category, const std::string& start, const std::string& census = "2025-01-16") {
    return read(header("SPR", census) +
                pupil("B801200005001", "        <Exclusions><TermlyExclusion><Category>" + category +
                                           "</Category><Reason>PA</Reason><StartDate>" + start +
                                           "</StartDate><Sessions>2</Sessions></TermlyExclusion></Exclusions>\n") +
                on_roll_end + footer);
  };
  // SUSP from August 2021, FIXD before it (rule 2275's tie of category to date), LNCH throughout.
  CHECK(findings_of(exclusion("SUSP", "2024-11-05")).empty());
  CHECK(findings_of(exclusion("FIXD", "2021-03-01", "2021-05-20")).empty());
  CHECK(exclusion("FIXD", "2021-03-01", "2021-05-20").exclusions[0].category == ExclusionCategory::SUSP);
  CHECK(findings_of(exclusion("LNCH", "2024-11-05")).empty());
  const auto fixd = exclusion("FIXD", "2024-11-05");
  REQUIRE(findings_of(fixd) == std::vector<std::string>{"IN004 B801200005001.TermlyExclusion/Category @15"});
  CHECK(fixd.report.findings()[0].message ==
        "TermlyExclusion/Category 'FIXD' is not valid here: the exclusion starts on 2024-11-05, and FIXD (fixed "
        "period) is SUSP for exclusions from 1 August 2021 (expected one of PERM, SUSP, LNCH)");
  CHECK_FALSE(fixd.exclusions[0].category);
  CHECK(findings_of(exclusion("SUSP", "2021-03-01", "2021-05-20")).size() == 1);
  CHECK(findings_of(exclusion("LUNC", "2024-11-05")).size() == 1); // no source shows LUNC
  // NC years of early years children.
  for (const char* y : {"E1", "E2", "N1", "N2", "R", "14", "X"}) {
    std::string p = pupil("B801200005001");
    p.replace(p.find("<NCyearActual>4"), 15, std::string("<NCyearActual>") + y);
    CHECK(findings_of(read(header() + p + on_roll_end + footer)).empty());
  }
  // Attendance codes by the year the sessions belong to: C1 is a 2024/25 code, J is J1 from then. An
  // autumn 2024 return reports the summer term of 2023/24.
  auto reason = [](const std::string& code, const std::string& term, const std::string& census) {
    return read(header(term, census) +
                pupil("B801200005001", "        <Attendance><TermlyAttendance><SessionsPossible>100</SessionsPossible>"
                                       "<SessionDetails><SessionDetail><AttendanceReason>" +
                                           code +
                                           "</AttendanceReason><AbsenceSessions>2</AbsenceSessions></SessionDetail>"
                                           "</SessionDetails></TermlyAttendance></Attendance>\n") +
                on_roll_end + footer);
  };
  CHECK(findings_of(reason("C1", "SPR", "2025-01-16")).empty());
  CHECK(reason("C1", "SPR", "2025-01-16").attendance[0].authorised == 2);
  CHECK(findings_of(reason("C1", "AUT", "2024-10-03")).size() == 1);
  CHECK(findings_of(reason("J", "AUT", "2024-10-03")).empty());
  CHECK(findings_of(reason("J", "SPR", "2025-01-16")).size() == 1);
  const auto unknown = reason("Q9", "SPR", "2025-01-16");
  CHECK(findings_of(unknown) == std::vector<std::string>{"IN004 B801200005001.TermlyAttendance/AttendanceReason @15"});
  CHECK(unknown.attendance[0].authorised == 0); // an unknown code's sessions count as nothing
  CHECK(unknown.absence_sessions[0].category == AbsenceCategory::unknown);
}

TEST_CASE("XML: S and other discontinued SEN codes are reported with the reason") {
  const auto part = read(header() + pupil("B801200005001", "", "2015-03-02", "S") + on_roll_end + footer);
  REQUIRE(part.report.findings().size() == 1);
  CHECK(part.report.findings()[0].message ==
        "SENprovision 'S' is not valid here: S (statement) was discontinued when statements became EHC plans (DfE rule "
        "2115): record E (expected one of N, K, E)");
  CHECK_FALSE(part.pupils[0].sen_provision);
  CHECK(part.raws.size() == 1);
}

TEST_CASE("XML: a bad date and an unknown code each give an IN finding with line, field and value") {
  const auto part = read(header() + pupil("B801200005001", "", "31/02/2015", "Q") + on_roll_end + footer);
  CHECK(findings_of(part) ==
        std::vector<std::string>{"IN003 B801200005001.DOB @11", "IN004 B801200005001.SENprovision @13"});
  const auto& f = part.report.findings();
  CHECK(f[0].laestab == "8883001");
  CHECK(f[0].message == "DOB '31/02/2015' could not be read: expected a date as YYYY-MM-DD or DD/MM/YYYY");
  CHECK(f[1].message == "SENprovision 'Q' is not a known code: expected one of N, K, E");
  // The record is kept, with the bad fields missing and their raw text available to rules.
  REQUIRE(part.pupils.size() == 1);
  CHECK_FALSE(part.pupils[0].dob);
  CHECK(part.raws.size() == 2);
}

TEST_CASE("XML: an element the map does not know is one IN091 per name, with its path, and is not read") {
  const auto part = read(header() + pupil("B801200005001", "        <Shoe><Size>7</Size></Shoe>\n") +
                         pupil("A950000178301", "        <Shoe>8</Shoe>\n") + on_roll_end + footer);
  REQUIRE(findings_of(part) == std::vector<std::string>{"IN091 element:Shoe @15"});
  CHECK(part.report.findings()[0].message ==
        "Unknown element 'Shoe' at Message/Pupils/PupilsOnRoll/PupilOnRoll/Shoe ignored: its content is not read "
        "(reported once; first seen here)");
  CHECK(part.pupils.size() == 2);
  // A module of a later census in an earlier year's return is reported, not read.
  const auto early = read(header("SPR", "2021-01-21") +
                          pupil("B801200005001", "        <APPlacementDetails><SchoolArrangedAPDetail><URN>140001</URN>"
                                                 "</SchoolArrangedAPDetail></APPlacementDetails>\n") +
                          on_roll_end + footer);
  REQUIRE(early.report.findings().size() == 1);
  CHECK_THAT(early.report.findings()[0].message, Catch::StartsWith("Element not part of the 2020/21 census: "));
  CHECK(early.school_ap.empty());
}

TEST_CASE("XML: names and addresses are never read") {
  const auto part = read(header() + pupil("B801200005001") + on_roll_end + footer);
  REQUIRE(part.pupils.size() == 1);
  CHECK(findings_of(part).empty());
  CHECK(part.raws.empty());
  // Nothing kept anywhere holds "Smith", "Ann" or the postcode: the ignored subtrees are skipped unread.
  const std::string_view kept[] = {part.pupils[0].upn, part.returns[0].laestab, part.returns[0].urn};
  for (const auto& s : kept) {
    CHECK(s.find("Smith") == std::string_view::npos);
    CHECK(s.find("ZZ99") == std::string_view::npos);
  }
}

TEST_CASE("XML: a field given twice in one record keeps the first and reports the second") {
  std::string p = pupil("B801200005001");
  p.replace(p.find("<DOB>"), 0, "<DOB>2016-01-01</DOB>");
  const auto part = read(header() + p + on_roll_end + footer);
  REQUIRE(findings_of(part) == std::vector<std::string>{"IN003 B801200005001.DOB @11"});
  CHECK(part.pupils[0].dob == Date::parse("2016-01-01"));
}

TEST_CASE("XML: header identifiers that are not numbers are never used as numbers") {
  const auto part = read(header("SPR", "2025-01-16", "<LEA>/tmp/PWNED-</LEA><Estab>3001</Estab>") +
                         pupil("B801200005001") + on_roll_end + footer);
  CHECK(findings_of(part) == std::vector<std::string>{"IN003 header.LEA @5"});
  CHECK(part.returns[0].lea.empty());
  CHECK(part.returns[0].laestab.empty());
  CHECK(part.returns[0].estab == "3001");
  CHECK(part.pupils.size() == 1);
}

TEST_CASE("XML: what a file is comes from its root and collection") {
  const auto ctf = read("<?xml version=\"1.0\"?>\n<CTfile><Header><DocumentName>Common Transfer File</DocumentName>"
                        "<SourceSchool><LEA>881</LEA><Estab>2222</Estab><SchoolName>X</SchoolName></SourceSchool>"
                        "<DestSchool><LEA>888</LEA><Estab>3001</Estab></DestSchool></Header><CTFpupilData><Pupil>"
                        "<UPN>B801200005001</UPN><Surname>Smith</Surname></Pupil></CTFpupilData></CTfile>\n");
  CHECK(ctf.kind == FileKind::transfer);
  CHECK(ctf.transfer_from == "8812222");
  CHECK(ctf.transfer_to == "8883001");
  CHECK(ctf.pupils.empty());
  CHECK(ctf.report.findings().empty());
  std::string ap = header();
  ap.replace(ap.find("<Collection>SC"), 14, "<Collection>APC");
  const auto apc = read(ap + pupil("B801200005001") + on_roll_end + footer);
  CHECK(apc.kind == FileKind::other_collection);
  CHECK(apc.collection == "APC");
  CHECK(apc.pupils.empty());
  const auto other = read("<?xml version=\"1.0\"?>\n<Invoice><Total>3</Total></Invoice>\n");
  CHECK(other.kind == FileKind::not_census);
  CHECK(other.root_name == "Invoice");
  CHECK(other.report.findings().empty());
}

TEST_CASE("XML: malformed XML gives IN001 at the line, keeps the pupils before it") {
  const auto part =
      read(header() + pupil("B801200005001") + pupil("A950000178301") +
           "      <PupilOnRoll>\n        <PupilIdentifiers><UPN>H243278544154</UPN><DOB>2015-01-01</DO>\n");
  const auto& f = part.report.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "IN001");
  CHECK(f[0].source.line == 23); // the <DOB> closed by </DO>
  CHECK(f[0].laestab == "8883001");
  CHECK_THAT(f[0].message, Catch::StartsWith("The file is not well-formed XML at line 23: mismatched tag"));
  CHECK_THAT(f[0].message, Catch::EndsWith("Reading stopped there; 2 complete pupil records before it were kept and 1 "
                                           "incomplete pupil record was not"));
  CHECK(part.pupils.size() == 2);
  CHECK(part.returns.at(0).pupil_count == 2);
  CHECK(part.parse_failed);
}

TEST_CASE("XML: a truncated file, a bad byte, a DOCTYPE and an entity each stop reading with IN001") {
  const auto empty = read("");
  REQUIRE(findings_of(empty) == std::vector<std::string>{"IN001 file @1"});
  CHECK(empty.returns.empty());
  // A byte that is not UTF-8 (a Latin-1 e-acute in a file that declares UTF-8): read up to it.
  const auto latin = read(header() + pupil("B801200005001") + "      <PupilOnRoll><PupilIdentifiers><UPN>Caf\xE9" +
                          "</UPN></PupilIdentifiers></PupilOnRoll>\n" + on_roll_end + footer);
  REQUIRE(findings_of(latin) == std::vector<std::string>{"IN001 file @16"});
  CHECK(latin.pupils.size() == 1);
  CHECK_THAT(latin.report.findings()[0].message, Catch::Contains("the byte 0xE9 is not valid UTF-8"));
  // A DTD: refused outright, so that no entity can be declared, let alone expanded.
  const auto bomb = read("<?xml version=\"1.0\"?>\n<!DOCTYPE Message [<!ENTITY a \"aaaaaaaa\"><!ENTITY b "
                         "\"&a;&a;&a;&a;&a;\">]>\n<Message><Header/></Message>\n");
  REQUIRE(findings_of(bomb) == std::vector<std::string>{"IN001 file @2"});
  CHECK_THAT(bomb.report.findings()[0].message, Catch::Contains("a DOCTYPE declaration is not allowed"));
  const auto entity = read(header() + "      <PupilOnRoll><PupilIdentifiers><UPN>&x;</UPN>" + on_roll_end + footer);
  CHECK(findings_of(entity) == std::vector<std::string>{"IN001 file @10"});
}

TEST_CASE("XML: declared ISO-8859-1, Windows-1252 and UTF-16 are read as text") {
  auto declared = [](const std::string& encoding) {
    std::string h = header();
    h.replace(h.find("UTF-8"), 5, encoding);
    return h;
  };
  // A pound sign and a curly apostrophe in an element censusqa does not read, a valid UPN in one it does.
  const std::string body = pupil("B801200005001") + on_roll_end + footer;
  std::string latin = declared("ISO-8859-1") + body;
  latin.replace(latin.find("Test School"), 11, "Test \xA3 School");
  const auto l1 = read(latin);
  CHECK(findings_of(l1).empty());
  CHECK(l1.encoding == "ISO-8859-1");
  CHECK(l1.pupils.size() == 1);
  std::string cp = declared("windows-1252") + body;
  cp.replace(cp.find("Test School"), 11, "St Mary\x92s");
  const auto w = read(cp);
  CHECK(findings_of(w).empty());
  CHECK(w.pupils.size() == 1);
  // UTF-16 LE with its byte order mark.
  const std::string utf8 = header() + body;
  std::string utf16 = "\xFF\xFE";
  for (const char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  const auto u = read(utf16);
  CHECK(findings_of(u).empty());
  REQUIRE(u.pupils.size() == 1);
  CHECK(u.pupils[0].upn == "B801200005001");
  CHECK(u.pupils[0].source.line == 10);
  // An encoding censusqa does not read is said so.
  const auto ebcdic = read(declared("EBCDIC-US") + body);
  REQUIRE(ebcdic.report.findings().size() == 1);
  CHECK_THAT(ebcdic.report.findings()[0].message, Catch::Contains("which censusqa does not read"));
}

TEST_CASE("XML: namespace prefixes on element names are read as the names") {
  std::string xml = header() + pupil("B801200005001") + on_roll_end + footer;
  for (const std::string tag : {"UPN", "PupilIdentifiers", "PupilOnRoll"}) {
    for (std::size_t at = 0; (at = xml.find("<" + tag + ">", at)) != std::string::npos; at += tag.size())
      xml.replace(at, tag.size() + 2, "<ns0:" + tag + ">");
    for (std::size_t at = 0; (at = xml.find("</" + tag + ">", at)) != std::string::npos; at += tag.size())
      xml.replace(at, tag.size() + 3, "</ns0:" + tag + ">");
  }
  const auto part = read(xml);
  CHECK(findings_of(part).empty());
  REQUIRE(part.pupils.size() == 1);
  CHECK(part.pupils[0].upn == "B801200005001");
}

TEST_CASE("XML: record and field lines are counted as XML counts them, past dense newlines and CR") {
  // 3,000 blank lines between two pupils: more than 255 newlines in one 2 KB block of the counter.
  const std::string blank(3000, '\n');
  const std::string doc =
      header() + pupil("B801200005001") + blank + pupil("B801200005002", "", "31/02/2015") + on_roll_end + footer;
  const auto lf = read(doc);
  REQUIRE(lf.pupils.size() == 2);
  CHECK(lf.pupils[0].source.line == 10);
  CHECK(lf.pupils[1].source.line == 10 + 6 + 3000);
  REQUIRE(lf.report.findings().size() == 1);
  CHECK(lf.report.findings()[0].source.line == 10 + 6 + 3000 + 1); // the DOB is on the pupil's second line
  auto with_ends = [](const std::string& s, const std::string& end) {
    std::string out;
    for (char c : s)
      if (c == '\n')
        out += end;
      else
        out += c;
    return out;
  };
  for (const char* end : {"\r\n", "\r"}) {
    const auto other = read(with_ends(doc, end));
    REQUIRE(other.pupils.size() == 2);
    CHECK(other.pupils[1].source.line == lf.pupils[1].source.line);
    REQUIRE(other.report.findings().size() == 1);
    CHECK(other.report.findings()[0].source.line == lf.report.findings()[0].source.line);
  }
}

TEST_CASE("XML: the spec's sample returns read with no finding") {
  for (const char* f : {"8881001.xml", "8881100.xml", "8884001.xml"}) {
    const auto part =
        load_census_xml(std::string(CENSUSQA_SHARED_DIR "/spec/sample-la/census/") + f, 1, census_context());
    INFO(f);
    CHECK(findings_of(part).empty());
    CHECK(part.pupils.size() > 0);
  }
}

namespace {
// The DfE rule on each of a part's findings, beside its rule and subject.
std::vector<std::string> dfe_of(const CensusPart& part) {
  std::vector<std::string> out;
  for (const auto& f : part.report.findings())
    out.push_back(f.rule + " " + f.subject + " dfe=" + f.dfe_rule);
  return out;
}
// A pupil whose element `from` (the first match) is replaced by `to`.
std::string edited(std::string p, const std::string& from, const std::string& to) {
  const auto at = p.find(from);
  REQUIRE(at != std::string::npos);
  p.replace(at, from.size(), to);
  return p;
}
} // namespace

TEST_CASE("XML: the ULN is read from UniqueLearnerNumber or ULN, on roll and leaving, not 10 digits is IN003, 1575") {
  const std::string with_uln = "</UPN><UniqueLearnerNumber>9876543210</UniqueLearnerNumber>";
  const auto part = read(
      header() + edited(pupil("B801200005001"), "</UPN>", with_uln) +
      edited(pupil("A950000178301"), "</UPN>", "</UPN><ULN> 1234567890 </ULN>") + pupil("H243278544154") + on_roll_end +
      "    <PupilsNoLongerOnRoll>\n" +
      edited(leaver("X428558133462", ""), "</UPN>", "</UPN><UniqueLearnerNumber>5555555555</UniqueLearnerNumber>") +
      "    </PupilsNoLongerOnRoll>\n" + footer);
  CHECK(findings_of(part).empty());
  REQUIRE(part.pupils.size() == 3);
  CHECK(part.pupils[0].uln == 9876543210u);
  CHECK(part.pupils[1].uln == 1234567890u);
  CHECK(part.pupils[2].uln == 0); // none given
  CHECK(part.leavers.at(0).uln == 5555555555u);

  // Nine digits, eleven, letters, all zeros: each is IN003 with DfE rule 1575 and its raw text kept.
  for (const std::string bad : {"123456789", "12345678901", "12345ABCDE", "0000000000"}) {
    const auto p =
        read(header() +
             edited(pupil("B801200005001"), "</UPN>", "</UPN><UniqueLearnerNumber>" + bad + "</UniqueLearnerNumber>") +
             on_roll_end + footer);
    REQUIRE(dfe_of(p) == std::vector<std::string>{"IN003 B801200005001.UniqueLearnerNumber dfe=1575"});
    CHECK(p.report.findings()[0].message ==
          "UniqueLearnerNumber '" + bad + "' could not be read: expected a 10-digit ULN");
    CHECK(p.pupils[0].uln == 0);
    REQUIRE(p.raws.size() == 1);
    CHECK(p.raws[0].field == Field::uln);
    CHECK(p.raws[0].text == bad);
  }
  // A very long value is cut, as a UPN is.
  const auto long_one = read(header() +
                             edited(pupil("B801200005001"), "</UPN>",
                                    "</UPN><UniqueLearnerNumber>" + std::string(500, '7') + "</UniqueLearnerNumber>") +
                             on_roll_end + footer);
  REQUIRE(long_one.raws.size() == 1);
  CHECK(long_one.raws[0].text == std::string(64, '7'));
}

TEST_CASE("XML: FormerUPN is kept, upper-cased, beside the raw values; one too long for a UPN field (64) is IN003, not "
          "kept") {
  const auto part =
      read(header() + edited(pupil("B801200005001"), "</UPN>", "</UPN><FormerUPN> b80120000500a </FormerUPN>") +
           pupil("A950000178301") + on_roll_end + footer);
  CHECK(findings_of(part).empty());
  REQUIRE(part.raws.size() == 1);
  CHECK(part.raws[0].field == Field::former_upn);
  CHECK(part.raws[0].index == 0);
  CHECK(part.raws[0].text == "B80120000500A");
  const auto long_one =
      read(header() +
           edited(pupil("B801200005001"), "</UPN>", "</UPN><FormerUPN>" + std::string(500, '7') + "</FormerUPN>") +
           on_roll_end + footer);
  CHECK(findings_of(long_one) == std::vector<std::string>{"IN003 B801200005001.FormerUPN @11"});
  CHECK(long_one.raws.empty()); // a cut value could match another pupil
}

TEST_CASE("XML: a surname or forename absent or empty sets its flag, and no name text reaches the Dataset") {
  const auto part =
      read(header() + pupil("B801200005001") +                                                      // both given
           edited(pupil("A950000178301"), "<Surname>Smith</Surname>", "<Surname> </Surname>") +     // empty surname
           edited(pupil("H243278544154"), "<Forename>Ann</Forename>", "") +                         // no forename
           edited(pupil("X428558133462"), "<Surname>Smith</Surname><Forename>Ann</Forename>", "") + // neither
           edited(pupil("B801200005002"), "<Surname>Smith</Surname>",
                  "<Surname>Smith</Surname><Surname>Smythe</Surname>") + // repeated: not reported, never quoted
           on_roll_end +
           "    <PupilsNoLongerOnRoll>\n" + edited(leaver("Y428558133462", ""), "<Surname>Jones</Surname>", "") +
           "    </PupilsNoLongerOnRoll>\n" + footer);
  CHECK(findings_of(part).empty());
  REQUIRE(part.pupils.size() == 5);
  CHECK_FALSE(part.pupils[0].surname_missing);
  CHECK_FALSE(part.pupils[0].forename_missing);
  CHECK(part.pupils[1].surname_missing);
  CHECK_FALSE(part.pupils[1].forename_missing);
  CHECK_FALSE(part.pupils[2].surname_missing);
  CHECK(part.pupils[2].forename_missing);
  CHECK(part.pupils[3].surname_missing);
  CHECK(part.pupils[3].forename_missing);
  CHECK_FALSE(part.pupils[4].surname_missing);
  CHECK(part.leavers.at(0).surname_missing);
  CHECK_FALSE(part.leavers.at(0).forename_missing);
  CHECK(part.raws.empty());

  // Into a Dataset: the flags arrive, and no kept text holds a name.
  Dataset data;
  std::vector<Finding> findings;
  merge_part(CensusPart(part), data, findings);
  CHECK(findings.empty());
  REQUIRE(data.pupils.size() == 5);
  CHECK(data.pupils[3].surname_missing);
  CHECK(data.leavers.at(0).surname_missing);
  for (const Pupil& p : data.pupils) {
    for (const char* name : {"Smith", "Smythe", "Ann"})
      CHECK(p.upn.find(name) == std::string::npos);
    for (int f = 0; f <= static_cast<int>(Field::uln); ++f)
      CHECK_FALSE(data.raw_value(p, static_cast<Field>(f)));
  }
  for (const auto& r : data.returns)
    for (const std::string* s : {&r.laestab, &r.urn, &r.software, &r.release, &r.phase_code})
      CHECK(s->find("Smith") == std::string::npos);
}

TEST_CASE("XML: each loader finding that is a DfE rule carries its number, and only those") {
  auto one = [](const std::string& xml) {
    const auto part = read(xml);
    REQUIRE(part.report.findings().size() == 1);
    return part.report.findings()[0].rule + " " + part.report.findings()[0].dfe_rule;
  };
  auto on_roll = [](const std::string& p, const std::string& term = "SPR", const std::string& day = "2025-01-16") {
    return header(term, day) + p + on_roll_end + footer;
  };
  auto leaving = [](const std::string& l, const std::string& term = "SPR", const std::string& day = "2025-01-16") {
    return header(term, day) + on_roll_end + "    <PupilsNoLongerOnRoll>\n" + l + "    </PupilsNoLongerOnRoll>\n" +
           footer;
  };
  const std::string p = pupil("B801200005001");
  CHECK(one(on_roll(edited(p, "<DOB>2015-03-02", "<DOB>2015-02-30"))) == "IN003 1600");
  CHECK(one(on_roll(edited(p, "<Sex>F", "<Sex>X"))) == "IN004 1610");
  CHECK(one(on_roll(edited(p, "<EnrolStatus>C", "<EnrolStatus>Z"))) == "IN004 1860");
  CHECK(one(on_roll(edited(p, "<EntryDate>2019-09-04", "<EntryDate>4th Sept"))) == "IN003 1880");
  CHECK(one(on_roll(edited(p, "<PartTime>false", "<PartTime>half"))) == "IN003 1930");
  CHECK(one(on_roll(edited(p, "<NCyearActual>4", "<NCyearActual>15"))) == "IN004 2000");
  CHECK(one(on_roll(edited(p, "<SENprovision>K", "<SENprovision>S"))) == "IN004 2115");
  CHECK(one(on_roll(edited(p, "<SENprovision>K", "<SENprovision>s"))) == "IN004 2115");
  CHECK(one(on_roll(edited(p, "<SENprovision>K", "<SENprovision>Q"))) == "IN004 2120");
  CHECK(one(on_roll(edited(p, "<SENprovision>K", "<SENprovision>A"))) == "IN004 2120"); // retired, but not 2115's S
  const std::string sen = "</SENprovision><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>ASD</SENtype>"
                          "</SENneed></SENneeds>";
  CHECK(one(on_roll(edited(edited(p, "</SENprovision>", sen), "<SENtype>ASD", "<SENtype>ADHD"))) == "IN004 2170");
  CHECK(one(on_roll(edited(edited(p, "</SENprovision>", sen), "<SENtype>ASD", "<SENtype>BESD"))) == "IN004 2170");
  CHECK(one(on_roll(edited(edited(p, "</SENprovision>", sen), "<SENtypeRank>1", "<SENtypeRank>first"))) ==
        "IN003 2140");
  CHECK(one(on_roll(pupil("B801200005001", "        <PupilCharacteristics><TopUpFunding>often</TopUpFunding>"
                                           "</PupilCharacteristics>\n"))) == "IN003 1869");
  auto excl = [&](const std::string& fields) {
    return on_roll(
        pupil("B801200005001", "        <Exclusions><TermlyExclusion>" + fields + "</TermlyExclusion></Exclusions>\n"));
  };
  CHECK(one(excl("<Category>FIXD</Category><Reason>PA</Reason><StartDate>2024-11-05</StartDate>")) == "IN004 2275");
  CHECK(one(excl("<Category>SUSP</Category><Reason>ZZ</Reason><StartDate>2024-11-05</StartDate>")) == "IN004 2280");
  CHECK(one(excl("<Category>SUSP</Category><Reason>PA</Reason><StartDate>05.11.24</StartDate>")) == "IN003 2290");
  CHECK(one(excl("<Category>SUSP</Category><Reason>PA</Reason><StartDate>2024-11-05</StartDate>"
                 "<SENprovision>Q</SENprovision>")) == "IN004 2310");
  CHECK(one(excl("<Category>SUSP</Category><Reason>PA</Reason><StartDate>2024-11-05</StartDate>"
                 "<Sessions>many</Sessions>")) == "IN003 "); // no DfE rule is an unreadable count
  auto fsm = [&](const std::string& fields) {
    return on_roll(pupil("B801200005001", "        <PupilCharacteristics><FSMeligibility><FSMperiod>" + fields +
                                              "</FSMperiod></FSMeligibility></PupilCharacteristics>\n"));
  };
  CHECK(one(fsm("<FSMstartDate>2024-13-01</FSMstartDate>")) == "IN003 1761");
  CHECK(one(fsm("<FSMstartDate>2024-10-01</FSMstartDate><UKcountry>IRL</UKcountry>")) == "IN004 1764");
  CHECK(one(fsm("<FSMstartDate>2024-10-01</FSMstartDate><FSMendDate>soon</FSMendDate>")) == "IN003 ");
  // Attendance: the module and whether the pupil is on roll decide the number.
  auto module = [](const std::string& name, const std::string& possible, const std::string& reason) {
    return "        <Attendance><" + name + "><SessionsPossible>" + possible +
           "</SessionsPossible><SessionDetails><SessionDetail><AttendanceReason>" + reason +
           "</AttendanceReason><AbsenceSessions>2</AbsenceSessions></SessionDetail></SessionDetails></" + name +
           "></Attendance>\n";
  };
  CHECK(one(on_roll(pupil("B801200005001", module("TermlyAttendance", "100", "Q9")))) == "IN004 2475");
  CHECK(one(on_roll(pupil("B801200005001", module("TermlyAttendance", "lots", "I")))) == "IN003 2500");
  CHECK(one(leaving(leaver("A950000178301", module("TermlyAttendance", "lots", "I")))) == "IN003 2510");
  CHECK(one(leaving(leaver("A950000178301", module("TermlyAttendance", "100", "Q9")))) == "IN004 2475");
  const std::string sht2 = "SummerHalfTerm2Attendance";
  CHECK(one(on_roll(pupil("B801200005001", module(sht2, "60", "Q9")), "AUT", "2024-10-03")) == "IN004 2572");
  CHECK(one(on_roll(pupil("B801200005001", module(sht2, "-1", "I")), "AUT", "2024-10-03")) == "IN003 2575");
  CHECK(one(leaving(leaver("A950000178301", module(sht2, "x", "I"), "2024-09-20"), "AUT", "2024-10-03")) ==
        "IN003 2579");
  CHECK(one(on_roll(pupil("B801200005001", module("AnnualAttendance", "300", "Q9")))) == "IN004 "); // not 2475's
  // A leaver's own fields.
  const std::string l = leaver("A950000178301", "");
  CHECK(one(leaving(edited(l, "<LeavingDate>2024-11-20", "<LeavingDate>20th"))) == "IN003 1920");
  CHECK(one(leaving(edited(l, "<DOB>2010-05-01", "<DOB>2010-05-32"))) == "IN003 1600");
  CHECK(one(leaving(edited(l, "<Boarder>N</Boarder>", "<NCyearLeaving>15</NCyearLeaving>"))) == "IN004 "); // 2005
  // Not a DfE rule: a field given twice, an AP provider's URN that is not one.
  CHECK(one(on_roll(edited(p, "<DOB>", "<DOB>2016-01-01</DOB><DOB>"))) == "IN003 ");
  CHECK(one(on_roll(pupil("B801200005001", "        <APPlacementDetails><SchoolArrangedAPDetail><URN>12</URN>"
                                           "</SchoolArrangedAPDetail></APPlacementDetails>\n"))) == "IN003 ");
}

TEST_CASE("XML: every DfE rule of the loaders' table is in the catalogue, and is the number its findings carry") {
  for (const auto& r : loader_dfe_rules()) {
    INFO(r.dfe_rule << " " << r.field);
    CHECK(is_valid_dfe_rule(r.dfe_rule));
    CHECK(dfe::find(r.dfe_rule) != nullptr);
    CHECK((r.input_rule == "IN003" || r.input_rule == "IN004"));
  }
  const auto rules = loader_dfe_rules();
  CHECK(std::is_sorted(rules.begin(), rules.end(),
                       [](const LoaderDfeRule& a, const LoaderDfeRule& b) { return a.dfe_rule < b.dfe_rule; }));
  CHECK(loader_dfe_rule("IN004", Field::nc_year, false, std::nullopt, "15") == "2000");
  CHECK(loader_dfe_rule("IN003", Field::nc_year, false, std::nullopt, "15").empty());
  CHECK(loader_dfe_rule("IN004", Field::nc_year, true, std::nullopt, "15").empty());
}

TEST_CASE("XML: an exclusion's category by its own date (DfE rule 2275): FIXD until 31 July 2021, SUSP from 1 August") {
  auto exclusion = [](const std::string& category, const std::string& start, const std::string& census) {
    return read(header("SUM", census) +
                pupil("B801200005001", "        <Exclusions><TermlyExclusion><Category>" + category +
                                           "</Category><Reason>PA</Reason><StartDate>" + start +
                                           "</StartDate><Sessions>2</Sessions></TermlyExclusion></Exclusions>\n") +
                on_roll_end + footer);
  };
  // The boundary, in the census of the summer of 2021 (which reports the spring term's exclusions).
  CHECK(findings_of(exclusion("FIXD", "2021-07-31", "2021-05-20")).empty());
  CHECK(findings_of(exclusion("SUSP", "2021-08-01", "2021-05-20")).empty());
  const auto fixd = exclusion("FIXD", "2021-08-01", "2021-05-20");
  REQUIRE(dfe_of(fixd) == std::vector<std::string>{"IN004 B801200005001.TermlyExclusion/Category dfe=2275"});
  CHECK(fixd.report.findings()[0].message ==
        "TermlyExclusion/Category 'FIXD' is not valid here: the exclusion starts on 2021-08-01, and FIXD (fixed "
        "period) is SUSP for exclusions from 1 August 2021 (expected one of PERM, SUSP, LNCH)");
  CHECK_FALSE(fixd.exclusions[0].category);
  CHECK(fixd.raws.size() == 1);
  const auto susp = exclusion("SUSP", "2021-07-31", "2021-05-20");
  REQUIRE(dfe_of(susp) == std::vector<std::string>{"IN004 B801200005001.TermlyExclusion/Category dfe=2275"});
  CHECK(susp.report.findings()[0].message ==
        "TermlyExclusion/Category 'SUSP' is not valid here: the exclusion starts on 2021-07-31, and SUSP is valid "
        "only from 2021-08-01 (expected one of PERM, FIXD, LNCH)");
  // Without a readable start date the census year decides, and the date is not claimed (2290 is the date's).
  const auto undated = exclusion("FIXD", "31/13/2024", "2025-05-15");
  CHECK(dfe_of(undated) == std::vector<std::string>{"IN003 B801200005001.TermlyExclusion/StartDate dfe=2290",
                                                    "IN004 B801200005001.TermlyExclusion/Category dfe=2275"});
  CHECK_THAT(undated.report.findings()[1].message, !Catch::Contains("starts on"));
  // Undated, the terms the census reports decide: October 2021's are January to July 2021, FIXD's time.
  auto autumn = [](const std::string& category) {
    return read(header("AUT", "2021-10-07") +
                pupil("B801200005001", "        <Exclusions><TermlyExclusion><Category>" + category +
                                           "</Category><Reason>PA</Reason><Sessions>2</Sessions></TermlyExclusion>"
                                           "</Exclusions>\n") +
                on_roll_end + footer);
  };
  CHECK(autumn("FIXD").exclusions.at(0).category == ExclusionCategory::SUSP);
  CHECK(dfe_of(autumn("FIXD")).empty());
  CHECK(dfe_of(autumn("SUSP")) == std::vector<std::string>{"IN004 B801200005001.TermlyExclusion/Category dfe=2275"});
  // A code no list has is not a date question.
  CHECK(exclusion("LUNC", "2024-11-05", "2025-05-15").report.findings()[0].message ==
        "TermlyExclusion/Category 'LUNC' is not a known code: expected one of PERM, SUSP, LNCH");
}
