// CB007: see rules/cb007_deficit.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb007_deficit;

TEST_CASE("CB007 is silent for a balance of zero or more") {
  CHECK(run_rule(
            cb007_deficit,
            FinanceBuilder{}.school("8881001", Phase::primary).balance("8881001", "4,120", "4,120", "500,000").build(),
            year_end_2024())
            .findings.empty());
}

TEST_CASE("CB007 notes a revenue deficit") {
  const auto s = run_rule(
      cb007_deficit,
      FinanceBuilder{}.school("8881100", Phase::pru).balance("8881100", "(12,666)", "4,120", "1,050,000").build(),
      year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB007 8881100"});
  CHECK(s.findings[0].message == "Revenue deficit of \xC2\xA3"
                                 "16,786");
}

TEST_CASE("CB007 edge: a positive total with a larger capital balance is a revenue deficit") {
  CHECK(
      run_rule(
          cb007_deficit,
          FinanceBuilder{}.school("8881001", Phase::primary).balance("8881001", "1,000", "1,000.01", "500,000").build(),
          year_end_2024())
          .findings.size() == 1);
}
