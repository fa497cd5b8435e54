// PN009: see rules/pn009_plan_not_in_census.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn009_plan_not_in_census;

TEST_CASE("PN009 passes a plan recorded as E") {
  CHECK(run_rule(pn009_plan_not_in_census,
                 DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}}}).ehc_plan("U1", "ASD").build(),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("PN009 queries a plan recorded as K, and as N") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "ASD"}}})
                     .pupil({.upn = "U2", .sen = "N"})
                     .ehc_plan("U1", "ASD")
                     .ehc_plan("U2", "SEMH")
                     .build();
  const auto s = run_rule(pn009_plan_not_in_census, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN009 U1", "PN009 U2"});
  CHECK(s.findings[1].message == "The LA holds an active EHC plan (case EH-2) but the census records SEN provision N");
}

TEST_CASE("PN009 edge: checked in every term, a subsidiary registration is the main school's to record") {
  const auto autumn = DatasetBuilder{}
                          .school_return("8881001", "2024-10-03", "AUT")
                          .pupil({.upn = "U1", .sen = "K"})
                          .ehc_plan("U1", "ASD")
                          .build();
  CHECK(run_rule(pn009_plan_not_in_census, autumn, spring_2025()).findings.size() == 1);
  CHECK(run_rule(pn009_plan_not_in_census,
                 DatasetBuilder{}.pupil({.upn = "U1", .enrol = "S", .sen = "N"}).ehc_plan("U1", "ASD").build(),
                 spring_2025())
            .findings.empty());
}
