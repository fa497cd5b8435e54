// PN001: see rules/pn001_no_need.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn001_no_need;

TEST_CASE("PN001 passes SEN pupils with a need and pupils with no SEN") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}}})
                     .pupil({.upn = "U2", .sen = "N"})
                     .build();
  CHECK(run_rule(pn001_no_need, d, spring_2025()).findings.empty());
}

TEST_CASE("PN001 reports K and E with no need") {
  const auto d = DatasetBuilder{}.pupil({.upn = "U1", .sen = "K"}).pupil({.upn = "U2", .sen = "E"}).build();
  const auto s = run_rule(pn001_no_need, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN001 U1", "PN001 U2"});
  CHECK(s.findings[0].message == "Pupil has SEN provision K but no SEN need is recorded");
  CHECK(s.findings[0].dfe_rule == "2170");
}

TEST_CASE("PN001 edge: needs none of which has a type are reported (DfE rule 2170), a type the loader rejected "
          "is its own finding") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}}})
                     .edit([](Dataset& x) { x.needs.back().type.reset(); })
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "AUTISM"}}})
                     .pupil({.upn = "U3", .sen = "K", .needs = {{1, "ASD"}, {2, "MLD"}}})
                     .edit([](Dataset& x) { x.needs.back().type.reset(); })
                     .build();
  const auto s = run_rule(pn001_no_need, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN001 U1"});
  CHECK(s.findings[0].message == "Pupil has SEN provision E but none of its SEN needs has a type of need");
}

TEST_CASE("PN001 edge: needs are not collected in an autumn return, unless configured") {
  const auto d = DatasetBuilder{}.school_return("8881001", "2024-10-03", "AUT").pupil({.sen = "K"}).build();
  CHECK(run_rule(pn001_no_need, d, spring_2025()).findings.empty());
  const PluginConfig all_terms("primary-need",
                               ConfigValue(ConfigValue::Object{{"need_terms", ConfigValue::Array{"AUT", "SPR"}}}));
  CHECK(run_rule(pn001_no_need, d, spring_2025(), all_terms).findings.size() == 1);
}
