// CB003: see rules/cb003_pending_request.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb003_pending_request;

TEST_CASE("CB003 is silent when every exceptional request is decided") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "142,310.55", "18,204.10", "1,204,880.00")
                     .commitment("8881001", "other", "6,500", "approved")
                     .commitment("8881001", "other", "1,000", "rejected")
                     .build();
  CHECK(run_rule(cb003_pending_request, d, year_end_2024()).findings.empty());
}

TEST_CASE("CB003 gives clawback if the pending request is approved and if rejected") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "142,310.55", "18,204.10", "1,204,880.00")
                     .commitment("8881001", "capital_project", "20,000")
                     .commitment("8881001", "other", "6,500")
                     .build();
  const auto s = run_rule(cb003_pending_request, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB003 8881001"});
  CHECK(s.findings[0].message == "1 exceptional request of \xC2\xA3"
                                 "6,500 pending: clawback \xC2\xA3"
                                 "1,216 if approved, \xC2\xA3"
                                 "7,716 if rejected");
}

TEST_CASE("CB003 edge: a pending request at a school with no clawback either way is still for Forum") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "10,000", "0", "1,000,000")
                     .commitment("8881001", "other", "1,000")
                     .build();
  const auto s = run_rule(cb003_pending_request, d, year_end_2024());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message == "1 exceptional request of \xC2\xA3"
                                 "1,000 pending: clawback \xC2\xA3"
                                 "0 if approved, \xC2\xA3"
                                 "0 if rejected");
}
