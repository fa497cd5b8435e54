// dfe-census, attendance rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::attendance_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}
constexpr auto termly = AttendancePeriod::termly;
constexpr auto half_term_2 = AttendancePeriod::summer_half_term_2;
using Detail = std::vector<std::pair<std::string, int>>;
AttendanceSpec mod(AttendancePeriod period, Detail detail, std::optional<int> possible = 140) {
  return {period, possible, std::nullopt, std::nullopt, std::move(detail)};
}
// An autumn 2024 return (census day 3 October 2024): the modules' ages are on 31 August 2023.
DatasetBuilder autumn_return() {
  DatasetBuilder b;
  b.school_return("8881001", "2024-10-03", "AUT");
  return b;
}
} // namespace

TEST_CASE("DFE2470 passes attendance for a pupil of 9 and none for a nursery pupil of 3") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sessions = {140, 4, 0}})
                        .pupil({.upn = "B888100119001", .dob = "2021-03-02", .nc_year = "N1"})
                        .build();
  CHECK(run_rule(rule("DFE2470"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2470 reports termly attendance for a pupil of 16, naming the DfE rule") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .dob = "2008-08-31", .sessions = {140, 4, 0}}).build();
  const auto s = run_rule(rule("DFE2470"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2470 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2470");
  CHECK(s.findings[0].message ==
        "TermlyAttendance returned for a pupil aged 16 on 2024-08-31; attendance is collected for ages 4 to 15");
}

TEST_CASE("DFE2470 edge: 4 and 15 on 31 August are collected, 3 is not, a leaver counts, no DOB, no finding") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .dob = "2020-08-31", .sessions = {140, 4, 0}})
          .pupil({.upn = "B888100119001", .dob = "2008-09-01", .sessions = {140, 4, 0}})
          .pupil({.upn = "C888100119001", .dob = "2020-09-01", .leaving_date = "2024-11-01", .sessions = {40, 0, 0}})
          .pupil({.upn = "D888100119001", .dob = "", .sessions = {140, 4, 0}})
          .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2470"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2470 C888100119001"});
}

