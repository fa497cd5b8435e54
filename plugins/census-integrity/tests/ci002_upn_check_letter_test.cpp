// CI002: UPN check letter. Known values from the acceptance checks and DfE guidance.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci002_upn_check_letter;

TEST_CASE("UPN check letter on known valid and invalid UPNs") {
  for (const char* upn : {"B801200005001", "A950000178301", "H243278544154"}) {
    INFO(upn);
    CHECK(upn_valid(upn));
  }
  for (const char* upn : {"R247962919251", "X428558133462"}) {
    INFO(upn);
    CHECK(upn_well_formed(upn));
    CHECK_FALSE(upn_valid(upn));
  }
  // Hand-computed: B801200005001 = 8*2 + 1*4 + 2*5 + 5*10 + 1*13 = 93; 93 mod 23 = 1 -> B.
  CHECK(upn_check_letter("B801200005001") == 'B');
}

TEST_CASE("UPN check letter on temporary UPNs counts the final letter by its index") {
  // A88810011900A: digits 8,8,8,1,0,0,1,1,9,0,0 weights 2..12 plus A (index 0) * 13.
  // 16 + 24 + 32 + 5 + 0 + 0 + 8 + 9 + 90 + 0 + 0 + 0 = 184; 184 mod 23 = 0 -> A.
  CHECK(upn_check_letter("A88810011900A") == 'A');
  // Final letter B (index 1) adds 13: 197 mod 23 = 13 -> P (the 14th letter of the alphabet without I, O, S).
  CHECK(upn_check_letter("A88810011900B") == 'P');
  CHECK(upn_valid("P88810011900B"));
  CHECK_FALSE(upn_valid("A88810011900B"));
}

TEST_CASE("CI002 passes a correct check letter and reports a wrong one with the expected letter") {
  const auto data = DatasetBuilder{}.pupil({.upn = "H243278544154"}).pupil({.upn = "R247962919251"}).build();
  const auto s = run_rule(ci002_upn_check_letter, data);
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI002 R247962919251"});
  CHECK(s.findings[0].dfe_rule == "1510");
  const char expected = *upn_check_letter("R247962919251");
  CHECK(s.findings[0].message == std::string("UPN 'R247962919251' has check letter R but its digits call for ") +
                                     expected + ": a character is probably mistyped");
}

TEST_CASE("CI002 edge: a malformed UPN is left to CI001, not reported twice") {
  CHECK(run_rule(ci002_upn_check_letter, DatasetBuilder{}.pupil({.upn = "R24796291925"}).build()).findings.empty());
  CHECK(run_rule(ci002_upn_check_letter, DatasetBuilder{}.pupil({.upn = ""}).build()).findings.empty());
}
