// EH012: a plan ceased with no reason (SEN2 cases only).
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh012_ceased_without_reason;

namespace {
Dataset sen2(std::vector<CaseSpec> specs, std::vector<std::optional<std::uint8_t>> reasons) {
  Dataset d = cases(specs);
  for (std::size_t i = 0; i < d.ehc_cases.size(); ++i) {
    d.ehc_cases[i].origin = EhcOrigin::sen2;
    d.ehc_cases[i].cease_reason = reasons.at(i);
  }
  return d;
}
} // namespace

TEST_CASE("EH012 passes a ceased plan with its reason, and a plan not ceased") {
  auto a = plan_after("A", "2022-01-03", 100);
  a.ceased = "2024-07-31";
  CHECK(run_rule(eh012_ceased_without_reason, sen2({a, plan_after("B", "2022-01-03", 100)}, {5, std::nullopt}),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("EH012 queries a cease date with no reason, and a reason with no date") {
  auto a = plan_after("A", "2022-01-03", 100);
  a.ceased = "2024-07-31";
  const auto s = run_rule(eh012_ceased_without_reason, sen2({a, plan_after("B", "2022-01-03", 100)}, {std::nullopt, 9}),
                          spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH012 A", "EH012 B"});
  CHECK(s.findings[0].message == "The plan ceased on 2024-07-31 with no CeaseReason");
  CHECK(s.findings[1].message == "CeaseReason 9 is given with no CeaseDate");
}

TEST_CASE("EH012 edge: ehcp_cases.csv has no cease reason, so its ceased plans are not queried") {
  auto a = plan_after("A", "2022-01-03", 100);
  a.ceased = "2024-07-31";
  CHECK(run_rule(eh012_ceased_without_reason, cases({a}), spring_2025()).findings.empty());
}
