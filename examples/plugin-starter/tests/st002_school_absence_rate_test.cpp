// ST002: a school above the threshold is queried; at the threshold it is not; max_pct is honoured.
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
} // namespace

TEST_CASE("ST002 queries a school whose persistent absence rate is above max_pct") {
  DatasetBuilder b;
  school(b, "8881001", 20, 5); // 25%: at the default threshold, not above
  school(b, "8881002", 20, 6); // 30%: above
  const auto data = b.build();
  const auto sink = run_rule(starter::st002_school_absence_rate, data, spring_2025());
  REQUIRE(sink.findings.size() == 1);
  CHECK(sink.findings[0].laestab == "8881002");
  CHECK(sink.findings[0].message == "6 of 20 pupils are persistently absent, above the threshold of 25%");

  ConfigValue::Object cfg{{"max_pct", ConfigValue(std::int64_t{20})}};
  const auto strict =
      run_rule(starter::st002_school_absence_rate, data, spring_2025(), PluginConfig("attendance-starter", cfg));
  CHECK(strict.findings.size() == 2);
}

TEST_CASE("ST002 ignores a school with no attendance recorded") {
  const auto data = DatasetBuilder{}.school_return("8881001").pupil({.upn = "A888100100001"}).build();
  CHECK(run_rule(starter::st002_school_absence_rate, data, spring_2025()).findings.empty());
}
