// The AP census loader (core/src/load/ap_census_xml.cpp) over hand-built returns in the shape
// schemas/ap-census-xml-map.json reads, and the LA folder's choice between it and ap_placements.csv.
#include "fixtures.hpp"
#include "load/ap_census_xml.hpp"
#include "load/la_folder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace censusqa;
using namespace censusqa::load;
using censusqa::testkit::TempDir;

namespace {

const ApCensusMap& map() {
  static const ApCensusMap m = ApCensusMap::from_file(CENSUSQA_SOURCE_DIR "/schemas/ap-census-xml-map.json");
  return m;
}

std::string header(std::string collection = "APC", std::string lea = "888") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header>\n<CollectionDetails><Collection>" +
         collection +
         "</Collection><Year>2025</Year><ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails>\n"
         "<Source><SourceLevel>L</SourceLevel><LEA>" +
         lea +
         "</LEA><SoftwareCode>CaseSys</SoftwareCode><Release>1</Release><SerialNo>3</SerialNo>"
         "<DateTime>2025-01-20T10:00:00</DateTime></Source>\n</Header>\n<Pupils>\n";
}
const std::string footer = "</Pupils>\n</Message>\n";

std::string pupil(std::string upn, std::string placement, std::string surname = "Smith") {
  return "<Pupil>\n<PupilIdentifiers><UPN>" + upn + "</UPN><Surname>" + surname +
         "</Surname><Forename>Ann</Forename><DOB>2011-05-04</DOB><Sex>F</Sex></PupilIdentifiers>\n"
         "<PupilCharacteristics><Ethnicity>WBRI</Ethnicity></PupilCharacteristics>\n"
         "<HomeInformation><Address><PostCode>AB1 2CD</PostCode></Address></HomeInformation>\n" +
         placement + "</Pupil>\n";
}
std::string placement(std::string inner) { return "<Placement>" + inner + "</Placement>\n"; }
const std::string good_placement = placement("<URN>100110</URN><PlacementReason>PEX</PlacementReason>"
                                             "<EntryDate>2024-11-04</EntryDate><SessionsPerWeek>10</SessionsPerWeek>");

std::vector<std::string> rules_of(const ApCensusFile& f) {
  std::vector<std::string> out;
  for (const Finding& x : f.report.findings())
    out.push_back(x.rule + " " + x.message);
  return out;
}

} // namespace

TEST_CASE("AP census: a pupil's placement module is read onto ApPlacement, names discarded") {
  const ApCensusFile f =
      read_ap_census_xml(header() + pupil("P888100119001", good_placement) + footer, 7, "ap_census/apc.xml", map());
  REQUIRE(f.kind == ApCensusFile::Kind::ap_census);
  CAPTURE(rules_of(f));
  CHECK(f.report.findings().empty());
  CHECK(f.header.lea == "888");
  CHECK(f.header.reference_date == Date::parse("2025-01-16"));
  REQUIRE(f.placements.size() == 1);
  const ApPlacement& p = f.placements[0];
  CHECK(p.origin == ApOrigin::ap_census);
  CHECK(p.upn == "P888100119001");
  CHECK(p.provider_urn == "100110");
  CHECK(p.reason == ApReason::permanent_exclusion);
  CHECK(p.reason_code == "PEX");
  CHECK(p.start_date == Date::parse("2024-11-04"));
  CHECK(!p.end_date);
  CHECK(p.sessions_per_week == 10);
  CHECK(p.placement_id == "APC P888100119001 2024-11-04");
  CHECK(p.source.file == 7);
  CHECK(p.source.line == 12);
  CHECK(!p.carries_plan());
}

