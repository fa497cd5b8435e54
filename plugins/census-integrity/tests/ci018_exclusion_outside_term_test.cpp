// CI018: exclusions dated outside the term the return reports.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci018_exclusion_outside_term;

TEST_CASE("CI018 passes exclusions inside each census's two terms") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001") // spring 2025: Easter Monday (1 April 2024) to 31 December 2024
                        .pupil({.upn = "A801200005001",
                                .exclusions = {"SUSP:2024-04-01:1", "SUSP:2024-07-31:1", "SUSP:2024-12-31:1"}})
                        .school_return("8881002", "2025-05-15", "SUM") // 1 August 2024 to Easter Sunday (20 April)
                        .pupil({.upn = "B801200005001", .exclusions = {"SUSP:2024-08-01:1", "SUSP:2025-04-20:1"}})
                        .school_return("8881003", "2024-10-03", "AUT") // 1 January to 31 July 2024
                        .pupil({.upn = "C801200005001", .exclusions = {"SUSP:2024-01-01:1", "SUSP:2024-07-31:1"}})
                        .build();
  CHECK(run_rule(ci018_exclusion_outside_term, data, spring_2025()).findings.empty());
}

TEST_CASE("CI018 reports exclusions before and after the two terms, each by its date") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "A801200005001",
                                .leaving_date = "2025-01-10",
                                .exclusions = {"SUSP:2024-03-28:1", "PERM:2025-01-06"}})
                        .build();
  const auto s = run_rule(ci018_exclusion_outside_term, data, spring_2025());
  REQUIRE(codes_and_subjects(s) ==
          std::vector<std::string>{"CI018 A801200005001.2024-03-28", "CI018 A801200005001.2025-01-06"});
  CHECK(s.findings[0].message ==
        "Exclusion from 2024-03-28 is outside the period this return reports (2024-04-01 to 2024-12-31)");
}

TEST_CASE("CI018 edge: Easter's days end and start the terms, a census before autumn 2019 has one term, a PRU's "
          "annual exclusions are the year's, from 1 August") {
  const auto data = DatasetBuilder{}
                        .school_return("8881002", "2025-05-15", "SUM")
                        .pupil({.upn = "B801200005001", .exclusions = {"SUSP:2025-04-21:1"}}) // Easter Monday
                        .school_return("8881001", "2025-01-16", "SPR")
                        .pupil({.upn = "A801200005001", .exclusions = {"SUSP:2024-03-31:1"}}) // Easter Sunday
                        .build();
  const auto s = run_rule(ci018_exclusion_outside_term, data, spring_2025());
  CHECK(codes_and_subjects(s) ==
        std::vector<std::string>{"CI018 A801200005001.2024-03-31", "CI018 B801200005001.2025-04-21"});
  // Spring 2019 reported only the summer term two in arrears (Easter Monday, 2 April, to 31 July 2018).
  const auto old = DatasetBuilder{}
                       .school_return("8881001", "2019-01-17", "SPR")
                       .pupil({.upn = "A801200005001", .exclusions = {"SUSP:2018-04-02:1", "SUSP:2018-08-01:1"}})
                       .build();
  CHECK(codes_and_subjects(run_rule(ci018_exclusion_outside_term, old, spring_2025())) ==
        std::vector<std::string>{"CI018 A801200005001.2018-08-01"});
  auto pru = DatasetBuilder{}
                 .school_return("8881100", "2024-10-03", "AUT")
                 .pupil({.upn = "D801200005001",
                         .exclusions = {"SUSP:2023-10-10:2", "SUSP:2023-08-01:2", "SUSP:2024-07-31:1",
                                        "SUSP:2024-08-20:2", "SUSP:2023-07-31:1"}})
                 .build();
  for (auto& e : pru.exclusions)
    e.annual = true; // AnnualExclusion: 1 August 2023 to 31 July 2024 (the autumn term begins on 1 August)
  CHECK(codes_and_subjects(run_rule(ci018_exclusion_outside_term, pru, spring_2025())) ==
        std::vector<std::string>{"CI018 D801200005001.2023-07-31", "CI018 D801200005001.2024-08-20"});
}
