// CI011: required items of a pupil on roll and of a leaver.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci011_required_item;

TEST_CASE("CI011 passes complete pupils and leavers") {
  const auto data = DatasetBuilder{}.pupil({}).pupil({.upn = "B801200005001", .leaving_date = "2024-11-20"}).build();
  CHECK(run_rule(ci011_required_item, data, spring_2025()).findings.empty());
}

TEST_CASE("CI011 reports each missing item, by pupil and element") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .enrol = "", .nc_year = ""})
                        .pupil({.upn = "B801200005001", .sex = "", .entry_date = ""})
                        .pupil({.upn = "C801200005001", .entry_date = "", .leaving_date = "2024-11-20"})
                        .build();
  auto leaver_without_date = data; // a leaver whose leaving date went missing
  const auto s = run_rule(ci011_required_item, data, spring_2025());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"CI011 A801200005001.EnrolStatus",
                                                          "CI011 A801200005001.NCyearActual",
                                                          "CI011 B801200005001.EntryDate", "CI011 B801200005001.Sex",
                                                          "CI011 C801200005001.EntryDate"});
  CHECK(s.findings[0].message == "Pupil A801200005001 has no EnrolStatus");
  CHECK(s.findings[0].upn == "A801200005001");
  CHECK(s.findings[0].laestab == "8881001");
  leaver_without_date.leavers[0].leaving_date.reset();
  const auto l = run_rule(ci011_required_item, leaver_without_date, spring_2025());
  CHECK(codes_and_subjects(l) ==
        std::vector<std::string>{"CI011 A801200005001.EnrolStatus", "CI011 A801200005001.NCyearActual",
                                 "CI011 B801200005001.EntryDate", "CI011 B801200005001.Sex",
                                 "CI011 C801200005001.EntryDate", "CI011 C801200005001.LeavingDate"});
  CHECK(l.findings.back().message == "Leaver C801200005001 has no LeavingDate");
}

TEST_CASE("CI011 edge: a value given but unreadable is the loader's finding, not a missing item") {
  auto data = DatasetBuilder{}.pupil({.upn = "A801200005001", .enrol = "Q"}).build();
  data.set_raw_value(Entity::pupil, 0, Field::enrol_status, "Q");
  CHECK(run_rule(ci011_required_item, data, spring_2025()).findings.empty());
  // A leaver has no enrolment status or year group to miss.
  const auto leaver = DatasetBuilder{}
                          .pupil({.upn = "B801200005001", .enrol = "", .nc_year = "", .leaving_date = "2024-11-20"})
                          .build();
  CHECK(run_rule(ci011_required_item, leaver, spring_2025()).findings.empty());
}

TEST_CASE("CI011 names each missing item's DfE rule") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A801200005001", .enrol = "", .nc_year = "", .sex = "", .entry_date = ""})
                        .pupil({.upn = "B801200005001", .leaving_date = "2024-11-20"})
                        .with_last([](Pupil& p) { p.leaving_date.reset(); })
                        .build();
  const auto s = run_rule(ci011_required_item, data, spring_2025());
  std::vector<std::string> got;
  for (const auto& f : s.findings)
    got.push_back(f.subject + " " + f.dfe_rule);
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{"A801200005001.EnrolStatus 1860", "A801200005001.EntryDate 1880",
                                        "A801200005001.NCyearActual 2000", "A801200005001.Sex 1610",
                                        "B801200005001.LeavingDate 1920"});
}
