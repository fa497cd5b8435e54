// The SEN2 reader (core/src/load/sen2_xml.cpp): a return as the DfE's 2024 schema lays it out, its
// mapping onto EHC cases, each kind of bad value, files that are not SEN2, and hostile ones.
#include "fixtures.hpp"
#include "load/la_folder.hpp"
#include "load/sen2_xml.hpp"
#include "sen2_writer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace censusqa;
using namespace censusqa::load;
using censusqa::testkit::TempDir;

namespace {

std::string header(int year = 2024, const std::string& ref = "2024-01-18", const std::string& lea = "888") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header>\n<CollectionDetails>\n"
         "<Collection>SEN2</Collection>\n<Year>" +
         std::to_string(year) + "</Year>\n<ReferenceDate>" + ref +
         "</ReferenceDate>\n</CollectionDetails>\n<Source>\n<SourceLevel>L</SourceLevel>\n<LEA>" + lea +
         "</LEA>\n<SoftwareCode>Case system</SoftwareCode>\n<Release>1.0</Release>\n<SerialNo>001</SerialNo>\n"
         "<DateTime>2024-01-20T09:00:00</DateTime>\n<DMO>Y</DMO>\n<DCO>N</DCO>\n</Source>\n</Header>\n<Persons>\n";
}
const std::string footer = "</Persons>\n</Message>\n";

const std::string person_open = "<Person>\n<Surname>Jones</Surname>\n<Forename>Ann</Forename>\n"
                                "<PersonBirthDate>2013-04-02</PersonBirthDate>\n<Sex>F</Sex>\n"
                                "<Ethnicity>WBRI</Ethnicity>\n<PostCode>AB1 2CD</PostCode>\n";

// A person with a plan issued in 2023, placed at URN 100101, and a second, refused request.
const std::string full_person = person_open + R"(<UPN>A123456789012</UPN>
<Requests>
<ReceivedDate>2023-02-01</ReceivedDate>
<RequestOutcomeDate>2023-03-10</RequestOutcomeDate>
<RequestOutcome>Y</RequestOutcome>
<Assessment>
<AssessmentOutcome>Y</AssessmentOutcome>
<AssessmentOutcomeDate>2023-05-01</AssessmentOutcomeDate>
<Week20>0</Week20>
<NamedPlan>
<StartDate>2023-06-15</StartDate>
<PlanDetail><URN>100101</URN><SENSetting></SENSetting><PlacementRank>1</PlacementRank>
<SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>false</ResourcedProvisionIndicator></PlanDetail>
</NamedPlan>
</Assessment>
<ActivePlans>
<TransferLA></TransferLA>
<PlacementDetail><URN>100101</URN><PlacementRank>1</PlacementRank><EntryDate>2023-09-01</EntryDate>
<SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0</ResourcedProvisionIndicator></PlacementDetail>
<SENneed><SENtype>SLCN</SENtype><SENtypeRank>2</SENtypeRank></SENneed>
<SENneed><SENtype>ASD</SENtype><SENtypeRank>1</SENtypeRank></SENneed>
<ReviewMeeting>2023-12-01</ReviewMeeting>
<ReviewOutcome>M</ReviewOutcome>
<LastReview>2023-12-20</LastReview>
</ActivePlans>
</Requests>
<Requests>
<ReceivedDate>2023-10-02</ReceivedDate>
<RequestOutcomeDate>2023-11-10</RequestOutcomeDate>
<RequestOutcome>N</RequestOutcome>
<Assessment><AssessmentOutcome>A</AssessmentOutcome></Assessment>
</Requests>
</Person>
)";

const std::unordered_map<std::string, std::string> by_urn{{"100101", "8881001"}};
const std::unordered_map<std::string, std::string> by_upn{{"B123456789012", "8882002"}};

Sen2File read(const std::string& xml, const std::string& la = "888") {
  return read_sen2_xml(xml, 1, "sen2/return.xml", Sen2Context{la, &by_urn, &by_upn});
}

