// CI007: age on 31 August against the NC year group.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci007_age_for_year_group;

// Spring 2025 census: the academic year starts after 31 August 2024.
TEST_CASE("CI007 passes a pupil of the expected age, and one a year either side") {
  // Year 4 expects age 8 on 2024-08-31: born 2015-09-01 .. 2016-08-31.
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "B801200005001", .dob = "2016-08-31", .nc_year = "4"})  // 8
                        .pupil({.upn = "A950000178301", .dob = "2015-08-31", .nc_year = "4"})  // 9: a year older
                        .pupil({.upn = "H243278544154", .dob = "2017-08-31", .nc_year = "4"})  // 7: a year younger
                        .pupil({.upn = "R247962919251", .dob = "2020-06-01", .nc_year = "R"})  // 4
                        .pupil({.upn = "X428558133462", .dob = "2021-06-01", .nc_year = "N2"}) // 3
                        .build();
  CHECK(run_rule(ci007_age_for_year_group, data, spring_2025()).findings.empty());
}

TEST_CASE("CI007 queries a pupil two years out of cohort with both ages in the message") {
  const auto data = DatasetBuilder{}.pupil({.upn = "B801200005001", .dob = "2014-08-31", .nc_year = "4"}).build();
  const auto s = run_rule(ci007_age_for_year_group, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI007 B801200005001"});
  CHECK(s.findings[0].dfe_rule == "2020");
  CHECK(s.findings[0].message ==
        "Pupil was 10 on 2024-08-31 but NC year 4 is for pupils aged 8 then: more than a year apart");
}

TEST_CASE("CI007 edge: the 31 August / 1 September birthday boundary, X, and leap-day births") {
  // Born 1 September 2014: still 9 on 31 August 2024, so year 4 (8) is within a year.
  CHECK(run_rule(ci007_age_for_year_group, DatasetBuilder{}.pupil({.dob = "2014-09-01", .nc_year = "4"}).build(),
                 spring_2025())
            .findings.empty());
  // Born 31 August 2014: 10 on 31 August 2024, two years from 8.
  CHECK(run_rule(ci007_age_for_year_group, DatasetBuilder{}.pupil({.dob = "2014-08-31", .nc_year = "4"}).build(),
                 spring_2025())
            .findings.size() == 1);
  // X (no NC year) is never checked.
  CHECK(run_rule(ci007_age_for_year_group, DatasetBuilder{}.pupil({.dob = "2000-01-01", .nc_year = "X"}).build(),
                 spring_2025())
            .findings.empty());
  // Born 29 February 2016: 8 on 31 August 2024, year 4.
  CHECK(run_rule(ci007_age_for_year_group, DatasetBuilder{}.pupil({.dob = "2016-02-29", .nc_year = "4"}).build(),
                 spring_2025())
            .findings.empty());
  // An autumn census in September 2024 uses 31 August 2024 too.
  const auto autumn = DatasetBuilder{}
                          .school_return("8881001", "2024-10-03", "AUT")
                          .pupil({.dob = "2014-08-31", .nc_year = "4"})
                          .build();
  CHECK(run_rule(ci007_age_for_year_group, autumn, spring_2025()).findings.size() == 1);
}
