// PN003: see rules/pn003_need_code.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn003_need_code;

TEST_CASE("PN003 passes the DfE codes in any case") {
  CHECK(run_rule(pn003_need_code, DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "slcn"}}}).build(), spring_2025())
            .findings.empty());
}

TEST_CASE("PN003 reports a code outside the list, quoting it") {
  const auto s =
      run_rule(pn003_need_code, DatasetBuilder{}.pupil({.upn = "U1", .sen = "K", .needs = {{1, "AUTISM"}}}).build(),
               spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN003 U1"});
  CHECK(s.findings[0].message == "Type of need not in the DfE code list: 'AUTISM'");
}

TEST_CASE("PN003 edge: the pre-2015 BESD code is no longer valid") {
  CHECK(run_rule(pn003_need_code, DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "BESD"}}}).build(), spring_2025())
            .findings.size() == 1);
}

TEST_CASE("PN003 edge: a ranked need with no type is DFE2130's, one with neither rank nor type is PN003's") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "ASD"}}})
                     .edit([](Dataset& x) { x.needs.back().type.reset(); })
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "ASD"}}})
                     .edit([](Dataset& x) {
                       x.needs.back().type.reset();
                       x.needs.back().rank.reset();
                     })
                     .build();
  const auto s = run_rule(pn003_need_code, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN003 U2"});
  CHECK(s.findings[0].message == "Type of need not in the DfE code list: a need with no type");
}
