// dfe-census, NC year rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::nc_year_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}

/// Sets the last return's phase and lowest and highest NC years ("" for none).
auto school(std::string code, std::string lowest = "", std::string highest = "") {
  return [=](Dataset& d) {
    d.returns.back().phase_code = code;
    d.returns.back().lowest_nc_year = NcYear::parse(lowest);
    d.returns.back().highest_nc_year = NcYear::parse(highest);
  };
}
} // namespace

// DFE200

TEST_CASE("DFE200 passes a school without the national curriculum whose pupils are all X") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "X"})
                        .pupil({.upn = "B888100119001", .nc_year = "X"})
                        .edit(school("SP", "X", "X"))
                        .build();
  CHECK(run_rule(rule("DFE200"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE200 reports, once for the school, its pupils with an NC year other than X") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "X"})
                        .pupil({.upn = "B888100119001", .nc_year = "4"})
                        .edit(school("SP", "X", "X"))
                        .build();
  const auto s = run_rule(rule("DFE200"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE200 8881001"});
  CHECK(s.findings[0].dfe_rule == "200");
  CHECK(s.findings[0].message == "1 pupil has an NC year other than X, but the school's NC years are X");
}

TEST_CASE("DFE200 edge: a missing NC year is CI011's, a school following the national curriculum skips") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = ""}).edit(school("SP", "X", "X")).build();
  CHECK(run_rule(rule("DFE200"), data, spring_2025()).findings.empty());
  const auto nc = DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "4"}).edit(school("PS", "R", "6")).build();
  const auto s = run_rule(rule("DFE200"), nc, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE200") == 1);
}

// DFE2002

TEST_CASE("DFE2002 passes pupils within the school's NC years, ends included") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "1"})
                        .pupil({.upn = "B888100119001", .nc_year = "6"})
                        .edit(school("PS", "1", "6"))
                        .build();
  CHECK(run_rule(rule("DFE2002"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2002 reports a pupil above the school's highest NC year") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "7"}).edit(school("PS", "1", "6")).build();
  const auto s = run_rule(rule("DFE2002"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2002 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2002");
  CHECK(s.findings[0].message == "NC year 7 is outside the school's NC years 1 to 6");
}

TEST_CASE("DFE2002 edge: R below year 1 is reported, X is not, a return without NC years skips") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "R"})
                        .pupil({.upn = "B888100119001", .nc_year = "X"})
                        .edit(school("PS", "1", "6"))
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2002"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2002 A888100119001"});
  const auto none = DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "7"}).build();
  const auto s = run_rule(rule("DFE2002"), none, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2002") == 1);
}

// DFE2010

namespace {
/// n pupils of 9 on 31 August 2024 in year 5 (their year) and `off` more in year 4.
Dataset cohort(int n, int off) {
  DatasetBuilder b;
  for (int i = 0; i < n + off; ++i)
    b.pupil({.upn = "A8881001" + std::to_string(10000 + i), .dob = "2015-03-02", .nc_year = i < n ? "5" : "4"});
  return b.build();
}
} // namespace

TEST_CASE("DFE2010 passes a school with 1 pupil in 11 out of its year group") {
  CHECK(run_rule(rule("DFE2010"), cohort(10, 1), spring_2025()).findings.empty());
}

TEST_CASE("DFE2010 reports a school with 2 pupils in 10 out of their year group") {
  const auto s = run_rule(rule("DFE2010"), cohort(8, 2), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2010 8881001"});
  CHECK(s.findings[0].dfe_rule == "2010");
  CHECK(s.findings[0].message == "2 of 10 pupils (20.0%) are in a year group other than their age's");
}

TEST_CASE("DFE2010 edge: exactly 10% is reported, X pupils and pupils without a date of birth are not counted") {
  CHECK(run_rule(rule("DFE2010"), cohort(9, 1), spring_2025()).findings.size() == 1);
  auto data = DatasetBuilder{}
                  .pupil({.upn = "A888100119001", .dob = "2015-03-02", .nc_year = "5"})
                  .pupil({.upn = "B888100119001", .dob = "2015-03-02", .nc_year = "X"})
                  .pupil({.upn = "C888100119001", .dob = "", .nc_year = "2"})
                  .build();
  CHECK(run_rule(rule("DFE2010"), data, spring_2025()).findings.empty());
}

// DFE2030

TEST_CASE("DFE2030 passes a year 5 pupil in a primary and a year 7 pupil in a secondary") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "5"})
                        .edit(school("PS"))
                        .school_return("8884001")
                        .pupil({.upn = "B888100119001", .nc_year = "7"})
                        .edit(school("SS"))
                        .build();
  CHECK(run_rule(rule("DFE2030"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2030 reports a year 9 pupil in a primary school") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "9"}).edit(school("PS")).build();
  const auto s = run_rule(rule("DFE2030"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2030 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2030");
  CHECK(s.findings[0].message == "NC year 9 is unexpected in a school of phase PS (years E1 to 6)");
}

TEST_CASE("DFE2030 edge: year 6 in a secondary is reported, X is not, a special school has no expected years") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "6"})
                        .pupil({.upn = "B888100119001", .nc_year = "X"})
                        .edit(school("SS"))
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2030"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2030 A888100119001"});
  const auto sp =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "9"}).edit(school("SP", "1", "11")).build();
  const auto s = run_rule(rule("DFE2030"), sp, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2030") == 1);
}

