// EH003: outcomes inconsistent.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh003_outcomes_consistent;

TEST_CASE("EH003 passes consistent outcomes: plan after Y, refusal with no assessment, exception with reason") {
  const auto d = cases({plan_after("A", "2024-01-08", 150, true),
                        {.id = "B", .request_outcome = "N", .request_outcome_date = "2024-02-01"}});
  CHECK(run_rule(eh003_outcomes_consistent, d, spring_2025()).findings.empty());
}

TEST_CASE("EH003 reports a plan without Y, an assessment after refusal, and exceptions without a valid reason") {
  auto a = plan_after("A", "2024-01-08", 120);
  a.assessment_outcome = 'A'; // a char: see case_builder.hpp
  const auto d = cases({a,
                        {.id = "B", .request_outcome = "W", .assessment_outcome = "N"},
                        {.id = "C", .exception = "Y"},
                        {.id = "D", .exception = "Y", .reason = "staff_shortage"}});
  const auto s = run_rule(eh003_outcomes_consistent, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH003 A", "EH003 B", "EH003 C", "EH003 D"});
  CHECK(s.findings[0].message == "Outcomes inconsistent: a plan was issued but assessment_outcome is A, not Y");
  CHECK(s.findings[1].message == "Outcomes inconsistent: an assessment outcome is recorded after request_outcome W");
  CHECK(s.findings[2].message == "Outcomes inconsistent: exception Y with no exception_reason");
  CHECK(s.findings[3].message ==
        "Outcomes inconsistent: exception Y with an unknown exception_reason 'staff_shortage'");
}

TEST_CASE("EH003 edge: a plan with a blank assessment outcome, and exception N with no reason") {
  auto a = plan_after("A", "2024-01-08", 120);
  a.assessment_outcome = "";
  const auto s = run_rule(eh003_outcomes_consistent, cases({a, {.id = "B", .exception = "N"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH003 A"});
  CHECK(s.findings[0].message == "Outcomes inconsistent: a plan was issued but assessment_outcome is blank, not Y");
}
