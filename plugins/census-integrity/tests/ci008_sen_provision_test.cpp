// CI008: SEN provision missing or invalid.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci008_sen_provision;

TEST_CASE("CI008 passes N, K and E") {
  const auto data = DatasetBuilder{}.pupil({.sen = "N"}).pupil({.sen = "K"}).pupil({.sen = "E"}).build();
  CHECK(run_rule(ci008_sen_provision, data).findings.empty());
}

TEST_CASE("CI008 reports a missing and an unknown code with the value") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "B801200005001", .sen = ""}).pupil({.upn = "A950000178301", .sen = "S"}).build();
  const auto s = run_rule(ci008_sen_provision, data);
  REQUIRE(s.findings.size() == 2);
  CHECK(s.findings[0].message == "SEN provision is missing");
  CHECK(s.findings[1].message == "SEN provision 'S' is not N, K or E");
  CHECK(s.findings[1].values == std::vector<std::pair<std::string, std::string>>{{"SENprovision", "S"}});
}

TEST_CASE("CI008 edge: the old statement code and lower case") {
  // Loaders upper-case codes; 'e' parses as E. The pre-2014 'S' (statement) is not valid.
  CHECK(run_rule(ci008_sen_provision, DatasetBuilder{}.pupil({.sen = "e"}).build()).findings.empty());
  CHECK(run_rule(ci008_sen_provision, DatasetBuilder{}.pupil({.sen = "A"}).build()).findings.size() == 1);
}
