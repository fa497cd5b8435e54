// Census XML loading: streaming parse into records, and a precise IN finding for every defect.
#include "fixtures.hpp"
#include "load/census_xml.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::load;
using censusqa::testkit::TempDir;
using censusqa::testkit::xml_map;

namespace {

const char* header = R"(<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>SCHOOL CENSUS</Collection><Term>SPR</Term><Year>2025</Year><ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>S</SourceLevel><LEA>888</LEA><Estab>3001</Estab><SchoolName>Test School</SchoolName></Source>
  </Header>
  <School><URN>123456</URN><Phase>PS</Phase></School>
  <Pupils>
)";

std::string pupil(const std::string& upn, const std::string& extra = "", const std::string& dob = "2015-03-02",
                  const std::string& sen = "K") {
  return "    <PupilOnRoll>\n      <UPN>" + upn + "</UPN><Surname>Smith</Surname><Forename>Ann</Forename><DOB>" + dob +
         "</DOB><Sex>F</Sex>\n      <EnrolStatus>C</EnrolStatus><NCyearActual>4</NCyearActual>"
         "<EntryDate>2019-09-04</EntryDate>\n      <FSMeligible>true</FSMeligible><SENprovision>" +
         sen + "</SENprovision>\n" + extra + "    </PupilOnRoll>\n";
}
const char* footer = "  </Pupils>\n</Message>\n";

CensusPart load_xml(const TempDir& dir, const std::string& xml) {
  return load_census_xml(dir.write("census/8883001.xml", xml), 1, xml_map());
}
} // namespace

TEST_CASE("XML: a pupil with needs, exclusions and attendance becomes one typed record") {
  TempDir dir;
  const auto part = load_xml(
      dir, std::string(header) +
               pupil("B801200005001", "      <SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>slcn</SENtype>"
                                      "</SENneed><SENneed><SENtypeRank>2</SENtypeRank><SENtype>ASD</SENtype></SENneed>"
                                      "</SENneeds>\n      <Exclusions><Exclusion><Category>FIXD</Category><Reason>PA"
                                      "</Reason><StartDate>2024-11-05</StartDate><Sessions>4</Sessions></Exclusion>"
                                      "</Exclusions>\n      <TermlyAttendance><SessionsPossible>140</SessionsPossible>"
                                      "<SessionsAuthorised>6</SessionsAuthorised><SessionsUnauthorised>2"
                                      "</SessionsUnauthorised></TermlyAttendance>\n") +
               footer);
  REQUIRE(part.returns.size() == 1);
  const auto& r = part.returns[0];
  CHECK(r.laestab == "8883001");
  CHECK(r.term == Term::SPR);
  CHECK(r.reference_date == Date::parse("2025-01-16"));
  CHECK(r.urn == "123456");
  REQUIRE(part.pupils.size() == 1);
  const Pupil& p = part.pupils[0];
  CHECK(p.upn == "B801200005001");
  CHECK(p.source.line == 9);
  CHECK(p.dob == Date::parse("2015-03-02"));
  CHECK(p.sen_provision == SenProvision::K);
  CHECK(p.fsm_eligible == true);
  CHECK(p.sex == 'F');
  CHECK(p.nc_year == NcYear::parse("4"));
  REQUIRE(p.need_count == 2);
  CHECK(part.needs[0].type == NeedType::SLCN);
  CHECK(part.needs[0].rank == 1);
  CHECK(part.needs[1].type == NeedType::ASD);
  REQUIRE(p.exclusion_count == 1);
  CHECK(part.exclusions[0].category == ExclusionCategory::SUSP);
  CHECK(part.exclusions[0].sessions == 4);
  CHECK(p.attendance.possible == 140);
  CHECK(p.attendance.unauthorised == 2);
  CHECK(part.report.findings().empty());
  CHECK(part.records == 1);
}

