// The profile section: one per school, persistent absence by SEN status, percentages to one decimal.
#include "../rules/rules.hpp"

#include <censusqa/testing/testkit.hpp>

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

TEST_CASE("each school gets an Attendance section with persistent absence by SEN status") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "A888100100001", .sen = "K", .sessions = {100, 10, 0}})
                        .pupil({.upn = "A888100100002", .sen = "K", .sessions = {100, 0, 0}})
                        .pupil({.upn = "A888100100003", .sen = "K", .sessions = {100, 0, 0}})
                        .pupil({.upn = "A888100100004", .sessions = {100, 0, 0}})
                        .school_return("8881002")
                        .pupil({.upn = "A888100200001"}) // no attendance: an empty percentage
                        .build();
  const auto m = run_metrics(starter::attendance_section, data, spring_2025());
  REQUIRE(m.sections.at("8881001").size() == 1);
  const ProfileSection& s = m.sections.at("8881001")[0];
  CHECK(s.sheet == "Attendance");
  REQUIRE(s.rows.size() == 3);
  CHECK(s.rows[1][0].text == "SEN support");
  CHECK(s.rows[1][1].count == 3);
  CHECK(s.rows[1][2].count == 1);
  CHECK(s.rows[1][3].number == 33.3);
  CHECK(s.rows[0][3].number == 0.0);
  CHECK(m.sections.at("8881002")[0].rows[0][3].kind == ProfileCell::Kind::empty);
  CHECK(m.schools.at("8881001").at("starter.persistent_absentees.sen") == 1);
}
