// AP011: see rules/ap011_in_both_censuses.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ap_reintegration::ap011_in_both_censuses;

namespace {

// The last placement added comes from the AP census.
auto from_ap_census(std::string urn = "100110") {
  return [urn](Dataset& d) {
    ApPlacement& p = d.ap_placements.back();
    p.origin = ApOrigin::ap_census;
    p.provider_urn = urn;
    p.provider_name.clear();
  };
}

// A school-arranged placement on the last pupil added.
auto school_arranged(std::string urn, std::string entry, std::string leaving = "") {
  return [=](Dataset& d) {
    Pupil& p = d.pupils.back();
    SchoolArrangedAp a;
    a.urn = urn;
    a.entry_date = Date::parse(entry);
    a.leaving_date = Date::parse(leaving);
    a.source = p.source;
    p.first_ap = static_cast<std::uint32_t>(d.school_ap.size());
    p.ap_count = 1;
    d.school_ap.push_back(a);
  };
}

} // namespace

TEST_CASE("AP011 passes an AP census placement no school returns as its own") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1"})
                     .edit(school_arranged("100220", "2024-10-01"))
                     .placement("APC U1 2024-10-01", "U1", "2024-10-01")
                     .edit(from_ap_census())
                     .build();
  CHECK(run_rule(ap011_in_both_censuses, d, spring_2025()).findings.empty());
}

TEST_CASE("AP011 queries a placement in both censuses and says how they disagree") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1"})
                     .edit(school_arranged("100110", "2024-10-07"))
                     .placement("APC U1 2024-10-01", "U1", "2024-10-01")
                     .edit(from_ap_census())
                     .build();
  const auto s = run_rule(ap011_in_both_censuses, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP011 APC U1 2024-10-01"});
  CHECK(s.findings[0].message.find("The AP census placement with URN 100110 is also returned by school 8881001") == 0);
  CHECK(s.findings[0].message.find("they disagree: entry 2024-10-01 in the AP census, 2024-10-07 in the school's") !=
        std::string::npos);
  CHECK(s.findings[0].laestab == "8881001");
}

TEST_CASE("AP011 edge: the same provider at another time, and placements from ap_placements.csv, are not compared") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1"})
                     .edit(school_arranged("100110", "2024-04-01", "2024-07-01"))
                     .placement("APC U1 2024-10-01", "U1", "2024-10-01")
                     .edit(from_ap_census())
                     .placement("AP-2", "U1", "2024-05-01") // the CSV's: not compared
                     .build();
  CHECK(run_rule(ap011_in_both_censuses, d, spring_2025()).findings.empty());
  const auto agree = DatasetBuilder{}
                         .pupil({.upn = "U1"})
                         .edit(school_arranged("100110", "2024-10-01"))
                         .placement("APC U1 2024-10-01", "U1", "2024-10-01")
                         .edit(from_ap_census())
                         .build();
  const auto s = run_rule(ap011_in_both_censuses, agree, spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message.ends_with("a placement belongs in one of them, and the two agree on its dates"));
}

TEST_CASE("AP011 edge: skipped when no placement comes from the AP census") {
  const auto s =
      run_rule(ap011_in_both_censuses, DatasetBuilder{}.placement("AP-1", "U1", "2024-10-01").build(), spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.size() == 1);
}