std::vector<std::string> rules_of(const Sen2File& f) {
  std::vector<std::string> out;
  for (const auto& x : f.report.findings())
    out.push_back(x.rule + " @" + std::to_string(x.source.line));
  return out;
}

const Finding* find(const Sen2File& f, const std::string& rule) {
  for (const auto& x : f.report.findings())
    if (x.rule == rule) return &x;
  return nullptr;
}

} // namespace

TEST_CASE("SEN2: a valid return is read into one case per request, with nothing reported") {
  const Sen2File f = read(header() + full_person + footer);
  CHECK(f.kind == Sen2File::Kind::sen2);
  CHECK(rules_of(f).empty());
  REQUIRE(f.cases.size() == 2);
  const EhcCase& c = f.cases[0];
  CHECK(c.case_id == "A123456789012 2023-02-01");
  CHECK(c.upn == "A123456789012");
  CHECK(c.person == "A123456789012");
  CHECK(c.origin == EhcOrigin::sen2);
  CHECK(c.laestab == "8881001"); // the rank-1 placement's URN in the register
  CHECK(c.request_date == Date::parse("2023-02-01"));
  CHECK(c.request_outcome == Decision::Y);
  CHECK(c.request_outcome_date == Date::parse("2023-03-10"));
  CHECK(c.assessment_outcome == Decision::Y);
  CHECK(c.assessment_outcome_date == Date::parse("2023-05-01"));
  CHECK(c.plan_issue_date == Date::parse("2023-06-15"));
  CHECK(c.exception == false);
  CHECK(c.la_primary_need == NeedType::ASD);              // rank 1, though written second
  CHECK(c.last_review_date == Date::parse("2023-12-01")); // the meeting, not the decision
  CHECK(!c.plan_ceased_date);
  CHECK(c.source.line == 29); // the Requests element
  // The refused request's placeholder Assessment (as the DfE's mock-up writes it) is no assessment.
  const EhcCase& refused = f.cases[1];
  CHECK(refused.case_id == "A123456789012 2023-10-02");
  CHECK(refused.request_outcome == Decision::N);
  CHECK(!refused.assessment_outcome);
  CHECK(!refused.plan_issue_date);
}

TEST_CASE("SEN2: names and the postcode never leave the reader, even put in another element") {
  const std::string xml = header() + person_open + "<UPN>Jones</UPN>\n<Requests><RequestOutcome>A</RequestOutcome>" +
                          "</Requests></Person>\n" + footer;
  const Sen2File f = read(xml);
  REQUIRE(f.cases.size() == 1);
  for (const auto& x : f.report.findings()) {
    CHECK(x.message.find("Jones") == std::string::npos);
    CHECK(x.message.find("AB1 2CD") == std::string::npos);
    for (const auto& [k, v] : x.values)
      CHECK(v.find("Jones") == std::string::npos);
  }
  const Finding* upn = find(f, "IN003");
  REQUIRE(upn);
  CHECK(upn->message.find("person's name, not shown") != std::string::npos);
  CHECK(upn->source.line == 28);
  CHECK(f.cases[0].person == "P1"); // no usable UPN: the person's place in the file, never a name
}

