// EH007: request still open after 20 weeks.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh007_open_past_20_weeks;

// Reference date 2025-01-16: 140 days earlier is 2024-08-29.
TEST_CASE("EH007 passes an open request exactly 140 days old, and closed requests of any age") {
  const auto d = cases({{.id = "A", .request = "2024-08-29"},
                        {.id = "B", .request = "2023-01-01", .request_outcome = "N"},
                        {.id = "C", .request = "2023-01-01", .assessment_outcome = "W"},
                        plan_after("D", "2023-01-01", 300)});
  CHECK(run_rule(eh007_open_past_20_weeks, d, spring_2025()).findings.empty());
}

TEST_CASE("EH007 queries an open request 141 days old") {
  const auto s = run_rule(eh007_open_past_20_weeks,
                          cases({{.id = "A", .request = "2024-08-28", .assessment_outcome = "A"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH007 A"});
  CHECK(s.findings[0].message == "The request is still open 141 days (20 weeks and 1 day) after it was received, "
                                 "beyond the 20 weeks allowed for a plan");
}

TEST_CASE("EH007 edge: skipped without a reference date") {
  const auto s = run_rule(eh007_open_past_20_weeks, cases({{.request = "2020-01-01"}}), RunInfo{});
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("EH007") == "no reference date (configure reference_date or load census returns)");
}
