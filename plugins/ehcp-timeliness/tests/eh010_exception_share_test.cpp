// EH010: unusually many exception cases in a year.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh010_exception_share;

namespace {
Dataset year_2024(int plans, int exceptions) {
  std::vector<CaseSpec> specs;
  for (int i = 0; i < plans; ++i) {
    std::string id = "C"; // appended: '"C" + std::string&&' makes GCC 12 -O3 report -Wrestrict (GCC bug 105329)
    id += std::to_string(i);
    specs.push_back(plan_after(id, "2024-02-01", 100, i < exceptions));
  }
  return cases(specs);
}
} // namespace

TEST_CASE("EH010 passes a year with exactly 25% exception cases") {
  CHECK(run_rule(eh010_exception_share, year_2024(8, 2), spring_2025()).findings.empty());
}

TEST_CASE("EH010 queries a year over 25%, naming the year and the counts") {
  const auto s = run_rule(eh010_exception_share, year_2024(7, 2), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH010 2024"});
  CHECK(s.findings[0].laestab.empty());
  CHECK(s.findings[0].message ==
        "In 2024, 2 of 7 plans issued (28.6%) were recorded as exception cases, more than the 25% limit");
}

TEST_CASE("EH010 edge: the limit comes from configuration") {
  ConfigValue::Object section{{"max_exception_pct", 30}};
  const PluginConfig cfg("ehcp-timeliness", ConfigValue(section));
  CHECK(run_rule(eh010_exception_share, year_2024(7, 2), spring_2025(), cfg).findings.empty());
  const PluginConfig low("ehcp-timeliness", ConfigValue(ConfigValue::Object{{"max_exception_pct", 12.5}}));
  const auto s = run_rule(eh010_exception_share, year_2024(8, 2), spring_2025(), low);
  REQUIRE(s.findings.size() == 1);
  CHECK_THAT(s.findings[0].message, Catch::EndsWith("more than the 12.5% limit"));
}
