// AP002: see rules/ap002_end_and_destination.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap002_end_and_destination;

TEST_CASE("AP002 passes an ended placement with a destination, and an open one without") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-09-09", "2024-11-29", "same_school")
                     .placement("AP-2", "U2", "2024-10-01")
                     .build();
  CHECK(run_rule(ap002_end_and_destination, d, spring_2025()).findings.empty());
}

TEST_CASE("AP002 reports an end without a destination and a destination without an end") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-09-09", "2024-11-29")
                     .placement("AP-2", "U2", "2024-10-01", "", "special")
                     .build();
  const auto s = run_rule(ap002_end_and_destination, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP002 AP-1", "AP002 AP-2"});
  CHECK(s.findings[0].message == "The placement ended on 2024-11-29 but no destination is recorded");
  CHECK(s.findings[1].message == "A destination (a special school) is recorded but the placement has no end date");
}

TEST_CASE("AP002 edge: an unknown destination is still a destination") {
  CHECK(run_rule(ap002_end_and_destination,
                 DatasetBuilder{}.placement("AP-1", "U1", "2024-09-09", "2024-11-29", "unknown").build(), spring_2025())
            .findings.empty());
}