TEST_CASE("SEN2: a name in another element is not shown, whether it comes before the names or is another's") {
  const std::string first = "<Person>\n<UPN>Oliver Ahmed</UPN>\n<Surname>Ahmed</Surname>\n<Forename>Oliver</Forename>\n"
                            "<PersonBirthDate>2013-04-02</PersonBirthDate>\n<Sex>M</Sex>\n<Ethnicity>WBRI</Ethnicity>\n"
                            "<Requests><ReceivedDate>Harry Evans</ReceivedDate><RequestOutcome>A</RequestOutcome>"
                            "</Requests></Person>\n";
  const std::string second =
      "<Person>\n<Surname>Evans</Surname>\n<Forename>Harry</Forename>\n"
      "<PersonBirthDate>2013-04-02</PersonBirthDate>\n<Sex>M</Sex>\n<Ethnicity>WBRI</Ethnicity>\n"
      "<UPN>A123456789012</UPN><Requests><RequestOutcome>A</RequestOutcome></Requests></Person>\n";
  const Sen2File f = read(header() + first + second + footer);
  REQUIRE(rules_of(f) == std::vector<std::string>{"IN003 @22", "IN003 @28"});
  for (const auto& x : f.report.findings()) {
    INFO(x.message);
    for (const char* name : {"Oliver", "Ahmed", "Harry", "Evans"}) {
      CHECK(x.message.find(name) == std::string::npos);
      for (const auto& [k, v] : x.values)
        CHECK(v.find(name) == std::string::npos);
    }
    CHECK(x.message.find("(a value holding a person's name, not shown)") != std::string::npos);
  }
  CHECK(f.raws.empty()); // nor kept for the EH rules to quote
}

TEST_CASE("SEN2: header problems are reported, and the header's Collection is read in any case") {
  std::string xml = header() + full_person + footer;
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{"<LEA>888</LEA>", "<LEA>88A</LEA>"},
        {"<ReferenceDate>2024-01-18</ReferenceDate>", "<ReferenceDate>18/01/2024</ReferenceDate>"},
        {"<Collection>SEN2</Collection>", "<Collection>sen2</Collection>"},
        {"<SourceLevel>L</SourceLevel>", "<SourceLevel>S</SourceLevel>"}})
    xml.replace(xml.find(from), from.size(), to);
  const Sen2File f = read(xml);
  CHECK(f.kind == Sen2File::Kind::sen2);
  std::vector<std::string> subjects;
  for (const auto& x : f.report.findings())
    subjects.push_back(x.rule + " " + x.subject + " @" + std::to_string(x.source.line));
  CHECK(subjects == std::vector<std::string>{"IN003 sen2/return.xml.header.ReferenceDate @7",
                                             "IN004 sen2/return.xml.header.SourceLevel @10",
                                             "IN003 sen2/return.xml.header.LEA @11"});
  CHECK(f.cases.size() == 2);
}

TEST_CASE("SEN2: an unreadable birth date is reported once; Sex is read in a 2023 return too") {
  std::string person = full_person;
  person.replace(person.find("2013-04-02"), 10, "02/04/2013");
  const Sen2File f = read(header(2023) + person + footer); // a 2023 return (its dates as the 2024 one)
  // ReviewMeeting and ReviewOutcome are 2024 items; the birth date is reported once, as unreadable.
  CHECK(rules_of(f) == std::vector<std::string>{"IN013 @1", "IN091 @49", "IN091 @50", "IN003 @24"});
}

TEST_CASE("SEN2: bad values are findings with their line; the case keeps the rest") {
  const std::string xml = header() + person_open + R"(<UPN>A12345678901</UPN>
<Requests>
<ReceivedDate>01/02/2023</ReceivedDate>
<RequestOutcome>X</RequestOutcome>
<Assessment><AssessmentOutcome>Y</AssessmentOutcome><Week20>yes</Week20>
<NamedPlan><StartDate>2023-06-31</StartDate><CeaseReason>10</CeaseReason></NamedPlan></Assessment>
</Requests>
</Person>
)" + footer;
  const Sen2File f = read(xml);
  CHECK(rules_of(f) ==
        std::vector<std::string>{"IN003 @28", "IN003 @30", "IN004 @31", "IN004 @32", "IN003 @33", "IN004 @33"});
  REQUIRE(f.cases.size() == 1);
  const EhcCase& c = f.cases[0];
  CHECK(!c.request_date);
  CHECK(!c.request_outcome);
  CHECK(c.assessment_outcome == Decision::Y);
  CHECK(!c.plan_issue_date);
  // The raw texts are kept for the EH rules' messages.
  std::vector<std::pair<Field, std::string>> raws;
  for (const auto& r : f.raws)
    raws.emplace_back(r.field, r.text);
  CHECK(raws == std::vector<std::pair<Field, std::string>>{{Field::request_date, "01/02/2023"},
                                                           {Field::request_outcome, "X"},
                                                           {Field::exception, "yes"},
                                                           {Field::plan_issue_date, "2023-06-31"}});
  const Finding* code = find(f, "IN004");
  REQUIRE(code);
  CHECK(code->message == "Request 1 of P1: RequestOutcome 'X' is not a SEN2 code: expected one of Y, N, A, W, H");
}

