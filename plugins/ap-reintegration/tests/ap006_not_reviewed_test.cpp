// AP006: see rules/ap006_not_reviewed.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap006_not_reviewed;

// Reference date 2025-01-16: 84 days earlier is 2024-10-24.
TEST_CASE("AP006 passes a long placement reviewed 84 days ago, and one exactly 12 weeks old") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-06-03", "", "", "medical", "2025-06-01", "2024-10-24")
                     .placement("AP-2", "U2", "2024-10-24", "", "", "medical", "2025-06-01")
                     .build();
  CHECK(run_rule(ap006_not_reviewed, d, spring_2025()).findings.empty());
}

TEST_CASE("AP006 queries a long placement not reviewed for 85 days, and one never reviewed") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-06-03", "", "", "medical", "2025-06-01", "2024-10-23")
                     .placement("AP-2", "U2", "2024-10-23", "", "", "medical", "2025-06-01")
                     .build();
  const auto s = run_rule(ap006_not_reviewed, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP006 AP-1", "AP006 AP-2"});
  CHECK(s.findings[1].message == "The placement has run 85 days and has never been reviewed");
}

TEST_CASE("AP006 edge: review_weeks from configuration") {
  const PluginConfig six("ap-reintegration", ConfigValue(ConfigValue::Object{{"review_weeks", 6}}));
  CHECK(
      run_rule(
          ap006_not_reviewed,
          DatasetBuilder{}.placement("AP-1", "U1", "2024-06-03", "", "", "medical", "2025-06-01", "2024-11-20").build(),
          spring_2025(), six)
          .findings.size() == 1);
}
