// AP004: see rules/ap004_no_exit_plan.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap004_no_exit_plan;

TEST_CASE("AP004 passes an open placement with a planned end") {
  CHECK(run_rule(ap004_no_exit_plan,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-10-01", "", "", "preventive", "2025-02-01").build(),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("AP004 queries an open placement with no planned end") {
  const auto s =
      run_rule(ap004_no_exit_plan, DatasetBuilder{}.placement("AP-1", "U1", "2024-10-01").build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP004 AP-1"});
  CHECK(s.findings[0].message == "The placement started on 2024-10-01 is open with no planned end date");
}

TEST_CASE("AP004 edge: an ended placement needs no planned end") {
  CHECK(run_rule(ap004_no_exit_plan,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-10-01", "2024-12-01", "same_school").build(),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("AP004 edge: an AP census placement records no planned end, so it is not asked for one") {
  const auto only_census = DatasetBuilder{}
                               .placement("APC U1 2024-10-01", "U1", "2024-10-01")
                               .edit([](Dataset& d) { d.ap_placements.back().origin = ApOrigin::ap_census; })
                               .build();
  const auto s = run_rule(ap004_no_exit_plan, only_census, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("AP004") == 1);
}