TEST_CASE("AP census: a provider named by none or two of URN, UKPRN and setting type is IN017") {
  const std::string both = placement("<URN>100110</URN><UKPRN>10012345</UKPRN><EntryDate>2024-11-04</EntryDate>");
  const std::string none = placement("<EntryDate>2024-11-04</EntryDate>");
  const std::string setting = placement("<APSettingType>OOT</APSettingType><EntryDate>2024-11-04</EntryDate>");
  const ApCensusFile f = read_ap_census_xml(header() + pupil("P888100119001", both) + pupil("B801200005001", none) +
                                                pupil("P888100119001", setting) + footer,
                                            1, "apc.xml", map());
  const auto found = rules_of(f);
  CAPTURE(found);
  REQUIRE(found.size() == 2);
  CHECK(found[0].find("IN017 The placement at line") == 0);
  CHECK(found[0].find("more than one of URN, UKPRN and APSettingType") != std::string::npos);
  CHECK(found[1].find("by none of URN, UKPRN or APSettingType") != std::string::npos);
  REQUIRE(f.placements.size() == 3);
  CHECK(f.placements[2].provider_type == "OOT");
}

TEST_CASE("AP census: bad values are findings with the line, and a name put in a field is never shown") {
  const std::string bad = placement("<URN>100110</URN><PlacementReason>XYZ</PlacementReason>"
                                    "<EntryDate>04/11/2024</EntryDate><SessionsPerWeek>14</SessionsPerWeek>"
                                    "<LeavingDate>Smithers</LeavingDate>");
  const ApCensusFile f =
      read_ap_census_xml(header() + pupil("P888100119001", bad, "Smithers") + footer, 1, "apc.xml", map());
  const auto found = rules_of(f);
  CAPTURE(found);
  REQUIRE(found.size() == 4);
  CHECK(found[0].find("IN004 PlacementReason 'XYZ'") == 0);
  CHECK(found[0].find("an unverified list") != std::string::npos);
  CHECK(found[1].find("IN003 EntryDate '04/11/2024' could not be read") == 0);
  CHECK(found[2].find("IN003 SessionsPerWeek '14'") == 0);
  // Not shown twice over: as text that may be a name (the loaders' own test), and as this pupil's name.
  CHECK(found[3].find("IN003 LeavingDate '(not shown: it may be a name or an address)' could not be read") == 0);
  for (const Finding& x : f.report.findings()) {
    CHECK(x.message.find("Smithers") == std::string::npos);
    CHECK(x.upn == "P888100119001");
    CHECK(x.source.line >= 10);
  }
}

TEST_CASE("AP census: a pupil without UPN or placement, and unknown elements once each") {
  const ApCensusFile f =
      read_ap_census_xml(header() + pupil("", good_placement) + pupil("P888100119001", "<Extra>1</Extra>") +
                             pupil("P888100119001", "<Extra>2</Extra>") + footer,
                         1, "apc.xml", map());
  const auto found = rules_of(f);
  CAPTURE(found);
  REQUIRE(found.size() == 4);
  CHECK(found[0] == "IN017 The pupil has no UPN");
  CHECK(found[1].find("IN091 Element not in schemas/ap-census-xml-map.json 'Extra' at Pupil/Extra") == 0);
  CHECK(found[2] == "IN017 The pupil has no placement module");
  CHECK(found[3] == "IN017 The pupil has no placement module");
}

TEST_CASE("AP census edge: other messages are recognised and never half-read") {
  const auto kind = [](const std::string& xml) { return read_ap_census_xml(xml, 1, "x.xml", map()); };
  CHECK(kind(header("SC") + pupil("P888100119001", good_placement) + footer).kind == ApCensusFile::Kind::census);
  CHECK(kind(header("SEN2") + footer).kind == ApCensusFile::Kind::sen2);
  CHECK(kind("<CTfile><Header/></CTfile>").kind == ApCensusFile::Kind::transfer);
  const ApCensusFile broken = kind(header() + pupil("P888100119001", good_placement) + "<Pupil><PupilIdentifiers>");
  CHECK(broken.kind == ApCensusFile::Kind::ap_census);
  CHECK(broken.placements.size() == 1);
  REQUIRE(!broken.report.findings().empty());
  CHECK(broken.report.findings().back().rule == "IN001");
  const ApCensusFile other = kind(header("SC") + pupil("P888100119001", good_placement) + footer);
  CHECK(other.placements.empty());
  REQUIRE(other.report.findings().size() == 1);
  CHECK(other.report.findings()[0].message == "x.xml is a school census return (Collection 'SC'): it is not read as "
                                              "the AP census");
}

