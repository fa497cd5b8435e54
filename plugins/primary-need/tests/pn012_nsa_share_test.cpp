// PN012: see rules/pn012_nsa_share.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn012_nsa_share;

namespace {
Dataset support_pupils(int total, int nsa) {
  DatasetBuilder b;
  b.school_return("8881001");
  for (int i = 0; i < total; ++i)
    b.pupil({.upn = std::to_string(i).insert(0, 1, 'U'), .sen = "K", .needs = {{1, i < nsa ? "NSA" : "SLCN"}}});
  return b.build();
}
} // namespace

TEST_CASE("PN012 passes exactly 10% NSA") {
  CHECK(run_rule(pn012_nsa_share, support_pupils(20, 2), spring_2025()).findings.empty());
}

TEST_CASE("PN012 queries more than 10% NSA") {
  const auto s = run_rule(pn012_nsa_share, support_pupils(20, 3), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN012 8881001"});
  CHECK(s.findings[0].message ==
        "NSA is the primary need of 3 of 20 pupils at SEN support (15.0%), more than the 10.0% expected");
}

TEST_CASE("PN012 edge: fewer than 5 SEN support pupils are not judged, 5 are") {
  CHECK(run_rule(pn012_nsa_share, support_pupils(4, 4), spring_2025()).findings.empty());
  CHECK(run_rule(pn012_nsa_share, support_pupils(5, 1), spring_2025()).findings.size() == 1);
}
