// The measurement every movement rule and metric shares: see rules/movement.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace censusqa;
using namespace censusqa::testkit;
using namespace censusqa::pupil_movement;

namespace {

constexpr const char* A = "8882001"; // primary
constexpr const char* B = "8882002"; // primary
constexpr const char* PRU = "8881100";
constexpr const char* SPECIAL = "8887000";

DatasetBuilder registered(DatasetBuilder b) {
  return std::move(
      b.school(A, Phase::primary).school(B, Phase::primary).school(PRU, Phase::pru).school(SPECIAL, Phase::special));
}

void top_year_6(Dataset& d) { d.returns.back().highest_nc_year = NcYear::parse("6"); }

// Spring 2024 to spring 2025: every way a pupil of school A can go (see the test below).
Dataset previous_census() {
  return DatasetBuilder{}
      .school_return(A, "2024-01-18")
      .pupil({.upn = "U01"})
      .pupil({.upn = "U02", .sen = "K"})
      .pupil({.upn = "U03"})
      .pupil({.upn = "U04"})
      .pupil({.upn = "U05"})
      .pupil({.upn = "U06", .sen = "E"})
      .pupil({.upn = "U07", .nc_year = "6"}) // the top year: on to secondary school
      .pupil({.upn = "U08", .sen = "E"})
      .pupil({.upn = "U09"})
      .pupil({.upn = "T10"}) // a temporary UPN, replaced since
      .pupil({.upn = ""})    // no UPN: not followed
      .pupil({.upn = "U12", .enrol = "S"})
      .pupil({.upn = "U13"})
      .school_return(B, "2024-01-18")
      .pupil({.upn = "U21"})
      .pupil({.upn = "U22"})
      .edit(top_year_6) // as its header says (HighestNCyear): no pupil of B was in its top year
      .build();
}

Dataset two_censuses() {
  return registered(DatasetBuilder{})
      .school_return(A)
      .pupil({.upn = "U01"})
      .pupil({.upn = "U10", .former_upn = "T10"})
      .pupil({.upn = "J01", .entry_date = "2024-09-04"})
      .pupil({.upn = "U21", .entry_date = "2024-04-15"})
      .pupil({.upn = "U04", .leaving_date = "2024-06-01"})
      .pupil({.upn = "U09", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-13"}})
      .pupil({.upn = "U13", .leaving_date = "2025-02-01"})                             // after census day
      .pupil({.upn = "W01", .entry_date = "2024-03-01", .leaving_date = "2024-09-30"}) // joined and left
      .school_return(B)
      .pupil({.upn = "U02", .sen = "K", .entry_date = "2024-05-01"})
      .pupil({.upn = "U22"})
      .school_return(PRU)
      .pupil({.upn = "U06"})
      .school_return(SPECIAL)
      .pupil({.upn = "U08", .sen = "E"})
      .placement("AP-1", "U05", "2024-10-01", "", "", "preventive", "", "", A)
      .previous(previous_census())
      .build();
}

std::map<std::string, std::string> outcomes(const SchoolMovement& s) {
  std::map<std::string, std::string> out;
  for (const PreviousPupil& x : s.previous_roll)
    out[x.then->upn] =
        std::string(name(x.outcome)) + (x.explained.empty() ? "" : " (" + std::string(x.explained) + ")");
  return out;
}

} // namespace

TEST_CASE("movement: each pupil of the previous roll gets exactly one outcome, the first that applies") {
  const Dataset d = two_censuses();
  const Movement m = measure(d, spring_2025());
  REQUIRE(m.refused.empty());
  const SchoolMovement* a = m.find(A);
  REQUIRE(a);
  CHECK(a->crosses_year_end);
  CHECK(a->previous_day.iso() == "2024-01-18");
  CHECK(outcomes(*a) ==
        std::map<std::string, std::string>{{"U01", "stayed"},
                                           {"U02", "moved_out"},
                                           {"U03", "vanished"},
                                           {"U04", "left_on_record"},
                                           {"U05", "into_ap"},         // an open placement
                                           {"U06", "into_ap"},         // on a PRU's roll
                                           {"U07", "completed_phase"}, // Year 6, the school's top year
                                           {"U08", "moved_out (moved to a special school)"}, // explained
                                           {"U09", "left_on_record (permanent exclusion)"},  // explained
                                           {"T10", "stayed"},     // found through U10's FormerUPN
                                           {"U13", "vanished"}}); // leaving date after census day
  // No UPN, and a subsidiary registration, are not on the previous roll.
  CHECK(a->previous_roll.size() == 11);
  CHECK(m.no_upn_previous == 1);
  CHECK(m.former_upn_links == 1);
  for (const PreviousPupil& x : a->previous_roll)
    if (x.then->upn == "U13") CHECK(x.leaving_after_census->iso() == "2025-02-01");
  // U02, U04, U05, U06 and the two vanished, and W01 who joined and left between the censuses.
  CHECK(a->unexplained_exits() == 7);
  CHECK(a->unexplained_exits(Group::sen_support) == 1); // U02
  CHECK(a->unexplained_exits(Group::ehc_plan) == 1);    // U06 (U08's move to a special school is explained)
  // Joiners: J01 from no LA school, U21 from B; U10 is T10, not a joiner.
  REQUIRE(a->joiners.size() == 2);
  CHECK(a->joiners[0].now->upn == "J01");
  CHECK(a->joiners[0].from.empty());
  CHECK(a->joiners[1].now->upn == "U21");
  CHECK(a->joiners[1].from == B);
  const SchoolMovement* b = m.find(B);
  REQUIRE(b);
  CHECK(outcomes(*b) == std::map<std::string, std::string>{{"U21", "moved_out"}, {"U22", "stayed"}});
  REQUIRE(b->joiners.size() == 1);
  CHECK(b->joiners[0].from == A);
  // A school with a return in only one census is not measured, and says why.
  CHECK(m.not_measured ==
        std::vector<std::pair<std::string, std::string>>{{PRU, "no return in the previous census"},
                                                         {SPECIAL, "no return in the previous census"}});
}

TEST_CASE("movement: the metrics add up, by group, and the LA block states the window") {
  const Dataset d = two_censuses();
  const auto got = run_metrics(movement_metrics, d, spring_2025());
  const auto& a = got.schools.at(A);
  CHECK(a.at("movement.on_roll_previous") == 11);
  CHECK(a.at("movement.stayed") + a.at("movement.completed_phase") + a.at("movement.moved_out") +
            a.at("movement.into_ap") + a.at("movement.left_on_record") + a.at("movement.vanished") ==
        a.at("movement.on_roll_previous"));
  CHECK(a.at("movement.vanished") == 2);
  CHECK(a.at("movement.joined") == 2);
  CHECK(a.at("movement.moved_in") == 1);
  CHECK(a.at("movement.unexplained_exits") == 7);
  CHECK(a.at("movement.on_roll_previous.ehc_plan") == 2);
  CHECK(a.at("movement.into_ap.ehc_plan") == 1);
  CHECK(a.at("movement.on_roll_previous.y10_11") == 0);
  const Value& la = got.la_values.at("movement");
  CHECK(la.find("previous_reference_date")->as_string() == "2024-01-18");
  CHECK(la.find("crosses_year_end")->as_bool());
  CHECK(la.find("schools_measured")->as_int() == 2);
  CHECK(la.find("totals")->find("on_roll_previous")->as_int() == 13);
  CHECK(la.find("by_school")->find(A)->find("vanished_per_100")->as_number() == Approx(18.2)); // 2 of 11
  CHECK(la.find("vanished_pupils")->as_int() == 2);
}

TEST_CASE("movement edge: refused without a whole previous census of the same LA") {
  SECTION("no previous census") {
    const Dataset d = DatasetBuilder{}.school_return(A).pupil({.upn = "U01"}).build();
    CHECK(measure(d, spring_2025()).refused == "no previous census (previous/)");
  }
  SECTION("the history store's needs-only stand-in") {
    Dataset d = two_censuses();
    d.previous_kind = PreviousKind::needs_from_store;
    CHECK_THAT(measure(d, spring_2025()).refused, Catch::Contains("it holds only pupils with a recorded need"));
  }
  SECTION("the history store with no earlier spring census: its permanent exclusions only") {
    Dataset d = two_censuses();
    d.previous_kind = PreviousKind::exclusions_from_store;
    CHECK_THAT(measure(d, spring_2025()).refused,
               Catch::StartsWith("the history store holds no earlier spring census of this LA"));
  }
  SECTION("another LA's census") {
    const Dataset d = DatasetBuilder{}
                          .school_return(A)
                          .pupil({.upn = "U01"})
                          .previous(DatasetBuilder{}.school_return("9992001", "2024-01-18").pupil({}).build())
                          .build();
    CHECK(measure(d, spring_2025()).refused ==
          "previous/ holds the returns of LA 999, this census those of LA 888: they are not one LA's two censuses");
  }
  SECTION("a previous census that is not earlier") {
    const Dataset d = DatasetBuilder{}
                          .school_return(A)
                          .pupil({.upn = "U01"})
                          .previous(DatasetBuilder{}.school_return(A, "2025-01-16").pupil({}).build())
                          .build();
    CHECK_THAT(measure(d, spring_2025()).refused, Catch::Contains("is not before"));
  }
}

TEST_CASE("movement edge: one term apart, the top year has not moved on; a pupil on two rolls goes once") {
  const Dataset d = registered(DatasetBuilder{})
                        .school_return(A, "2025-05-15", "SUM")
                        .school_return(B, "2025-05-15", "SUM")
                        .pupil({.upn = "U07", .nc_year = "6"})
                        .school_return("8882003", "2025-05-15", "SUM")
                        .pupil({.upn = "U07", .nc_year = "6"}) // on two rolls (CI005): the first LAEstab
                        .previous(DatasetBuilder{}
                                      .school_return(A, "2025-01-16")
                                      .pupil({.upn = "U07", .nc_year = "6"})
                                      .pupil({.upn = "U08", .dob = "2020-06-01", .nc_year = "6"})
                                      .build())
                        .build();
  const Movement m = measure(d, spring_2025());
  const SchoolMovement* a = m.find(A);
  REQUIRE(a);
  CHECK_FALSE(a->crosses_year_end);
  CHECK(outcomes(*a) == std::map<std::string, std::string>{{"U07", "moved_out"}, {"U08", "vanished"}});
  CHECK(a->previous_roll[0].now_at == B);
  // U08 is not of compulsory school age: vanished, but no unexplained exit.
  CHECK(a->unexplained_exits() == 1);
}

TEST_CASE("movement edge: a FormerUPN that links nothing (another current pupil's UPN) leaves a joiner a joiner") {
  const Dataset d = registered(DatasetBuilder{})
                        .school_return(A)
                        .pupil({.upn = "U01"})
                        .pupil({.upn = "J01", .former_upn = "U01"}) // U01 is on the roll: no link
                        .pupil({.upn = "J02", .former_upn = "G01"}) // two joiners give G01: no link
                        .pupil({.upn = "J03", .former_upn = "G01"})
                        .previous(DatasetBuilder{}
                                      .school_return(A, "2024-01-18")
                                      .pupil({.upn = "U01"})
                                      .pupil({.upn = "G01"})
                                      .edit(top_year_6)
                                      .build())
                        .build();
  const Movement m = measure(d, spring_2025());
  const SchoolMovement* a = m.find(A);
  REQUIRE(a);
  CHECK(outcomes(*a) == std::map<std::string, std::string>{{"U01", "stayed"}, {"G01", "vanished"}});
  CHECK(a->joiners.size() == 3);
  CHECK(m.former_upn_conflicts == 2);
  CHECK(m.former_upn_links == 0);
}

TEST_CASE("movement edge: the LA is the schools' the returns were read as, and no school in both censuses refuses") {
  // This census's returns are LA 888's; previous/ is LA 889's: refused, though one header in this census
  // carried the mistyped LEA 889 (the register made it 888's school), and though previous/'s establishment
  // numbers are this LA's too (the register reads them as this LA's schools: the headers say otherwise).
  const Dataset other = DatasetBuilder{}
                            .school_return(A)
                            .pupil({.upn = "U01"})
                            .school_return(B)
                            .pupil({.upn = "U02"})
                            .school_return("8882003")
                            .pupil({.upn = "U03"})
                            .edit([](Dataset& x) { x.returns.back().lea = "889"; })
                            .previous(DatasetBuilder{}
                                          .school_return(A, "2024-01-18")
                                          .pupil({.upn = "U01"})
                                          .edit([](Dataset& x) { x.returns.back().lea = "889"; })
                                          .build())
                            .build();
  CHECK(measure(other, spring_2025()).refused ==
        "previous/ holds the returns of LA 889, this census those of LA 888: they are not one LA's two censuses");
  const Dataset apart = DatasetBuilder{}
                            .school_return(A)
                            .pupil({.upn = "U01"})
                            .previous(DatasetBuilder{}.school_return(B, "2024-01-18").pupil({}).build())
                            .build();
  CHECK(measure(apart, spring_2025()).refused ==
        "no school has a return in both censuses (previous/ and this one): 1 school(s) in the previous census, 1 in "
        "this one");
}
