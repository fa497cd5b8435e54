// The schools register (ours and a real GIAS extract), census CSV, and the LA folder as a whole.
#include "fixtures.hpp"
#include "load/la_folder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace censusqa;
using namespace censusqa::load;
using censusqa::testkit::census_codes;
using censusqa::testkit::census_map;
using censusqa::testkit::TempDir;

namespace {
std::vector<std::string> rules_of(const std::vector<Finding>& f) {
  std::vector<std::string> out;
  for (const auto& x : f)
    out.push_back(x.rule + " " + x.subject + " @" + std::to_string(x.source.line));
  return out;
}
LoadResult load_folder(const TempDir& dir) {
  LoadOptions o;
  o.la_dir = dir.path();
  o.census_map = &census_map();
  o.codes = &census_codes();
  return load_la_folder(o);
}
} // namespace

TEST_CASE("schools.csv: our columns, codes case-insensitive, and precise findings for bad rows") {
  TempDir dir;
  dir.write("schools.csv", "LAEstab,urn,name,Phase,governance,conversion_date,sen_unit,colour\n"
                           "8881001,100101,Meadow Lane Primary,Primary,maintained,,Y,blue\n"
                           "8884001,100401,\"Castle Hill, Academy\",secondary,academy,01/09/2015,N,\n"
                           "8884009,1234,Bad Row,infant,trust,2015-13-01,maybe,\n"
                           "8881001,100101,Duplicate,primary,maintained,,,\n"
                           "/tmp/PWNED-,100102,Not a school,primary,maintained,,,\n");
  Dataset data;
  data.files.resize(2); // the file read is files[1]
  InputReport report;
  REQUIRE(load_schools(dir.path() / "schools.csv", 1, data, report) == Source::usable);
  REQUIRE(data.schools.size() == 3);
  CHECK(data.schools[0].phase == Phase::primary);
  CHECK(data.schools[0].sen_unit);
  CHECK(data.schools[1].name == "Castle Hill, Academy");
  CHECK(data.schools[1].conversion_date == Date::parse("2015-09-01"));
  CHECK(rules_of(report.findings()) ==
        std::vector<std::string>{"IN091 column:colour @1", "IN003 8884009.urn @4", "IN004 8884009.phase @4",
                                 "IN004 8884009.governance @4", "IN003 8884009.conversion_date @4",
                                 "IN004 8884009.sen_unit @4", "IN003 8881001.laestab @5", "IN003 line6.laestab @6"});
  // A row whose LAEstab is not 7 digits names no school: it is reported and not used.
  CHECK(std::none_of(data.schools.begin(), data.schools.end(),
                     [](const School& s) { return s.laestab.find('/') != std::string::npos; }));
}

TEST_CASE("schools.csv: a missing required column is IN002 naming it") {
  TempDir dir;
  dir.write("schools.csv", "laestab,name,governance\n8881001,Meadow,maintained\n");
  Dataset data;
  data.files.resize(2); // the file read is files[1]
  InputReport report;
  load_schools(dir.path() / "schools.csv", 1, data, report);
  REQUIRE(report.findings().size() == 1);
  CHECK(report.findings()[0].rule == "IN002");
  CHECK(report.findings()[0].message == "Required column 'phase' is missing from the header");
  CHECK(data.schools.size() == 1); // the row is kept, its phase missing
  CHECK_FALSE(data.schools[0].phase);
}

TEST_CASE("a real GIAS edubasealldata extract maps to the register fields") {
  Dataset data;
  data.files.resize(2); // the file read is files[1]
  InputReport report;
  REQUIRE(load_schools(CENSUSQA_SHARED_DIR "/data/dfe-sample-schools-2223/gias_edubasealldata_sample69.csv", 1, data,
                       report) == Source::usable);
  CHECK(data.schools.size() == 70);
  CHECK(report.findings().empty());
  auto find = [&](const std::string& laestab) -> const School& {
    return *std::find_if(data.schools.begin(), data.schools.end(),
                         [&](const School& s) { return s.laestab == laestab; });
  };
  const School& aldgate = find("2013614"); // The Aldgate School, VA primary, City of London
  CHECK(aldgate.urn == "100000");
  CHECK(aldgate.name == "The Aldgate School");
  CHECK(aldgate.phase == Phase::primary);
  CHECK(aldgate.governance == Governance::maintained);
  CHECK(find("2021100").phase == Phase::pru);     // Camden PRU, phase "Not applicable"
  CHECK(find("9317002").phase == Phase::special); // Woodeaton Manor, foundation special
  const auto academies = std::count_if(data.schools.begin(), data.schools.end(),
                                       [](const School& s) { return s.governance == Governance::academy; });
  CHECK(academies == 49); // 38 academies and 11 free schools (URN 149898 is only in GIAS)
  CHECK(std::count_if(data.schools.begin(), data.schools.end(),
                      [](const School& s) { return s.governance == Governance::maintained; }) == 21);
  const School& sponsor = find("3806908"); // academy sponsor led, all-through, opened 01/09/2009
  CHECK(sponsor.phase == Phase::all_through);
  CHECK(sponsor.conversion_date == Date::parse("2009-09-01"));
}

