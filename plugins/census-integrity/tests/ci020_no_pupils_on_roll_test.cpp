// CI020: a return with no pupils on roll.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci020_no_pupils_on_roll;

TEST_CASE("CI020 passes a return with one pupil on roll") {
  CHECK(
      run_rule(ci020_no_pupils_on_roll, DatasetBuilder{}.school_return("8881001").pupil({}).build()).findings.empty());
}

TEST_CASE("CI020 queries a return with no pupils on roll, naming its leavers") {
  const auto s = run_rule(ci020_no_pupils_on_roll, DatasetBuilder{}
                                                       .school_return("8881001")
                                                       .pupil({.leaving_date = "2024-12-20"})
                                                       .school_return("8881002")
                                                       .pupil({})
                                                       .build());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI020 8881001"});
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "The return lists no pupils on roll (and 1 leaver)");
  CHECK(s.findings[0].dfe_rule.empty());
}

TEST_CASE("CI020 edge: a school with two returns, one of them empty, is not queried; a return cut short is IN001's") {
  CHECK(run_rule(ci020_no_pupils_on_roll,
                 DatasetBuilder{}.school_return("8881001").school_return("8881001").pupil({}).build())
            .findings.empty());
  auto cut = DatasetBuilder{}.school_return("8881001").build();
  cut.files.push_back(InputFile{"census/8881001.xml", "census-xml", "", 0});
  cut.files.push_back(InputFile{"census/8881001.xml", "census-xml" + std::string(read_in_part_kind), "", 0});
  cut.returns[0].source.file = 2;
  CHECK(run_rule(ci020_no_pupils_on_roll, cut).findings.empty());
  cut.returns[0].source.file = 1;
  CHECK(run_rule(ci020_no_pupils_on_roll, cut).findings.size() == 1);
}
