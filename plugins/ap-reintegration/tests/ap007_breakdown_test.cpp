// AP007: see rules/ap007_breakdown.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap007_breakdown;

TEST_CASE("AP007 passes a return followed by a new placement after 85 days") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-01-08", "2024-03-01", "same_school")
                     .placement("AP-2", "U1", "2024-05-25")
                     .build(); // 85 days after 2024-03-01
  CHECK(run_rule(ap007_breakdown, d, spring_2025()).findings.empty());
}

TEST_CASE("AP007 queries a new placement exactly sustain_weeks (84 days) after a return") {
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-01-08", "2024-03-01", "other_mainstream")
                     .placement("AP-2", "U1", "2024-05-24")
                     .build();
  const auto s = run_rule(ap007_breakdown, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP007 U1"});
  CHECK(s.findings[0].message ==
        "The return to another mainstream school after placement AP-1 (ended 2024-03-01) broke down: "
        "new placement AP-2 on 2024-05-24, 84 days later");
}

TEST_CASE("AP007 edge: a permanent exclusion in the census counts, a move to special school is no reintegration") {
  const auto excluded = DatasetBuilder{}
                            .pupil({.upn = "U1", .exclusions = {"PERM:2024-12-02"}})
                            .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "same_school")
                            .build();
  const auto s = run_rule(ap007_breakdown, excluded, spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK_THAT(s.findings[0].message, Catch::EndsWith("broke down: permanent exclusion on 2024-12-02, 31 days later"));
  CHECK(run_rule(ap007_breakdown,
                 DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-01-08", "2024-03-01", "special")
                     .placement("AP-2", "U1", "2024-03-10")
                     .build(),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("AP007 edge: a permanent exclusion recorded only in the previous census counts (pupil since off roll)") {
  auto before = DatasetBuilder{}.pupil({.upn = "U1", .exclusions = {"PERM:2024-12-02"}}).build();
  const auto d = DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "same_school")
                     .previous(std::move(before))
                     .build();
  const auto s = run_rule(ap007_breakdown, d, spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK_THAT(s.findings[0].message,
             Catch::EndsWith("broke down: permanent exclusion (previous census) on 2024-12-02, 31 days later"));
  // The same exclusion in both censuses is one breakdown, named from this census.
  auto both_before = DatasetBuilder{}.pupil({.upn = "U1", .exclusions = {"PERM:2024-12-02"}}).build();
  const auto both = DatasetBuilder{}
                        .pupil({.upn = "U1", .exclusions = {"PERM:2024-12-02"}})
                        .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "same_school")
                        .previous(std::move(both_before))
                        .build();
  const auto t = run_rule(ap007_breakdown, both, spring_2025());
  REQUIRE(t.findings.size() == 1);
  CHECK_THAT(t.findings[0].message, Catch::EndsWith("broke down: permanent exclusion on 2024-12-02, 31 days later"));
  // A previous-census suspension is no breakdown.
  auto suspended = DatasetBuilder{}.pupil({.upn = "U1", .exclusions = {"SUSP:2024-12-02"}}).build();
  CHECK(run_rule(ap007_breakdown,
                 DatasetBuilder{}
                     .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "same_school")
                     .previous(std::move(suspended))
                     .build(),
                 spring_2025())
            .findings.empty());
}
