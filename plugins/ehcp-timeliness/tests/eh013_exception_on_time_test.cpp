// EH013: a 20-week exception on a plan issued in time.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh013_exception_on_time;

TEST_CASE("EH013 passes an exception on a late plan, and a timely plan without one") {
  CHECK(run_rule(eh013_exception_on_time,
                 cases({plan_after("A", "2024-01-08", 141, true), plan_after("B", "2024-01-08", 100)}), spring_2025())
            .findings.empty());
}

TEST_CASE("EH013 queries an exception on a plan issued on day 140, the last day in time") {
  const auto s = run_rule(eh013_exception_on_time, cases({plan_after("A", "2024-01-08", 140, true)}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH013 A"});
  CHECK(s.findings[0].message == "An exception to the 20-week limit is recorded, but the plan was issued 140 days "
                                 "after the request, within the 140 days allowed");
}

TEST_CASE("EH013 edge: a plan dated before its request is EH002's, not this rule's") {
  auto a = plan_after("A", "2024-01-08", 100, true);
  a.plan = "2024-01-01";
  CHECK(run_rule(eh013_exception_on_time, cases({a}), spring_2025()).findings.empty());
}
