// ST002: a school above the threshold is queried; at the threshold it is not; max_pct is honoured, and
// a max_pct out of range is refused as the host refuses it. run_plugin runs the rule as a run does: the
// declared default applied, the LA's value checked.
#include "../rules/rules.hpp"

#include <censusqa/testing/testkit.hpp>

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
// `absent` of `n` pupils persistently absent.
DatasetBuilder& school(DatasetBuilder& b, const std::string& laestab, int n, int absent) {
  b.school_return(laestab);
  for (int i = 0; i < n; ++i)
    b.pupil({.upn = "A" + laestab + "0000" + std::to_string(10 + i), .sessions = {100, i < absent ? 20 : 0, 0}});
  return b;
}

// The plugin as module.cpp makes it, with ST002 only.
censusqa::RuleListPlugin st002_plugin() {
  static const Rule rules[] = {starter::st002_school_absence_rate};
  return censusqa::RuleListPlugin({.id = "attendance-starter", .rules = rules, .options = starter::options});
}
} // namespace

TEST_CASE("ST002 queries a school whose persistent absence rate is above max_pct") {
  DatasetBuilder b;
  school(b, "8881001", 20, 5); // 25%: at the default threshold, not above
  school(b, "8881002", 20, 6); // 30%: above
  const auto data = b.build();
  auto plugin = st002_plugin();
  const auto run = run_plugin(plugin, data, "{}", spring_2025()); // the declared default, 25
  REQUIRE(run.findings.size() == 1);
  CHECK(run.findings[0].laestab == "8881002");
  CHECK(run.findings[0].message == "6 of 20 pupils are persistently absent, above the threshold of 25%");
  CHECK(run_plugin(plugin, data, R"({"max_pct": 20})", spring_2025()).findings.size() == 2);
  CHECK(run_plugin(plugin, data, "{}", spring_2025(), RuleSwitches({"ST002"})).findings.empty()); // turned off
}

TEST_CASE("ST002's max_pct out of range is refused") {
  auto plugin = st002_plugin();
  const auto data = DatasetBuilder{}.school_return("8881001").build();
  CHECK_THROWS_WITH(run_plugin(plugin, data, R"({"max_pct": 120})"),
                    "attendance-starter.max_pct: 120 was given; expected a number from 0 to 100");
}

TEST_CASE("ST002 ignores a school with no attendance recorded") {
  const auto data = DatasetBuilder{}.school_return("8881001").pupil({.upn = "A888100100001"}).build();
  auto plugin = st002_plugin();
  CHECK(run_plugin(plugin, data, "{}", spring_2025()).findings.empty());
}