TEST_CASE("LA folder: the AP census is read instead of ap_placements.csv, joined to the census by UPN") {
  TempDir dir;
  dir.write("census/pupils.csv", "laestab,upn,dob,nc_year,sen_provision,enrol_status\n"
                                 "8881001,P888100119001,2011-05-04,8,N,M\n");
  dir.write("ap_placements.csv", "placement_id,upn,home_laestab,reason,start_date,end_date,destination\n"
                                 "AP-1,P888100119001,8881001,preventive,2024-09-02,,\n");
  dir.write("ap_census/apc_2025.xml", header() + pupil("P888100119001", good_placement) + footer);
  dir.write("ap_census/readme.txt", "notes");
  LoadOptions o;
  o.la_dir = dir.path();
  o.census_map = &testkit::census_map();
  o.codes = &testkit::census_codes();
  o.ap_census_map = &map();
  o.la_code = "888";
  const auto count = [](const LoadResult& r, std::string_view rule) {
    return std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule == rule; });
  };
  SECTION("the AP census by default") {
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    REQUIRE(r.data.ap_placements.size() == 1);
    const ApPlacement& p = r.data.ap_placements[0];
    CHECK(p.origin == ApOrigin::ap_census);
    CHECK(p.home_laestab == "8881001");
    CHECK(p.dual_registered == true);
    CHECK(r.data.has(needs_ap_placements));
    CHECK(count(r, "IN016") == 1);
    CHECK(count(r, "IN091") == 1);
    // The CSV is compared, not read: its placement of the pupil runs over the same time, from another
    // day and for another reason.
    REQUIRE(count(r, "IN018") == 1);
    const auto in018 =
        std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "IN018"; });
    CHECK(in018->message == "The AP census and ap_placements.csv describe pupil P888100119001's placement differently "
                            "(ap_placements.csv line 2, AP-1): entry 2024-11-04 in the AP census, 2024-09-02 in "
                            "ap_placements.csv; reason permanent_exclusion (PEX) in the AP census, preventive in "
                            "ap_placements.csv");
    CHECK(in018->source.line == 12);
  }
  SECTION("the CSV agreeing, and a pupil the CSV does not have") {
    dir.write("ap_placements.csv", "placement_id,upn,home_laestab,reason,start_date,end_date,destination\n"
                                   "AP-1,P888100119001,8881001,permanent_exclusion,2024-11-04,,\n");
    dir.write("ap_census/apc_2025.xml",
              header() + pupil("P888100119001", good_placement) + pupil("B801200005001", good_placement) + footer);
    const LoadResult r = load_la_folder(o);
    for (const Finding& f : r.findings)
      if (f.rule == "IN018") UNSCOPED_INFO(f.message);
    REQUIRE(count(r, "IN018") == 1);
    const auto in018 =
        std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "IN018"; });
    CHECK(in018->upn == "B801200005001");
    CHECK(in018->message.ends_with("ap_placements.csv has no placement of this pupil at all"));
  }
  SECTION("the CSV when the configuration says so") {
    o.ap_placements_from_csv = true;
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    REQUIRE(r.data.ap_placements.size() == 1);
    CHECK(r.data.ap_placements[0].placement_id == "AP-1");
    CHECK(count(r, "IN016") == 1);
  }
  SECTION("two copies of one return, and a pupil twice in one, are read once") {
    std::string later =
        header() + pupil("P888100119001", good_placement) + pupil("P888100119001", good_placement) + footer;
    later.replace(later.find("<SerialNo>3<"), 12, "<SerialNo>4<");
    dir.write("ap_census/copy.xml", later);
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    REQUIRE(r.data.ap_placements.size() == 1);
    CHECK(r.data.files[r.data.ap_placements[0].source.file].path == "ap_census/copy.xml");
    std::vector<std::string> said;
    for (const Finding& f : r.findings)
      if (f.subject.ends_with(".superseded") || f.subject.ends_with(".twice")) said.push_back(f.rule + " " + f.message);
    CHECK(said == std::vector<std::string>{
                      "IN017 The pupil's placement entered on 2024-11-04 is in ap_census/copy.xml twice: it is read "
                      "once, from its first module",
                      "IN016 1 placements of ap_census/apc_2025.xml are also in the later return ap_census/copy.xml: "
                      "they are read from ap_census/copy.xml only"});
  }
  SECTION("last year's AP census is not read: the CSV is") {
    std::string old = header() + pupil("P888100119001", good_placement) + footer;
    old.replace(old.find("2025-01-16"), 10, "2024-01-18");
    dir.write("ap_census/apc_2025.xml", old);
    o.csv_header.reference_date = Date::parse("2025-01-16");
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.data.ap_placements.size() == 1);
    CHECK(r.data.ap_placements[0].placement_id == "AP-1");
    const auto it =
        std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "IN015"; });
    REQUIRE(it != r.findings.end());
    CHECK(it->message == "ap_census/apc_2025.xml is the AP census of 2024-01-18, not of this census (2025-01-16): it "
                         "is not read");
  }
  SECTION("a pupil on roll at the provider itself has the school they left as home") {
    dir.write("census/pupils.csv", "laestab,upn,dob,nc_year,sen_provision,enrol_status,leaving_date\n"
                                   "8881100,P888100119001,2011-05-04,8,N,C,\n"
                                   "8881001,P888100119001,2011-05-04,8,N,,2024-11-01\n");
    dir.write("schools.csv", "laestab,urn,name,phase,governance\n8881100,100110,Brook PRU,pru,maintained\n"
                             "8881001,100111,Elm Academy,secondary,academy\n");
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.data.ap_placements.size() == 1);
    CHECK(r.data.ap_placements[0].home_laestab == "8881001");
  }
  SECTION("another LA's AP census is not read: the CSV is") {
    dir.write("ap_census/apc_2025.xml", header("APC", "999") + pupil("P888100119001", good_placement) + footer);
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    REQUIRE(r.data.ap_placements.size() == 1);
    CHECK(r.data.ap_placements[0].placement_id == "AP-1");
    CHECK(count(r, "IN015") == 1);
  }
}

