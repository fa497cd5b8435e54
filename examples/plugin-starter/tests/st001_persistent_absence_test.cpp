// ST001: the pupil who passes, the pupil who fails, and the edges (exactly 10%, no sessions, off roll).
#include "../rules/rules.hpp"

#include <censusqa/testing/testkit.hpp>

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

TEST_CASE("ST001 reports pupils on roll who missed 10% or more of possible sessions") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "A888100100001", .sessions = {100, 5, 4}})                // 9%: passes
                        .pupil({.upn = "A888100100002", .sessions = {100, 6, 4}})                // exactly 10%: fails
                        .pupil({.upn = "A888100100003", .sessions = {140, 20, 10}})              // 21%: fails
                        .pupil({.upn = "A888100100004", .sessions = {0, 0, 0}})                  // nothing possible
                        .pupil({.upn = "A888100100005", .enrol = "S", .sessions = {100, 50, 0}}) // off roll
                        .pupil({.upn = "A888100100006"}) // no attendance recorded
                        .build();
  const auto sink = run_rule(starter::st001_persistent_absence, data, spring_2025());
  REQUIRE(sink.findings.size() == 2);
  CHECK(sink.findings[0].upn == "A888100100002");
  CHECK(sink.findings[0].message == "Missed 10 of 100 possible sessions this term");
  CHECK(sink.findings[0].values == std::vector<std::pair<std::string, std::string>>{{"SessionsPossible", "100"},
                                                                                    {"SessionsMissed", "10"},
                                                                                    {"AbsenceRate", "10.0%"}});
  CHECK(sink.findings[1].values.back() == std::pair<std::string, std::string>{"AbsenceRate", "21.4%"});
  CHECK(sink.findings[1].upn == "A888100100003");
  CHECK(sink.findings[1].severity == Severity::info);
  CHECK(sink.findings[1].laestab == "8881001");
}
