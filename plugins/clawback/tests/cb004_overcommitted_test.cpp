// CB004: see rules/cb004_overcommitted.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb004_overcommitted;

TEST_CASE("CB004 passes commitments within the revenue balance") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "50,000", "0", "500,000")
                     .commitment("8881001", "redundancy", "50,000")
                     .build();
  CHECK(run_rule(cb004_overcommitted, d, year_end_2024()).findings.empty());
}

TEST_CASE("CB004 queries a deficit school with commitments") {
  const auto d = FinanceBuilder{}
                     .school("8881100", Phase::pru)
                     .balance("8881100", "(12,666)", "4,120", "1,050,000")
                     .commitment("8881100", "staff_sickness", "2,000")
                     .build();
  const auto s = run_rule(cb004_overcommitted, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB004 8881100"});
  CHECK(s.findings[0].message == "Commitments of \xC2\xA3"
                                 "2,000 exceed the revenue balance of -\xC2\xA3"
                                 "16,786");
}

TEST_CASE("CB004 edge: a deficit with no commitments is CB007's, rejected requests do not count") {
  CHECK(run_rule(
            cb004_overcommitted,
            FinanceBuilder{}.school("8881100", Phase::pru).balance("8881100", "(12,666)", "4,120", "1,050,000").build(),
            year_end_2024())
            .findings.empty());
  CHECK(run_rule(cb004_overcommitted,
                 FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "1,000", "0", "500,000")
                     .commitment("8881001", "other", "5,000", "rejected")
                     .build(),
                 year_end_2024())
            .findings.empty());
}