TEST_CASE("SEN2: required items missing are IN002; a person without UPN gives a reason or is reported") {
  const std::string no_reason = "<Person><PersonBirthDate>2013-04-02</PersonBirthDate><Sex>M</Sex>"
                                "<Requests><ReceivedDate>2023-01-05</ReceivedDate></Requests></Person>\n";
  const std::string with_reason = "<Person><PersonBirthDate>2013-04-02</PersonBirthDate><Sex>M</Sex>"
                                  "<UPNunknown>UN2</UPNunknown><Requests><RequestOutcome>A</RequestOutcome>"
                                  "<ActivePlans><SENneed><SENtype>MLD</SENtype></SENneed></ActivePlans>"
                                  "</Requests></Person>\n";
  const Sen2File f = read(header() + no_reason + with_reason + footer);
  std::vector<std::string> subjects;
  for (const auto& x : f.report.findings())
    subjects.push_back(x.rule + " " + x.subject);
  CHECK(subjects ==
        std::vector<std::string>{"IN002 sen2/return.xml:P1.Ethnicity", "IN002 sen2/return.xml:P1.UPNunknown",
                                 "IN002 P1 2023-01-05.request_outcome", "IN002 sen2/return.xml:P2.Ethnicity",
                                 "IN002 P2 undated.SENtypeRank", "IN002 P2 undated.PlacementDetail"});
  REQUIRE(f.cases.size() == 2);
  CHECK(f.cases[1].person == "P2");
  CHECK(f.cases[1].upn_unknown == "UN2");
  CHECK(f.cases[1].la_primary_need == NeedType::MLD); // the only need, rank missing
}

TEST_CASE("SEN2: a person's school falls back to the census school of the UPN") {
  const std::string xml = header() + person_open +
                          "<UPN>b123456789012</UPN><Requests><ReceivedDate>2023-01-05</ReceivedDate>"
                          "<RequestOutcome>A</RequestOutcome></Requests></Person>\n" +
                          footer;
  const Sen2File f = read(xml);
  REQUIRE(f.cases.size() == 1);
  CHECK(f.cases[0].upn == "B123456789012");
  CHECK(f.cases[0].laestab == "8882002");
}

TEST_CASE("SEN2: items of other years, unknown elements, and the schema year") {
  const std::string person = person_open +
                             "<UPN>A123456789012</UPN><Requests><RequestSource>1</RequestSource>"
                             "<RequestOutcome>A</RequestOutcome><Foo>1</Foo><Foo>2</Foo><ActivePlans>"
                             "<PlacementDetail><SENSetting>EHE</SENSetting><PlacementRank>1</PlacementRank>"
                             "<EntryDate>2024-01-01</EntryDate></PlacementDetail>"
                             "<SENneed><SENtype>DS</SENtype><SENtypeRank>1</SENtypeRank></SENneed>"
                             "</ActivePlans></Requests></Person>\n";
  SECTION("2024: RequestSource and DS are later items") {
    const Sen2File f = read(header(2024) + person + footer);
    CHECK(rules_of(f) == std::vector<std::string>{"IN091 @28", "IN091 @28", "IN004 @28"});
    CHECK(f.report.findings()[0].message.find("another year's SEN2 schema") != std::string::npos);
    CHECK(f.report.findings()[1].message.find("Unknown element 'Foo'") != std::string::npos);
    CHECK(!f.cases.at(0).la_primary_need);
  }
  SECTION("2025: read against 2024 with its additions, and said so") {
    const Sen2File f = read(header(2025, "2025-01-16") + person + footer);
    CHECK(rules_of(f) == std::vector<std::string>{"IN013 @1", "IN091 @28"});
    CHECK(f.cases.at(0).la_primary_need == NeedType::OTH); // Down syndrome is published under other
  }
}

