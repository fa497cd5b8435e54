// PN008: see rules/pn008_no_active_plan.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn008_no_active_plan;

TEST_CASE("PN008 passes E with an active plan") {
  CHECK(run_rule(pn008_no_active_plan,
                 DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}}}).ehc_plan("U1", "ASD").build(),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("PN008 queries E with no plan held") {
  const auto s =
      run_rule(pn008_no_active_plan,
               DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}}}).ehc_plan("U2", "ASD").build(),
               spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN008 U1"});
  CHECK(s.findings[0].message == "Pupil is recorded with an EHC plan (E) but the LA holds no active plan for UPN U1");
}

TEST_CASE("PN008 edge: a plan that ceased before the reference date, or issued after it, is not active") {
  CHECK(run_rule(
            pn008_no_active_plan,
            DatasetBuilder{}.pupil({.upn = "U1", .sen = "E"}).ehc_plan("U1", "ASD", "2020-01-01", "2025-01-16").build(),
            spring_2025())
            .findings.size() == 1);
  CHECK(run_rule(
            pn008_no_active_plan,
            DatasetBuilder{}.pupil({.upn = "U1", .sen = "E"}).ehc_plan("U1", "ASD", "2020-01-01", "2025-01-17").build(),
            spring_2025())
            .findings.empty());
  CHECK(run_rule(pn008_no_active_plan,
                 DatasetBuilder{}.pupil({.upn = "U1", .sen = "E"}).ehc_plan("U1", "ASD", "2025-01-20").build(),
                 spring_2025())
            .findings.size() == 1);
}
