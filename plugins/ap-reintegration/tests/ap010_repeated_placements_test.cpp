// AP010: see rules/ap010_repeated_placements.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap010_repeated_placements;

TEST_CASE("AP010 passes two placements, and three spread over more than a year") {
  const auto d = DatasetBuilder{}
                     .placement("A1", "U1", "2024-01-08", "2024-02-01", "other_ap")
                     .placement("A2", "U1", "2024-06-03", "2024-07-01", "other_ap")
                     .placement("B1", "U2", "2023-01-09", "2023-02-01", "other_ap")
                     .placement("B2", "U2", "2023-06-05", "2023-07-01", "other_ap")
                     .placement("B3", "U2", "2024-01-10", "2024-02-01", "other_ap")
                     .build(); // 366 days
  CHECK(run_rule(ap010_repeated_placements, d, spring_2025()).findings.empty());
}

TEST_CASE("AP010 queries three placements starting within 12 months") {
  const auto d = DatasetBuilder{}
                     .placement("A1", "U1", "2024-01-08", "2024-02-01", "other_ap")
                     .placement("A2", "U1", "2024-06-03", "2024-07-01", "other_ap")
                     .placement("A3", "U1", "2024-11-04")
                     .build();
  const auto s = run_rule(ap010_repeated_placements, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP010 U1"});
  CHECK(s.findings[0].message ==
        "Three placements started within 301 days: A1 (2024-01-08), A2 (2024-06-03), A3 (2024-11-04)");
}

TEST_CASE("AP010 edge: exactly 365 days apart is within 12 months") {
  const auto d = DatasetBuilder{}
                     .placement("A1", "U1", "2023-01-09", "2023-02-01", "other_ap")
                     .placement("A2", "U1", "2023-06-05", "2023-07-01", "other_ap")
                     .placement("A3", "U1", "2024-01-09")
                     .build();
  CHECK(run_rule(ap010_repeated_placements, d, spring_2025()).findings.size() == 1);
}
