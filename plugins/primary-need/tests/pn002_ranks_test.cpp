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

TEST_CASE("PN002 reports two needs at rank 1 (DfE rule 2165) and a rank 2 alone (2160)") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {1, "ASD"}}})
                     .pupil({.upn = "U2", .sen = "K", .needs = {{2, "SLCN"}}})
                     .build();
  const auto s = run_rule(pn002_ranks, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN002 U1", "PN002 U2"});
  CHECK(s.findings[0].message == "2 SEN needs at rank 1: each rank is given once");
  CHECK(s.findings[0].dfe_rule == "2165");
  CHECK(s.findings[1].message == "The pupil's only SEN need is at rank 2, not rank 1 (primary)");
  CHECK(s.findings[1].dfe_rule == "2160");
}

TEST_CASE("PN002 reports a rank other than 1 or 2 (DfE rule 2140) and three needs (2166), each apart") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {3, "ASD"}}})
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "SLCN"}, {2, "ASD"}, {2, "MLD"}}})
                     .build();
  const auto s = run_rule(pn002_ranks, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN002 U1", "PN002 U2", "PN002 U2"});
  CHECK(s.findings[0].message == "1 SEN need has a rank missing or other than 1 or 2");
  CHECK(s.findings[0].dfe_rule == "2140");
  CHECK(s.findings[1].message == "2 SEN needs at rank 2: each rank is given once");
  CHECK(s.findings[1].dfe_rule == "2165");
  CHECK(s.findings[2].message == "3 SEN needs returned; at most 2 are collected");
  CHECK(s.findings[2].dfe_rule == "2166");
}

TEST_CASE("PN002 edge: a missing rank is 2140's, a rank the loader rejected is its own, an autumn return is not "
          "checked") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {2, "ASD"}}})
                     .edit([](Dataset& x) { x.needs.back().rank.reset(); })
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "SLCN"}, {2, "ASD"}}})
                     .edit([](Dataset& x) {
                       x.needs.back().rank.reset();
                       x.set_raw_value(Entity::need, 3, Field::need_rank, "two");
                     })
                     .build();
  const auto s = run_rule(pn002_ranks, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN002 U1"});
  CHECK(s.findings[0].dfe_rule == "2140");
  CHECK(s.findings[0].values == std::vector<std::pair<std::string, std::string>>{{"SENtypeRank", "1,blank"}});
  const auto autumn = DatasetBuilder{}
                          .school_return("8881001", "2024-10-03", "AUT")
                          .pupil({.sen = "K", .needs = {{2, "SLCN"}, {2, "ASD"}, {2, "MLD"}}})
                          .build();
  CHECK(run_rule(pn002_ranks, autumn, spring_2025()).findings.empty());
}
