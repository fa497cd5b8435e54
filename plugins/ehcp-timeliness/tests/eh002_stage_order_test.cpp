// EH002: stages dated out of order.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh002_stage_order;

TEST_CASE("EH002 passes dates in order, including stages on the same day") {
  const auto d = cases({plan_after("A", "2024-01-08", 120),
                        {.id = "B",
                         .request = "2024-03-01",
                         .request_outcome_date = "2024-03-01",
                         .assessment_outcome = "Y",
                         .assessment_outcome_date = "2024-05-01",
                         .plan = "2024-05-01"}});
  CHECK(run_rule(eh002_stage_order, d, spring_2025()).findings.empty());
}

TEST_CASE("EH002 reports a plan before the request and a plan before the decision to issue it") {
  const auto d = cases({{.id = "A",
                         .request = "2024-03-01",
                         .request_outcome_date = "2024-02-20",
                         .assessment_outcome = "Y",
                         .assessment_outcome_date = "2024-05-01",
                         .plan = "2024-04-30"}});
  const auto s = run_rule(eh002_stage_order, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH002 A"});
  CHECK(s.findings[0].message ==
        "Dates out of order: request_outcome_date 2024-02-20 is before request_date 2024-03-01; "
        "plan_issue_date 2024-04-30 is before assessment_outcome_date 2024-05-01");
}

TEST_CASE("EH002 edge: one day early is out of order, missing dates are not compared") {
  CHECK(run_rule(eh002_stage_order, cases({{.request = "2024-03-01", .plan = "2024-02-29"}}), spring_2025())
            .findings.size() == 1);
  CHECK(run_rule(eh002_stage_order, cases({{.request = "", .plan = "2024-02-29"}}), spring_2025()).findings.empty());
}
