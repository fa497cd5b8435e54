// PN002: see rules/pn002_ranks.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn002_ranks;

TEST_CASE("PN002 passes one rank 1, and one rank 1 with one rank 2") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}}})
                     .pupil({.upn = "U2", .sen = "E", .needs = {{1, "ASD"}, {2, "SLCN"}}})
                     .build();
  CHECK(run_rule(pn002_ranks, d, spring_2025()).findings.empty());
}

TEST_CASE("PN002 reports two rank-1 needs and a rank 2 alone") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {1, "ASD"}}})
                     .pupil({.upn = "U2", .sen = "K", .needs = {{2, "SLCN"}}})
                     .build();
  const auto s = run_rule(pn002_ranks, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN002 U1", "PN002 U2"});
  CHECK(s.findings[0].message == "Need ranks malformed: 2 needs at rank 1");
  CHECK(s.findings[1].message == "Need ranks malformed: no rank 1");
}

TEST_CASE("PN002 edge: rank 3, two rank 2s, and three needs") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {3, "ASD"}}})
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "SLCN"}, {2, "ASD"}, {2, "MLD"}}})
                     .build();
  const auto s = run_rule(pn002_ranks, d, spring_2025());
  REQUIRE(s.findings.size() == 2);
  CHECK(s.findings[0].message == "Need ranks malformed: 1 rank other than 1 or 2");
  CHECK(s.findings[1].message == "Need ranks malformed: 2 needs at rank 2, 3 needs (at most 2)");
}
