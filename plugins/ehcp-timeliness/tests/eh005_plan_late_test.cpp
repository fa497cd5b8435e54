// EH005: plan issued after 20 weeks without an exception.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh005_plan_late;

TEST_CASE("EH005 passes a plan issued on day 140") {
  CHECK(run_rule(eh005_plan_late, cases({plan_after("A", "2023-01-01", 140)}), spring_2025()).findings.empty());
}

TEST_CASE("EH005 queries a plan issued on day 141 with no exception") {
  const auto s = run_rule(eh005_plan_late, cases({plan_after("A", "2023-01-01", 141)}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH005 A"});
  CHECK(s.findings[0].message ==
        "The plan was issued 141 days (20 weeks and 1 day) after the request, beyond the 20 weeks "
        "allowed, with no exception recorded");
  CHECK(s.findings[0].values.at(1) == std::pair<std::string, std::string>{"plan_issue_date", "2023-05-22"});
}

TEST_CASE("EH005 edge: calendar days across 29 February, and exception cases are EH006's") {
  // 2024-01-01 + 140 days is 2024-05-20 in a leap year (2023-05-21 in 2023).
  CHECK(ehcp_timeliness::issued_within_20_weeks(*Date::parse("2024-01-01"), *Date::parse("2024-05-20")));
  CHECK_FALSE(ehcp_timeliness::issued_within_20_weeks(*Date::parse("2024-01-01"), *Date::parse("2024-05-21")));
  CHECK(ehcp_timeliness::issued_within_20_weeks(*Date::parse("2023-01-01"), *Date::parse("2023-05-21")));
  CHECK(run_rule(eh005_plan_late, cases({{.request = "2024-01-01", .assessment_outcome = "Y", .plan = "2024-05-21"}}),
                 spring_2025())
            .findings.size() == 1);
  CHECK(run_rule(eh005_plan_late, cases({plan_after("A", "2023-01-01", 300, true)}), spring_2025()).findings.empty());
}
