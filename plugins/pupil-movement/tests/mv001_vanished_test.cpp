// MV001: see rules/mv001_vanished.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::pupil_movement::mv001_vanished;

namespace {
Dataset censuses(PupilSpec then, std::vector<PupilSpec> now, std::vector<PupilSpec> elsewhere = {}) {
  DatasetBuilder b;
  b.school("8882001", Phase::primary).school("8882002", Phase::primary).school_return("8882001");
  for (const auto& p : now)
    b.pupil(p);
  b.school_return("8882002");
  for (const auto& p : elsewhere)
    b.pupil(p);
  // The return's HighestNCyear: 6, so that a pupil in Year 4 has not finished the school's last year.
  return b
      .previous(DatasetBuilder{}
                    .school_return("8882001", "2024-01-18")
                    .pupil(then)
                    .edit([](Dataset& d) { d.returns.back().highest_nc_year = NcYear::parse("6"); })
                    .build())
      .build();
}
} // namespace

TEST_CASE("MV001 passes a pupil who stayed, moved to another school of the LA, or left on record") {
  CHECK(run_rule(mv001_vanished, censuses({.upn = "U1"}, {{.upn = "U1"}}), spring_2025()).findings.empty());
  CHECK(run_rule(mv001_vanished, censuses({.upn = "U1"}, {}, {{.upn = "U1"}}), spring_2025()).findings.empty());
  CHECK(run_rule(mv001_vanished, censuses({.upn = "U1"}, {{.upn = "U1", .leaving_date = "2024-07-19"}}), spring_2025())
            .findings.empty());
}

TEST_CASE("MV001 queries a pupil on no roll, in no leavers' list and in no placement") {
  const auto s = run_rule(mv001_vanished, censuses({.upn = "U1"}, {{.upn = "U2"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"MV001 U1"});
  CHECK(s.findings[0].laestab == "8882001");
  CHECK(s.findings[0].upn == "U1");
  CHECK(s.findings[0].message == "On this school's roll at the previous census (2024-01-18) and, at this one "
                                 "(2025-01-16), on no roll of the LA's schools, not in the return's leavers and in "
                                 "no AP placement");
}

TEST_CASE("MV001 edge: a leaving date after census day is no evidence; a child below school age is no query") {
  const auto s =
      run_rule(mv001_vanished, censuses({.upn = "U1"}, {{.upn = "U1", .leaving_date = "2025-02-03"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"MV001 U1"});
  CHECK_THAT(s.findings[0].message,
             Catch::EndsWith("on no roll of the LA's schools, in the return's leavers only with a leaving date after "
                             "census day (2025-02-03), which no census can show (CI013), and in no AP placement"));
  CHECK_THAT(s.findings[0].message, !Catch::Contains("not in the return's leavers"));
  // Born June 2021: 3 on 31 August 2024, in the nursery class then, not of compulsory school age now.
  CHECK(run_rule(mv001_vanished, censuses({.upn = "U1", .dob = "2021-06-01", .nc_year = "N2"}, {}), spring_2025())
            .findings.empty());
  // No previous census: skipped, and says why.
  const auto none = run_rule(mv001_vanished, DatasetBuilder{}.pupil({}).build(), spring_2025());
  CHECK(none.skipped.at("MV001") == "no previous census (previous/)");
}

namespace {
// Marks the return of `laestab` in `d` as read only up to an error (IN001), as the loader does.
void read_in_part(Dataset& d, const std::string& laestab) {
  while (d.files.size() < 2) // the builder's returns name file 1
    d.files.push_back(InputFile{"census/returns.xml", "census-xml", "", 0});
  d.files.push_back(InputFile{"census/" + laestab + ".xml", "census-xml" + std::string(read_in_part_kind), "", 0});
  for (auto& r : d.returns)
    if (r.laestab == laestab) r.source.file = static_cast<std::uint32_t>(d.files.size() - 1);
}
} // namespace

TEST_CASE("MV001 edge: a return read only up to an error is not measured, and the others' queries say so") {
  // The school's own return cut short: its unread pupils would all seem to have gone.
  auto own = censuses({.upn = "U1"}, {{.upn = "U2"}});
  read_in_part(own, "8882001");
  CHECK(run_rule(mv001_vanished, own, spring_2025()).findings.empty());
  // Another school's return cut short: the pupil may be on the part of its roll not read.
  auto other = censuses({.upn = "U1"}, {{.upn = "U2"}}, {{.upn = "U3"}});
  read_in_part(other, "8882002");
  const auto s = run_rule(mv001_vanished, other, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"MV001 U1"});
  CHECK_THAT(s.findings[0].message, Catch::EndsWith("the return of school 8882002 was read only up to an error "
                                                    "(IN001), and the pupil may be on its roll"));
}

TEST_CASE("MV001 edge: a return that lists no pupils on roll is not measured (CI020 queries it once)") {
  CHECK(run_rule(mv001_vanished, censuses({.upn = "U1"}, {}), spring_2025()).findings.empty());
}
