// CI006: date of birth missing, invalid or after the reference date.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci006_dob;

TEST_CASE("CI006 passes a past date of birth") {
  CHECK(run_rule(ci006_dob, DatasetBuilder{}.pupil({.dob = "2015-03-02"}).build(), spring_2025()).findings.empty());
}

TEST_CASE("CI006 reports missing, invalid and future dates of birth with their values") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "B801200005001", .dob = ""})
                        .pupil({.upn = "A950000178301", .dob = "2015-02-30"})
                        .pupil({.upn = "H243278544154", .dob = "2025-01-17"})
                        .build();
  const auto s = run_rule(ci006_dob, data, spring_2025());
  REQUIRE(s.findings.size() == 3);
  CHECK(s.findings[0].message == "Date of birth is missing");
  CHECK(s.findings[0].dfe_rule == "1600");
  CHECK(s.findings[1].message == "Date of birth '2015-02-30' is not a valid date");
  CHECK(s.findings[2].message == "Date of birth 2025-01-17 is after the census reference date 2025-01-16");
}

TEST_CASE("CI006 edge: born on the reference date is not after it, and the return date wins") {
  CHECK(run_rule(ci006_dob, DatasetBuilder{}.pupil({.dob = "2025-01-16"}).build(), spring_2025()).findings.empty());
  // A return dated 2025-01-20 makes 2025-01-18 a past date, whatever the run says.
  const auto data = DatasetBuilder{}.school_return("8881001", "2025-01-20").pupil({.dob = "2025-01-18"}).build();
  CHECK(run_rule(ci006_dob, data, spring_2025()).findings.empty());
}