TEST_CASE("census CSV: pupils and exclusions files, needs from two columns, IN002 and IN006") {
  TempDir dir;
  dir.write("census/census.json", R"({"term": "SPR", "year": 2025, "reference_date": "2025-01-16"})");
  dir.write("census/pupils_a.csv",
            "laestab,upn,surname,forename,dob,sex,enrol_status,nc_year,sen_provision,sen_need_1,sen_need_2\n"
            "8881001,B801200005001,Smith,Ann,2015-03-02,F,C,4,K,SEMH,SLCN\n"
            "8882001,A950000178301,Jones,Bo,02/03/2015,M,C,4,N,,\n"
            "8881001,H243278544154,Khan,Cy,2015-03-02,M,C,4,E,ASD,\n");
  dir.write("census/exclusions.csv", "laestab,upn,category,reason,start_date\n"
                                     "8881001,B801200005001,SUSP,PA,2024-11-05\n"
                                     "8881001,X428558133462,PERM,PA,2024-11-06\n"
                                     "8881001,B801200005001,PERM,PA,2024-12-01\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  const Dataset& d = r.data;
  REQUIRE(d.returns.size() == 2);
  CHECK(d.returns[0].laestab == "8881001");
  CHECK(d.returns[0].pupil_count == 2); // grouped by school in order of first appearance
  CHECK(d.returns[0].reference_date == Date::parse("2025-01-16"));
  const Pupil& ann = d.pupils[d.pupils_with_upn("B801200005001")[0]];
  REQUIRE(ann.need_count == 2);
  CHECK(d.needs_of(ann)[0].type == NeedType::SEMH);
  CHECK(d.needs_of(ann)[1].rank == 2);
  REQUIRE(ann.exclusion_count == 2);
  CHECK(d.exclusions_of(ann)[1].category == ExclusionCategory::PERM);
  CHECK(rules_of(r.findings) == std::vector<std::string>{"IN006 X428558133462.exclusion @3"});
}

TEST_CASE("census CSV: a name typed into a data column is the pupil's IN003, at its school, never shown") {
  TempDir dir;
  dir.write("census/census.json", R"({"term": "SPR", "year": 2025, "reference_date": "2025-01-16"})");
  dir.write("census/pupils.csv", "laestab,upn,surname,forename,dob,sex,enrol_status,nc_year,sen_provision\n"
                                 "8881001,B801200005001,Smith,Annabel,2015-03-02,Annabel,C,4,K\n"
                                 "8881001,Smithson,Smithson,Bo,2015-03-02,M,C,4,N\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  // Named as the rule that finds the field missing names the pupil, so the two merge into one finding.
  CHECK(rules_of(r.findings) == std::vector<std::string>{"IN003 B801200005001.sex @2", "IN003 line3.upn @3"});
  for (const Finding& f : r.findings) {
    CHECK(f.laestab == "8881001");
    CHECK(f.message.find("Annabel") == std::string::npos);
    CHECK(f.message.find("Smithson") == std::string::npos);
  }
  CHECK(r.findings[0].upn == "B801200005001");
  CHECK(r.findings[1].upn.empty());
}

TEST_CASE("LA folder: no census is fatal, and a return for a school not in the register is IN005") {
  TempDir empty;
  CHECK_THAT(load_folder(empty).fatal, Catch::Contains("no census returns"));
  TempDir dir;
  dir.write("schools.csv", "laestab,name,phase,governance\n8881001,Meadow,primary,maintained\n");
  dir.write("census/pupils.csv", "laestab,upn,dob,enrol_status,nc_year,sen_provision\n"
                                 "8889999,B801200005001,2015-03-02,C,4,N\n8881001,A950000178301,2015-03-02,C,4,N\n");
  const auto r = load_folder(dir);
  CHECK(rules_of(r.findings) == std::vector<std::string>{"IN005 8889999 @2"});
  CHECK(r.data.has(needs_schools));
  CHECK(r.data.files.size() == 3);
  CHECK(r.data.files[2].records == 2);
  CHECK(r.data.files[2].sha256.size() == 64);
}

TEST_CASE("schools.csv: the ways LAs write phase, governance and LAEstab") {
  TempDir dir;
  dir.write("schools.csv", "laestab,name,phase,governance\n"
                           "888/3001,A,All through,Academy converter\n"
                           "888-7001,B,Special,Community special\n"
                           "888 1100,C,Pupil referral unit,LA maintained\n"
                           "8884501,D,Middle deemed secondary,Voluntary aided\n"
                           "8884502,E,16 plus,Free school\n");
  Dataset data;
  data.files.resize(2); // the file read is files[1]
  InputReport report;
  load_schools(dir.path() / "schools.csv", 1, data, report);
  CHECK(report.findings().empty());
  REQUIRE(data.schools.size() == 5);
  CHECK(data.schools[0].laestab == "8883001");
  CHECK(data.schools[0].phase == Phase::all_through);
  CHECK(data.schools[0].governance == Governance::academy);
  CHECK(data.schools[1].laestab == "8887001");
  CHECK(data.schools[1].phase == Phase::special);
  CHECK(data.schools[1].governance == Governance::maintained);
  CHECK(data.schools[2].phase == Phase::pru);
  CHECK(data.schools[3].phase == Phase::middle);
  CHECK(data.schools[4].phase == Phase::secondary);
  CHECK(data.schools[4].governance == Governance::academy);
}

TEST_CASE("census CSV: a missing required column is IN002 and the rows are kept without that field") {
  TempDir dir;
  dir.write("census/pupils.csv", "laestab,upn,dob,nc_year,sen_provision\n"
                                 "8881001,B801200005001,2015-03-02,4,N\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "IN002");
  CHECK(r.findings[0].source.line == 1);
  CHECK(r.findings[0].message == "Required column 'enrol_status' is missing from the header");
  CHECK(r.findings[0].values.at(1).second == "laestab, upn, dob, enrol_status, nc_year, sen_provision");
  REQUIRE(r.data.pupils.size() == 1);
  CHECK_FALSE(r.data.pupils[0].enrol_status);
  CHECK(r.data.pupils[0].dob == Date::parse("2015-03-02"));
}

namespace {
// A census return in the MIS shape, with the given header Source items and pupils' UPNs.
std::string census_return(const std::string& source, const std::vector<std::string>& upns) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n"
                    "    <CollectionDetails><Collection>SC</Collection><Term>SPR</Term><Year>2025</Year>"
                    "<ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails>\n"
                    "    <Source><SourceLevel>S</SourceLevel>" +
                    source + "</Source>\n  </Header>\n  <Pupils>\n    <PupilsOnRoll>\n";
  for (const auto& upn : upns)
    xml += "      <PupilOnRoll><PupilIdentifiers><UPN>" + upn +
           "</UPN><Sex>F</Sex><DOB>2015-03-02</DOB></PupilIdentifiers><PupilStatus><EnrolStatus>C</EnrolStatus>"
           "<EntryDate>2019-09-04</EntryDate><NCyearActual>4</NCyearActual></PupilStatus><SpecialEducationalNeeds>"
           "<SENprovision>N</SENprovision></SpecialEducationalNeeds></PupilOnRoll>\n";
  return xml + "    </PupilsOnRoll>\n  </Pupils>\n</Message>\n";
}
} // namespace

TEST_CASE("LA folder: whose each return is, two returns of one school, a CTF, and a school that sent nothing") {
  TempDir dir;
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n"
                           "8883001,123456,One,primary,maintained\n8883002,123457,Two,primary,maintained\n"
                           "8883003,123458,Three,primary,maintained\n8883004,123459,Four,primary,maintained\n");
  dir.write(
      "census/8883001.xml",
      census_return("<LEA>888</LEA><Estab>3001</Estab><SerialNo>7</SerialNo><DateTime>2025-01-16T09:12:30</DateTime>",
                    {"B801200005001"}));
  dir.write(
      "census/8883001-first-export.xml",
      census_return("<LEA>888</LEA><Estab>3001</Estab><SerialNo>5</SerialNo><DateTime>2025-01-10T15:00:00</DateTime>",
                    {"A950000178301", "H243278544154"}));
  // A mistyped LA number: read as 8883002's return by its Estab (CI009 then reports the header).
  dir.write("census/8883002.xml", census_return("<LEA>889</LEA><Estab>3002</Estab>", {"X428558133462"}));
  // No LEA or Estab, but a register school's URN.
  dir.write("census/unnamed.xml", census_return("<URN>123458</URN>", {"M801200005009"}));
  dir.write("census/ctf-8883001.xml",
            "<?xml version=\"1.0\"?>\n<CTfile><Header><SourceSchool><LEA>881</LEA><Estab>2222</Estab></SourceSchool>"
            "<DestSchool><LEA>888</LEA><Estab>3001</Estab></DestSchool></Header><CTFpupilData><Pupil><UPN>"
            "T801200005099</UPN></Pupil></CTFpupilData></CTfile>\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  CHECK(rules_of(r.findings) ==
        std::vector<std::string>{"IN009 census/ctf-8883001.xml @1", "IN008 8883001 @1", "IN007 8883004 @5"});
  const Finding& dup = r.findings[1];
  CHECK(dup.laestab == "8883001");
  CHECK(dup.message == "2 census returns for 8883001: census/8883001.xml (DateTime 2025-01-16T09:12:30, SerialNo 7) is "
                       "used, the later export; not read: census/8883001-first-export.xml (DateTime "
                       "2025-01-10T15:00:00, SerialNo 5)");
  CHECK_THAT(r.findings[0].message, Catch::Contains("transfer file (CTfile) from 8812222 to 8883001, not a census "
                                                    "return: its pupils are not counted on any school's roll"));
  const Dataset& d = r.data;
  REQUIRE(d.returns.size() == 3);
  CHECK(d.returns[0].laestab == "8883001");
  CHECK(d.returns[1].laestab == "8883002");
  CHECK(d.returns[1].lea == "889");
  CHECK(d.returns[2].laestab == "8883003");
  CHECK(d.pupils.size() == 3); // the earlier export's two pupils and the CTF's are counted nowhere
  CHECK(d.pupils_with_upn("A950000178301").empty());
  CHECK(d.pupils_with_upn("T801200005099").empty());
}

namespace {
// A pupil on roll with a need, a termly attendance module with two SessionDetail rows and a DOB as given.
std::string full_pupil(const std::string& upn, const std::string& dob, const std::string& need) {
  return "      <PupilOnRoll><PupilIdentifiers><UPN>" + upn + "</UPN><Sex>M</Sex><DOB>" + dob +
         "</DOB></PupilIdentifiers><PupilStatus><EnrolStatus>C</EnrolStatus><EntryDate>2019-09-04</EntryDate>"
         "<NCyearActual>4</NCyearActual></PupilStatus><SpecialEducationalNeeds><SENprovision>K</SENprovision>"
         "<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>" +
         need +
         "</SENtype></SENneed></SENneeds></SpecialEducationalNeeds><Attendance><TermlyAttendance>"
         "<SessionsPossible>120</SessionsPossible><SessionDetails><SessionDetail><AttendanceReason>I</AttendanceReason>"
         "<AbsenceSessions>4</AbsenceSessions></SessionDetail><SessionDetail><AttendanceReason>O</AttendanceReason>"
         "<AbsenceSessions>2</AbsenceSessions></SessionDetail></SessionDetails></TermlyAttendance></Attendance>"
         "</PupilOnRoll>\n";
}
std::string full_return(const std::string& source, const std::string& pupils) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n"
         "    <CollectionDetails><Collection>SC</Collection><Term>SPR</Term><Year>2025</Year>"
         "<ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails>\n"
         "    <Source><SourceLevel>S</SourceLevel>" +
         source + "</Source>\n  </Header>\n  <Pupils>\n    <PupilsOnRoll>\n" + pupils +
         "    </PupilsOnRoll>\n  </Pupils>\n</Message>\n";
}
} // namespace

