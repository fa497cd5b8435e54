// CI010: no SEN pupils in a school (DfE rule 2200).
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci010_no_sen_pupils;

namespace {
Dataset school(int pupils, int with_sen) {
  DatasetBuilder b;
  b.school_return("8881001");
  for (int i = 0; i < pupils; ++i)
    b.pupil({.sen = i < with_sen ? "K" : "N"});
  return b.build();
}
} // namespace

TEST_CASE("CI010 passes a school with one SEN pupil") {
  CHECK(run_rule(ci010_no_sen_pupils, school(20, 1)).findings.empty());
}

TEST_CASE("CI010 queries a school of 30 with no SEN pupils, naming DfE rule 2200") {
  const auto s = run_rule(ci010_no_sen_pupils, school(30, 0));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI010 8881001"});
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].dfe_rule == "2200");
  CHECK(s.findings[0].message == "The return has 30 pupils and none with SEN support (K) or an EHC plan (E)");
}

TEST_CASE("CI010 edge: no threshold (the DfE states none): a school of 1 is queried, an empty return is not, an "
          "EHC plan counts") {
  CHECK(run_rule(ci010_no_sen_pupils, school(1, 0)).findings.size() == 1);
  CHECK(run_rule(ci010_no_sen_pupils, school(19, 0)).findings.size() == 1);
  CHECK(run_rule(ci010_no_sen_pupils, school(0, 0)).findings.empty());
  DatasetBuilder b;
  b.school_return("8881001");
  for (int i = 0; i < 25; ++i)
    b.pupil({.sen = i == 0 ? "E" : "N"});
  CHECK(run_rule(ci010_no_sen_pupils, b.build()).findings.empty());
}