// DFE2040

TEST_CASE("DFE2040 passes a school with pupils in every year it teaches") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "1"})
                        .pupil({.upn = "B888100119001", .nc_year = "2"})
                        .pupil({.upn = "C888100119001", .nc_year = "3"})
                        .edit(school("PS", "1", "3"))
                        .build();
  CHECK(run_rule(rule("DFE2040"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2040 reports once the years the school teaches with no pupils") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "1"}).edit(school("PS", "1", "3")).build();
  const auto s = run_rule(rule("DFE2040"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2040 8881001"});
  CHECK(s.findings[0].dfe_rule == "2040");
  CHECK(s.findings[0].message == "No pupil on roll in NC year 2, 3, which the school teaches (years 1 to 3)");
}

TEST_CASE("DFE2040 edge: an empty year 14 is expected, a return without NC years skips") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "12"})
                        .pupil({.upn = "B888100119001", .nc_year = "13"})
                        .edit(school("16", "12", "14"))
                        .build();
  CHECK(run_rule(rule("DFE2040"), data, spring_2025()).findings.empty());
  const auto none = DatasetBuilder{}.pupil({.upn = "A888100119001"}).build();
  const auto s = run_rule(rule("DFE2040"), none, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2040") == 1);
}

// DFE2050

TEST_CASE("DFE2050 passes a primary school whose pupils are of primary age") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .dob = "2015-03-02", .nc_year = "5"}).edit(school("PS")).build();
  CHECK(run_rule(rule("DFE2050"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2050 reports once a primary school with a pupil of 13") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2015-03-02", .nc_year = "5"})
                        .pupil({.upn = "B888100119001", .dob = "2011-03-02", .nc_year = "6"})
                        .edit(school("PS"))
                        .build();
  const auto s = run_rule(rule("DFE2050"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2050 8881001"});
  CHECK(s.findings[0].dfe_rule == "2050");
  CHECK(s.findings[0].message == "1 pupil is outside the ages 0 to 11 expected of a school of phase PS: is the phase "
                                 "right?");
}

TEST_CASE("DFE2050 edge: a secondary with two pupils of 9 and one of 10 (the grace year), no phase skips") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2015-03-02", .nc_year = "7"}) // 9
                        .pupil({.upn = "B888100119001", .dob = "2015-03-02", .nc_year = "7"}) // 9
                        .pupil({.upn = "C888100119001", .dob = "2014-03-02", .nc_year = "7"}) // 10: allowed
                        .edit(school("SS"))
                        .build();
  const auto s = run_rule(rule("DFE2050"), data, spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message ==
        "2 pupils are outside the ages 10 to 19 expected of a school of phase SS: is the phase right?");
  const auto none = DatasetBuilder{}.pupil({.upn = "A888100119001"}).build();
  CHECK(run_rule(rule("DFE2050"), none, spring_2025()).skipped.count("DFE2050") == 1);
}

// DFE2112

TEST_CASE("DFE2112 passes X pupils in a school without the national curriculum") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "X"}).edit(school("SP", "X", "X")).build();
  CHECK(run_rule(rule("DFE2112"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2112 reports each pupil with a year group in a school without the national curriculum") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .nc_year = "4"})
                        .pupil({.upn = "B888100119001", .nc_year = "X"})
                        .edit(school("SP", "X", "X"))
                        .build();
  const auto s = run_rule(rule("DFE2112"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2112 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2112");
  CHECK(s.findings[0].message ==
        "NC year 4 in a school that does not follow the national curriculum (its NC years are X)");
}

TEST_CASE("DFE2112 edge: only the highest NC year X is enough, a school with NC years skips") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "10"}).edit(school("SS", "7", "X")).build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2112"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2112 A888100119001"});
  const auto nc = DatasetBuilder{}.pupil({.upn = "A888100119001", .nc_year = "4"}).edit(school("PS", "R", "6")).build();
  CHECK(run_rule(rule("DFE2112"), nc, spring_2025()).skipped.count("DFE2112") == 1);
}
