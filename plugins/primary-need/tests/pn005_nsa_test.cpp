// PN005: see rules/pn005_nsa.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn005_nsa;

TEST_CASE("PN005 passes NSA alone, at SEN support or (DFE2175's, not PN005's) with an EHC plan") {
  CHECK(run_rule(pn005_nsa, DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "NSA"}}}).build(), spring_2025())
            .findings.empty());
  CHECK(run_rule(pn005_nsa, DatasetBuilder{}.pupil({.sen = "E", .needs = {{1, "NSA"}}}).build(), spring_2025())
            .findings.empty());
}

TEST_CASE("PN005 reports NSA beside another need at SEN support, a stricter check than DfE rule 2175") {
  const auto s =
      run_rule(pn005_nsa, DatasetBuilder{}.pupil({.upn = "U1", .sen = "K", .needs = {{1, "NSA"}, {2, "SLCN"}}}).build(),
               spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN005 U1"});
  CHECK(s.findings[0].message == "NSA recorded together with another need");
  CHECK(s.findings[0].dfe_rule.empty()); // a stricter check: COLLECT does not raise this record
  CHECK(pn005_nsa.info->dfe_rule == "2175");
  CHECK(pn005_nsa.info->dfe_match == DfeMatch::stricter);
}

TEST_CASE("PN005 edge: NSA at rank 2, beside another need, NSA alone at rank 2") {
  const auto s =
      run_rule(pn005_nsa, DatasetBuilder{}.pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {2, "NSA"}}}).build(),
               spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message == "NSA recorded at rank 2 and together with another need");
  CHECK(run_rule(pn005_nsa, DatasetBuilder{}.pupil({.sen = "K", .needs = {{2, "NSA"}}}).build(), spring_2025())
            .findings[0]
            .message == "NSA recorded at rank 2");
}
