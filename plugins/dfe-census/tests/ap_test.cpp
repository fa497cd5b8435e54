// dfe-census, ap rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::ap_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}
// A school-arranged AP placement of the last pupil (or leaver) added.
struct Placement {
  std::string urn{}, ukprn{}, setting_type{}, entry = "2024-09-09", leaving{};
};
auto placement(Placement spec) {
  return [spec](Dataset& d) {
    const bool leaver =
        !d.leavers.empty() && (d.pupils.empty() || d.leavers.back().source.line > d.pupils.back().source.line);
    Pupil& p = leaver ? d.leavers.back() : d.pupils.back();
    SchoolArrangedAp a;
    a.urn = spec.urn;
    a.ukprn = spec.ukprn;
    if (!spec.setting_type.empty()) a.setting_type = *ShortCode::make(spec.setting_type);
    a.entry_date = Date::parse(spec.entry);
    a.leaving_date = Date::parse(spec.leaving);
    a.source = p.source;
    if (p.ap_count == 0) p.first_ap = static_cast<std::uint32_t>(d.school_ap.size());
    d.school_ap.push_back(a);
    ++p.ap_count;
  };
}
} // namespace

TEST_CASE("DFE2364 passes placements naming a URN, a UKPRN or a setting type") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .edit(placement({.urn = "100110"}))
                        .pupil({.upn = "B888100119001"})
                        .edit(placement({.ukprn = "10012345"}))
                        .pupil({.upn = "C888100119001"})
                        .edit(placement({.setting_type = "ONL"}))
                        .build();
  CHECK(run_rule(rule("DFE2364"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2364 reports a placement naming none of them, naming the DfE rule") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001"}).edit(placement({})).build();
  const auto s = run_rule(rule("DFE2364"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2364 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2364");
  CHECK(s.findings[0].message == "School-arranged AP placement from 2024-09-09 gives no URN, UKPRN or AP setting type");
}

TEST_CASE("DFE2364 edge: an unreadable URN is the loader's, a leaver's placement counts, before 2022/23 is a skip") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .edit(placement({}))
                        .edit([](Dataset& d) { d.set_raw_value(Entity::school_ap, 0, Field::ap_urn, "12AB"); })
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-12-13"})
                        .edit(placement({.leaving = "2024-12-13"}))
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2364"), data, spring_2025())) ==
        std::vector<std::string>{"DFE2364 B888100119001"});
  const auto old = DatasetBuilder{}
                       .school_return("8881001", "2022-05-19", "SUM")
                       .pupil({.upn = "A888100119001"})
                       .edit(placement({}))
                       .build();
  const auto s = run_rule(rule("DFE2364"), old, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2364") == 1);
}

TEST_CASE("DFE2372 passes a leaver whose placement ended on the day it left, and a pupil on roll's open one") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .leaving_date = "2024-12-13"})
                        .edit(placement({.urn = "100110", .leaving = "2024-12-13"}))
                        .pupil({.upn = "B888100119001"})
                        .edit(placement({.urn = "100110"}))
                        .build();
  CHECK(run_rule(rule("DFE2372"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2372 reports a leaver's placement without a leaving date and one left after the pupil left") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .leaving_date = "2024-12-13"})
                        .edit(placement({.urn = "100110"}))
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-12-13"})
                        .edit(placement({.urn = "100110", .leaving = "2024-12-16"}))
                        .build();
  const auto s = run_rule(rule("DFE2372"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2372 A888100119001", "DFE2372 B888100119001"});
  CHECK(s.findings[0].dfe_rule == "2372");
  CHECK(s.findings[0].message ==
        "AP placement from 2024-09-09 has no leaving date, though the pupil left the school on 2024-12-13");
  CHECK(s.findings[1].message == "AP placement left on 2024-12-16, after the pupil left the school on 2024-12-13");
}

TEST_CASE("DFE2372 edge: an unreadable placement leaving date is the loader's, before 2022/23 is a skip") {
  const auto data =
      DatasetBuilder{}
          .pupil({.upn = "A888100119001", .leaving_date = "2024-12-13"})
          .edit(placement({.urn = "100110"}))
          .edit([](Dataset& d) { d.set_raw_value(Entity::school_ap, 0, Field::ap_leaving_date, "13/12/24"); })
          .build();
  CHECK(run_rule(rule("DFE2372"), data, spring_2025()).findings.empty());
  const auto old = DatasetBuilder{}
                       .school_return("8881001", "2022-05-19", "SUM")
                       .pupil({.upn = "A888100119001", .leaving_date = "2022-04-01"})
                       .edit(placement({.urn = "100110"}))
                       .build();
  const auto s = run_rule(rule("DFE2372"), old, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2372") == 1);
}

TEST_CASE("DFE2364 and DFE2372 edge: the finding is at the placement's own line, the pupil its subject") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001"})
                        .edit(placement({}))
                        .pupil({.upn = "B888100119001", .leaving_date = "2024-12-01"})
                        .edit(placement({.urn = "100110"}))
                        .edit([](Dataset& d) {
                          d.school_ap[0].source = {4, 3}; // school_arranged_ap.csv rows
                          d.school_ap[1].source = {4, 6};
                        })
                        .build();
  const auto missing = run_rule(rule("DFE2364"), data, spring_2025());
  REQUIRE(codes_and_subjects(missing) == std::vector<std::string>{"DFE2364 A888100119001"});
  CHECK(missing.findings[0].source.file == 4);
  CHECK(missing.findings[0].source.line == 3);
  const auto open = run_rule(rule("DFE2372"), data, spring_2025());
  REQUIRE(codes_and_subjects(open) == std::vector<std::string>{"DFE2372 B888100119001"});
  CHECK(open.findings[0].source.line == 6);
  CHECK(open.findings[0].upn == "B888100119001");
}
