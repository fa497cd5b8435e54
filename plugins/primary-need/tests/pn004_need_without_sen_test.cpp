// PN004: see rules/pn004_need_without_sen.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn004_need_without_sen;

TEST_CASE("PN004 passes N without needs") {
  CHECK(run_rule(pn004_need_without_sen, DatasetBuilder{}.pupil({.sen = "N"}).build(), spring_2025()).findings.empty());
}

TEST_CASE("PN004 reports N with a need") {
  const auto s =
      run_rule(pn004_need_without_sen,
               DatasetBuilder{}.pupil({.upn = "U1", .sen = "N", .needs = {{1, "SEMH"}}}).build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN004 U1"});
  CHECK(s.findings[0].message == "Pupil has SEN provision N but 1 need is recorded");
  CHECK(s.findings[0].dfe_rule == "2125");
}

TEST_CASE("PN004 edge: a summer return is not checked") {
  const auto d = DatasetBuilder{}
                     .school_return("8881001", "2025-05-15", "SUM")
                     .pupil({.sen = "N", .needs = {{1, "SEMH"}}})
                     .build();
  CHECK(run_rule(pn004_need_without_sen, d, spring_2025()).findings.empty());
}
