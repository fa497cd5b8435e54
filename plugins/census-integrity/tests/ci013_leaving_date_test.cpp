// CI013: a leaver's leaving date against its entry date and census day.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci013_leaving_date;

TEST_CASE("CI013 passes a leaver who left after joining and before census day") {
  const auto data = DatasetBuilder{}.pupil({.leaving_date = "2024-11-20"}).build();
  CHECK(run_rule(ci013_leaving_date, data, spring_2025()).findings.empty());
}

TEST_CASE("CI013 reports leaving before joining, and leaving on or after census day") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .entry_date = "2024-12-01", .leaving_date = "2024-11-20"})
                        .pupil({.upn = "B801200005001", .leaving_date = "2025-01-16"})
                        .build();
  const auto s = run_rule(ci013_leaving_date, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI013 A801200005001", "CI013 B801200005001"});
  CHECK(s.findings[0].message == "Leaving date 2024-11-20 is before the entry date 2024-12-01");
  CHECK(s.findings[0].dfe_rule == "1920");
  CHECK(s.findings[1].message ==
        "Leaving date 2025-01-16 is not before census day 2025-01-16: the pupil was on roll on census day");
}

TEST_CASE("CI013 edge: leaving the day before census day or on the day of entry is fine, no date is CI011's") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .leaving_date = "2025-01-15"})
                        .pupil({.upn = "B801200005001", .entry_date = "2024-11-20", .leaving_date = "2024-11-20"})
                        .build();
  CHECK(run_rule(ci013_leaving_date, data, spring_2025()).findings.empty());
  auto no_date = DatasetBuilder{}.pupil({.leaving_date = "2024-11-20"}).build();
  no_date.leavers[0].leaving_date.reset();
  CHECK(run_rule(ci013_leaving_date, no_date, spring_2025()).findings.empty());
}
