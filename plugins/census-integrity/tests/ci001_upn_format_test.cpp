// CI001: UPN missing or malformed.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci001_upn_format;

TEST_CASE("CI001 passes well-formed UPNs, permanent and temporary") {
  const auto data = DatasetBuilder{}.pupil({.upn = "B801200005001"}).pupil({.upn = "A950000178301"}).build();
  CHECK(run_rule(ci001_upn_format, data).findings.empty());
  // Temporary UPN: a letter (not I, O, S) at position 13.
  CHECK(run_rule(ci001_upn_format, DatasetBuilder{}.pupil({.upn = "A88810011900A"}).build()).findings.empty());
}

TEST_CASE("CI001 reports a missing UPN and a malformed one with the value") {
  const auto data = DatasetBuilder{}.pupil({.upn = ""}).pupil({.upn = "A88810011900"}).build();
  const auto s = run_rule(ci001_upn_format, data);
  REQUIRE(s.findings.size() == 2);
  CHECK(s.findings[0].rule == "CI001");
  CHECK(s.findings[0].message == "The UPN is missing");
  CHECK(s.findings[0].subject == "(line 10)");
  CHECK(s.findings[0].laestab == "8881001");
  CHECK(s.findings[1].subject == "A88810011900");
  CHECK(s.findings[1].values == std::vector<std::pair<std::string, std::string>>{{"UPN", "A88810011900"}});
}

TEST_CASE("CI001 edge: I, O and S are refused at position 13, and a digit at position 1 is refused") {
  for (const char* upn : {"A88810011900I", "A88810011900O", "A88810011900S", "188810011900A", "A8881001190A1"}) {
    const auto s = run_rule(ci001_upn_format, DatasetBuilder{}.pupil({.upn = upn}).build());
    INFO(upn);
    CHECK(codes_and_subjects(s) == std::vector<std::string>{std::string("CI001 ") + upn});
  }
}

TEST_CASE("CI001 names the DfE rule of the first part of the UPN that is wrong") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "1500"},               // missing
      {"188810011900A", "1510"},  // character 1 not a letter: no check letter
      {"A8X810011900A", "1530"},  // characters 2-4 not digits: no LA number
      {"A88", "1530"},            // cut short within the LA number
      {"A8881001X9001", "1540"},  // characters 5-12 not all digits
      {"A8881001190", "1540"},    // cut short within them
      {"A88810011900", "1550"},   // character 13 missing
      {"A88810011900S", "1550"},  // character 13 not allowed
      {"A8881001190011", "1550"}, // a 14th character
  };
  for (const auto& [upn, dfe] : cases) {
    const auto s = run_rule(ci001_upn_format, DatasetBuilder{}.pupil({.upn = upn}).build());
    INFO(upn);
    REQUIRE(s.findings.size() == 1);
    CHECK(s.findings[0].dfe_rule == dfe);
  }
}

TEST_CASE("CI001 edge: a UPN too long for the loader to keep is malformed, not missing") {
  // The loader keeps no UPN over 64 characters; its raw text (cut to 64) is beside its IN003.
  const std::string cut = "A8881001190011" + std::string(50, '9');
  const auto data = DatasetBuilder{}
                        .pupil({.upn = ""})
                        .edit([&](Dataset& d) { d.set_raw_value(Entity::pupil, 0, Field::upn, cut); })
                        .build();
  const auto s = run_rule(ci001_upn_format, data);
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message ==
        "UPN '" + cut + "' is not a letter, 11 digits and a final digit or letter (not I, O or S)");
  CHECK(s.findings[0].values == std::vector<std::pair<std::string, std::string>>{{"UPN", cut}});
  CHECK(s.findings[0].dfe_rule == "1550");
}
