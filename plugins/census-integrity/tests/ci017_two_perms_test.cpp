// CI017: more than one permanent exclusion on one record.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci017_two_perms;

TEST_CASE("CI017 passes one permanent exclusion beside suspensions") {
  const auto data =
      DatasetBuilder{}.pupil({.leaving_date = "2024-12-01", .exclusions = {"SUSP", "PERM:2024-11-14", "SUSP"}}).build();
  CHECK(run_rule(ci017_two_perms, data, spring_2025()).findings.empty());
}

TEST_CASE("CI017 reports two permanent exclusions on one record, with their dates") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001",
                                .leaving_date = "2024-12-01",
                                .exclusions = {"PERM:2024-11-14", "PERM:2024-11-28"}})
                        .build();
  const auto s = run_rule(ci017_two_perms, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI017 A801200005001"});
  CHECK(s.findings[0].message == "2 permanent exclusions on one record (from 2024-11-14, 2024-11-28)");
  CHECK(s.findings[0].dfe_rule == "2285");
}

TEST_CASE("CI017 edge: the same UPN permanently excluded by two schools is one each, not a duplicate") {
  const auto data =
      DatasetBuilder{}
          .school_return("8881001")
          .pupil({.upn = "A801200005001", .leaving_date = "2024-10-01", .exclusions = {"PERM:2024-09-20"}})
          .school_return("8881002")
          .pupil({.upn = "A801200005001", .leaving_date = "2024-12-01", .exclusions = {"PERM:2024-11-28"}})
          .build();
  CHECK(run_rule(ci017_two_perms, data, spring_2025()).findings.empty());
}

TEST_CASE("CI017 edge: the finding is at the second permanent exclusion's own line") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .exclusions = {"PERM:2024-11-14", "PERM:2024-11-20"}})
                        .edit([](Dataset& d) {
                          d.exclusions[0].source = {2, 3};
                          d.exclusions[1].source = {2, 4};
                        })
                        .build();
  const auto s = run_rule(ci017_two_perms, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI017 A801200005001"});
  CHECK(s.findings[0].source.file == 2);
  CHECK(s.findings[0].source.line == 4);
  CHECK(s.findings[0].upn == "A801200005001");
}
