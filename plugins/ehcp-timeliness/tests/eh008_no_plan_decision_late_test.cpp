// EH008: decision not to issue a plan later than 16 weeks.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh008_no_plan_decision_late;

TEST_CASE("EH008 passes a decision not to issue on day 112") {
  // 2024-01-08 + 112 days = 2024-04-29 (leap year).
  CHECK(run_rule(eh008_no_plan_decision_late,
                 cases({{.request = "2024-01-08", .assessment_outcome = "N", .assessment_outcome_date = "2024-04-29"}}),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("EH008 queries a decision not to issue on day 113") {
  const auto s = run_rule(
      eh008_no_plan_decision_late,
      cases({{.id = "A", .request = "2024-01-08", .assessment_outcome = "N", .assessment_outcome_date = "2024-04-30"}}),
      spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH008 A"});
  CHECK(s.findings[0].message ==
        "The decision not to issue a plan was made 113 days after the request, more than the 112 allowed");
}

TEST_CASE("EH008 edge: a late decision to issue (Y) is not this rule's, a missing date is not compared") {
  CHECK(run_rule(eh008_no_plan_decision_late,
                 cases({{.request = "2024-01-08", .assessment_outcome = "Y", .assessment_outcome_date = "2024-09-30"}}),
                 spring_2025())
            .findings.empty());
  CHECK(run_rule(eh008_no_plan_decision_late, cases({{.request = "2024-01-08", .assessment_outcome = "N"}}),
                 spring_2025())
            .findings.empty());
}
