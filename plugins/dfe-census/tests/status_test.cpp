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

TEST_CASE("DFE1940 edge: 4 on 31 August (a reception pupil) may be part-time; 5 may not; no DOB, no finding") {
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
