// CI004: duplicate UPN within a school's return.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci004_duplicate_upn_in_school;

TEST_CASE("CI004 passes distinct UPNs and the same UPN at two different schools") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "B801200005001"})
                        .pupil({.upn = "A950000178301"})
                        .school_return("8881002")
                        .pupil({.upn = "B801200005001"})
                        .build();
  CHECK(run_rule(ci004_duplicate_upn_in_school, data).findings.empty());
}

TEST_CASE("CI004 reports a UPN repeated in one school once, with the count and lines") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "B801200005001"})
                        .pupil({.upn = "A950000178301"})
                        .pupil({.upn = "B801200005001"})
                        .pupil({.upn = "B801200005001"})
                        .build();
  const auto s = run_rule(ci004_duplicate_upn_in_school, data);
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI004 B801200005001"});
  CHECK(s.findings[0].dfe_rule == "1520");
  CHECK(s.findings[0].laestab == "8881001");
  CHECK(s.findings[0].scope == Scope::school);
  CHECK(s.findings[0].message == "UPN B801200005001 appears 3 times in this school's return (lines 10, 12, 13)");
}

TEST_CASE("CI004 edge: missing UPNs are not duplicates of each other") {
  const auto data = DatasetBuilder{}.pupil({.upn = ""}).pupil({.upn = ""}).build();
  CHECK(run_rule(ci004_duplicate_upn_in_school, data).findings.empty());
}
