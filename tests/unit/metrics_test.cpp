// metrics.json figures against hand-computed values on a small fixture.
#include "report/comparators.hpp"
#include "report/metrics.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

TEST_CASE("census metrics follow the DfE definitions, checked by hand") {
  // School 8881001: 6 pupils in the return.
  //  1 C  K  primary SEMH (secondary SLCN)  FSM  2 suspensions
  //  2 C  K  primary SLCN                   -    1 permanent exclusion
  //  3 M  E  primary ASD                    FSM
  //  4 S  K  primary SEMH                   FSM  1 suspension   <- subsidiary: not on roll
  //  5 C  N                                 -    1 lunchtime
  //  6 C  E  no need recorded               FSM
  //  8 leaver, permanently excluded while E; absent 6 of 60 sessions  <- counted for exclusions and absence
  //  9 C  N  aged 16 on 31 August 2024: not of compulsory school age, so not in the absence figures
  // 10 C  N  aged 4 on 31 August 2024: likewise
  // School 8881002: 1 pupil, C, N.
  const auto data =
      DatasetBuilder{}
          .school_return("8881001")
          .pupil({.upn = "U1",
                  .sen = "K",
                  .needs = {{1, "SEMH"}, {2, "SLCN"}},
                  .exclusions = {"SUSP", "SUSP"},
                  .fsm = true,
                  .sessions = {100, 6, 4}}) // 10 of 100 missed: persistently absent
          .pupil({.upn = "U2",
                  .sen = "K",
                  .needs = {{1, "SLCN"}},
                  .exclusions = {"PERM"},
                  .sessions = {100, 5, 4}}) // 9 of 100: not
          .pupil({.upn = "U3",
                  .enrol = "M",
                  .sen = "E",
                  .needs = {{1, "ASD"}},
                  .fsm = true,
                  .sessions = {0, 0, 0}}) // nothing possible: not counted
          .pupil({.upn = "U4", .enrol = "S", .sen = "K", .needs = {{1, "SEMH"}}, .exclusions = {"SUSP"}, .fsm = true})
          .pupil({.upn = "U5", .exclusions = {"LNCH"}})
          .pupil({.upn = "U6", .sen = "E", .fsm = true})
          .pupil({.upn = "U8",
                  .leaving_date = "2024-11-20",
                  .exclusions = {"PERM:2024-11-14:-:E"},
                  .sessions = {60, 3, 3}})
          .pupil({.upn = "U9", .dob = "2008-03-02", .sessions = {100, 50, 0}})
          .pupil({.upn = "U10", .dob = "2020-03-02", .sessions = {100, 50, 0}})
          .school_return("8881002")
          .pupil({.upn = "U7"})
          .build();
  const auto m = report::compute_census_metrics(data);
  const auto& s = m.schools.at("8881001");
  CHECK(s.at("pupils_in_return") == 8);
  CHECK(s.at("leavers_in_return") == 1);
  CHECK(s.at("pupils_on_roll") == 7); // C or M
  CHECK(s.at("sen_support") == 2);
  CHECK(s.at("ehc_plan") == 2);
  CHECK(s.at("fsm_eligible") == 3);
  CHECK(s.at("need.SEMH.sen_support") == 1); // the subsidiary registration is not counted
  CHECK(s.at("need.SLCN.sen_support") == 1); // rank 2 needs are not counted
  CHECK(s.at("need.ASD.ehc_plan") == 1);
  CHECK(s.at("need.ASD.sen_support") == 0);
  CHECK(s.at("suspensions") == 3);                   // the school's own records, every pupil on the return
  CHECK(s.at("permanent_exclusions") == 2);          // U2 on roll, U8 a leaver
  CHECK(s.at("permanent_exclusions.ehc_plan") == 1); // U8: by the provision when excluded
  CHECK(s.at("lunchtime_exclusions") == 1);
  CHECK(s.at("no_sen") == 3);                  // U5, U9, U10
  CHECK(s.at("suspensions.sen_support") == 3); // U1 twice and U4 (off roll, but the school's record)
  CHECK(s.at("suspensions.ehc_plan") == 0);
  CHECK(s.at("permanent_exclusions.sen_support") == 1);
  CHECK(s.at("attendance_pupils") == 3); // U1, U2 and the leaver U8
  CHECK(s.at("sessions_possible") == 260);
  CHECK(s.at("sessions_authorised") == 14);
  CHECK(s.at("sessions_unauthorised") == 11);
  CHECK(s.at("sessions_missed") == 25);
  CHECK(s.at("persistent_absentees") == 2); // 10% exactly counts: U1 and U8
  CHECK(s.size() == std::size(report::census_metric_names) + 26);
  CHECK(m.schools.at("8881002").at("pupils_on_roll") == 1);
  CHECK(m.schools.at("8881002").at("need.NSA.sen_support") == 0);
  CHECK(m.la.at("pupils_on_roll").as_int() == 8);
  CHECK(m.la.at("schools").as_int() == 2);
  CHECK(m.la.at("suspensions").as_int() == 3);
}