TEST_CASE("DFE2480 passes reason codes with sessions") {
  const auto data = DatasetBuilder{}.pupil({.attendance = {mod(termly, {{"I", 3}, {"O", 1}})}}).build();
  CHECK(run_rule(rule("DFE2480"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2480 reports a reason code with 0 sessions") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .attendance = {mod(termly, {{"I", 0}})}}).build();
  const auto s = run_rule(rule("DFE2480"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2480 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2480");
  CHECK(s.findings[0].message == "TermlyAttendance: reason code I with 0 sessions missed");
}

TEST_CASE("DFE2480 edge: missing sessions count as none unless unreadable, the second summer half-term is 2573's, "
          "no sessions by reason anywhere is a skip") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .attendance = {mod(termly, {{"I", 2}, {"M", 1}})}})
          .pupil({.upn = "B888100119001", .attendance = {mod(termly, {{"O", 1}}), mod(half_term_2, {{"I", 0}})}})
          .edit([](Dataset& d) {
            d.absence_sessions[0].sessions = Count{}; // A's I: no sessions given
            d.absence_sessions[1].sessions = Count{}; // A's M: unreadable
            d.set_raw_value(Entity::absence_sessions, 1, Field::absence_sessions, "two");
          })
          .build();
  const auto s = run_rule(rule("DFE2480"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2480 A888100119001"});
  CHECK(s.findings[0].message == "TermlyAttendance: reason code I without its sessions missed");
  const auto totals_only = DatasetBuilder{}.pupil({.sessions = {140, 4, 0}}).build();
  const auto t = run_rule(rule("DFE2480"), totals_only, spring_2025());
  CHECK(t.findings.empty());
  CHECK(t.skipped.count("DFE2480") == 1);
}

TEST_CASE("DFE2490 passes sessions that each have a reason code") {
  const auto data = DatasetBuilder{}.pupil({.attendance = {mod(termly, {{"I", 3}})}}).build();
  CHECK(run_rule(rule("DFE2490"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2490 reports sessions missed without a reason code") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .attendance = {mod(termly, {{"I", 3}, {"", 4}})}}).build();
  const auto s = run_rule(rule("DFE2490"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2490 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2490");
  CHECK(s.findings[0].message == "TermlyAttendance: 4 sessions missed without a reason code");
}

TEST_CASE("DFE2490 edge: a code the loader rejected is its finding, a CSV census without session details is skipped") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .attendance = {mod(termly, {{"", 4}})}})
          .edit([](Dataset& d) { d.set_raw_value(Entity::absence_sessions, 0, Field::attendance_reason, "ZZ"); })
          .build();
  CHECK(run_rule(rule("DFE2490"), data, spring_2025()).findings.empty());
  const auto totals_only = DatasetBuilder{}.pupil({.sessions = {140, 4, 3}}).build();
  const auto s = run_rule(rule("DFE2490"), totals_only, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE2490") == "no census return carries sessions by reason code (SessionDetail) in "
                                   "TermlyAttendance modules");
}

TEST_CASE("DFE2491 passes code X for a reception pupil of 4") {
  const auto data =
      DatasetBuilder{}.pupil({.dob = "2020-03-02", .nc_year = "R", .attendance = {mod(termly, {{"X", 20}})}}).build();
  CHECK(run_rule(rule("DFE2491"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2491 reports code X for a pupil on roll aged 3") {
  const auto data =
      DatasetBuilder{}
          .pupil(
              {.upn = "A888100119001", .dob = "2021-03-02", .nc_year = "N1", .attendance = {mod(termly, {{"X", 20}})}})
          .build();
  const auto s = run_rule(rule("DFE2491"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2491 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2491");
  CHECK(s.findings[0].message == "TermlyAttendance: reason code X (not required to attend) for a pupil aged 3 on "
                                 "2024-08-31; X is for ages 4 to 15");
}

TEST_CASE("DFE2491 edge: a leaver is 2492's, age 16 is reported, other codes are not") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001",
                                .dob = "2021-03-02",
                                .leaving_date = "2024-11-01",
                                .attendance = {mod(termly, {{"X", 20}})}})
                        .pupil({.upn = "B888100119001", .dob = "2008-03-02", .attendance = {mod(termly, {{"X", 2}})}})
                        .pupil({.upn = "C888100119001", .dob = "2008-03-02", .attendance = {mod(termly, {{"I", 2}})}})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2491"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2491 B888100119001"});
}

TEST_CASE("DFE2492 passes code X for a leaver of 4") {
  const auto data =
      DatasetBuilder{}
          .pupil({.dob = "2020-03-02", .leaving_date = "2024-11-01", .attendance = {mod(termly, {{"X", 2}})}})
          .build();
  CHECK(run_rule(rule("DFE2492"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2492 reports code X for a leaver aged 3") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001",
                                .dob = "2021-03-02",
                                .leaving_date = "2024-11-01",
                                .attendance = {mod(termly, {{"X", 20}})}})
                        .build();
  const auto s = run_rule(rule("DFE2492"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2492 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2492");
  CHECK(s.findings[0].message == "TermlyAttendance: reason code X (not required to attend) for a pupil aged 3 on "
                                 "2024-08-31; X is for ages 4 to 15");
}

TEST_CASE("DFE2492 edge: a pupil on roll is 2491's, an autumn return's ages are on 31 August of the year before") {
  // Census 3 October 2024: ages on 31 August 2023. Born 2019-09-01: 3 then (4 on 31 August 2024).
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001",
                                .dob = "2019-09-01",
                                .leaving_date = "2024-07-19",
                                .attendance = {mod(termly, {{"X", 20}})}})
                        .pupil({.upn = "B888100119001", .dob = "2021-03-02", .attendance = {mod(termly, {{"X", 20}})}})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2492"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2492 A888100119001"});
}

TEST_CASE("DFE2500 passes a termly module with its sessions possible, zero included") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sessions = {140, 0, 0}})
                        .pupil({.upn = "B888100119001", .sessions = {0, 0, 0}})
                        .build();
  CHECK(run_rule(rule("DFE2500"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2500 reports a pupil on roll whose termly module has no sessions possible") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .sessions = {.authorised = 4}}).build();
  const auto s = run_rule(rule("DFE2500"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2500 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2500");
  CHECK(s.findings[0].message == "TermlyAttendance without its sessions possible");
}

TEST_CASE(
    "DFE2500 edge: an unreadable count is the loader's, a leaver is 2510's, no termly module anywhere is a skip") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .sessions = {.authorised = 4}})
          .edit([](Dataset& d) { d.set_raw_value(Entity::attendance, 0, Field::sessions_possible, "-3"); })
          .pupil({.upn = "B888100119001", .leaving_date = "2024-11-01", .sessions = {.authorised = 4}})
          .build();
  CHECK(run_rule(rule("DFE2500"), data, spring_2025()).findings.empty());
  const auto none = DatasetBuilder{}.pupil({}).build();
  CHECK(run_rule(rule("DFE2500"), none, spring_2025()).skipped.count("DFE2500") == 1);
}

TEST_CASE("DFE2510 passes a leaver with sessions possible") {
  const auto data = DatasetBuilder{}.pupil({.leaving_date = "2024-11-01", .sessions = {40, 2, 0}}).build();
  CHECK(run_rule(rule("DFE2510"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2510 reports a leaver whose termly module has no sessions possible") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .leaving_date = "2024-11-01", .sessions = {.unauthorised = 2}})
                        .build();
  const auto s = run_rule(rule("DFE2510"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2510 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2510");
  CHECK(s.findings[0].message == "TermlyAttendance without its sessions possible");
}

TEST_CASE("DFE2510 edge: a pupil on roll is 2500's, a leaver without any module is not checked") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sessions = {.unauthorised = 2}})
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-11-01"})
                        .build();
  CHECK(run_rule(rule("DFE2510"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2560 passes a school with 30% of its sessions authorised absence") {
  const auto data = DatasetBuilder{}.pupil({.sessions = {100, 30, 5}}).build();
  CHECK(run_rule(rule("DFE2560"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2560 reports a school with more than 30% authorised absence, leavers included") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sessions = {100, 30, 0}})
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-11-01", .sessions = {100, 40, 0}})
                        .build();
  const auto s = run_rule(rule("DFE2560"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2560 8881001"});
  CHECK(s.findings[0].dfe_rule == "2560");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message ==
        "70 of 200 termly sessions possible are authorised absence (35.0%); COLLECT queries more than 30%");
}

TEST_CASE("DFE2560 edge: unauthorised absence and other modules do not count, the detail's categories do") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .sessions = {100, 10, 60}, .attendance = {mod(half_term_2, {{"I", 50}}, 60)}})
          .pupil({.upn = "B888100119001", .attendance = {mod(termly, {{"I", 25}, {"O", 5}}, 100)}})
          .build();
  CHECK(run_rule(rule("DFE2560"), data, spring_2025()).findings.empty());
  const auto more = DatasetBuilder{}.pupil({.attendance = {mod(termly, {{"I", 25}, {"M", 6}}, 100)}}).build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2560"), more, spring_2025())) ==
        std::vector<std::string>{"DFE2560 8881001"});
}

TEST_CASE("DFE2571 passes second summer half-term attendance for a pupil of 9") {
  const auto data = autumn_return().pupil({.attendance = {mod(half_term_2, {{"I", 2}}, 60)}}).build();
  CHECK(run_rule(rule("DFE2571"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2571 reports second summer half-term attendance for a pupil of 16 on 31 August 2023") {
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001", .dob = "2007-08-31", .attendance = {mod(half_term_2, {}, 60)}})
                        .build();
  const auto s = run_rule(rule("DFE2571"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2571 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2571");
  CHECK(s.findings[0].message == "SummerHalfTerm2Attendance returned for a pupil aged 16 on 2023-08-31; attendance is "
                                 "collected for ages 4 to 15");
}

TEST_CASE("DFE2571 edge: 15 on 31 August is collected, the termly module is 2470's, a spring census is a skip") {
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001", .dob = "2007-09-01", .attendance = {mod(half_term_2, {}, 60)}})
                        .pupil({.upn = "B888100119001", .dob = "2007-08-31", .sessions = {140, 0, 0}})
                        .build();
  CHECK(run_rule(rule("DFE2571"), data, spring_2025()).findings.empty());
  const auto spring = DatasetBuilder{}.pupil({.dob = "2007-08-31", .attendance = {mod(half_term_2, {}, 60)}}).build();
  const auto s = run_rule(rule("DFE2571"), spring, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2571") == 1);
}

TEST_CASE("DFE2573 passes second summer half-term codes with sessions") {
  const auto data = autumn_return().pupil({.attendance = {mod(half_term_2, {{"I", 2}}, 60)}}).build();
  CHECK(run_rule(rule("DFE2573"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2573 reports a second summer half-term code with 0 sessions") {
  const auto data =
      autumn_return().pupil({.upn = "A888100119001", .attendance = {mod(half_term_2, {{"M", 0}}, 60)}}).build();
  const auto s = run_rule(rule("DFE2573"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2573 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2573");
  CHECK(s.findings[0].message == "SummerHalfTerm2Attendance: reason code M with 0 sessions missed");
}

TEST_CASE("DFE2573 edge: the termly module's zero is 2480's, a spring census is a skip") {
  const auto data = autumn_return().pupil({.attendance = {mod(termly, {{"M", 0}})}}).build();
  CHECK(run_rule(rule("DFE2573"), data, spring_2025()).findings.empty());
  const auto spring = DatasetBuilder{}.pupil({.attendance = {mod(half_term_2, {{"M", 0}}, 60)}}).build();
  CHECK(run_rule(rule("DFE2573"), spring, spring_2025()).skipped.count("DFE2573") == 1);
}

TEST_CASE("DFE2574 passes second summer half-term sessions with reason codes") {
  const auto data = autumn_return().pupil({.attendance = {mod(half_term_2, {{"I", 2}}, 60)}}).build();
  CHECK(run_rule(rule("DFE2574"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2574 reports second summer half-term sessions without a reason code") {
  const auto data =
      autumn_return().pupil({.upn = "A888100119001", .attendance = {mod(half_term_2, {{"", 3}}, 60)}}).build();
  const auto s = run_rule(rule("DFE2574"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2574 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2574");
  CHECK(s.findings[0].message == "SummerHalfTerm2Attendance: 3 sessions missed without a reason code");
}

TEST_CASE("DFE2574 edge: an autumn return with totals only is a skip, and so is a spring census") {
  const auto totals = autumn_return().pupil({.attendance = {{half_term_2, 60, 3, 0, {}}}}).build();
  const auto s = run_rule(rule("DFE2574"), totals, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2574") == 1);
  const auto spring = DatasetBuilder{}.pupil({.attendance = {mod(half_term_2, {{"", 3}}, 60)}}).build();
  const auto t = run_rule(rule("DFE2574"), spring, spring_2025());
  CHECK(t.findings.empty());
  CHECK(t.skipped.count("DFE2574") == 1);
}

TEST_CASE("DFE2575 passes a second summer half-term module with its sessions possible") {
  const auto data = autumn_return().pupil({.attendance = {mod(half_term_2, {}, 60)}}).build();
  CHECK(run_rule(rule("DFE2575"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2575 reports a pupil on roll whose second summer half-term module has no sessions possible") {
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001", .attendance = {mod(half_term_2, {{"I", 2}}, std::nullopt)}})
                        .build();
  const auto s = run_rule(rule("DFE2575"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2575 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2575");
  CHECK(s.findings[0].message == "SummerHalfTerm2Attendance without its sessions possible");
}

TEST_CASE("DFE2575 edge: a leaver is 2579's, an unreadable count is the loader's") {
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001",
                                .leaving_date = "2024-07-19",
                                .attendance = {mod(half_term_2, {{"I", 2}}, std::nullopt)}})
                        .pupil({.upn = "B888100119001", .attendance = {mod(half_term_2, {{"I", 2}}, std::nullopt)}})
                        .edit([](Dataset& d) { d.set_raw_value(Entity::attendance, 1, Field::sessions_possible, "x"); })
                        .build();
  CHECK(run_rule(rule("DFE2575"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2579 passes a leaver's second summer half-term module with its sessions possible") {
  const auto data =
      autumn_return().pupil({.leaving_date = "2024-07-19", .attendance = {mod(half_term_2, {}, 60)}}).build();
  CHECK(run_rule(rule("DFE2579"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2579 reports a leaver whose second summer half-term module has no sessions possible") {
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001",
                                .leaving_date = "2024-07-19",
                                .attendance = {mod(half_term_2, {{"I", 2}}, std::nullopt)}})
                        .build();
  const auto s = run_rule(rule("DFE2579"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2579 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2579");
  CHECK(s.findings[0].message == "SummerHalfTerm2Attendance without its sessions possible");
}

TEST_CASE("DFE2579 edge: a pupil on roll is 2575's, a spring census is a skip") {
  const auto data = autumn_return()
                        .pupil({.upn = "A888100119001", .attendance = {mod(half_term_2, {{"I", 2}}, std::nullopt)}})
                        .build();
  CHECK(run_rule(rule("DFE2579"), data, spring_2025()).findings.empty());
  CHECK(run_rule(rule("DFE2579"), DatasetBuilder{}.pupil({}).build(), spring_2025()).skipped.count("DFE2579") == 1);
}

namespace {
void nursery(Dataset& d) { d.returns.back().phase_code = "NS"; }
} // namespace

TEST_CASE("DFE5057 passes a nursery school without attendance and a primary school with it") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .edit(nursery)
                        .pupil({.upn = "A888100119001", .dob = "2021-03-02", .nc_year = "N1"})
                        .school_return("8881002")
                        .pupil({.upn = "B888100119001", .sessions = {140, 2, 0}})
                        .build();
  CHECK(run_rule(rule("DFE5057"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE5057 reports a nursery school's termly attendance") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .edit(nursery)
                        .pupil({.upn = "A888100119001", .dob = "2020-03-02", .nc_year = "N2", .sessions = {140, 2, 0}})
                        .build();
  const auto s = run_rule(rule("DFE5057"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5057 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "5057");
  CHECK(s.findings[0].message == "TermlyAttendance returned by a nursery school (phase NS)");
}

TEST_CASE("DFE5057 edge: a nursery school's second summer half-term module is 5080's, a leaver's module counts") {
  const auto data = autumn_return()
                        .edit(nursery)
                        .pupil({.upn = "A888100119001", .attendance = {mod(half_term_2, {}, 60)}})
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-07-19", .sessions = {40, 0, 0}})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE5057"), data, spring_2025())) ==
        std::vector<std::string>{"DFE5057 B888100119001"});
}

TEST_CASE("DFE5080 passes a primary school's second summer half-term module") {
  const auto data = autumn_return().pupil({.attendance = {mod(half_term_2, {}, 60)}}).build();
  CHECK(run_rule(rule("DFE5080"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE5080 reports a nursery school's second summer half-term module") {
  const auto data =
      autumn_return().edit(nursery).pupil({.upn = "A888100119001", .attendance = {mod(half_term_2, {}, 60)}}).build();
  const auto s = run_rule(rule("DFE5080"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5080 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "5080");
  CHECK(s.findings[0].message == "SummerHalfTerm2Attendance returned by a nursery school (phase NS)");
}

TEST_CASE("DFE5080 edge: a nursery school's termly module is 5057's") {
  const auto data = autumn_return().edit(nursery).pupil({.upn = "A888100119001", .sessions = {140, 0, 0}}).build();
  CHECK(run_rule(rule("DFE5080"), data, spring_2025()).findings.empty());
}
