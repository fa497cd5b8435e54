// CB005: see rules/cb005_stale_assignment.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb005_stale_assignment;

TEST_CASE("CB005 passes an assignment exactly 3 years before the year end") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "50,000", "0", "500,000")
                     .commitment("8881001", "capital_project", "20,000", "", "2021-03-31")
                     .build();
  CHECK(run_rule(cb005_stale_assignment, d, year_end_2024()).findings.empty());
}

TEST_CASE("CB005 queries assignments older than 3 years") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "50,000", "0", "500,000")
                     .commitment("8881001", "capital_project", "20,000", "", "2021-03-30")
                     .commitment("8881001", "ict_equipment", "5,000", "", "2019-01-10")
                     .build();
  const auto s = run_rule(cb005_stale_assignment, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB005 8881001"});
  CHECK(s.findings[0].message ==
        "2 assignments of \xC2\xA3"
        "25,000 made before 2021-03-31 (more than 3 years before the year end), the oldest on 2019-01-10");
}

TEST_CASE("CB005 edge: the limit is configurable, and skipped without a year end") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "50,000", "0", "500,000")
                     .commitment("8881001", "capital_project", "20,000", "", "2022-03-30")
                     .build();
  const PluginConfig two("clawback", ConfigValue(ConfigValue::Object{{"max_assignment_years", 2}}));
  CHECK(run_rule(cb005_stale_assignment, d, year_end_2024(), two).findings.size() == 1);
  CHECK(run_rule(cb005_stale_assignment, d, RunInfo{}).skipped.count("CB005") == 1);
}
