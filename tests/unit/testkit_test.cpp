// The testkit's PupilSpec.sessions: each of the termly module's three counts can be given or left out
// on its own, as a return can leave any of them out.
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

TEST_CASE("testkit: PupilSpec.sessions sets the termly counts given and leaves the others missing") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100100001", .sessions = {100, 5, 4}})
                        .pupil({.upn = "A888100100002", .sessions = {.possible = 100, .unauthorised = 4}})
                        .pupil({.upn = "A888100100003", .sessions = {.authorised = 2}})
                        .pupil({.upn = "A888100100004"})
                        .build();
  const Attendance* all = data.attendance_of(data.pupils[0], AttendancePeriod::termly);
  REQUIRE(all);
  CHECK(all->possible == 100);
  CHECK(all->authorised == 5);
  CHECK(all->unauthorised == 4);

  const Attendance* some = data.attendance_of(data.pupils[1], AttendancePeriod::termly);
  REQUIRE(some);
  CHECK(some->possible == 100);
  CHECK_FALSE(some->authorised_given);
  CHECK_FALSE(some->authorised);
  CHECK(some->unauthorised == 4);

  const Attendance* one = data.attendance_of(data.pupils[2], AttendancePeriod::termly);
  REQUIRE(one);
  CHECK_FALSE(one->possible);
  CHECK(one->authorised == 2);
  CHECK_FALSE(one->unauthorised);

  CHECK(data.attendance_of(data.pupils[3]).empty()); // none given: no termly module
}
