// dfe-census, fsm rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::fsm_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}
using Periods = std::vector<std::pair<std::string, std::string>>;
// One pupil on roll with these FSM periods (start, end; "" for none), in a spring 2025 return (16 January).
Dataset with_periods(Periods periods) {
  return DatasetBuilder{}.pupil({.upn = "A888100119001", .fsm_periods = std::move(periods)}).build();
}
void country_of_last_period(Dataset& d, std::string_view country) {
  d.fsm_periods.back().country = *ShortCode::make(country);
}
} // namespace

TEST_CASE("DFE1745 passes an open period and one of two days") {
  const auto data = with_periods({{"2024-09-01", ""}, {"2024-10-10", "2024-10-11"}});
  CHECK(run_rule(rule("DFE1745"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1745 reports a period that starts and ends on the same day, naming the DfE rule") {
  const auto s = run_rule(rule("DFE1745"), with_periods({{"2024-11-04", "2024-11-04"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1745 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1745");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "FSM period starts and ends on the same day, 2024-11-04");
}

TEST_CASE("DFE1745 edge: a period without a start date is not compared, each one-day period is reported") {
  const auto data = with_periods({{"", "2024-11-04"}, {"2024-11-05", "2024-11-05"}, {"2024-12-02", "2024-12-02"}});
  const auto s = run_rule(rule("DFE1745"), data, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"DFE1745 A888100119001", "DFE1745 A888100119001"});
}

namespace {
// A spring 2025 return of `pupils` pupils, the first `with_fsm` of them with an open FSM period.
Dataset school_with_fsm(int pupils, int with_fsm) {
  DatasetBuilder b;
  b.school_return("8881001");
  for (int i = 0; i < pupils; ++i)
    b.pupil({.upn = "A8881001" + std::to_string(10000 + i),
             .fsm_periods = i < with_fsm ? Periods{{"2024-09-01", ""}} : Periods{}});
  return b.build();
}
} // namespace

TEST_CASE("DFE1750 passes a school where a third of the pupils have FSM periods") {
  CHECK(run_rule(rule("DFE1750"), school_with_fsm(3, 1), spring_2025()).findings.empty());
}

TEST_CASE("DFE1750 reports a school where more than 45% of the pupils have FSM periods") {
  const auto s = run_rule(rule("DFE1750"), school_with_fsm(3, 2), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1750 8881001"});
  CHECK(s.findings[0].dfe_rule == "1750");
  CHECK(s.findings[0].scope == Scope::school);
  CHECK(s.findings[0].message == "2 of 3 pupils on roll (66.7%) have an FSM eligibility period; COLLECT queries more "
                                 "than 45%");
}

TEST_CASE("DFE1750 edge: exactly 45% is not queried, 10 of 21 is, a return without pupils is not") {
  CHECK(run_rule(rule("DFE1750"), school_with_fsm(20, 9), spring_2025()).findings.empty());
  CHECK(codes_and_subjects(run_rule(rule("DFE1750"), school_with_fsm(21, 10), spring_2025())) ==
        std::vector<std::string>{"DFE1750 8881001"});
  CHECK(run_rule(rule("DFE1750"), DatasetBuilder{}.school_return("8881001").build(), spring_2025()).findings.empty());
}

TEST_CASE("DFE1760 passes a school with a pupil eligible since the last census") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .pupil({.upn = "B888100119001", .fsm_periods = {{"2024-11-01", ""}}})
                        .build();
  CHECK(run_rule(rule("DFE1760"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1760 reports a school whose only period ended on the previous census day (3 October 2024)") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .pupil({.upn = "B888100119001", .fsm_periods = {{"2023-09-01", "2024-10-03"}}})
                        .build();
  const auto s = run_rule(rule("DFE1760"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1760 8881001"});
  CHECK(s.findings[0].dfe_rule == "1760");
  CHECK(s.findings[0].message ==
        "None of the 2 pupils on roll has an FSM period between 2024-10-03 and census day 2025-01-16");
}

TEST_CASE("DFE1760 edge: a period ending the day after the previous census counts, unless previous/ gives a later "
          "census day, a CSV eligibility flag counts") {
  const auto ended_4_october = [] {
    return DatasetBuilder{}.pupil({.upn = "A888100119001", .fsm_periods = {{"2023-09-01", "2024-10-04"}}});
  };
  CHECK(run_rule(rule("DFE1760"), ended_4_october().build(), spring_2025()).findings.empty());
  const auto with_previous =
      ended_4_october()
          .previous(DatasetBuilder{}.school_return("8881001", "2024-10-10", "AUT").pupil({}).build())
          .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1760"), with_previous, spring_2025())) ==
        std::vector<std::string>{"DFE1760 8881001"});
  const auto flag = DatasetBuilder{}.pupil({.upn = "A888100119001", .fsm = true}).build();
  CHECK(run_rule(rule("DFE1760"), flag, spring_2025()).findings.empty());
}

TEST_CASE("DFE1761 passes periods with start dates") {
  CHECK(run_rule(rule("DFE1761"), with_periods({{"2024-09-01", ""}}), spring_2025()).findings.empty());
}

TEST_CASE("DFE1761 reports a period without a start date") {
  const auto s = run_rule(rule("DFE1761"), with_periods({{"", "2024-12-01"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1761 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1761");
  CHECK(s.findings[0].message == "FSM period without a start date (end date 2024-12-01)");
}

TEST_CASE("DFE1761 edge: a start date the loader could not read is its finding, not this rule's") {
  auto data = DatasetBuilder{}
                  .pupil({.upn = "A888100119001", .fsm_periods = {{"", ""}}})
                  .edit([](Dataset& d) { d.set_raw_value(Entity::fsm_period, 0, Field::fsm_start_date, "2024-13-45"); })
                  .build();
  CHECK(run_rule(rule("DFE1761"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1762 passes a period that starts on census day") {
  CHECK(run_rule(rule("DFE1762"), with_periods({{"2025-01-16", ""}}), spring_2025()).findings.empty());
}

TEST_CASE("DFE1762 reports a period that starts after census day") {
  const auto s = run_rule(rule("DFE1762"), with_periods({{"2025-01-17", ""}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1762 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1762");
  CHECK(s.findings[0].message == "FSM period starts on 2025-01-17, after census day 2025-01-16");
}

TEST_CASE("DFE1762 edge: a return without its census day is skipped, saying why") {
  const auto data =
      DatasetBuilder{}.school_return("8881001", "", "SPR").pupil({.fsm_periods = {{"2025-01-17", ""}}}).build();
  const auto s = run_rule(rule("DFE1762"), data, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE1762") == 1);
}

TEST_CASE("DFE1763 passes periods that ended after the previous census day or end on census day") {
  CHECK(run_rule(rule("DFE1763"), with_periods({{"2024-09-01", "2024-10-04"}, {"2024-11-01", "2025-01-16"}}),
                 spring_2025())
            .findings.empty());
}

TEST_CASE("DFE1763 reports a period that ended on the previous census day and one that ends after census day") {
  const auto s = run_rule(rule("DFE1763"), with_periods({{"2024-09-01", "2024-10-03"}, {"2024-11-01", "2025-01-17"}}),
                          spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1763 A888100119001", "DFE1763 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1763");
  CHECK(s.findings[0].message == "FSM period ended on 2024-10-03, on or before the previous census day 2024-10-03");
  CHECK(s.findings[1].message == "FSM period ends on 2025-01-17, after census day 2025-01-16");
}

TEST_CASE("DFE1763 edge: a summer census's previous is January's third Thursday, an autumn's May's") {
  const auto summer = DatasetBuilder{}
                          .school_return("8881001", "2025-05-15", "SUM")
                          .pupil({.upn = "A888100119001", .fsm_periods = {{"2024-09-01", "2025-01-16"}}})
                          .pupil({.upn = "B888100119001", .fsm_periods = {{"2024-09-01", "2025-01-17"}}})
                          .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1763"), summer, spring_2025())) ==
        std::vector<std::string>{"DFE1763 A888100119001"});
  const auto autumn = DatasetBuilder{}
                          .school_return("8881001", "2024-10-03", "AUT")
                          .pupil({.upn = "A888100119001", .fsm_periods = {{"2023-09-01", "2024-05-16"}}})
                          .pupil({.upn = "B888100119001", .fsm_periods = {{"2023-09-01", "2024-05-17"}}})
                          .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1763"), autumn, spring_2025())) ==
        std::vector<std::string>{"DFE1763 A888100119001"});
}

TEST_CASE("DFE1765 passes a Welsh period that ended before census day and an open English one") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .fsm_periods = {{"2024-09-01", "2024-12-01"}}})
                        .edit([](Dataset& d) { country_of_last_period(d, "WLS"); })
                        .pupil({.upn = "B888100119001", .fsm_periods = {{"2024-12-02", ""}}})
                        .build();
  CHECK(run_rule(rule("DFE1765"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1765 reports an open Scottish period") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .fsm_periods = {{"2024-09-01", ""}}})
                        .edit([](Dataset& d) { country_of_last_period(d, "SCT"); })
                        .build();
  const auto s = run_rule(rule("DFE1765"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1765 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1765");
  CHECK(s.findings[0].message == "FSM period in SCT has no end date");
}

TEST_CASE("DFE1765 edge: ending on census day is not before it, an unreadable end date is the loader's") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .fsm_periods = {{"2024-09-01", "2025-01-16"}}})
                        .edit([](Dataset& d) { country_of_last_period(d, "NIR"); })
                        .pupil({.upn = "B888100119001", .fsm_periods = {{"2024-09-01", ""}}})
                        .edit([](Dataset& d) {
                          country_of_last_period(d, "WLS");
                          d.set_raw_value(Entity::fsm_period, 1, Field::fsm_end_date, "31/12/2024");
                        })
                        .build();
  const auto s = run_rule(rule("DFE1765"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1765 A888100119001"});
  CHECK(s.findings[0].message == "FSM period in NIR ends on 2025-01-16, not before census day 2025-01-16");
}

TEST_CASE("DFE1766 passes a period that ends after it starts") {
  CHECK(run_rule(rule("DFE1766"), with_periods({{"2024-09-01", "2024-12-01"}}), spring_2025()).findings.empty());
}

TEST_CASE("DFE1766 reports a period that ends before it starts") {
  const auto s = run_rule(rule("DFE1766"), with_periods({{"2024-12-01", "2024-11-30"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1766 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1766");
  CHECK(s.findings[0].message == "FSM period ends on 2024-11-30, before its start on 2024-12-01");
}

TEST_CASE("DFE1766 edge: ending on its start day is not before it, without a start nothing is compared") {
  CHECK(run_rule(rule("DFE1766"), with_periods({{"2024-12-01", "2024-12-01"}, {"", "2024-11-30"}}), spring_2025())
            .findings.empty());
}

TEST_CASE("DFE1767 passes an open period") {
  CHECK(run_rule(rule("DFE1767"), with_periods({{"2024-09-01", ""}}), spring_2025()).findings.empty());
}

TEST_CASE("DFE1767 reports a period with an end date, as a query") {
  const auto s = run_rule(rule("DFE1767"), with_periods({{"2024-09-01", "2024-12-01"}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1767 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1767");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "FSM period ends on 2024-12-01; a reason is needed");
}

TEST_CASE("DFE1767 edge: an end date the loader could not read is not queried again") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .fsm_periods = {{"2024-09-01", ""}}})
                        .edit([](Dataset& d) { d.set_raw_value(Entity::fsm_period, 0, Field::fsm_end_date, "soon"); })
                        .build();
  CHECK(run_rule(rule("DFE1767"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1768 passes one open period beside an ended one") {
  CHECK(run_rule(rule("DFE1768"), with_periods({{"2024-09-01", "2024-10-20"}, {"2024-11-01", ""}}), spring_2025())
            .findings.empty());
}

TEST_CASE("DFE1768 reports two open periods once") {
  const auto s = run_rule(rule("DFE1768"), with_periods({{"2024-09-01", ""}, {"2024-11-01", ""}}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1768 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1768");
  CHECK(s.findings[0].message == "2 FSM periods are open (no end date); at most one may be");
}

TEST_CASE("DFE1768 edge: a period whose end date the loader could not read is not counted as open") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .fsm_periods = {{"2024-09-01", ""}, {"2024-11-01", ""}}})
                        .edit([](Dataset& d) { d.set_raw_value(Entity::fsm_period, 0, Field::fsm_end_date, "soon"); })
                        .build();
  CHECK(run_rule(rule("DFE1768"), data, spring_2025()).findings.empty());
}