TEST_CASE("a PRU counts its dual-subsidiary pupils on roll; the LA counts each pupil once, at the main school") {
  // 8881001 primary: U1 M (main registration), K SEMH, FSM. 8881100 PRU: U1 again as S, U2 C.
  // 8881002 primary: U3 S (its second school, not a PRU): on no roll's headcount there.
  const auto data = DatasetBuilder{}
                        .school("8881001", Phase::primary)
                        .school("8881100", Phase::pru)
                        .school("8881002", Phase::primary)
                        .school_return("8881001")
                        .pupil({.upn = "U1", .enrol = "M", .sen = "K", .needs = {{1, "SEMH"}}, .fsm = true})
                        .school_return("8881100")
                        .pupil({.upn = "U1", .enrol = "S", .sen = "K", .needs = {{1, "SEMH"}}, .fsm = true})
                        .pupil({.upn = "U2", .sen = "E", .needs = {{1, "ASD"}}})
                        .school_return("8881002")
                        .pupil({.upn = "U3", .enrol = "S", .sen = "K", .needs = {{1, "MLD"}}})
                        .build();
  const auto m = report::compute_census_metrics(data);
  const auto& pru = m.schools.at("8881100");
  CHECK(pru.at("pupils_on_roll") == 2); // the PRU's own figures keep its S pupil
  CHECK(pru.at("sen_support") == 1);
  CHECK(pru.at("fsm_eligible") == 1);
  CHECK(pru.at("need.SEMH.sen_support") == 1);
  CHECK(pru.at("dual_subsidiary") == 1);
  CHECK(m.schools.at("8881002").at("pupils_on_roll") == 0); // S at a school that is not a PRU
  CHECK(m.schools.at("8881002").at("need.MLD.sen_support") == 0);
  // The LA: U1 once (at 8881001), U2; U3's main school is elsewhere.
  CHECK(m.la.at("pupils_on_roll").as_int() == 2);
  CHECK(m.la.at("sen_support").as_int() == 1);
  CHECK(m.la.at("ehc_plan").as_int() == 1);
  CHECK(m.la.at("fsm_eligible").as_int() == 1);
  CHECK(m.la.at("need.SEMH.sen_support").as_int() == 1);
  CHECK(m.la.at("need.ASD.ehc_plan").as_int() == 1);
  CHECK(m.la.at("no_sen").as_int() == 0);
  CHECK(m.la.at("dual_subsidiary").as_int() == 2); // a count of S records, not of headcount
  CHECK(m.la.at("pupils_in_return").as_int() == 4);
}

TEST_CASE("pupils suspended are counted by their SEN provision at their latest suspension") {
  // U1: N on the return; suspended in October while K (the record's own provision), then in November
  // with no provision on the record (the pupil's, N): the latest is November's, so no_sen.
  // U2: N on the return; suspended once while E: ehc_plan, as suspensions.ehc_plan counts the record.
  // U3: K on the return; two records dated the same day, the second while E: the later record wins.
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "U1", .exclusions = {"SUSP:2024-11-12:1", "SUSP:2024-10-02:1:K"}})
                        .pupil({.upn = "U2", .exclusions = {"SUSP:2024-11-05:2:E"}})
                        .pupil({.upn = "U3", .sen = "K", .exclusions = {"SUSP:2024-11-05:1", "SUSP:2024-11-05:1:E"}})
                        .build();
  const auto m = report::compute_census_metrics(data);
  const auto& s = m.schools.at("8881001");
  CHECK(s.at("pupils_suspended") == 3);
  CHECK(s.at("pupils_suspended.no_sen") == 1);
  CHECK(s.at("pupils_suspended.ehc_plan") == 2);
  CHECK(s.at("pupils_suspended.sen_support") == 0);
  CHECK(s.at("pupils_suspended_2plus") == 2);
  CHECK(s.at("pupils_suspended_2plus.no_sen") == 1);
  CHECK(s.at("pupils_suspended_2plus.ehc_plan") == 1);
  CHECK(s.at("suspensions.sen_support") == 2); // U1's October record and U3's first
  CHECK(s.at("suspensions.ehc_plan") == 2);
  CHECK(s.at("suspensions.no_sen") == 1);
}