TEST_CASE("LA folder: an earlier return merged before the later one is dropped whole, the rest moved down") {
  TempDir dir;
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n"
                           "8883001,123456,One,primary,maintained\n8883002,123457,Two,primary,maintained\n");
  // By file name the first export is read (and merged) first; it is the earlier one, so its records,
  // raw values and findings must all go when 8883001.xml comes.
  dir.write(
      "census/8883001-first-export.xml",
      full_return("<LEA>888</LEA><Estab>3001</Estab><SerialNo>5</SerialNo><DateTime>2025-01-10T15:00:00</DateTime>",
                  full_pupil("A950000178301", "2015-02-30", "SLD") + full_pupil("H243278544154", "2015-01-01", "MLD")));
  dir.write(
      "census/8883001.xml",
      full_return("<LEA>888</LEA><Estab>3001</Estab><SerialNo>7</SerialNo><DateTime>2025-01-16T09:12:30</DateTime>",
                  full_pupil("B801200005001", "2015-03-02", "SEMH")));
  dir.write("census/8883002.xml",
            full_return("<LEA>888</LEA><Estab>3002</Estab>", full_pupil("X428558133462", "2015-13-01", "ASD") +
                                                                 full_pupil("M801200005009", "2015-04-04", "HI")));
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  // The dropped export's bad DOB is not reported; 8883002's is, on its own line.
  CHECK(rules_of(r.findings) == std::vector<std::string>{"IN003 X428558133462.DOB @9", "IN008 8883001 @1"});
  const Dataset& d = r.data;
  REQUIRE(d.returns.size() == 2);
  REQUIRE(d.pupils.size() == 3);
  CHECK(d.pupils_with_upn("A950000178301").empty());
  const std::vector<std::pair<std::string, std::string>> want{
      {"B801200005001", "8883001"}, {"X428558133462", "8883002"}, {"M801200005009", "8883002"}};
  const std::vector<NeedType> need{NeedType::SEMH, NeedType::ASD, NeedType::HI};
  for (std::size_t i = 0; i < want.size(); ++i) {
    const Pupil& p = d.pupils[i];
    CHECK(p.upn == want[i].first);
    CHECK(d.returns[p.census_return].laestab == want[i].second);
    REQUIRE(p.need_count == 1);
    CHECK(d.needs[p.first_need].type == need[i]);
    REQUIRE(p.attendance_count == 1);
    const Attendance& a = d.attendance[p.first_attendance];
    REQUIRE(a.detail_count == 2);
    CHECK(d.absence_sessions[a.first_detail].reason.str() == "I");
    CHECK(d.absence_sessions[a.first_detail + 1].reason.str() == "O");
    CHECK(a.authorised == 4);
    CHECK(a.unauthorised == 2);
  }
  CHECK(d.needs.size() == 3);
  CHECK(d.attendance.size() == 3);
  CHECK(d.absence_sessions.size() == 6);
  CHECK(d.returns[0].first_pupil == 0);
  CHECK(d.returns[1].first_pupil == 1);
  CHECK(d.returns[1].pupil_count == 2);
  // Raw values follow the records that stay.
  CHECK(d.raw_value(Entity::pupil, 1, Field::dob) == "2015-13-01");
  CHECK_FALSE(d.raw_value(Entity::pupil, 0, Field::dob));
}

