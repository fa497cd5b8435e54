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

TEST_CASE("CI019 reports a special school's pupil with SEN provision N as an error, naming DfE rule 2180") {
  const auto s = run_rule(ci019_special_school_no_sen, school(Phase::special, {"E", "N", "K"}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI019 U2"});
  CHECK(s.findings[0].severity == Severity::error);
  CHECK(s.findings[0].dfe_rule == "2180");
  CHECK(s.findings[0].message ==
        "On the roll of a special school with SEN provision N: no SEN support and no EHC plan");
}

TEST_CASE("CI019 edge: a mainstream school's pupils without SEN, and a missing provision (CI008's), are not queried") {
  CHECK(run_rule(ci019_special_school_no_sen, school(Phase::primary, {"N", "N", "E"})).findings.empty());
  CHECK(run_rule(ci019_special_school_no_sen, school(Phase::pru, {"N"})).findings.empty());
  CHECK(run_rule(ci019_special_school_no_sen, school(Phase::special, {"E", "K", ""})).findings.empty());
}

TEST_CASE("CI019 edge: the return's phase decides (SP), without the register, over the register's") {
  auto with_phase = [](std::string phase) { return [phase](Dataset& d) { d.returns.back().phase_code = phase; }; };
  const auto sp = DatasetBuilder{}.pupil({.upn = "U1", .sen = "N"}).edit(with_phase("SP")).build();
  CHECK(codes_and_subjects(run_rule(ci019_special_school_no_sen, sp)) == std::vector<std::string>{"CI019 U1"});
  auto b = DatasetBuilder{};
  b.school("8887000", Phase::special).school_return("8887000").pupil({.sen = "N"}).edit(with_phase("PS"));
  CHECK(run_rule(ci019_special_school_no_sen, b.build()).findings.empty());
}

TEST_CASE("CI019 has full metadata: an error about pupils, needing the census (the register is a fallback)") {
  const RuleInfo& i = *ci019_special_school_no_sen.info;
  CHECK(i.code == "CI019");
  CHECK(i.severity == Severity::error);
  CHECK(i.dfe_rule == "2180");
  CHECK(i.dfe_match == DfeMatch::exact);
  CHECK(i.scope == Scope::pupil);
  CHECK(i.why.size() > 40);
  CHECK(i.how_to_fix.size() > 20);
  CHECK(i.needs == needs_census);
}
