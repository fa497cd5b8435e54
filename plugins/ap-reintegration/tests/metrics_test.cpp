// Placement metrics against hand-computed values.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
MetricsCollector compute(const Dataset& d) {
  return run_metrics(ap_reintegration::placement_metrics, d, spring_2025());
}
} // namespace

TEST_CASE("placement metrics by hand: median of an even count, sustained, null percentages") {
  // Home 8884001 (reference date 2025-01-16, academic year from 2024-09-01):
  //  AP-1 2024-01-08 -> 2024-02-19 (42 days) same_school; sustained (no breakdown by 2024-05-13)
  //  AP-2 2024-03-04 -> 2024-06-24 (112 days) other_ap
  //  AP-3 2024-09-02 -> 2024-10-14 (42 days) same_school; AP-4 starts 30 days later: breakdown
  //  AP-4 2024-11-13 open
  //  AP-5 2024-12-02 -> 2024-12-20 (18 days) same_school; window ends 2025-03-14, too soon to judge
  // Ended durations 18, 42, 42, 112: median (42 + 42) / 2 = 42 days = 6.0 weeks.
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-01-08", "2024-02-19", "same_school")
                     .placement("AP-2", "U2", "2024-03-04", "2024-06-24", "other_ap")
                     .placement("AP-3", "U3", "2024-09-02", "2024-10-14", "same_school")
                     .placement("AP-4", "U3", "2024-11-13")
                     .placement("AP-5", "U5", "2024-12-02", "2024-12-20", "same_school")
                     .placement("AP-9", "U9", "2024-09-02", "", "", "preventive", "", "", "8882001")
                     .build();
  const auto m = compute(d);
  const auto& s = m.schools.at("8884001");
  CHECK(s.at("ap.placements_started") == 3); // AP-3, AP-4, AP-5 since 1 September 2024
  CHECK(s.at("ap.placements_open") == 1);
  CHECK(s.at("ap.placements_ended") == 4);
  CHECK(s.at("ap.reintegrated") == 3);
  CHECK(s.at("ap.sustained") == 1);
  const Value& school = *m.la_values.at("ap").find("by_school")->find("8884001");
  CHECK(school.find("median_weeks_ended")->as_number() == 6.0);
  CHECK(school.find("pc_ended_within_12_weeks")->as_number() == 75.0);
  CHECK(school.find("pc_reintegrated")->as_number() == 75.0);
  CHECK(school.find("pc_sustained")->as_number() == 50.0); // 1 of the 2 reintegrations old enough to judge
  CHECK(school.find("destinations")->find("same_school")->as_int() == 3);
  const Value& other = *m.la_values.at("ap").find("by_school")->find("8882001");
  CHECK(other.find("median_weeks_ended")->is_null());
  CHECK(other.find("pc_reintegrated")->is_null());
  CHECK(other.find("pc_sustained")->is_null());
  CHECK(m.la_values.at("ap").find("by_provider")->find("100110")->find("started")->as_int() == 4);
}

TEST_CASE("median weeks of an odd count rounds half up to a tenth") {
  // 10, 20, 46 days: median 20 days = 2.857 weeks -> 2.9.
  const auto d = DatasetBuilder{}
                     .placement("A", "U1", "2024-09-02", "2024-09-12", "same_school")
                     .placement("B", "U2", "2024-09-02", "2024-09-22", "same_school")
                     .placement("C", "U3", "2024-09-02", "2024-10-18", "same_school")
                     .build();
  const auto m = compute(d);
  CHECK(m.la_values.at("ap").find("by_school")->find("8884001")->find("median_weeks_ended")->as_number() == 2.9);
}

TEST_CASE("placement metrics edge: AP census placements record no destination, so they are not in pc_reintegrated") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-09-02", "2024-10-14", "same_school")
                     .placement("APC U2 2024-09-02", "U2", "2024-09-02", "2024-10-14")
                     .edit([](Dataset& x) {
                       x.ap_placements.back().origin = ApOrigin::ap_census;
                       x.ap_placements.back().provider_urn.clear();
                       x.ap_placements.back().provider_name.clear();
                       x.ap_placements.back().provider_type = "OOT";
                     })
                     .build();
  const auto m = compute(d);
  const Value& school = *m.la_values.at("ap").find("by_school")->find("8884001");
  CHECK(school.find("ended")->as_int() == 2);
  CHECK(school.find("ended_with_destination_recorded")->as_int() == 1);
  CHECK(school.find("pc_reintegrated")->as_number() == 100.0); // 1 of the 1 whose destination is recorded
  CHECK(m.la_values.at("ap").find("by_provider")->find("OOT")->find("ended")->as_int() == 1);
}