TEST_CASE("XML: a bad date and an unknown code each give an IN finding with line, field and value") {
  TempDir dir;
  const auto part = load_xml(dir, std::string(header) + pupil("B801200005001", "", "31/02/2015", "Q") + footer);
  const auto& f = part.report.findings();
  REQUIRE(f.size() == 2);
  CHECK(f[0].rule == "IN003");
  CHECK(f[0].source.line == 10);
  CHECK(f[0].subject == "B801200005001.DOB");
  CHECK(f[0].laestab == "8883001");
  CHECK(f[0].message == "DOB '31/02/2015' could not be read: expected a date as YYYY-MM-DD or DD/MM/YYYY");
  CHECK(f[1].rule == "IN004");
  CHECK(f[1].source.line == 12);
  CHECK(f[1].message == "SENprovision 'Q' is not a known code: expected one of N, K, E");
  // The record is kept, with the bad fields missing and their raw text available to rules.
  REQUIRE(part.pupils.size() == 1);
  CHECK_FALSE(part.pupils[0].dob);
  CHECK(part.raws.size() == 2);
}

TEST_CASE("XML: malformed XML gives IN001 at the line, keeps the pupils before it") {
  TempDir dir;
  const auto part = load_xml(dir, std::string(header) + pupil("B801200005001") + pupil("A950000178301") +
                                      "    <PupilOnRoll>\n      <UPN>H243278544154</UPN><DOB>2015-01-01</DO>\n");
  const auto& f = part.report.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "IN001");
  CHECK(f[0].source.line == 20); // the <DOB> closed by </DO>
  CHECK(f[0].laestab == "8883001");
  CHECK_THAT(f[0].message, Catch::StartsWith("The file is not well-formed XML at line 20: "));
  CHECK_THAT(f[0].message, Catch::EndsWith("Reading stopped there; 2 complete pupil records before it were kept and 1 "
                                           "incomplete pupil record was not"));
  CHECK(part.pupils.size() == 2);
  CHECK(part.returns.at(0).pupil_count == 2);
}

TEST_CASE("XML: a truncated or empty file, and unknown elements reported once") {
  TempDir dir;
  const auto empty = load_xml(dir, "");
  REQUIRE(empty.report.findings().size() == 1);
  CHECK(empty.report.findings()[0].rule == "IN001");
  CHECK(empty.returns.at(0).laestab == "8883001"); // named by the file when the header is lost

  const auto unknown = load_xml(dir, std::string(header) + pupil("B801200005001", "      <Shoe>7</Shoe>\n") +
                                         pupil("A950000178301", "      <Shoe>8</Shoe>\n") + footer);
  const auto& f = unknown.report.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "IN091");
  CHECK(f[0].message == "Unknown element 'Shoe' ignored (reported once; first seen here)");
  CHECK(unknown.pupils.size() == 2);
}

TEST_CASE("XML: a header without LEA is IN002") {
  TempDir dir;
  std::string h = header;
  h.replace(h.find("<LEA>888</LEA>"), 14, "");
  const auto part = load_xml(dir, h + pupil("B801200005001") + footer);
  const auto& f = part.report.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "IN002");
  CHECK(f[0].message == "The return's header has no LEA: the school cannot be identified");
}

TEST_CASE("XML: record and field lines are counted as Expat counts them, past dense newlines and CR") {
  TempDir dir;
  // 3,000 blank lines between two pupils: more than 255 newlines in one 2 KB block of the counter.
  const std::string blank(3000, '\n');
  const auto lf = load_xml(dir, std::string(header) + pupil("B801200005001") + blank +
                                    pupil("B801200005002", "", "31/02/2015") + footer);
  REQUIRE(lf.pupils.size() == 2);
  CHECK(lf.pupils[0].source.line == 9);
  CHECK(lf.pupils[1].source.line == 9 + 5 + 3000);
  REQUIRE(lf.report.findings().size() == 1);
  CHECK(lf.report.findings()[0].source.line == 9 + 5 + 3000 + 1); // the DOB is on the pupil's second line

  // The same document with CR LF, and with a lone CR, as line ends.
  auto with_ends = [](std::string s, const std::string& end) {
    std::string out;
    for (char c : s)
      if (c == '\n')
        out += end;
      else
        out += c;
    return out;
  };
  for (const char* end : {"\r\n", "\r"}) {
    const auto other = load_xml(dir, with_ends(std::string(header) + pupil("B801200005001") + blank +
                                                   pupil("B801200005002", "", "31/02/2015") + footer,
                                               end));
    REQUIRE(other.pupils.size() == 2);
    CHECK(other.pupils[1].source.line == lf.pupils[1].source.line);
    REQUIRE(other.report.findings().size() == 1);
    CHECK(other.report.findings()[0].source.line == lf.report.findings()[0].source.line);
  }
}
