// PN006: see rules/pn006_same_need_twice.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn006_same_need_twice;

TEST_CASE("PN006 passes two different needs") {
  CHECK(run_rule(pn006_same_need_twice,
                 DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "SLCN"}, {2, "ASD"}}}).build(), spring_2025())
            .findings.empty());
}

TEST_CASE("PN006 reports the same need at rank 1 and rank 2") {
  const auto s = run_rule(pn006_same_need_twice,
                          DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}, {2, "ASD"}}}).build(),
                          spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN006 U1"});
  CHECK(s.findings[0].message == "ASD is recorded at both rank 1 and rank 2");
}

TEST_CASE("PN006 edge: two rank-1 entries of one need are PN002's, not PN006's") {
  CHECK(run_rule(pn006_same_need_twice, DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "ASD"}, {1, "ASD"}}}).build(),
                 spring_2025())
            .findings.empty());
}
