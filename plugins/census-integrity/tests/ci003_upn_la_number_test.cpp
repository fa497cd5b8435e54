// CI003: UPN LA number not recognised.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci003_upn_la_number;
using censusqa::census_integrity::is_la_number;

TEST_CASE("LA number list: current, pre-reorganisation, and not regions") {
  CHECK(is_la_number("888"));       // Lancashire
  CHECK(is_la_number("201"));       // City of London
  CHECK(is_la_number("820"));       // Bedfordshire, before 2009
  CHECK(is_la_number("942"));       // Cumberland, from 2023
  CHECK_FALSE(is_la_number("970")); // England, not an LA
  CHECK_FALSE(is_la_number("999"));
  CHECK_FALSE(is_la_number("000"));
}

TEST_CASE("CI003 passes a UPN from a known LA and queries an unknown LA number") {
  const auto data = DatasetBuilder{}.pupil({.upn = "B801200005001"}).pupil({.upn = "X999100119001"}).build();
  const auto s = run_rule(ci003_upn_la_number, data);
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI003 X999100119001"});
  CHECK(s.findings[0].severity == Severity::error); // COLLECT: rule 1530 is an error
  CHECK(s.findings[0].dfe_rule == "1530");
  CHECK(s.findings[0].message == "UPN 'X999100119001' was issued by LA number 999, which is not an English LA number");
}

TEST_CASE("CI003 edge: malformed UPNs are left to CI001, and temporary UPNs are checked too") {
  CHECK(run_rule(ci003_upn_la_number, DatasetBuilder{}.pupil({.upn = "X99910011900"}).build()).findings.empty());
  CHECK(codes_and_subjects(run_rule(ci003_upn_la_number, DatasetBuilder{}.pupil({.upn = "A99910011900A"}).build())) ==
        std::vector<std::string>{"CI003 A99910011900A"});
}
