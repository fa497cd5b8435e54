// CI016: sessions on a permanent exclusion.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci016_perm_with_sessions;

TEST_CASE("CI016 passes a permanent exclusion without sessions and suspensions with them") {
  const auto data = DatasetBuilder{}
                        .pupil({.leaving_date = "2024-12-01", .exclusions = {"PERM:2024-11-14", "SUSP:2024-10-01:4"}})
                        .build();
  CHECK(run_rule(ci016_perm_with_sessions, data, spring_2025()).findings.empty());
}

TEST_CASE("CI016 reports a permanent exclusion with sessions, on a leaver or a pupil on roll") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A801200005001", .leaving_date = "2024-12-01", .exclusions = {"PERM:2024-11-14:6"}})
          .pupil({.upn = "B801200005001", .exclusions = {"PERM:2024-11-14:2"}})
          .build();
  const auto s = run_rule(ci016_perm_with_sessions, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI016 A801200005001", "CI016 B801200005001"});
  CHECK(s.findings[1].message ==
        "Permanent exclusion from 2024-11-14 gives 6 sessions"); // leavers after pupils on roll
  CHECK(s.findings[0].dfe_rule == "2330");
}

TEST_CASE("CI016 edge: zero sessions given is still sessions given, and one finding per pupil") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .exclusions = {"PERM:2024-11-14:0", "PERM:2024-11-20:3"}})
                        .build();
  const auto s = run_rule(ci016_perm_with_sessions, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI016 A801200005001"});
  CHECK(s.findings[0].message == "Permanent exclusion from 2024-11-14 gives 0 sessions");
}

TEST_CASE("CI016 edge: the finding is at the exclusion's own line (exclusions.csv), the pupil its subject") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .exclusions = {"SUSP:2024-10-01:2", "PERM:2024-11-14:3"}})
                        .edit([](Dataset& d) {
                          d.exclusions[0].source = {2, 7};
                          d.exclusions[1].source = {2, 8};
                        })
                        .build();
  const auto s = run_rule(ci016_perm_with_sessions, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI016 A801200005001"});
  CHECK(s.findings[0].source.file == 2);
  CHECK(s.findings[0].source.line == 8);
  CHECK(s.findings[0].upn == "A801200005001");
  CHECK(s.findings[0].laestab == "8881001");
}
