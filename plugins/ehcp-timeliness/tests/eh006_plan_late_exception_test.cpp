// EH006: plan issued after 20 weeks under an exception.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh006_plan_late_exception;

TEST_CASE("EH006 is silent for an exception case issued within 20 weeks") {
  CHECK(run_rule(eh006_plan_late_exception, cases({plan_after("A", "2023-01-01", 140, true)}), spring_2025())
            .findings.empty());
}

TEST_CASE("EH006 lists a late plan under an exception, for the record") {
  const auto s = run_rule(eh006_plan_late_exception, cases({plan_after("A", "2023-01-01", 141, true)}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH006 A"});
  CHECK(s.findings[0].severity == Severity::info);
  CHECK(s.findings[0].message ==
        "The plan was issued 141 days after the request, beyond 20 weeks, under an exception (school_closure)");
}

TEST_CASE("EH006 edge: a late plan without an exception is EH005's, not EH006's") {
  CHECK(
      run_rule(eh006_plan_late_exception, cases({plan_after("A", "2023-01-01", 200)}), spring_2025()).findings.empty());
}