TEST_CASE("an autumn census's absence is the whole summer term: both halves, the second not at 15") {
  using P = AttendancePeriod;
  // Autumn 2024: the cohort's age is taken on 31 August 2023.
  //  U1 aged 8: first half 60 (I 6), second half 70 (I 1): 130 possible, 7 missed, not persistent.
  //  U2 aged 8: first half 60 (I 1), second half 70 (O 20): 130, 21 missed, persistent.
  //  U3 aged 8: the second half alone (joined after May half-term): not in the measure.
  //  U4 aged 15 on 31 August 2023 (Year 11): the first half only, 60 (O 6): persistent.
  //  U5 aged 8: the first half has more missed than possible (a CI014 error): not counted.
  const auto data = DatasetBuilder{}
                        .school_return("8881001", "2024-10-03", "AUT")
                        .pupil({.upn = "U1", .attendance = {{P::termly, 60, 6, 0}, {P::summer_half_term_2, 70, 1, 0}}})
                        .pupil({.upn = "U2", .attendance = {{P::termly, 60, 1, 0}, {P::summer_half_term_2, 70, 0, 20}}})
                        .pupil({.upn = "U3", .attendance = {{P::summer_half_term_2, 70, 0, 30}}})
                        .pupil({.upn = "U4",
                                .dob = "2008-03-02",
                                .attendance = {{P::termly, 60, 0, 6}, {P::summer_half_term_2, 70, 0, 0}}})
                        .pupil({.upn = "U5", .attendance = {{P::termly, 10, 20, 0}}})
                        .build();
  const auto m = report::compute_census_metrics(data);
  const auto& s = m.schools.at("8881001");
  CHECK(s.at("attendance_pupils") == 3);
  CHECK(s.at("sessions_possible") == 320);
  CHECK(s.at("sessions_authorised") == 8);
  CHECK(s.at("sessions_unauthorised") == 26);
  CHECK(s.at("persistent_absentees") == 2);

  // A spring census never adds a second half (an autumn census's module only).
  const auto spring =
      DatasetBuilder{}
          .school_return("8881001")
          .pupil({.upn = "U1", .attendance = {{P::termly, 60, 6, 0}, {P::summer_half_term_2, 70, 1, 0}}})
          .build();
  CHECK(report::compute_census_metrics(spring).schools.at("8881001").at("sessions_possible") == 60);
}

TEST_CASE("pupils suspended twice are counted over the terms the return reports, not by every record") {
  // Autumn 2024 reports 1 January to 31 July 2024. U1: 1 March and 20 September (the autumn term, which
  // the spring and summer 2025 censuses report; CI018): suspended once here. U2: twice in the terms, and
  // once undated (counted: nothing says it is outside).
  const auto data = DatasetBuilder{}
                        .school_return("8881001", "2024-10-03", "AUT")
                        .pupil({.upn = "U1", .exclusions = {"SUSP:2024-03-01:1", "SUSP:2024-09-20:1"}})
                        .pupil({.upn = "U2", .exclusions = {"SUSP:2024-02-01:1", "SUSP:2024-07-31:1", "SUSP:x:1"}})
                        .build();
  const auto m = report::compute_census_metrics(data);
  const auto& s = m.schools.at("8881001");
  CHECK(s.at("suspensions") == 5); // the records, as returned
  CHECK(s.at("pupils_suspended") == 2);
  CHECK(s.at("pupils_suspended_2plus") == 1); // U2 alone
  CHECK(s.at("pupils_suspended_2plus.no_sen") == 1);
}

