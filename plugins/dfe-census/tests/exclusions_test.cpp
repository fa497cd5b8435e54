// dfe-census, exclusion rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::exclusion_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}

// Every exclusion so far gets reason PP (the testkit gives none).
void with_reasons(Dataset& d) {
  for (Exclusion& e : d.exclusions)
    if (e.reason().empty()) e.reasons[0] = *ShortCode::make("PP");
}
// The last return read from a CSV census file.
void from_csv(Dataset& d) {
  d.files.push_back(InputFile{.path = "census/exclusions.csv", .kind = "census-csv", .sha256 = "", .records = 0});
  d.returns.back().source.file = static_cast<std::uint32_t>(d.files.size() - 1);
}
} // namespace

// DFE2270 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2270 passes exclusions with their category, start date and SEN provision") {
  const auto data = DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:2:N", "LNCH:2024-11-12:1:K"}}).build();
  CHECK(run_rule(rule("DFE2270"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2270 reports an exclusion without its SEN provision, naming the DfE rule") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .exclusions = {"SUSP:2024-11-05:2"}}).build();
  const auto s = run_rule(rule("DFE2270"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2270 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2270");
  CHECK(s.findings[0].message == "SUSP exclusion from 2024-11-05 has no SEN provision");
}

TEST_CASE("DFE2270 edge: values the loader rejected are not missing, a leaver's exclusion, a CSV census without "
          "the SEN provision column") {
  // An unreadable category (FIXD after 1 August 2021: rule 2275) and start date (2290) are the loader's.
  const auto rejected = DatasetBuilder{}
                            .pupil({.upn = "U1", .exclusions = {"SUSP:2024-11-05:2:N"}})
                            .edit([](Dataset& d) {
                              d.exclusions[0].category.reset();
                              d.exclusions[0].start_date.reset();
                              d.set_raw_value(Entity::exclusion, 0, Field::exclusion_category, "FIXD");
                              d.set_raw_value(Entity::exclusion, 0, Field::exclusion_start_date, "2024-13-01");
                            })
                            .build();
  CHECK(run_rule(rule("DFE2270"), rejected, spring_2025()).findings.empty());
  const auto leaver = DatasetBuilder{}
                          .pupil({.upn = "U2", .leaving_date = "2024-12-01", .exclusions = {"PERM:2024-11-04:-:N"}})
                          .edit([](Dataset& d) { d.exclusions[0].start_date.reset(); })
                          .build();
  const auto s = run_rule(rule("DFE2270"), leaver, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2270 U2"});
  CHECK(s.findings[0].message == "PERM exclusion has no start date");
  const auto csv = DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:2"}}).edit(from_csv).build();
  const auto c = run_rule(rule("DFE2270"), csv, spring_2025());
  CHECK(c.findings.empty());
  CHECK(c.skipped.count("DFE2270") == 1);
}

// DFE2280 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2280 passes an exclusion with a reason") {
  const auto data = DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:2:N"}}).edit(with_reasons).build();
  CHECK(run_rule(rule("DFE2280"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2280 reports an exclusion with a category and no reason") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U0", .exclusions = {"SUSP:2024-11-05:2:N"}})
                        .edit(with_reasons)
                        .pupil({.upn = "A888100119001", .exclusions = {"PERM:2024-11-04:-:N"}})
                        .build();
  const auto s = run_rule(rule("DFE2280"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2280 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2280");
  CHECK(s.findings[0].message == "PERM exclusion from 2024-11-04 gives no reason");
}

TEST_CASE("DFE2280 edge: a rejected reason is the loader's, no category is 2270's, a CSV census without the "
          "reason column is skipped") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .exclusions = {"SUSP:2024-11-05:2:N", "SUSP:2024-11-12:1:N"}})
                        .edit([](Dataset& d) {
                          d.set_raw_value(Entity::exclusion, 0, Field::exclusion_reason, "OT");
                          d.exclusions[1].category.reset();
                        })
                        .build();
  CHECK(run_rule(rule("DFE2280"), data, spring_2025()).findings.empty());
  const auto csv = DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:2:N"}}).edit(from_csv).build();
  const auto s = run_rule(rule("DFE2280"), csv, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2280") == 1);
}

// DFE2300 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2300 passes a suspension and a lunchtime exclusion with sessions, a permanent one without") {
  const auto data =
      DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:2", "LNCH:2024-11-12:1", "PERM:2024-12-02"}}).build();
  CHECK(run_rule(rule("DFE2300"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2300 reports a lunchtime exclusion without its sessions") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U0", .exclusions = {"SUSP:2024-11-05:2"}})
                        .pupil({.upn = "A888100119001", .exclusions = {"LNCH:2024-11-12:-"}})
                        .build();
  const auto s = run_rule(rule("DFE2300"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2300 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2300");
  CHECK(s.findings[0].message == "LNCH exclusion from 2024-11-12 does not give its number of sessions");
}

TEST_CASE("DFE2300 edge: unreadable sessions are the loader's, a CSV census without the column is skipped") {
  const auto data =
      DatasetBuilder{}
          .pupil({.exclusions = {"SUSP:2024-11-05:-"}})
          .edit([](Dataset& d) { d.set_raw_value(Entity::exclusion, 0, Field::exclusion_sessions, "2.5"); })
          .build();
  CHECK(run_rule(rule("DFE2300"), data, spring_2025()).findings.empty());
  const auto csv = DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:-"}}).edit(from_csv).build();
  const auto s = run_rule(rule("DFE2300"), csv, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2300") == 1);
  // In XML the same record is reported.
  CHECK(run_rule(rule("DFE2300"), DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:-"}}).build(), spring_2025())
            .findings.size() == 1);
}

// DFE2303 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2303 passes a leaver excluded before it left, and a pupil on roll") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .leaving_date = "2024-11-20", .exclusions = {"SUSP:2024-11-05:2"}})
                        .pupil({.upn = "U2", .exclusions = {"SUSP:2024-12-05:2"}})
                        .build();
  CHECK(run_rule(rule("DFE2303"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2303 reports a leaver whose exclusion starts after it left") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .leaving_date = "2024-11-01", .exclusions = {"SUSP:2024-11-05:2"}})
          .build();
  const auto s = run_rule(rule("DFE2303"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2303 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2303");
  CHECK(s.findings[0].message == "Exclusion starts on 2024-11-05, after the pupil left on 2024-11-01");
}

TEST_CASE("DFE2303 edge: excluded on the day it left passes, the day after fails, no start date is 2270's") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .leaving_date = "2024-11-05", .exclusions = {"PERM:2024-11-05"}})
                        .pupil({.upn = "U2", .leaving_date = "2024-11-04", .exclusions = {"PERM:2024-11-05"}})
                        .pupil({.upn = "U3", .leaving_date = "2024-11-04", .exclusions = {"PERM:2024-11-05"}})
                        .edit([](Dataset& d) { d.exclusions.back().start_date.reset(); })
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2303"), data, spring_2025())) == std::vector<std::string>{"DFE2303 U2"});
}

// DFE2320 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2320 passes an exclusion of 90 sessions") {
  CHECK(run_rule(rule("DFE2320"), DatasetBuilder{}.pupil({.exclusions = {"SUSP:2024-11-05:90"}}).build(), spring_2025())
            .findings.empty());
}

TEST_CASE("DFE2320 queries an exclusion of more than 90 sessions") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .exclusions = {"SUSP:2024-11-05:91"}}).build();
  const auto s = run_rule(rule("DFE2320"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2320 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2320");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "SUSP exclusion from 2024-11-05 gives 91 sessions, more than 90");
}

TEST_CASE("DFE2320 edge: a leaver's exclusion counts, each exclusion is judged alone") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .exclusions = {"SUSP:2024-09-05:60", "SUSP:2024-11-05:60"}})
                        .pupil({.upn = "U2", .leaving_date = "2024-12-01", .exclusions = {"SUSP:2024-09-05:120"}})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2320"), data, spring_2025())) == std::vector<std::string>{"DFE2320 U2"});
}

// DFE2335 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2335 passes a permanently excluded leaver and a suspended pupil on roll") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .leaving_date = "2024-11-20", .exclusions = {"PERM:2024-11-04"}})
                        .pupil({.upn = "U2", .exclusions = {"SUSP:2024-11-05:2"}})
                        .build();
  CHECK(run_rule(rule("DFE2335"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2335 reports a pupil on roll with a permanent exclusion") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .exclusions = {"PERM:2024-11-04"}}).build();
  const auto s = run_rule(rule("DFE2335"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2335 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2335");
  CHECK(s.findings[0].message == "Pupil on roll has a permanent exclusion from 2024-11-04");
}

TEST_CASE("DFE2335 edge: two permanent exclusions are one finding (CI017 counts them), a rejected category is not "
          "PERM") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .exclusions = {"PERM:2024-11-04", "PERM:2024-12-04"}})
                        .pupil({.upn = "U2", .exclusions = {"PERM:2024-11-04"}})
                        .edit([](Dataset& d) {
                          d.exclusions.back().category.reset();
                          d.set_raw_value(Entity::exclusion, 2, Field::exclusion_category, "EXPL");
                        })
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2335"), data, spring_2025())) == std::vector<std::string>{"DFE2335 U1"});
}

// DFE5051 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE5051 passes a nursery school without exclusions and a primary school with one") {
  const auto nursery = DatasetBuilder{}
                           .pupil({.dob = "2021-03-02", .nc_year = "N1"})
                           .edit([](Dataset& d) { d.returns.back().phase_code = "NS"; })
                           .build();
  CHECK(run_rule(rule("DFE5051"), nursery, spring_2025()).findings.empty());
  const auto primary = DatasetBuilder{}
                           .pupil({.exclusions = {"SUSP:2024-11-05:2"}})
                           .edit([](Dataset& d) { d.returns.back().phase_code = "PS"; })
                           .build();
  CHECK(run_rule(rule("DFE5051"), primary, spring_2025()).findings.empty());
}

TEST_CASE("DFE5051 reports a nursery school's exclusion") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .dob = "2021-03-02", .nc_year = "N2", .exclusions = {"LNCH:2024-11-05:1"}})
          .edit([](Dataset& d) { d.returns.back().phase_code = "NS"; })
          .build();
  const auto s = run_rule(rule("DFE5051"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5051 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "5051");
  CHECK(s.findings[0].message == "A nursery school returns 1 exclusion for the pupil");
}

TEST_CASE("DFE5051 edge: a nursery school's leaver is reported too, no nursery school says why") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "U1", .leaving_date = "2024-12-01", .exclusions = {"SUSP:2024-11-05:2", "SUSP:2024-11-20:1"}})
          .edit([](Dataset& d) { d.returns.back().phase_code = "NS"; })
          .build();
  const auto s = run_rule(rule("DFE5051"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5051 U1"});
  CHECK(s.findings[0].message == "A nursery school returns 2 exclusions for the pupil");
  const auto none = run_rule(rule("DFE5051"), DatasetBuilder{}.pupil({}).build(), spring_2025());
  CHECK(none.skipped.at("DFE5051") == "no return is from a nursery school (phase NS)");
}