TEST_CASE("SEN2: a return of another LA, and requests dated after the reference date") {
  const std::string late = person_open + "<UPN>A123456789012</UPN><Requests><ReceivedDate>2024-02-01</ReceivedDate>"
                                         "<RequestOutcome>A</RequestOutcome></Requests></Person>\n";
  const Sen2File f = read(header(2024, "2024-01-18", "999") + late + footer);
  CHECK(rules_of(f) == std::vector<std::string>{"IN014 @1", "IN014 @28"});
  CHECK(f.report.findings()[0].message.find("LA 999, not of this LA (888)") != std::string::npos);
  CHECK(f.report.findings()[1].message.find("ReceivedDate 2024-02-01") != std::string::npos);
}

TEST_CASE("SEN2: files that are not SEN2 are recognised and not read at all") {
  const std::string census = "<?xml version=\"1.0\"?><Message><Header><CollectionDetails><Collection>School Census"
                             "</Collection></CollectionDetails></Header><School/><Pupils><Pupil/></Pupils></Message>";
  const std::string no_collection = "<Message><Header/><School/><Persons><Person/></Persons></Message>";
  const std::string ctf = "<CTfile><Header/><CTFpupilData><Pupil/></CTFpupilData></CTfile>";
  const std::string other = "<Workbook><Sheet/></Workbook>";
  for (const auto& [xml, kind] : {std::pair{census, Sen2File::Kind::census},
                                  {no_collection, Sen2File::Kind::census},
                                  {ctf, Sen2File::Kind::transfer},
                                  {other, Sen2File::Kind::other}}) {
    INFO(xml);
    const Sen2File f = read(xml);
    CHECK(f.kind == kind);
    CHECK(f.cases.empty());
    CHECK(rules_of(f) == std::vector<std::string>{"IN011 @1"});
  }
}

TEST_CASE("SEN2: a file cut short keeps complete persons only; a DOCTYPE is refused") {
  SECTION("cut in the second person") {
    std::string xml = header() + full_person + full_person;
    xml.resize(xml.size() - 200);
    const Sen2File f = read(xml);
    CHECK(f.kind == Sen2File::Kind::sen2);
    CHECK(f.cases.size() == 2); // the first person's two requests
    REQUIRE(find(f, "IN001"));
    CHECK(find(f, "IN001")->message.find("the person being read was not") != std::string::npos);
  }
  SECTION("an entity declaration") {
    const Sen2File f = read("<?xml version=\"1.0\"?><!DOCTYPE Message [<!ENTITY x SYSTEM \"/etc/passwd\">]>"
                            "<Message><Header/><Persons/></Message>");
    CHECK(f.kind == Sen2File::Kind::broken);
    CHECK(rules_of(f) == std::vector<std::string>{"IN001 @1"});
  }
  SECTION("not XML at all") {
    const Sen2File f = read("case_id,upn\n1,A123456789012\n");
    CHECK(f.kind == Sen2File::Kind::broken);
    CHECK(f.cases.empty());
  }
}

TEST_CASE("SEN2: one request in two returns is read once, from the later return") {
  std::vector<Sen2File> files;
  files.push_back(read(header(2025, "2025-01-16") + full_person + footer));
  files.push_back(read(header(2024) + full_person + footer));
  files[0].file = 1;
  files[1].file = 2;
  const std::vector<std::string> shown{"sen2/2025.xml", "sen2/2024.xml"};
  Dataset data;
  InputReport report;
  add_sen2_cases(files, shown, data, report);
  CHECK(data.ehc_cases.size() == 2);
  std::vector<std::string> messages;
  for (const auto& x : report.findings())
    if (x.rule == "IN012") messages.push_back(x.message);
  CHECK(messages == std::vector<std::string>{
                        "2 of the requests in sen2/2024.xml are also in sen2/2025.xml, a later return: they are read "
                        "from that one"});
}

