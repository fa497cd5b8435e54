// AP008: see rules/ap008_day_six.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap008_day_six;

namespace {
// Half term: Monday 28 October to Friday 1 November 2024.
PluginConfig half_term() {
  return PluginConfig("ap-reintegration",
                      ConfigValue(ConfigValue::Object{
                          {"holidays", ConfigValue::Array{ConfigValue::Array{"2024-10-28", "2024-11-01"}}}}));
}
} // namespace

TEST_CASE("AP008: the sixth school day across a weekend and a configured holiday") {
  const auto limits = ap_reintegration::read_limits(testkit::as_configured(half_term()));
  // Excluded Monday 4 November: days 1-5 that week, the sixth is Monday 11 November.
  CHECK(ap_reintegration::nth_school_day(*Date::parse("2024-11-04"), 6, limits).iso() == "2024-11-11");
  // Excluded Thursday 24 October: 24, 25, then half term, then 4, 5, 6, 7 November: the sixth is Thursday 7 November.
  CHECK(ap_reintegration::nth_school_day(*Date::parse("2024-10-24"), 6, limits).iso() == "2024-11-07");
  // Without the holiday the sixth would be Thursday 31 October.
  CHECK(ap_reintegration::nth_school_day(*Date::parse("2024-10-24"), 6, ap_reintegration::Limits{}).iso() ==
        "2024-10-31");
}

TEST_CASE("AP008 passes provision starting on the sixth school day") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .exclusions = {"PERM:2024-10-24"}})
                     .placement("AP-1", "U1", "2024-11-07", "", "", "permanent_exclusion", "2025-03-01", "2024-12-01")
                     .build();
  CHECK(run_rule(ap008_day_six, d, spring_2025(), half_term()).findings.empty());
}

TEST_CASE("AP008 queries provision from the seventh school day, and none at all") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .exclusions = {"PERM:2024-10-24"}})
                     .placement("AP-1", "U1", "2024-11-08", "", "", "permanent_exclusion", "2025-03-01", "2024-12-01")
                     .pupil({.upn = "U2", .exclusions = {"PERM:2024-11-04"}})
                     .build();
  const auto s = run_rule(ap008_day_six, d, spring_2025(), half_term());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP008 U1", "AP008 U2"});
  CHECK(s.findings[0].message ==
        "Permanently excluded from 2024-10-24 with no placement starting by the sixth school day, 2024-11-07");
}

TEST_CASE("AP008 edge: not yet due at the reference date, a placement already open counts") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .exclusions = {"PERM:2025-01-13"}})
                     .pupil({.upn = "U2", .exclusions = {"PERM:2024-11-04"}})
                     .placement("AP-1", "U2", "2024-09-09", "", "", "preventive", "2025-03-01", "2024-12-01")
                     .build();
  CHECK(run_rule(ap008_day_six, d, spring_2025(), half_term()).findings.empty());
}

TEST_CASE("AP008 passes a place at another school from the sixth school day, not one from the seventh") {
  const auto d = DatasetBuilder{}
                     .school_return("8882001")
                     .pupil({.upn = "U1", .leaving_date = "2024-11-05", .exclusions = {"PERM:2024-10-24"}})
                     .pupil({.upn = "U2", .leaving_date = "2024-11-05", .exclusions = {"PERM:2024-10-24"}})
                     .school_return("8882002")
                     .pupil({.upn = "U1", .entry_date = "2024-11-07"})
                     .pupil({.upn = "U2", .entry_date = "2024-11-08"})
                     .placement("AP-9", "U9", "2024-09-09")
                     .build();
  CHECK(codes_and_subjects(run_rule(ap008_day_six, d, spring_2025(), half_term())) ==
        std::vector<std::string>{"AP008 U2"});
}
