// CI012: entry date after census day.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci012_entry_after_census;

TEST_CASE("CI012 passes an entry before census day") {
  CHECK(run_rule(ci012_entry_after_census, DatasetBuilder{}.pupil({}).build(), spring_2025()).findings.empty());
}

TEST_CASE("CI012 reports an entry after census day, for a pupil on roll or a leaver") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .entry_date = "2025-01-17"})
                        .pupil({.upn = "B801200005001", .entry_date = "2025-02-01", .leaving_date = "2024-12-01"})
                        .build();
  const auto s = run_rule(ci012_entry_after_census, data, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"CI012 A801200005001", "CI012 B801200005001"});
  CHECK(s.findings[0].message == "Entry date 2025-01-17 is after census day 2025-01-16");
  CHECK(s.findings[0].dfe_rule == "1880");
}

TEST_CASE("CI012 edge: joining on census day counts, a missing date is CI011's, the return's date wins") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .entry_date = "2025-01-16"})
                        .pupil({.upn = "B801200005001", .entry_date = ""})
                        .school_return("8881002", "2025-01-20")
                        .pupil({.upn = "C801200005001", .entry_date = "2025-01-18"})
                        .build();
  CHECK(run_rule(ci012_entry_after_census, data, spring_2025()).findings.empty());
}
