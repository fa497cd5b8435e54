// MV003: see rules/mv003_excluded_nowhere.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::pupil_movement::mv003_excluded_nowhere;

TEST_CASE("MV003 passes an excluded pupil on another roll or in an open placement") {
  const auto d = DatasetBuilder{}
                     .school_return("8882001")
                     .pupil({.upn = "U1", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
                     .pupil({.upn = "U2", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
                     .school_return("8882002")
                     .pupil({.upn = "U1", .entry_date = "2024-11-25"})
                     .placement("AP-1", "U2", "2024-11-21", "", "", "permanent_exclusion", "", "", "8882001")
                     .build();
  CHECK(run_rule(mv003_excluded_nowhere, d, spring_2025()).findings.empty());
}

TEST_CASE("MV003 queries an excluded pupil on no roll and in no placement at the census") {
  const auto d = DatasetBuilder{}
                     .school_return("8882001")
                     .pupil({.upn = "U1", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
                     .placement("AP-1", "U1", "2024-11-21", "2024-12-13", "unknown", "permanent_exclusion", "", "",
                                "8882001") // ended before the census
                     .build();
  const auto s = run_rule(mv003_excluded_nowhere, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"MV003 U1"});
  CHECK(s.findings[0].message == "Permanently excluded from 2024-11-13 and, at the census (2025-01-16), on no roll "
                                 "of the LA's schools and in no AP placement");
}

TEST_CASE("MV003 edge: not six weekdays yet, below school age, no UPN") {
  const auto d =
      DatasetBuilder{}
          .school_return("8882001")
          // Friday 10 January: the sixth weekday is Friday 17 January, after census day.
          .pupil({.upn = "U1", .leaving_date = "2025-01-15", .exclusions = {"PERM:2025-01-10"}})
          .pupil({.upn = "U2", .dob = "2021-03-01", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
          .pupil({.upn = "", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
          // Thursday 9 January: the sixth weekday is Thursday 16 January, census day itself.
          .pupil({.upn = "U4", .leaving_date = "2025-01-15", .exclusions = {"PERM:2025-01-09"}})
          .placement("AP-1", "U9", "2024-09-01")
          .build();
  CHECK(codes_and_subjects(run_rule(mv003_excluded_nowhere, d, spring_2025())) == std::vector<std::string>{"MV003 U4"});
}

TEST_CASE("MV003 edge: on a roll under a new UPN (FormerUPN) is on a roll; without AP records the finding says so") {
  const auto d = DatasetBuilder{}
                     .school_return("8882001")
                     .pupil({.upn = "U1", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
                     .pupil({.upn = "U2", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
                     .school_return("8887000")
                     .pupil({.upn = "U1B", .entry_date = "2024-12-02", .former_upn = "U1"})
                     .build();
  const auto s = run_rule(mv003_excluded_nowhere, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"MV003 U2"});
  CHECK_THAT(s.findings[0].message,
             Catch::EndsWith("(no AP placement records, ap_placements.csv, were part of this run)"));
}
