// PN007: see rules/pn007_plan_need_differs.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn007_plan_need_differs;

TEST_CASE("PN007 passes a census need that matches the plan") {
  const auto d = DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}}}).ehc_plan("U1", "ASD").build();
  CHECK(run_rule(pn007_plan_need_differs, d, spring_2025()).findings.empty());
}

TEST_CASE("PN007 queries a census need that differs from the plan") {
  const auto d =
      DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "SEMH"}}}).ehc_plan("U1", "ASD").build();
  const auto s = run_rule(pn007_plan_need_differs, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN007 U1"});
  CHECK(s.findings[0].message == "The census primary need is SEMH but the LA's EHC plan (case EH-1) records ASD");
}

TEST_CASE("PN007 edge: a ceased plan, a plan with no recorded need, and a subsidiary registration are not compared") {
  CHECK(run_rule(pn007_plan_need_differs,
                 DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "E", .needs = {{1, "SEMH"}}})
                     .ehc_plan("U1", "ASD", "2020-01-01", "2024-07-01")
                     .build(),
                 spring_2025())
            .findings.empty());
  CHECK(run_rule(pn007_plan_need_differs,
                 DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "SEMH"}}}).ehc_plan("U1", "").build(),
                 spring_2025())
            .findings.empty());
  CHECK(run_rule(pn007_plan_need_differs,
                 DatasetBuilder{}
                     .pupil({.upn = "U1", .enrol = "S", .sen = "E", .needs = {{1, "SEMH"}}})
                     .ehc_plan("U1", "ASD")
                     .build(),
                 spring_2025())
            .findings.empty());
}
