// EH004: decision whether to assess later than 6 weeks.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh004_decision_to_assess;

TEST_CASE("EH004 passes a decision on day 42 and an undecided request 42 days old") {
  const auto d = cases({{.id = "A", .request = "2024-01-08", .request_outcome_date = "2024-02-19"}, // 42 days
                        {.id = "B", .request = "2024-12-05", .request_outcome = "A"}});             // 42 days at ref
  CHECK(run_rule(eh004_decision_to_assess, d, spring_2025()).findings.empty());
}

TEST_CASE("EH004 queries a decision on day 43 and an undecided request 43 days old") {
  const auto d = cases({{.id = "A", .request = "2024-01-08", .request_outcome_date = "2024-02-20"},
                        {.id = "B", .request = "2024-12-04", .request_outcome = ""}});
  const auto s = run_rule(eh004_decision_to_assess, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH004 A", "EH004 B"});
  CHECK(s.findings[0].message ==
        "The decision whether to assess was made 43 days after the request, more than the 42 allowed");
  CHECK(s.findings[1].message ==
        "No decision whether to assess 43 days after the request (42 allowed) at the reference date");
}

TEST_CASE("EH004 edge: across 29 February, and a withdrawn request with no date is not undecided") {
  // 2024-01-20 + 42 days = 2024-03-02 in a leap year.
  CHECK(run_rule(eh004_decision_to_assess, cases({{.request = "2024-01-20", .request_outcome_date = "2024-03-02"}}),
                 spring_2025())
            .findings.empty());
  CHECK(run_rule(eh004_decision_to_assess, cases({{.request = "2024-01-20", .request_outcome_date = "2024-03-03"}}),
                 spring_2025())
            .findings.size() == 1);
  CHECK(run_rule(eh004_decision_to_assess, cases({{.request = "2024-01-20", .request_outcome = "W"}}), spring_2025())
            .findings.empty());
}
