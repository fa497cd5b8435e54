// CI005: UPN on roll at several schools without a valid dual registration.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci005_upn_at_several_schools;

namespace {
Dataset two_schools(const char* first, const char* second, const char* third = nullptr) {
  DatasetBuilder b;
  b.school_return("8881001").pupil({.upn = "B801200005001", .enrol = first});
  b.school_return("8881002").pupil({.upn = "B801200005001", .enrol = second});
  if (third) b.school_return("8881003").pupil({.upn = "B801200005001", .enrol = third});
  return b.build();
}
} // namespace

TEST_CASE("CI005 passes one M with one or more S") {
  CHECK(run_rule(ci005_upn_at_several_schools, two_schools("M", "S")).findings.empty());
  CHECK(run_rule(ci005_upn_at_several_schools, two_schools("S", "M", "S")).findings.empty());
}

TEST_CASE("CI005 queries two single registrations, as an LA-scope finding naming both schools") {
  const auto s = run_rule(ci005_upn_at_several_schools, two_schools("C", "C"));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI005 B801200005001"});
  CHECK(s.findings[0].laestab.empty());
  CHECK(s.findings[0].upn == "B801200005001");
  CHECK(s.findings[0].message == "UPN B801200005001 is on roll at 2 schools: 8881001 (C), 8881002 (C); a dual "
                                 "registration needs exactly one M and the rest S");
}

TEST_CASE("CI005 edge: two M, or S without M, or C with S are all queried") {
  for (auto [a, b] : {std::pair{"M", "M"}, std::pair{"S", "S"}, std::pair{"C", "S"}}) {
    INFO(a << " + " << b);
    CHECK(run_rule(ci005_upn_at_several_schools, two_schools(a, b)).findings.size() == 1);
  }
}
