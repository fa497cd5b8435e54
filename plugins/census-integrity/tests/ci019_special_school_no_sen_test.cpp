// CI019: a pupil at a special school with no SEN recorded.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci019_special_school_no_sen;

namespace {
// One school of `phase` with pupils at the given SEN provisions.
Dataset school(Phase phase, const std::vector<std::string>& sen) {
  DatasetBuilder b;
  b.school("8887000", phase).school_return("8887000");
  int i = 0;
  for (const auto& s : sen) {
    std::string upn = "U"; // appended: '"U" + std::string&&' makes GCC 12 -O3 report -Wrestrict (GCC bug 105329)
    upn += std::to_string(++i);
    b.pupil({.upn = upn, .sen = s});
  }
  return b.build();
}
} // namespace

TEST_CASE("CI019 queries a special school's pupil with SEN provision N") {
  const auto s = run_rule(ci019_special_school_no_sen, school(Phase::special, {"E", "N", "K"}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI019 U2"});
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message ==
        "On the roll of a special school with SEN provision N: no SEN support and no EHC plan");
}

TEST_CASE("CI019 edge: a mainstream school's pupils without SEN, and a missing provision (CI008's), are not queried") {
  CHECK(run_rule(ci019_special_school_no_sen, school(Phase::primary, {"N", "N", "E"})).findings.empty());
  CHECK(run_rule(ci019_special_school_no_sen, school(Phase::pru, {"N"})).findings.empty());
  CHECK(run_rule(ci019_special_school_no_sen, school(Phase::special, {"E", "K", ""})).findings.empty());
}

TEST_CASE("CI019 has full metadata: a query about pupils, needing the census and the register") {
  const RuleInfo& i = *ci019_special_school_no_sen.info;
  CHECK(i.code == "CI019");
  CHECK(i.severity == Severity::query);
  CHECK(i.scope == Scope::pupil);
  CHECK(i.why.size() > 40);
  CHECK(i.how_to_fix.size() > 20);
  CHECK((i.needs & (needs_census | needs_schools)) == (needs_census | needs_schools));
}
