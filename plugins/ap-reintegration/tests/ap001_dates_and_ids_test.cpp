// AP001: see rules/ap001_dates_and_ids.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap001_dates_and_ids;

TEST_CASE("AP001 passes a placement with sound dates and its own id") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-09-09", "2024-11-29", "same_school")
                     .placement("AP-2", "U2", "2025-01-16")
                     .build();
  CHECK(run_rule(ap001_dates_and_ids, d, spring_2025()).findings.empty());
}

TEST_CASE("AP001 reports a missing start, an end before the start, and a repeated id") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "")
                     .placement("AP-2", "U2", "2024-10-01", "2024-09-30", "same_school")
                     .placement("AP-2", "U3", "2024-10-01")
                     .build();
  const auto s = run_rule(ap001_dates_and_ids, d, spring_2025());
  REQUIRE(s.findings.size() == 3);
  CHECK(s.findings[0].message == "Start_date is missing");
  CHECK(s.findings[1].message == "End_date 2024-09-30 is before start_date 2024-10-01");
  CHECK(s.findings[2].message == "Placement_id AP-2 is used by an earlier row");
  CHECK(s.findings[2].scope == Scope::placement);
}

TEST_CASE("AP001 edge: a start the day after the reference date, an end on the start date is fine") {
  CHECK(run_rule(ap001_dates_and_ids, DatasetBuilder{}.placement("AP-1", "U1", "2025-01-17").build(), spring_2025())
            .findings.size() == 1);
  CHECK(run_rule(ap001_dates_and_ids,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-10-01", "2024-10-01", "same_school").build(),
                 spring_2025())
            .findings.empty());
}