TEST_CASE("LA folder: a broken file is one finding, named by its file when that is a register school") {
  TempDir dir;
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n8883001,123456,One,primary,maintained\n");
  dir.write("census/8883001.xml", "");
  const auto r = load_folder(dir);
  REQUIRE(rules_of(r.findings) == std::vector<std::string>{"IN001 file @1"});
  CHECK(r.findings[0].laestab == "8883001");
  CHECK(r.data.returns.empty());
}

TEST_CASE("LA folder: a return cut short by an error keeps its pupils before it, and says it was read in part") {
  TempDir dir;
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n8883001,123456,One,primary,maintained\n"
                           "8883002,123457,Two,primary,maintained\n");
  std::string cut = census_return("<LEA>888</LEA><Estab>3001</Estab>", {"B801200005001", "B801200005002"});
  cut.resize(cut.rfind("<PupilOnRoll>") + 20); // cut inside the second pupil's record
  dir.write("census/8883001.xml", cut);
  dir.write("census/8883002.xml", census_return("<LEA>888</LEA><Estab>3002</Estab>", {"B801200005003"}));
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  REQUIRE(r.data.returns.size() == 2);
  CHECK(r.data.read_in_part(r.data.returns[0]));
  CHECK(r.data.files[r.data.returns[0].source.file].kind == "census-xml: read in part");
  CHECK_FALSE(r.data.read_in_part(r.data.returns[1]));
  CHECK(r.data.pupils.size() == 2);
}

