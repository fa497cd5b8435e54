// AP003: see rules/ap003_off_roll.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap003_off_roll;

TEST_CASE("AP003 passes an open placement for a pupil on a census roll") {
  const auto d =
      DatasetBuilder{}.pupil({.upn = "D888100119002"}).placement("AP-1", "D888100119002", "2024-10-01").build();
  CHECK(run_rule(ap003_off_roll, d, spring_2025()).findings.empty());
}

TEST_CASE("AP003 queries an open placement for a pupil on no roll") {
  const auto s = run_rule(
      ap003_off_roll,
      DatasetBuilder{}.pupil({.upn = "D888100119002"}).placement("AP-1", "T888100119003", "2024-10-01").build(),
      spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP003 AP-1"});
  CHECK(
      s.findings[0].message ==
      "Pupil T888100119003 is in an open placement at Brook Short Stay School but on roll at no school in the census");
}

TEST_CASE("AP003 edge: a placement that ended on the reference date is not open") {
  CHECK(run_rule(ap003_off_roll,
                 DatasetBuilder{}
                     .pupil({.upn = "D888100119002"})
                     .placement("AP-1", "T888100119003", "2024-10-01", "2025-01-16", "same_school")
                     .build(),
                 spring_2025())
            .findings.empty());
  CHECK(run_rule(ap003_off_roll,
                 DatasetBuilder{}
                     .pupil({.upn = "D888100119002"})
                     .placement("AP-1", "T888100119003", "2024-10-01", "2025-01-17", "same_school")
                     .build(),
                 spring_2025())
            .findings.size() == 1);
}

TEST_CASE("AP003 edge: a placement whose UPN is not valid is left to its loader's finding") {
  // A mistyped UPN joins to no census pupil; the loader reports it (IN003, IN017), so AP003 does not also
  // say the pupil is on no roll. The same UPN valid is queried.
  auto typo = DatasetBuilder{}.pupil({.upn = "D888100119002"}).placement("AP-1", "D888100119003", "2024-10-01");
  CHECK(run_rule(ap003_off_roll, typo.build(), spring_2025()).findings.empty());
  CHECK(run_rule(ap003_off_roll, DatasetBuilder{}.placement("AP-1", "", "2024-10-01").build(), spring_2025())
            .findings.empty());
}
