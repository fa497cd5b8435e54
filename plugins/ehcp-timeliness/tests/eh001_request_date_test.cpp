// EH001: request date missing, invalid or after the reference date.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh001_request_date;

TEST_CASE("EH001 passes a request on or before the reference date") {
  const auto d = cases({{.id = "A", .request = "2025-01-16"}, {.id = "B", .request = "2020-02-29"}});
  CHECK(run_rule(eh001_request_date, d, spring_2025()).findings.empty());
}

TEST_CASE("EH001 reports missing, invalid and future request dates") {
  const auto d =
      cases({{.id = "A", .request = ""}, {.id = "B", .request = "2023-02-29"}, {.id = "C", .request = "2025-01-17"}});
  const auto s = run_rule(eh001_request_date, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH001 A", "EH001 B", "EH001 C"});
  CHECK(s.findings[0].message == "Request date is missing");
  CHECK(s.findings[1].message == "Request date '2023-02-29' is not a valid date");
  CHECK(s.findings[2].message == "Request date 2025-01-17 is after the reference date 2025-01-16");
  CHECK(s.findings[2].scope == Scope::case_record);
  CHECK(s.findings[2].laestab == "8881001");
}

TEST_CASE("EH001 edge: without a reference date only missing and invalid dates are reported") {
  const auto d = cases({{.id = "A", .request = "2030-01-01"}, {.id = "B", .request = ""}});
  CHECK(codes_and_subjects(run_rule(eh001_request_date, d, RunInfo{})) == std::vector<std::string>{"EH001 B"});
}