TEST_CASE("LA folder: a folder inside census/ is not read, and one finding names it and its files") {
  TempDir dir;
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n8883001,123456,One,primary,maintained\n");
  dir.write("census/8883001.xml", census_return("<LEA>888</LEA><Estab>3001</Estab>", {"B801200005001"}));
  dir.write("census/late/8883001.xml", census_return("<LEA>888</LEA><Estab>3001</Estab>", {"B801200005002"}));
  dir.write("census/late/old/8883001.xml", census_return("<LEA>888</LEA><Estab>3001</Estab>", {"B801200005003"}));
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  CHECK(r.data.returns.size() == 1);
  CHECK(r.data.pupils.size() == 1);
  const auto f =
      std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& x) { return x.subject == "census/late/"; });
  REQUIRE(f != r.findings.end());
  CHECK(f->rule == "IN091");
  CHECK(f->message == "census/late/ is a folder, and censusqa reads only the files directly in census/: its 2 files "
                      "are not read. Move any census return in it up into census/");
}

TEST_CASE("LA folder: a census file that is a link is named by its path in the folder, not its target's") {
  TempDir dir, shared; // `shared`: the drive a census/ link points to
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n8883001,123456,One,primary,maintained\n");
  shared.write("exports/8883001.xml", census_return("<LEA>888</LEA><Estab>3001</Estab>", {"B801200005001"}));
  std::filesystem::create_directories(dir.path() / "census");
  std::filesystem::create_symlink(shared.path() / "exports" / "8883001.xml", dir.path() / "census" / "8883001.xml");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  REQUIRE(r.data.pupils.size() == 1);
  const auto& file = r.data.files[r.data.pupils[0].source.file];
  CHECK(file.path == "census/8883001.xml");
}