TEST_CASE("SEN2: a child without UPN is found again in another year's return by names and birth date") {
  const auto child = [](const std::string& surname, const std::string& dob, const std::string& received) {
    return "<Person><Surname>" + surname + "</Surname><Forename>Sam</Forename><PersonBirthDate>" + dob +
           "</PersonBirthDate><Sex>F</Sex><Ethnicity>WBRI</Ethnicity><UPNunknown>UN1</UPNunknown><Requests>"
           "<ReceivedDate>" +
           received + "</ReceivedDate><RequestOutcome>A</RequestOutcome></Requests></Person>\n";
  };
  std::vector<Sen2File> files;
  // 2025: Cole then Jones; 2024: Jones then Baker, both requests on the same day as Cole's.
  files.push_back(read(header(2025, "2025-01-16") + child("Cole", "2014-01-01", "2024-06-03") +
                       child("Jones", "2015-02-02", "2024-06-03") + footer));
  files.push_back(read(header(2024) + child("Jones", "2015-02-02", "2024-06-03") +
                       child("Baker", "2016-03-03", "2024-06-03") + footer));
  files[0].file = 1;
  files[1].file = 2;
  const std::vector<std::string> shown{"sen2/2025.xml", "sen2/2024.xml"};
  Dataset data;
  InputReport report;
  add_sen2_cases(files, shown, data, report);
  // Jones once (from 2025), Cole and Baker each once: P1 of 2025 and P2 of 2024 are different children.
  std::vector<std::string> ids, persons;
  for (const auto& c : data.ehc_cases)
    ids.push_back(c.case_id), persons.push_back(c.person);
  CHECK(ids == std::vector<std::string>{"P1 2024-06-03", "P2 2024-06-03", "P2 2024-06-03 in sen2/2024.xml"});
  CHECK(persons == std::vector<std::string>{"P1 in sen2/2025.xml", "P2 in sen2/2025.xml", "P2 in sen2/2024.xml"});
  for (const auto& c : data.ehc_cases)
    CHECK(c.case_id.find("Jones") == std::string::npos);
}

TEST_CASE("SEN2: two requests of one person on one day keep distinct ids") {
  const std::string twice = person_open +
                            "<UPN>A123456789012</UPN><Requests><ReceivedDate>2023-01-05</ReceivedDate>"
                            "<RequestOutcome>W</RequestOutcome></Requests><Requests><ReceivedDate>2023-01-05"
                            "</ReceivedDate><RequestOutcome>A</RequestOutcome></Requests></Person>\n";
  const Sen2File f = read(header() + twice + footer);
  REQUIRE(f.cases.size() == 2);
  CHECK(f.cases[0].case_id == "A123456789012 2023-01-05");
  CHECK(f.cases[1].case_id == "A123456789012 2023-01-05 #2");
}

