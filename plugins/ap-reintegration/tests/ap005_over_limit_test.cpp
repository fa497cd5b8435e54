// AP005: see rules/ap005_over_limit.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap005_over_limit;

// Reference date 2025-01-16. Suspension limit 6 weeks = 42 days: started 2024-12-05 is exactly 42 days.
TEST_CASE("AP005 passes an open placement at exactly its limit") {
  CHECK(run_rule(ap005_over_limit,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-12-05", "", "", "suspension", "2025-01-20").build(),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("AP005 queries a placement a day over its limit, and one 15 days past its planned end") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-12-04", "", "", "suspension", "2025-01-20")
                     .placement("AP-2", "U2", "2024-12-01", "", "", "medical", "2025-01-01")
                     .build();
  const auto s = run_rule(ap005_over_limit, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP005 AP-1", "AP005 AP-2"});
  CHECK(s.findings[0].message == "The placement is open 43 days, beyond the 6 weeks allowed for a suspension");
  CHECK(s.findings[1].message == "The placement is 15 days past its planned end 2025-01-01");
}

TEST_CASE("AP005 edge: 14 days past the planned end is allowed, limits come from configuration") {
  CHECK(run_rule(ap005_over_limit,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-12-01", "", "", "medical", "2025-01-02").build(),
                 spring_2025())
            .findings.empty());
  const PluginConfig longer("ap-reintegration",
                            ConfigValue(ConfigValue::Object{{"max_weeks", ConfigValue::Object{{"suspension", 8}}}}));
  CHECK(run_rule(ap005_over_limit,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-12-04", "", "", "suspension", "2025-01-20").build(),
                 spring_2025(), longer)
            .findings.empty());
}
