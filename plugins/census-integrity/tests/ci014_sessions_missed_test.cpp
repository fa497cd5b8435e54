// CI014: sessions missed against sessions possible, module by module.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci014_sessions_missed;

TEST_CASE("CI014 passes absence within the sessions possible") {
  const auto data = DatasetBuilder{}.pupil({.sessions = {140, 10, 4}}).build();
  CHECK(run_rule(ci014_sessions_missed, data, spring_2025()).findings.empty());
}

TEST_CASE("CI014 reports each module that misses more than it could, from its totals or its detail") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A801200005001", .sessions = {100, 90, 20}})
          .pupil({.upn = "B801200005001",
                  .leaving_date = "2024-11-20",
                  .attendance = {{AttendancePeriod::termly, 20, std::nullopt, std::nullopt, {{"I", 15}, {"O", 6}}}}})
          .build();
  const auto s = run_rule(ci014_sessions_missed, data, spring_2025());
  REQUIRE(codes_and_subjects(s) ==
          std::vector<std::string>{"CI014 A801200005001.TermlyAttendance", "CI014 B801200005001.TermlyAttendance"});
  CHECK(s.findings[0].message == "TermlyAttendance: 110 sessions missed of 100 possible");
  CHECK(s.findings[1].message == "TermlyAttendance: 21 sessions missed of 20 possible");
  CHECK(s.findings[0].dfe_rule == "2530");
}

TEST_CASE("CI014 edge: the second summer half-term's finding is DfE rule 2582, an annual module's names none") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001",
                                .attendance = {{AttendancePeriod::summer_half_term_2, 20, 15, 6, {}},
                                               {AttendancePeriod::annual, 300, 250, 60, {}}}})
                        .build();
  const auto s = run_rule(ci014_sessions_missed, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI014 A801200005001.AnnualAttendance",
                                                            "CI014 A801200005001.SummerHalfTerm2Attendance"});
  CHECK(s.findings[0].dfe_rule == "2582");
  CHECK(s.findings[1].dfe_rule.empty());
}

TEST_CASE("CI014 edge: missing every possible session is allowed, a module without possible is not compared") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .sessions = {100, 60, 40}})
                        .pupil({.upn = "B801200005001",
                                .attendance = {{AttendancePeriod::summer_half_term_2, std::nullopt, 5, 0, {}}}})
                        .build();
  CHECK(run_rule(ci014_sessions_missed, data, spring_2025()).findings.empty());
}
