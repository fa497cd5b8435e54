// dfe-census, status rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::status_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}
} // namespace

TEST_CASE("DFE1940 passes a full-time pupil of 9 and a part-time nursery pupil of 3") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2015-03-02"})
                        .with_last([](Pupil& p) { p.part_time = false; })
                        .pupil({.upn = "B888100119001", .dob = "2021-03-02", .nc_year = "N1"})
                        .with_last([](Pupil& p) { p.part_time = true; })
                        .build();
  CHECK(run_rule(rule("DFE1940"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1940 reports a part-time pupil of 9, naming the DfE rule") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2015-03-02"})
                        .with_last([](Pupil& p) { p.part_time = true; })
                        .build();
  const auto s = run_rule(rule("DFE1940"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1940 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1940");
  CHECK(s.findings[0].message == "Part-time pupil aged 9 on 31 August");
}

TEST_CASE("DFE1940 edge: 4 on 31 August (a reception pupil) may be part-time, 5 may not, no DOB, no finding") {
  // Census 16 January 2025: ages on 31 August 2024.
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .dob = "2019-09-01", .nc_year = "R"}) // 4 on 31 Aug 2024
                        .with_last([](Pupil& p) { p.part_time = true; })
                        .pupil({.upn = "B888100119001", .dob = "2019-08-31", .nc_year = "1"}) // 5 on 31 Aug 2024
                        .with_last([](Pupil& p) { p.part_time = true; })
                        .pupil({.upn = "C888100119001", .dob = ""})
                        .with_last([](Pupil& p) { p.part_time = true; })
                        .build();
  const auto s = run_rule(rule("DFE1940"), data, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"DFE1940 B888100119001"});
}

namespace {
/// Marks the dataset's returns as read from a CSV census (census/pupils.csv is file 1).
void as_csv(Dataset& d) {
  InputFile f;
  f.path = "census/pupils.csv";
  f.kind = "census-csv";
  d.files.push_back(f);
}
/// n pupils on roll with enrolment status `status` (and UPNs from `first`).
DatasetBuilder& pupils(DatasetBuilder& b, int n, const std::string& status, int first) {
  for (int i = 0; i < n; ++i)
    b.pupil({.upn = "A8881001" + std::to_string(10000 + first + i), .enrol = status});
  return b;
}
} // namespace

// DFE1869

