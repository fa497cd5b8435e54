// PN005: see rules/pn005_nsa.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn005_nsa;

TEST_CASE("PN005 passes NSA alone at SEN support") {
  CHECK(run_rule(pn005_nsa, DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "NSA"}}}).build(), spring_2025())
            .findings.empty());
}

TEST_CASE("PN005 reports NSA with an EHC plan") {
  const auto s = run_rule(pn005_nsa, DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "NSA"}}}).build(),
                          spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN005 U1"});
  CHECK(s.findings[0].message == "NSA recorded with an EHC plan (E)");
}

TEST_CASE("PN005 edge: NSA at rank 2, beside another need") {
  const auto s =
      run_rule(pn005_nsa, DatasetBuilder{}.pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {2, "NSA"}}}).build(),
               spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message == "NSA recorded at rank 2 and together with another need");
}