TEST_CASE("ehcp_cases.csv: typed cases, and an IN finding naming row and column for each bad value") {
  TempDir dir;
  dir.write("census/pupils.csv",
            "laestab,upn,dob,enrol_status,nc_year,sen_provision\n8881001,B801200005001,2015-03-02,C,4,N\n");
  dir.write("ehcp_cases.csv",
            "case_id,upn,laestab,request_date,request_outcome,request_outcome_date,assessment_outcome,"
            "assessment_outcome_date,plan_issue_date,exception,exception_reason,la_primary_need,colour\n"
            "EH-1,b801200005001,888/1001,2024-01-08,Y,19/02/2024,Y,2024-04-01,2024-05-20,N,,ASD,red\n"
            "EH-2,,,2024-02-30,Q,,,,,maybe,flood,XYZ,\n"
            "EH-1,,,2024-03-01,N,2024-03-20,,,,,,,\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  CHECK(r.data.has(needs_ehcp_cases));
  REQUIRE(r.data.ehc_cases.size() == 3);
  const EhcCase& c = r.data.ehc_cases[0];
  CHECK(c.upn == "B801200005001");
  CHECK(c.laestab == "8881001");
  CHECK(c.request_outcome_date == Date::parse("2024-02-19"));
  CHECK(c.plan_issue_date == Date::parse("2024-05-20"));
  CHECK(c.exception == false);
  CHECK(c.la_primary_need == NeedType::ASD);
  CHECK(c.source.line == 2);
  CHECK(rules_of(r.findings) == std::vector<std::string>{"IN091 column:colour @1", "IN003 EH-2.request_date @3",
                                                         "IN004 EH-2.request_outcome @3", "IN004 EH-2.exception @3",
                                                         "IN004 EH-2.exception_reason @3",
                                                         "IN004 EH-2.la_primary_need @3", "IN003 EH-1.case_id @4"});
  CHECK(r.data.raw_value(Entity::ehc_case, 1, Field::request_date) == "2024-02-30");
  CHECK_FALSE(r.data.ehc_cases[1].request_date);
}

TEST_CASE("reference/: the real DfE timeliness file is recognised, BOM and all") {
  TempDir dir;
  dir.write("census/pupils.csv",
            "laestab,upn,dob,enrol_status,nc_year,sen_provision\n8881001,B801200005001,2015-03-02,C,4,N\n");
  std::filesystem::create_directories(dir.path() / "reference");
  std::filesystem::copy_file(CENSUSQA_SHARED_DIR "/data/ehcp-sen2/timeliness_20_week_2019_2024.csv",
                             dir.path() / "reference" / "timeliness.csv");
  const auto r = load_folder(dir);
  CHECK(r.findings.empty());
  const ReferenceTable* t = r.data.reference_table("ehcp-timeliness");
  REQUIRE(t);
  CHECK(t->columns.at(0) == "time_period"); // not "\xEF\xBB\xBFtime_period"
  CHECK(t->rows.size() == 12211);
  CHECK(r.data.has(needs_reference));
}

TEST_CASE("every CSV input: an empty file is IN001 on line 1 and the run goes on") {
  TempDir dir;
  dir.write("census/pupils.csv",
            "laestab,upn,dob,enrol_status,nc_year,sen_provision\n8881001,B801200005001,2015-03-02,C,4,N\n");
  dir.write("census/pupils_empty.csv", "");
  dir.write("census/exclusions.csv", "");
  for (const char* f : {"schools.csv", "ehcp_cases.csv", "balances.csv", "commitments.csv"})
    dir.write(f, "");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  std::vector<std::string> empties;
  for (const auto& f : r.findings)
    if (f.rule == "IN001" && f.source.line == 1 && f.message == "The file is empty: a header row is required")
      empties.push_back(r.data.files[f.source.file].path);
  std::sort(empties.begin(), empties.end());
  CHECK(empties == std::vector<std::string>{"balances.csv", "census/exclusions.csv", "census/pupils_empty.csv",
                                            "commitments.csv", "ehcp_cases.csv", "schools.csv"});
  CHECK(r.data.pupils.size() == 1);
}

TEST_CASE("input files are hashed with SHA-256 (FIPS 180-2 test vector)") {
  TempDir dir;
  CHECK(sha256_file(dir.write("abc.txt", "abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_file(dir.path() / "missing").empty());
}

TEST_CASE("SHA-256 from several threads at once (Poco::Crypto set up once, never torn down under a thread)") {
  // Regression: each hash used to set OpenSSL up and tear it down through Poco's reference count, and
  // two threads doing so at once crashed (the national benchmark, one run in three).
  // Other work between hashes (as parsing a file is) lets the count fall to zero often; without the
  // fix this crashed in most runs.
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      volatile unsigned work = 0;
      for (int i = 0; i < 20000; ++i) {
        if (sha256_hex("abc", 3) != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ++wrong;
        for (int k = 0, n = 2000 * (1 + (i * 7 + t * 3) % 5); k < n; ++k)
          work = work + static_cast<unsigned>(k);
      }
    });
  for (auto& t : threads)
    t.join();
  CHECK(wrong == 0);
}

TEST_CASE("balances and commitments: an amount above any school's budget is IN003 and not used") {
  TempDir dir;
  dir.write("balances.csv", "laestab,financial_year_end,total_balance,capital_balance,budget_share\n"
                            "8881001,2024-03-31,\"92,233,720,368,547,758.07\",0,1000\n"
                            "8881002,2024-03-31,100000000,-100000000,1000\n"
                            "8881003,2024-03-31,100000000.01,0,1000\n");
  dir.write("commitments.csv", "laestab,category,amount\n8881001,other,90000000000000000\n8881001,other,99999999\n");
  dir.write("census/pupils.csv",
            "laestab,upn,dob,enrol_status,nc_year,sen_provision\n8881001,B801200005001,2015-03-02,C,4,N\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  std::vector<std::string> bad;
  for (const auto& f : r.findings)
    if (f.rule == "IN003") bad.push_back(r.data.files[f.source.file].path + ":" + std::to_string(f.source.line));
  std::sort(bad.begin(), bad.end());
  CHECK(bad == std::vector<std::string>{"balances.csv:2", "balances.csv:4", "commitments.csv:2"});
  REQUIRE(r.data.balances.size() == 3);
  CHECK_FALSE(r.data.balances[0].total_balance);
  CHECK(r.data.balances[1].total_balance == max_school_amount); // exactly the limit is read
  CHECK(r.data.balances[1].capital_balance == -max_school_amount);
  CHECK_FALSE(r.data.balances[2].total_balance);
  REQUIRE(r.data.commitments.size() == 2);
  CHECK_FALSE(r.data.commitments[0].amount);
  CHECK(r.data.commitments[1].amount == 9999999900);
}

TEST_CASE("census CSV: the uln column, whether surname and forename are given, and the DfE rule of each finding") {
  TempDir dir;
  dir.write("census/census.json", R"({"term": "SPR", "year": 2025, "reference_date": "2025-01-16"})");
  dir.write("census/pupils.csv",
            "laestab,upn,surname,forename,uln,dob,sex,enrol_status,nc_year,sen_provision,sen_need_1,part_time,"
            "leaving_date\n"
            "8881001,B801200005001,Smith,Ann,9876543210,2015-03-02,F,C,4,K,SEMH,false,\n"
            "8881001,A950000178301,,Bo,123456789,2015-03-02,M,C,15,S,,false,\n"
            "8881001,H243278544154,Khan,  ,,2015-03-02,M,Z,4,N,,maybe,\n"
            "8881001,X428558133462,Lee,Di,5555555555,2010-05-01,F,C,,N,,false,2024-11-20\n");
  dir.write("census/exclusions.csv", "laestab,upn,category,reason,start_date,sen_provision\n"
                                     "8881001,B801200005001,FIXD,PA,2024-11-05,K\n"
                                     "8881001,B801200005001,SUSP,PA,2024-11-31,Q\n");
  dir.write("census/fsm_periods.csv", "laestab,upn,start_date,country\n"
                                      "8881001,B801200005001,2024-10-01,IRL\n"
                                      "8881001,B801200005001,01-10-2024,ENG\n");
  dir.write("census/attendance.csv", "laestab,upn,module,sessions_possible\n"
                                     "8881001,B801200005001,termly,many\n"
                                     "8881001,X428558133462,termly,some\n");
  dir.write("census/session_details.csv", "laestab,upn,module,reason,sessions\n"
                                          "8881001,X428558133462,termly,Q9,2\n");
  const auto r = load_folder(dir);
  REQUIRE(r.fatal.empty());
  const Dataset& d = r.data;
  REQUIRE(d.pupils.size() == 3);
  REQUIRE(d.leavers.size() == 1);
  CHECK(d.pupils[0].uln == 9876543210u);
  CHECK(d.pupils[1].uln == 0);
  CHECK(d.raw_value(d.pupils[1], Field::uln) == std::optional<std::string_view>("123456789"));
  CHECK(d.pupils[2].uln == 0);
  CHECK_FALSE(d.raw_value(d.pupils[2], Field::uln)); // missing, not unreadable
  CHECK(d.leavers[0].uln == 5555555555u);
  CHECK_FALSE(d.pupils[0].surname_missing);
  CHECK_FALSE(d.pupils[0].forename_missing);
  CHECK(d.pupils[1].surname_missing);
  CHECK(d.pupils[2].forename_missing); // blank is missing
  CHECK_FALSE(d.leavers[0].surname_missing);
  // No name reaches the Dataset.
  for (const Pupil& p : d.pupils)
    for (int f = 0; f <= static_cast<int>(Field::uln); ++f)
      if (const auto raw = d.raw_value(p, static_cast<Field>(f)))
        for (const char* name : {"Smith", "Ann", "Khan", "Bo"})
          CHECK(raw->find(name) == std::string_view::npos);

  // Each finding carries the DfE rule its field's value breaks, as the XML's do.
  std::vector<std::string> got;
  for (const auto& f : r.findings)
    got.push_back(f.rule + " " + f.subject + " " + f.dfe_rule);
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{
                   "IN003 A950000178301.uln 1575",
                   "IN003 B801200005001.start_date 1761",
                   "IN003 B801200005001.start_date 2290",
                   "IN003 B801200005001.termly/sessions_possible 2500",
                   "IN003 H243278544154.part_time 1930",
                   "IN003 X428558133462.termly/sessions_possible 2510",
                   "IN004 A950000178301.nc_year 2000",
                   "IN004 A950000178301.sen_provision 2115",
                   "IN004 B801200005001.category 2275",
                   "IN004 B801200005001.country 1764",
                   "IN004 B801200005001.sen_provision 2310",
                   "IN004 H243278544154.enrol_status 1860",
                   "IN004 X428558133462.reason 2475",
               });
  const auto fixd = std::find_if(r.findings.begin(), r.findings.end(),
                                 [](const Finding& f) { return f.subject == "B801200005001.category"; });
  REQUIRE(fixd != r.findings.end());
  CHECK(fixd->message == "category 'FIXD' is not valid here: the exclusion starts on 2024-11-05, and FIXD (fixed "
                         "period) is SUSP for exclusions from 1 August 2021 (expected one of PERM, SUSP, LNCH)");

  // Without the surname and forename columns nothing is known of names: the flags stay false.
  TempDir bare;
  bare.write("census/pupils.csv", "laestab,upn,dob,enrol_status,nc_year,sen_provision\n"
                                  "8881001,B801200005001,2015-03-02,C,4,N\n");
  const auto b = load_folder(bare);
  REQUIRE(b.data.pupils.size() == 1);
  CHECK_FALSE(b.data.pupils[0].surname_missing);
  CHECK_FALSE(b.data.pupils[0].forename_missing);
  CHECK(b.data.pupils[0].uln == 0);
}

TEST_CASE("LA files: a required column missing leaves the file unused; commitments.csv may hold none") {
  TempDir dir;
  dir.write("schools.csv", "laestab,urn,name,phase,governance\n8883001,123456,One,primary,maintained\n");
  dir.write("census/8883001.xml", "");
  // No plan_issue_date: read without it, every case would be one with no plan (EH007, PN008 on every plan).
  dir.write("ehcp_cases.csv", "case_id,upn,laestab,request_date,request_outcome,request_outcome_date,exception_reason\n"
                              "EH-1,A888300100001,8883001,2024-01-08,Y,2024-02-12,\n");
  dir.write("balances.csv", "laestab,financial_year_end,total_balance,capital_balance,budget_share\n"
                            "8883001,2024-03-31,1000,0,100000\n");
  dir.write("commitments.csv", "laestab,category,amount\n"); // an LA with no commitments
  const auto r = load_folder(dir);
  const auto rules = rules_of(r.findings);
  CHECK(std::count(rules.begin(), rules.end(), "IN002 column.plan_issue_date @1") == 1);
  CHECK(std::count(rules.begin(), rules.end(), "IN002 column.exception @1") == 1); // a reason with no flag
  CHECK(std::count(rules.begin(), rules.end(), "IN001 ehcp_cases.csv.unusable @1") == 1);
  CHECK(r.data.ehc_cases.empty());
  CHECK_FALSE(r.data.available & needs_ehcp_cases);
  CHECK(r.data.available & needs_balances);
  CHECK(r.data.available & needs_commitments);
  for (const auto& f : r.findings)
    CHECK(f.subject.find("commitments") == std::string::npos);
}