TEST_CASE("LA folder: SEN2 returns are read instead of ehcp_cases.csv, or the CSV by configuration") {
  TempDir dir;
  dir.write("census/pupils.csv", "laestab,upn,dob,nc_year,sen_provision\n8881001,B801200005001,2015-03-02,4,N\n");
  dir.write("ehcp_cases.csv", "case_id,upn,laestab,request_date,request_outcome,request_outcome_date,plan_issue_date\n"
                              "EH-1,,8881001,2023-01-02,Y,2023-02-01,\n");
  dir.write("sen2/sen2_2024.xml", header() + full_person + footer);
  dir.write("sen2/notes.txt", "not a return");
  LoadOptions o;
  o.la_dir = dir.path();
  o.census_map = &testkit::census_map();
  o.codes = &testkit::census_codes();
  SECTION("SEN2 by default") {
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    CHECK(r.data.ehc_cases.size() == 2);
    CHECK(r.data.has(needs_ehcp_cases));
    CHECK(std::count_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "IN012"; }) == 1);
    CHECK(std::count_if(r.findings.begin(), r.findings.end(),
                        [](const Finding& f) { return f.rule == "IN091" && f.subject == "file:sen2/notes.txt"; }) == 1);
  }
  SECTION("the CSV when the configuration says so") {
    o.ehc_cases_from_csv = true;
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    REQUIRE(r.data.ehc_cases.size() == 1);
    CHECK(r.data.ehc_cases[0].case_id == "EH-1");
  }
  SECTION("no file in sen2/ is a SEN2 return: the CSV is read, and said so") {
    dir.write("sen2/sen2_2024.xml", "<CTfile><Header/></CTfile>");
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    REQUIRE(r.data.ehc_cases.size() == 1);
    const auto it =
        std::find_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.rule == "IN012"; });
    REQUIRE(it != r.findings.end());
    CHECK(it->message.find("the EHC cases are read from ehcp_cases.csv") != std::string::npos);
  }
  SECTION("--sen2 naming a folder with no return is an error") {
    std::filesystem::create_directories(dir.path() / "empty");
    o.sen2 = dir.path() / "empty";
    CHECK(load_la_folder(o).fatal.find("holds no SEN2 return") != std::string::npos);
  }
  SECTION("--sen2 names one file") {
    dir.write("elsewhere/return.xml", header() + full_person + footer);
    std::filesystem::remove_all(dir.path() / "sen2");
    o.sen2 = dir.path() / "elsewhere/return.xml";
    const LoadResult r = load_la_folder(o);
    REQUIRE(r.fatal.empty());
    CHECK(r.data.ehc_cases.size() == 2);
  }
}

TEST_CASE("SEN2 writer and reader agree on every field the CSV route has") {
  std::vector<EhcCase> cases(3);
  cases[0].upn = "A123456789012";
  cases[0].request_date = Date::parse("2023-01-05");
  cases[0].request_outcome = Decision::Y;
  cases[0].request_outcome_date = Date::parse("2023-02-10");
  cases[0].assessment_outcome = Decision::Y;
  cases[0].assessment_outcome_date = Date::parse("2023-04-01");
  cases[0].plan_issue_date = Date::parse("2023-05-25");
  cases[0].exception = true;
  cases[0].la_primary_need = NeedType::SEMH;
  cases[0].last_review_date = Date::parse("2024-05-01");
  cases[0].plan_ceased_date = Date::parse("2024-07-31");
  cases[0].cease_reason = 5;
  cases[1].upn = "A123456789012";
  cases[1].request_date = Date::parse("2024-01-02");
  cases[1].request_outcome = Decision::W;
  cases[2].request_date = Date::parse("2023-06-01");
  cases[2].request_outcome = Decision::A;
  const Sen2File f = read(testkit::sen2_xml(cases, {2024, "2024-01-18", "888", "2024-01-20T09:00:00"}));
  CHECK(rules_of(f).empty());
  REQUIRE(f.cases.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(i);
    const EhcCase &a = cases[i], &b = f.cases[i];
    CHECK(a.request_date == b.request_date);
    CHECK(a.request_outcome == b.request_outcome);
    CHECK(a.request_outcome_date == b.request_outcome_date);
    CHECK(a.assessment_outcome == b.assessment_outcome);
    CHECK(a.assessment_outcome_date == b.assessment_outcome_date);
    CHECK(a.plan_issue_date == b.plan_issue_date);
    CHECK(a.exception == b.exception);
    CHECK(a.la_primary_need == b.la_primary_need);
    CHECK(a.last_review_date == b.last_review_date);
    CHECK(a.plan_ceased_date == b.plan_ceased_date);
    CHECK(a.cease_reason == b.cease_reason);
  }
}
