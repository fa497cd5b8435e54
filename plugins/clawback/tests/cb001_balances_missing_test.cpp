// CB001: see rules/cb001_balances_missing.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb001_balances_missing;

TEST_CASE("CB001 passes a maintained school with complete balances, and a nursery with no budget share") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "10,000", "0", "500,000")
                     .school("8881003", Phase::nursery)
                     .balance("8881003", "10,000", "0", "0")
                     .build();
  CHECK(run_rule(cb001_balances_missing, d, year_end_2024()).findings.empty());
}

TEST_CASE("CB001 reports a maintained school with no row, and a row with missing or unreadable figures") {
  auto d = FinanceBuilder{}
               .school("8881001", Phase::primary)
               .school("8881002", Phase::primary)
               .balance("8881002", "", "1,000", "1,2,3")
               .build();
  d.set_raw_value(Entity::balance, 0, Field::budget_share, "1,2,3");
  const auto s = run_rule(cb001_balances_missing, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB001 8881001", "CB001 8881002"});
  CHECK(s.findings[0].message == "Maintained school 8881001 (School 8881001) has no row in balances.csv");
  CHECK(s.findings[1].message ==
        "Balances cannot be used: total_balance (A) missing; budget_share (F) '1,2,3' unreadable");
}

TEST_CASE("CB001 edge: a zero budget share outside a nursery, academies need no row") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "10,000", "0", "0")
                     .school("8884001", Phase::secondary, Governance::academy, "2019-09-01")
                     .build();
  const auto s = run_rule(cb001_balances_missing, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB001 8881001"});
  CHECK(s.findings[0].message == "Balances cannot be used: budget_share (F) is \xC2\xA3"
                                 "0, not more than zero");
}
