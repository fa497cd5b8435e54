// CB002: see rules/cb002_liable.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb002_liable;

TEST_CASE("CB002 passes a school whose uncommitted balance is within the maximum") {
  const auto d =
      FinanceBuilder{}.school("8881001", Phase::primary).balance("8881001", "80,000", "0", "1,000,000").build();
  CHECK(run_rule(cb002_liable, d, year_end_2024()).findings.empty());
}

TEST_CASE("CB002 queries a liable school, showing C, D, E, I and J") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "142,310.55", "18,204.10", "1,204,880.00")
                     .commitment("8881001", "capital_project", "20,000")
                     .build();
  const auto s = run_rule(cb002_liable, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB002 8881001"});
  CHECK(s.findings[0].message == "Revenue balance \xC2\xA3"
                                 "124,106, committed \xC2\xA3"
                                 "20,000, uncommitted \xC2\xA3"
                                 "104,106, maximum permitted \xC2\xA3"
                                 "96,390: liable to clawback of \xC2\xA3"
                                 "7,716");
}

TEST_CASE("CB002 edge: exactly at the maximum is not liable, a penny over is") {
  CHECK(run_rule(
            cb002_liable,
            FinanceBuilder{}.school("8881001", Phase::primary).balance("8881001", "80,000", "0", "1,000,000").build(),
            year_end_2024())
            .findings.empty());
  CHECK(
      run_rule(
          cb002_liable,
          FinanceBuilder{}.school("8881001", Phase::primary).balance("8881001", "80,000.01", "0", "1,000,000").build(),
          year_end_2024())
          .findings.size() == 1);
}