TEST_CASE("DFE1869 passes pupils with a top-up funding indicator") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001"}).with_last([](Pupil& p) { p.top_up_funding = false; }).build();
  CHECK(run_rule(rule("DFE1869"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1869 reports a pupil with an EHC plan without a top-up funding indicator") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .sen = "E"}).pupil({.upn = "B888100119001", .sen = "K"}).build();
  const auto s = run_rule(rule("DFE1869"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1869 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1869");
  CHECK(s.findings[0].message == "The top-up funding indicator (TopUpFunding) is missing");
}

TEST_CASE("DFE1869 edge: an unreadable value is the loader's, a CSV census without the column skips") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "E"})
                        .edit([](Dataset& d) { d.set_raw_value(Entity::pupil, 0, Field::top_up_funding, "maybe"); })
                        .build();
  CHECK(run_rule(rule("DFE1869"), data, spring_2025()).findings.empty());
  const auto csv = DatasetBuilder{}.pupil({.upn = "A888100119001", .sen = "E"}).edit(as_csv).build();
  const auto s = run_rule(rule("DFE1869"), csv, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE1869") ==
        "the CSV census return gives no TopUpFunding for any pupil (its column is absent, or blank on every "
        "row: read as an extract without it)");
}

// DFE1870

TEST_CASE("DFE1870 passes a school with 95% sole registrations") {
  DatasetBuilder b;
  pupils(b, 19, "C", 0);
  pupils(b, 1, "M", 19);
  CHECK(run_rule(rule("DFE1870"), b.build(), spring_2025()).findings.empty());
}

TEST_CASE("DFE1870 reports a school with 90% sole registrations") {
  DatasetBuilder b;
  pupils(b, 18, "C", 0);
  pupils(b, 2, "S", 18);
  const auto s = run_rule(rule("DFE1870"), b.build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1870 8881001"});
  CHECK(s.findings[0].dfe_rule == "1870");
  CHECK(s.findings[0].message ==
        "18 of 20 pupils on roll (90.0%) are sole registrations (C); fewer than 95% is queried");
}

TEST_CASE("DFE1870 edge: pupils without a status are not counted, a PRU is not exempt") {
  DatasetBuilder b;
  pupils(b, 19, "C", 0);
  pupils(b, 1, "M", 19);
  pupils(b, 5, "", 20); // CI011's
  CHECK(run_rule(rule("DFE1870"), b.build(), spring_2025()).findings.empty());
  DatasetBuilder pru;
  pupils(pru, 2, "C", 0);
  pupils(pru, 8, "M", 2);
  pru.edit([](Dataset& d) { d.returns.back().phase_code = "PR"; });
  CHECK(run_rule(rule("DFE1870"), pru.build(), spring_2025()).findings.size() == 1);
}

// DFE1881 and DFE1883

namespace {
DatasetBuilder autumn() { return std::move(DatasetBuilder{}.school_return("8881001", "2024-10-03", "AUT")); }
AttendanceSpec second_half(int possible) {
  return {.period = AttendancePeriod::summer_half_term_2, .possible = possible};
}
} // namespace

TEST_CASE("DFE1881 passes a pupil who joined before the summer term") {
  const auto data =
      autumn().pupil({.upn = "A888100119001", .entry_date = "2020-09-03", .sessions = {60, 2, 0}}).build();
  CHECK(run_rule(rule("DFE1881"), data).findings.empty());
}

TEST_CASE("DFE1881 reports summer first-half sessions possible before a September entry date") {
  const auto data =
      autumn().pupil({.upn = "A888100119001", .entry_date = "2024-09-02", .sessions = {60, 2, 0}}).build();
  const auto s = run_rule(rule("DFE1881"), data);
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1881 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1881");
  CHECK(s.findings[0].message ==
        "60 sessions possible in the first half of the summer term, but the entry date is 2024-09-02");
}

TEST_CASE("DFE1881 edge: an entry on 31 May is within the half, on 1 June after it, no sessions, no finding, "
          "spring skips") {
  const auto data = autumn()
                        .pupil({.upn = "A888100119001", .entry_date = "2024-05-31", .sessions = {60, 2, 0}})
                        .pupil({.upn = "B888100119001", .entry_date = "2024-06-01", .sessions = {60, 2, 0}})
                        .pupil({.upn = "C888100119001", .entry_date = "2024-09-02", .sessions = {.possible = 0}})
                        .pupil({.upn = "D888100119001", .entry_date = "2024-09-02"})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1881"), data)) == std::vector<std::string>{"DFE1881 B888100119001"});
  const auto spring =
      DatasetBuilder{}.pupil({.upn = "A888100119001", .entry_date = "2025-01-06", .sessions = {60, 2, 0}}).build();
  const auto s = run_rule(rule("DFE1881"), spring, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE1881") == "the summer term's attendance is collected only in the autumn census");
}

TEST_CASE("DFE1883 passes a pupil who joined before the summer term") {
  const auto data =
      autumn().pupil({.upn = "A888100119001", .entry_date = "2020-09-03", .attendance = {second_half(40)}}).build();
  CHECK(run_rule(rule("DFE1883"), data).findings.empty());
}

TEST_CASE("DFE1883 reports summer second-half sessions possible before a September entry date") {
  const auto data =
      autumn().pupil({.upn = "A888100119001", .entry_date = "2024-09-02", .attendance = {second_half(40)}}).build();
  const auto s = run_rule(rule("DFE1883"), data);
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1883 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1883");
  CHECK(s.findings[0].message ==
        "40 sessions possible in the second half of the summer term, but the entry date is 2024-09-02");
}

TEST_CASE("DFE1883 edge: 31 July is within the term, 1 August after it, a leaver counts, the termly module is "
          "DFE1881's") {
  const auto data = autumn()
                        .pupil({.upn = "A888100119001", .entry_date = "2024-07-31", .attendance = {second_half(40)}})
                        .pupil({.upn = "B888100119001", .entry_date = "2024-08-01", .attendance = {second_half(40)}})
                        .pupil({.upn = "C888100119001",
                                .entry_date = "2024-09-02",
                                .leaving_date = "2024-09-20",
                                .attendance = {second_half(12)}})
                        .pupil({.upn = "D888100119001", .entry_date = "2024-09-02", .sessions = {60, 2, 0}})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1883"), data)) ==
        std::vector<std::string>{"DFE1883 B888100119001", "DFE1883 C888100119001"});
}

// DFE1885

namespace {
/// `fresh` pupils who joined on `date` and `settled` who joined in 2020.
Dataset entries(int fresh, int settled, const std::string& date) {
  DatasetBuilder b;
  for (int i = 0; i < fresh + settled; ++i)
    b.pupil({.upn = "A8881001" + std::to_string(10000 + i), .entry_date = i < fresh ? date : "2020-09-03"});
  return b.build();
}
} // namespace

TEST_CASE("DFE1885 passes a school where half the pupils joined since the last census") {
  CHECK(run_rule(rule("DFE1885"), entries(2, 2, "2024-11-04"), spring_2025()).findings.empty());
}

TEST_CASE("DFE1885 reports a school where more than half joined since the last census (autumn: 3 October 2024)") {
  const auto s = run_rule(rule("DFE1885"), entries(3, 2, "2024-11-04"), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1885 8881001"});
  CHECK(s.findings[0].dfe_rule == "1885");
  CHECK(s.findings[0].message ==
        "3 of 5 pupils on roll (60.0%) have an entry date after the previous census day 2024-10-03");
}

TEST_CASE("DFE1885 edge: joining on the previous census day is not new, previous/'s own census day wins") {
  CHECK(run_rule(rule("DFE1885"), entries(3, 2, "2024-10-03"), spring_2025()).findings.empty());
  CHECK(run_rule(rule("DFE1885"), entries(3, 2, "2024-10-05"), spring_2025()).findings.size() == 1);
  auto with_previous = entries(3, 2, "2024-10-05");
  with_previous.previous = std::make_shared<const Dataset>(
      DatasetBuilder{}.school_return("8881001", "2024-10-10", "AUT").pupil({.upn = "A888100119001"}).build());
  CHECK(run_rule(rule("DFE1885"), with_previous, spring_2025()).findings.empty());
}

// DFE1930

TEST_CASE("DFE1930 passes pupils with a part-time indicator") {
  const auto data =
      DatasetBuilder{}.pupil({.upn = "A888100119001"}).with_last([](Pupil& p) { p.part_time = false; }).build();
  CHECK(run_rule(rule("DFE1930"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1930 reports a pupil without a part-time indicator") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001"}).build();
  const auto s = run_rule(rule("DFE1930"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1930 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1930");
  CHECK(s.findings[0].message == "The part-time indicator (PartTime) is missing");
}

TEST_CASE("DFE1930 edge: in a CSV census one pupil with the item shows the column is there, unreadable is the "
          "loader's") {
  const auto csv = DatasetBuilder{}
                       .pupil({.upn = "A888100119001"})
                       .with_last([](Pupil& p) { p.part_time = false; })
                       .pupil({.upn = "B888100119001"})
                       .pupil({.upn = "C888100119001"})
                       .edit([](Dataset& d) {
                         as_csv(d);
                         d.set_raw_value(Entity::pupil, 2, Field::part_time, "yes");
                       })
                       .build();
  const auto s = run_rule(rule("DFE1930"), csv, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"DFE1930 B888100119001"});
  CHECK(s.skipped.empty());
}

// DFE1960

namespace {
Dataset part_time(int part, int full) {
  DatasetBuilder b;
  for (int i = 0; i < part + full; ++i)
    b.pupil({.upn = "A8881001" + std::to_string(10000 + i), .dob = "2021-03-02", .nc_year = "N1"})
        .with_last([&](Pupil& p) { p.part_time = i < part; });
  return b.build();
}
} // namespace

TEST_CASE("DFE1960 passes a school with 35% of its pupils part-time") {
  CHECK(run_rule(rule("DFE1960"), part_time(7, 13), spring_2025()).findings.empty());
}

TEST_CASE("DFE1960 reports a school with 40% of its pupils part-time") {
  const auto s = run_rule(rule("DFE1960"), part_time(4, 6), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1960 8881001"});
  CHECK(s.findings[0].dfe_rule == "1960");
  CHECK(s.findings[0].message == "4 of 10 pupils on roll (40.0%) are part-time; more than 35% is queried");
}

TEST_CASE("DFE1960 edge: pupils without the indicator are not counted, a nursery school is not exempt") {
  auto data = part_time(4, 6);
  for (int i = 0; i < 4; ++i) // four full-time pupils lose their indicator: 4 of 6 part-time
    data.pupils[static_cast<std::size_t>(6 + i)].part_time.reset();
  data.returns[0].phase_code = "NS";
  CHECK(run_rule(rule("DFE1960"), data, spring_2025()).findings.size() == 1);
  auto fewer = part_time(1, 9);
  fewer.pupils[9].part_time.reset();
  CHECK(run_rule(rule("DFE1960"), fewer, spring_2025()).findings.empty());
}

// DFE1990

TEST_CASE("DFE1990 passes top-up funding with an EHC plan, and no top-up funding at SEN support") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "E"})
                        .with_last([](Pupil& p) { p.top_up_funding = true; })
                        .pupil({.upn = "B888100119001", .sen = "K"})
                        .with_last([](Pupil& p) { p.top_up_funding = false; })
                        .build();
  CHECK(run_rule(rule("DFE1990"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE1990 reports top-up funding for a pupil at SEN support") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "K"})
                        .with_last([](Pupil& p) { p.top_up_funding = true; })
                        .build();
  const auto s = run_rule(rule("DFE1990"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE1990 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "1990");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "Top-up funding is recorded but SEN provision is K, not E (an EHC plan)");
}

TEST_CASE("DFE1990 edge: provision N is reported, an unreadable or missing provision is not") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "N"})
                        .with_last([](Pupil& p) { p.top_up_funding = true; })
                        .pupil({.upn = "B888100119001", .sen = "S"}) // a retired code: the loader's
                        .with_last([](Pupil& p) { p.top_up_funding = true; })
                        .pupil({.upn = "C888100119001", .sen = ""})
                        .with_last([](Pupil& p) { p.top_up_funding = true; })
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE1990"), data, spring_2025())) ==
        std::vector<std::string>{"DFE1990 A888100119001"});
}
