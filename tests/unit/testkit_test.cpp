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

TEST_CASE("sdk: RuleContext::report_pupil names the pupil, at its own record or at the record given") {
  auto data = DatasetBuilder{}.pupil({.upn = "A888100100001"}).pupil({.upn = ""}).build();
  data.pupils[0].source = SourceRef{1, 40};
  data.pupils[1].source = SourceRef{1, 90};
  const RunInfo run{};
  const PluginConfig config{};
  CollectSink sink;
  static constexpr RuleInfo rule{.code = "ZZ001", .severity = Severity::query, .title = "a test rule"};
  RuleContext ctx{data, run, config, sink, rule};

  ctx.report_pupil(data.pupils[0], "at the pupil");
  ctx.report_pupil(data.pupils[0], SourceRef{1, 57}, "at an exclusion", {{"Category", "PERM"}});
  ctx.report_pupil(data.pupils[1], SourceRef{1, 95}, "no UPN");

  REQUIRE(sink.findings.size() == 3);
  const std::string school = data.return_of(data.pupils[0]).laestab;
  CHECK(sink.findings[0].source.line == 40);
  CHECK(sink.findings[0].subject == "A888100100001");
  CHECK(sink.findings[1].source.line == 57); // the record given, not the pupil's
  CHECK(sink.findings[1].subject == "A888100100001");
  CHECK(sink.findings[1].upn == "A888100100001");
  CHECK(sink.findings[1].laestab == school);
  CHECK(sink.findings[1].rule == "ZZ001");
  CHECK(sink.findings[1].severity == Severity::query);
  CHECK(sink.findings[1].values.size() == 1);
  CHECK(sink.findings[2].source.line == 95);
  CHECK(sink.findings[2].subject == "(line 90)"); // a pupil without a UPN is named by its own line
  CHECK(sink.findings[2].upn.empty());
}
