// PN013: see rules/pn013_need_changed.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn013_need_changed;

TEST_CASE("PN013 is silent when the need is unchanged, or the pupil is new") {
  const auto before = DatasetBuilder{}
                          .school_return("8881001", "2024-01-18")
                          .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}}})
                          .build();
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}, {2, "ASD"}}})
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "MLD"}}})
                     .previous(before)
                     .build();
  CHECK(run_rule(pn013_need_changed, d, spring_2025()).findings.empty());
}

TEST_CASE("PN013 lists a primary need that changed since last spring") {
  const auto before = DatasetBuilder{}
                          .school_return("8881001", "2024-01-18")
                          .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}}})
                          .build();
  const auto s = run_rule(
      pn013_need_changed,
      DatasetBuilder{}.pupil({.upn = "U1", .sen = "E", .needs = {{1, "ASD"}}}).previous(before).build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN013 U1"});
  CHECK(s.findings[0].severity == Severity::info);
  CHECK(s.findings[0].message == "Primary need changed from SLCN in the previous spring census to ASD");
}

TEST_CASE("PN013 edge: a previous autumn return is not a spring census, a move between schools still counts") {
  const auto autumn = DatasetBuilder{}
                          .school_return("8881001", "2024-10-03", "AUT")
                          .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}}})
                          .build();
  CHECK(run_rule(pn013_need_changed,
                 DatasetBuilder{}.pupil({.upn = "U1", .sen = "K", .needs = {{1, "ASD"}}}).previous(autumn).build(),
                 spring_2025())
            .findings.empty());
  const auto elsewhere = DatasetBuilder{}
                             .school_return("8882002", "2024-01-18")
                             .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SLCN"}}})
                             .build();
  CHECK(run_rule(pn013_need_changed,
                 DatasetBuilder{}.pupil({.upn = "U1", .sen = "K", .needs = {{1, "ASD"}}}).previous(elsewhere).build(),
                 spring_2025())
            .findings.size() == 1);
}
