// CI008: SEN provision missing (DfE rule 2120).
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

TEST_CASE("CI008 reports a missing provision, naming DfE rule 2120") {
  const auto data = DatasetBuilder{}.pupil({.upn = "B801200005001", .sen = ""}).pupil({.upn = "A950000178301"}).build();
  const auto s = run_rule(ci008_sen_provision, data);
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI008 B801200005001"});
  CHECK(s.findings[0].message == "SEN provision is missing");
  CHECK(s.findings[0].dfe_rule == "2120");
  CHECK(s.findings[0].values == std::vector<std::pair<std::string, std::string>>{{"SENprovision", ""}});
}

TEST_CASE("CI008 edge: lower case is read, a code the loader rejected (the retired S and A) is its finding, not "
          "reported again") {
  // Loaders upper-case codes; 'e' parses as E. 'S' (statement) and 'A' (School Action) are the loader's IN004,
  // which carries DfE rule 2115 or 2120.
  CHECK(run_rule(ci008_sen_provision, DatasetBuilder{}.pupil({.sen = "e"}).build()).findings.empty());
  CHECK(run_rule(ci008_sen_provision, DatasetBuilder{}.pupil({.sen = "S"}).build()).findings.empty());
  CHECK(run_rule(ci008_sen_provision, DatasetBuilder{}.pupil({.sen = "A"}).build()).findings.empty());
}