TEST_CASE("every metric name the core writes is the core's (is_core_metric), which no plugin may write") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({.upn = "U1", .sen = "K", .needs = {{1, "SEMH"}}, .exclusions = {"SUSP"}})
                        .school_return("8881002")
                        .pupil({.upn = "U2", .sen = "E", .needs = {{1, "ASD"}}})
                        .build();
  auto m = report::compute_census_metrics(data);
  report::add_comparator_metrics(m, report::compute_comparators(data, m));
  REQUIRE(m.la.count("comparator_groups"));
  for (const auto& [laestab, values] : m.schools)
    for (const auto& [k, v] : values)
      CHECK(report::is_core_metric(k));
  for (const auto& [k, v] : m.la)
    CHECK(report::is_core_metric(k));
  CHECK(report::is_core_metric("findings.error"));
  CHECK(report::is_core_metric("need.SEMH.ehc_plan"));
  CHECK_FALSE(report::is_core_metric("ehcp.requests_12m"));
  CHECK_FALSE(report::is_core_metric("primary_need"));
  CHECK_FALSE(report::is_core_metric("attendance_pupils_extra"));
  // A plugin's prefix overlaps a core name it would cover, and a core prefix covers a plugin's name.
  CHECK(report::core_metric_overlap("need.") == "need.");
  CHECK(report::core_metric_overlap("need.SEMH.x") == "need.");
  CHECK(report::core_metric_overlap("suspensions.") == "suspensions.sen_support");
  CHECK(report::core_metric_overlap("starter.").empty());
  CHECK(report::metric_names_overlap("ap.", "ap.pupils_placed"));
  CHECK(report::metric_names_overlap("ap.x.", "ap."));
  CHECK_FALSE(report::metric_names_overlap("ap", "ap.pupils_placed"));
  CHECK_FALSE(report::metric_names_overlap("ap.", "apx.y"));
}

TEST_CASE("suspensions in the academic year: pupils by number of suspensions, each suspension once, across censuses") {
  // A summer 2025 census (its exclusions: 1 August 2024 to Easter 2025) and the spring's, from the store.
  RunInfo run;
  run.term = Term::SUM;
  run.reference_date = Date::parse("2025-05-15");
  const auto year = report::suspension_year(run);
  REQUIRE(year);
  CHECK(year->from.iso() == "2024-08-01");
  CHECK(year->to.iso() == "2025-07-31");
  std::vector<std::string> ten;
  for (int i = 0; i < 10; ++i)
    ten.push_back("SUSP:2025-0" + std::to_string(1 + i % 3) + "-1" + std::to_string(i) + ":1");
  const Dataset d = DatasetBuilder{}
                        .school_return("8881001", "2025-05-15", "SUM")
                        .pupil({.upn = "U1", .sen = "K", .exclusions = {"SUSP:2024-11-05:2", "SUSP:2025-02-03:1"}})
                        .pupil({.upn = "U2", .exclusions = ten})
                        .pupil({.upn = "U3", .exclusions = {"SUSP:2024-07-10:1"}}) // the year before: not counted
                        .pupil({.upn = "", .exclusions = {"SUSP:2024-11-05:1"}})   // no UPN: counted apart
                        .pupil({.upn = "U5", .sen = "E"})
                        .build();
  report::Metrics m = report::compute_census_metrics(d);
  // The spring census had U1's November suspension too (the same one: counted once) and U5's in October.
  const std::vector<report::SuspensionRecord> earlier{{"8881001", "U1", *Date::parse("2024-11-05"), SenProvision::K},
                                                      {"8881001", "U5", *Date::parse("2024-10-07"), SenProvision::E},
                                                      {"8881001", "U5", *Date::parse("2024-06-07"), SenProvision::E}};
  report::add_suspension_year(m, d, run, earlier, {{Term::SPR, *Date::parse("2025-01-16")}});
  const auto& s = m.schools.at("8881001");
  CHECK(s.at("suspensions_year.suspensions") == 2 + 10 + 1);
  CHECK(s.at("suspensions_year.pupils_1plus") == 3); // U1, U2, U5
  CHECK(s.at("suspensions_year.pupils_2plus") == 2); // U1, U2
  CHECK(s.at("suspensions_year.pupils_10plus") == 1);
  CHECK(s.at("suspensions_year.pupils_1plus.sen_support") == 1);
  CHECK(s.at("suspensions_year.pupils_1plus.ehc_plan") == 1);
  CHECK(s.at("suspensions_year.pupils_10plus.no_sen") == 1);
  const Value& la = m.la.at("suspensions_year");
  CHECK(la.find("academic_year")->as_string() == "2024/25");
  CHECK(la.find("without_upn")->as_int() == 1);
  // Autumn from both censuses, spring from the summer's: the summer term is not reported until the autumn census.
  REQUIRE(la.find("terms_seen")->as_array().size() == 2);
  CHECK_FALSE(la.find("complete")->as_bool());
  CHECK(la.find("censuses")->as_int() == 2);
}
