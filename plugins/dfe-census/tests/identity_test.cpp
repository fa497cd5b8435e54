// dfe-census, identity rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::identity_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}

/// Marks the dataset's returns as read from a CSV census (census/pupils.csv is file 1).
void as_csv(Dataset& d) {
  InputFile f;
  f.path = "census/pupils.csv";
  f.kind = "census-csv";
  d.files.push_back(f);
}
} // namespace

// DFE1570

TEST_CASE("DFE1570 passes a pupil of 15 with a ULN and a pupil of 13 without one") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2010-01-01", .nc_year = "10"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "B888100119001", .dob = "2011-06-01", .nc_year = "9"})
                        .build();
  CHECK(run_rule(rule("DFE1570"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1570 reports a pupil of 14 on census day without a ULN, naming the DfE rule") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .dob = "2010-06-01", .nc_year = "10"}).build();
  const auto s = run_rule(rule("DFE1570"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1570 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1570");
  CHECK(s.findings[0].message == "Pupil aged 14 on census day has no ULN");
}

TEST_CASE("DFE1570 edge: 14 on census day itself counts, an unreadable ULN is the loader's, a CSV without ULNs "
          "skips") {
  // Census 16 January 2025.
  auto data = DatasetBuilder{}
                  .pupil({.upn = "A888100119001", .dob = "2011-01-16", .nc_year = "9"}) // 14 that day
                  .pupil({.upn = "B888100119001", .dob = "2011-01-17", .nc_year = "9"}) // 13
                  .pupil({.upn = "C888100119001", .dob = "2010-01-01", .nc_year = "10"})
                  .edit([](Dataset& d) { d.set_raw_value(Entity::pupil, 2, Field::uln, "12345"); })
                  .build();
  const auto s = run_rule(rule("DFE1570"), data, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"DFE1570 A888100119001"});
  // The same pupils from a CSV census with no ULN column at all: nothing reported, and why.
  auto csv =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .dob = "2010-01-01", .nc_year = "10"}).edit(as_csv).build();
  const auto c = run_rule(rule("DFE1570"), csv, spring_2025());
  CHECK(c.findings.empty());
  CHECK(c.skipped.count("DFE1570") == 1);
}

// DFE1573

TEST_CASE("DFE1573 passes a leaver of 14 with a ULN and a leaver of 13 without one") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2010-03-01", .leaving_date = "2024-12-20"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "B888100119001", .dob = "2011-03-01", .leaving_date = "2024-12-20"})
                        .build();
  CHECK(run_rule(rule("DFE1573"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1573 reports a leaver of 14 on leaving without a ULN") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .dob = "2010-03-01", .leaving_date = "2024-12-20"}).build();
  const auto s = run_rule(rule("DFE1573"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1573 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1573");
  CHECK(s.findings[0].message == "Leaver aged 14 on leaving (2024-12-20) has no ULN");
}

TEST_CASE("DFE1573 edge: the age on the leaving date counts, not on census day, pupils on roll are DFE1570's") {
  const auto data = DatasetBuilder{} // 14 on 20 December 2024, the day it left
                        .pupil({.upn = "A888100119001", .dob = "2010-12-20", .leaving_date = "2024-12-20"})
                        // 14 by census day, but 13 on the day it left
                        .pupil({.upn = "B888100119001", .dob = "2010-12-21", .leaving_date = "2024-12-20"})
                        .pupil({.upn = "C888100119001", .dob = "2009-01-01", .nc_year = "11"})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1573"), data, spring_2025())) ==
        std::vector<std::string>{"DFE1573 A888100119001"});
}

// DFE1575

TEST_CASE("DFE1575 passes ULNs whose check digit is right") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "B888100119001"})
                        .with_last([](Pupil& p) { p.uln = 9999999998; })
                        .build();
  CHECK(run_rule(rule("DFE1575"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1575 reports a ULN with a wrong check digit, with the digit it calls for") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001"}).with_last([](Pupil& p) { p.uln = 1000000042; }).build();
  const auto s = run_rule(rule("DFE1575"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1575 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1575");
  CHECK(s.findings[0].message == "ULN 1000000042 ends in 2 but its first nine digits call for 3: a digit is probably "
                                 "mistyped");
  CHECK(s.findings[0].values ==
        std::vector<std::pair<std::string, std::string>>{{"UniqueLearnerNumber", "1000000042"}});
}

TEST_CASE("DFE1575 edge: nine digits that allow no check digit, leavers too, no ULN is no finding") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000060; }) // 10 + 6 x 2 = 22, 0 mod 11
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-12-20"})
                        .with_last([](Pupil& p) { p.uln = 9999999999; }) // calls for 8
                        .pupil({.upn = "C888100119001"})                 // no ULN: DFE1570's
                        .build();
  const auto s = run_rule(rule("DFE1575"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1575 A888100119001", "DFE1575 B888100119001"});
  CHECK(s.findings[0].message == "ULN 1000000060 is no valid ULN: its first nine digits allow no check digit");
}

// DFE1578

TEST_CASE("DFE1578 passes distinct ULNs, and one ULN in two schools' returns") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "B888100119001"})
                        .with_last([](Pupil& p) { p.uln = 9999999998; })
                        .school_return("8882002")
                        .pupil({.upn = "C888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .build();
  CHECK(run_rule(rule("DFE1578"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1578 reports the second record with a ULN already in the return") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "B888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .build();
  const auto s = run_rule(rule("DFE1578"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1578 B888100119001"});
  CHECK(s.findings[0].dfe_rule == "1578");
  CHECK(s.findings[0].message == "ULN 1000000043 is also given to pupil A888100119001 in this return");
}

TEST_CASE("DFE1578 edge: three records, each after the first reported, pupils without a ULN are no duplicates") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "B888100119001"})
                        .pupil({.upn = "C888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .pupil({.upn = "D888100119001"})
                        .pupil({.upn = "E888100119001"})
                        .with_last([](Pupil& p) { p.uln = 1000000043; })
                        .build();
  const auto s = run_rule(rule("DFE1578"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1578 C888100119001", "DFE1578 E888100119001"});
  for (const auto& f : s.findings)
    CHECK(f.message == "ULN 1000000043 is also given to pupil A888100119001 in this return");
}

// DFE1580 and DFE1590

TEST_CASE("DFE1580 passes pupils and leavers with a surname") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-12-20"})
                        .with_last([](Pupil& p) { p.forename_missing = true; }) // DFE1590's
                        .build();
  CHECK(run_rule(rule("DFE1580"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1580 reports a pupil and a leaver without a surname") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.surname_missing = true; })
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-12-20"})
                        .with_last([](Pupil& p) { p.surname_missing = true; })
                        .pupil({.upn = "C888100119001"})
                        .build();
  const auto s = run_rule(rule("DFE1580"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1580 A888100119001", "DFE1580 B888100119001"});
  CHECK(s.findings[0].dfe_rule == "1580");
  CHECK(s.findings[0].message == "Pupil has no surname");
  CHECK(s.findings[1].message == "Leaver has no surname");
}

TEST_CASE("DFE1580 edge: a CSV census with no surname for anyone has no column: skipped, an XML one is reported") {
  auto builder = DatasetBuilder{}
                     .pupil({.upn = "A888100119001"})
                     .with_last([](Pupil& p) { p.surname_missing = true; })
                     .pupil({.upn = "B888100119001"})
                     .with_last([](Pupil& p) { p.surname_missing = true; });
  const auto xml = builder.build();
  CHECK(run_rule(rule("DFE1580"), xml, spring_2025()).findings.size() == 2);
  auto csv = DatasetBuilder{}
                 .pupil({.upn = "A888100119001"})
                 .with_last([](Pupil& p) { p.surname_missing = true; })
                 .edit(as_csv)
                 .build();
  const auto s = run_rule(rule("DFE1580"), csv, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE1580") == "the CSV census return gives no surname for any pupil (no Surname column)");
}

TEST_CASE("DFE1590 passes pupils with a forename") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .with_last([](Pupil& p) { p.surname_missing = true; }) // DFE1580's
                        .build();
  CHECK(run_rule(rule("DFE1590"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1590 reports a pupil without a forename") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001"}).with_last([](Pupil& p) { p.forename_missing = true; }).build();
  const auto s = run_rule(rule("DFE1590"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1590 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1590");
  CHECK(s.findings[0].message == "Pupil has no forename");
}

TEST_CASE("DFE1590 edge: in a CSV census one pupil with a forename shows the column is there") {
  auto csv = DatasetBuilder{}
                 .pupil({.upn = "A888100119001"})
                 .with_last([](Pupil& p) { p.forename_missing = true; })
                 .pupil({.upn = "B888100119001"})
                 .edit(as_csv)
                 .build();
  const auto s = run_rule(rule("DFE1590"), csv, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"DFE1590 A888100119001"});
  CHECK(s.skipped.empty());
}

// DFE1601

namespace {
void phase(Dataset& d, std::string code, std::string lowest = "", std::string highest = "") {
  d.returns.back().phase_code = std::move(code);
  d.returns.back().lowest_nc_year = NcYear::parse(lowest);
  d.returns.back().highest_nc_year = NcYear::parse(highest);
}
} // namespace

TEST_CASE("DFE1601 passes pupils of primary age in a primary school") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2015-03-02", .nc_year = "5"})  // 9
                        .pupil({.upn = "B888100119001", .dob = "2021-03-02", .nc_year = "N1"}) // 3
                        .edit([](Dataset& d) { phase(d, "PS"); })
                        .build();
  CHECK(run_rule(rule("DFE1601"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1601 reports a pupil of 13 in a primary school") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2011-03-02", .nc_year = "6"})
                        .edit([](Dataset& d) { phase(d, "PS"); })
                        .build();
  const auto s = run_rule(rule("DFE1601"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1601 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1601");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "Pupil aged 13 on 31 August; a school of phase PS expects ages 0 to 11");
}

TEST_CASE("DFE1601 edge: 11 passes and 12 fails in a primary, a special school uses its own NC years, no phase "
          "skips") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2013-08-31", .nc_year = "6"}) // 11 on 31 Aug 2024
                        .pupil({.upn = "B888100119001", .dob = "2012-08-31", .nc_year = "6"}) // 12
                        .edit([](Dataset& d) { phase(d, "PS"); })
                        .school_return("8887001")
                        .pupil({.upn = "C888100119001", .dob = "2014-08-31", .nc_year = "7"}) // 10: 7-11 allows 10
                        .pupil({.upn = "D888100119001", .dob = "2015-08-31", .nc_year = "7"}) // 9
                        .edit([](Dataset& d) { phase(d, "SP", "7", "11"); })
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1601"), data, spring_2025())) ==
        std::vector<std::string>{"DFE1601 B888100119001", "DFE1601 D888100119001"});
  const auto none = DatasetBuilder{}.pupil({.upn = "A888100119001", .dob = "2000-01-01"}).build();
  const auto s = run_rule(rule("DFE1601"), none, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE1601") == 1);
}

// DFE5065

TEST_CASE("DFE5065 passes a primary school's leaver and a nursery school's pupils on roll") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .leaving_date = "2024-12-20"})
                        .edit([](Dataset& d) { phase(d, "PS"); })
                        .school_return("8881002")
                        .pupil({.upn = "B888100119001", .dob = "2021-03-02", .nc_year = "N1"})
                        .edit([](Dataset& d) { phase(d, "NS"); })
                        .build();
  CHECK(run_rule(rule("DFE5065"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE5065 reports a nursery school's leaver") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "B888100119001", .dob = "2021-03-02", .nc_year = "N1"})
                        .pupil({.upn = "A888100119001", .dob = "2021-03-02", .leaving_date = "2024-12-20"})
                        .edit([](Dataset& d) { phase(d, "NS"); })
                        .build();
  const auto s = run_rule(rule("DFE5065"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5065 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "5065");
  CHECK(s.findings[0].message == "A nursery school's return includes a pupil no longer on roll");
}

TEST_CASE("DFE5065 edge: no nursery school in the run: skipped, and why") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .leaving_date = "2024-12-20"}).build();
  const auto s = run_rule(rule("DFE5065"), data, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE5065") == "no return is a nursery school's (phase NS)");
}
