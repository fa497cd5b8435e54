// CI015: a module's totals against its sessions by reason code.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci015_totals_and_detail;

TEST_CASE("CI015 passes totals that agree with the detail, and either form alone") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A801200005001",
                  .attendance = {{AttendancePeriod::termly, 140, 10, 3, {{"I", 8}, {"M", 2}, {"O", 3}}}}})
          .pupil({.upn = "B801200005001", .sessions = {140, 10, 3}})
          .pupil({.upn = "C801200005001",
                  .attendance = {{AttendancePeriod::termly, 140, std::nullopt, std::nullopt, {{"I", 8}}}}})
          .build();
  CHECK(run_rule(ci015_totals_and_detail, data, spring_2025()).findings.empty());
}

TEST_CASE("CI015 reports totals that differ from the detail, naming both figures") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001",
                                .attendance = {{AttendancePeriod::termly, 140, 9, 3, {{"I", 8}, {"M", 2}, {"O", 3}}}}})
                        .build();
  const auto s = run_rule(ci015_totals_and_detail, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI015 A801200005001.TermlyAttendance"});
  CHECK(s.findings[0].message == "TermlyAttendance: SessionsAuthorised 9 but the authorised sessions by reason add up "
                                 "to 10 (the sessions by reason are counted)");
  CHECK(s.findings[0].dfe_rule == "2505");
}

TEST_CASE("CI015 edge: one total given and agreeing is fine, each module is compared on its own") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001",
                                .attendance = {{AttendancePeriod::termly, 70, std::nullopt, 3, {{"O", 3}}},
                                               {AttendancePeriod::summer_half_term_2, 60, 1, 0, {{"I", 2}}}}})
                        .build();
  const auto s = run_rule(ci015_totals_and_detail, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI015 A801200005001.SummerHalfTerm2Attendance"});
  CHECK(s.findings[0].dfe_rule == "2577");
}

TEST_CASE("CI015 edge: sessions under a reason code not valid that year are said to count in neither") {
  // ZZ is no code in any year: its 4 sessions are IN004 and in neither category.
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A801200005001", .attendance = {{AttendancePeriod::termly, 140, 4, 0, {{"ZZ", 4}}}}})
          .build();
  const auto s = run_rule(ci015_totals_and_detail, data, spring_2025());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].message == "TermlyAttendance: SessionsAuthorised 4 but the authorised sessions by reason add up "
                                 "to 0; 4 sessions have a reason code that is not valid that year (IN004) and count in "
                                 "neither (the sessions by reason are counted)");
}