TEST_CASE("ap_placements.csv: a UPN that is not valid is IN003, once, named by the placement") {
  TempDir dir;
  dir.write("census/pupils.csv", "laestab,upn,dob,nc_year,sen_provision,enrol_status\n"
                                 "8881001,P888100119001,2011-05-04,8,N,M\n");
  dir.write("ap_placements.csv", "placement_id,upn,home_laestab,reason,start_date,end_date,destination\n"
                                 "AP-1,P888100119001,8881001,preventive,2024-09-02,,\n"
                                 "AP-2,P888100119002,8881001,preventive,2024-09-02,,\n"
                                 "AP-3,p888100119001,8881001,preventive,2024-09-02,,\n");
  LoadOptions o;
  o.la_dir = dir.path();
  o.census_map = &testkit::census_map();
  o.codes = &testkit::census_codes();
  o.la_code = "888";
  const LoadResult r = load_la_folder(o);
  REQUIRE(r.fatal.empty());
  REQUIRE(r.data.ap_placements.size() == 3); // kept: the rules that need no UPN still see it
  std::vector<std::string> in003;
  for (const Finding& f : r.findings)
    if (f.rule == "IN003") in003.push_back(f.subject + " line " + std::to_string(f.source.line));
  // The check letter is wrong on AP-2; AP-3's lower-case letter is upper-cased on input, as codes are.
  CHECK(in003 == std::vector<std::string>{"AP-2.upn line 3"});
}
