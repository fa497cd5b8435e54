// The timeliness figures reproduce the DfE's published ones. For every LA-year of the real DfE file
// (../shared/data/ehcp-sen2/timeliness_20_week_2019_2024.csv, "All EHC plans issued") with every count
// published, cases are built with exactly its counts (within 20 weeks, 20-52 weeks, over 52 weeks,
// with and without exceptions, and, where the bands add up to less than the denominator, plans with no
// usable request date); the computed counts and percentages must equal the published ones.
#include "../rules/rules.hpp"
#include "case_builder.hpp"
#include "published_csv.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

using namespace censusqa;
using namespace censusqa::testkit;
namespace eh = censusqa::ehcp_timeliness;

namespace {

struct Row {
  std::map<std::string, std::string> cells;
  std::int64_t count(const std::string& c) const {
    return static_cast<std::int64_t>(*parse_published_number(cells.at(c)));
  }
};

std::vector<Row> dfe_la_years() {
  std::ifstream in(CENSUSQA_SHARED_DIR "/data/ehcp-sen2/timeliness_20_week_2019_2024.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3); // the file starts with a BOM
  const auto header = split_csv_line(line);
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    const auto cells = split_csv_line(line);
    Row r;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i)
      r.cells[header[i]] = cells[i];
    if (r.cells["geographic_level"] != "Local authority" || r.cells["breakdown_topic"] != "All EHC plans issued")
      continue;
    rows.push_back(std::move(r));
  }
  return rows;
}

// Cases with the row's counts: exception cases are the difference between the _ex and the
// all-plans count in each band.
std::vector<CaseSpec> cases_for(const Row& r, int year) {
  std::vector<CaseSpec> specs;
  const std::pair<const char*, int> bands[] = {{"within_20_weeks", 100}, {"gt20weeks_ltYear", 200}, {"gt_1_year", 400}};
  const std::string issued = std::to_string(year) + "-07-01";
  for (const auto& [band, days] : bands) {
    const std::string all = std::string("plans_issued_") + band;
    const std::string ex = band == std::string("within_20_weeks") ? "plans_issued_20_weeks_ex" : all + "_ex";
    const std::int64_t n_all = r.count(all), n_ex = r.count(ex);
    const std::string request = Date::parse(issued)->plus_days(-days).iso();
    for (std::int64_t i = 0; i < n_all; ++i)
      specs.push_back(plan_after(band + std::to_string(i), request, days, i >= n_ex));
  }
  // Plans in the denominators and in no band: no request date.
  const std::int64_t no_band = r.count("plans_issued_den") - r.count("plans_issued_within_20_weeks") -
                               r.count("plans_issued_gt20weeks_ltYear") - r.count("plans_issued_gt_1_year");
  const std::int64_t no_band_ex = r.count("plans_issued_den_ex") - r.count("plans_issued_20_weeks_ex") -
                                  r.count("plans_issued_gt20weeks_ltYear_ex") - r.count("plans_issued_gt_1_year_ex");
  for (std::int64_t i = 0; i < no_band; ++i) {
    CaseSpec s = plan_after("undated" + std::to_string(i), issued, 0, i >= no_band_ex);
    s.request.clear();
    specs.push_back(s);
  }
  return specs;
}

} // namespace

TEST_CASE("Derbyshire 2023: 1,310 plans, 231 exceptions, 23.1% and 17.8% within 20 weeks") {
  Row derbyshire;
  for (auto& r : dfe_la_years())
    if (r.cells["la_name"] == "Derbyshire" && r.cells["time_period"] == "2023") derbyshire = r;
  REQUIRE(derbyshire.count("plans_issued_den") == 1310);
  const auto data = cases(cases_for(derbyshire, 2023));
  const auto by_year = eh::figures_by_year(data, data.ehc_cases);
  const Value m = eh::to_metrics(2023, by_year.at(2023));
  CHECK(m.find("plans_issued_den")->as_int() == 1310);
  CHECK(m.find("plans_issued_den_ex")->as_int() == 1079);
  CHECK(m.find("exception_cases")->as_int() == 231);
  CHECK(m.find("plans_issued_within_20_weeks")->as_int() == 302);
  CHECK(m.find("plans_issued_20_weeks_ex")->as_int() == 192);
  CHECK(m.find("pc_plans_issued_within_20_weeks")->as_number() == 23.1);
  CHECK(m.find("PC_plans_issued_20_weeks_ex")->as_number() == 17.8);
}

TEST_CASE("every consistent LA-year of the DfE timeliness file is reproduced exactly") {
  const char* counts[] = {
      "plans_issued_den",         "plans_issued_den_ex",           "plans_issued_within_20_weeks",
      "plans_issued_20_weeks_ex", "plans_issued_gt20weeks_ltYear", "plans_issued_gt20weeks_ltYear_ex",
      "plans_issued_gt_1_year",   "plans_issued_gt_1_year_ex"};
  const char* pcs[] = {"pc_plans_issued_within_20_weeks",  "PC_plans_issued_20_weeks_ex",
                       "pc_plans_issued_gt20weeks_ltYear", "PC_plans_issued_gt20weeks_ltYear_ex",
                       "pc_plans_issued_gt_1_year",        "PC_plans_issued_gt_1_year_ex"};
  int tested = 0, skipped_suppressed = 0, with_unbanded = 0;
  for (const auto& r : dfe_la_years()) {
    bool complete = true;
    for (const char* c : counts)
      complete &= parse_published_number(r.cells.at(c)).has_value();
    if (!complete) {
      ++skipped_suppressed;
      continue;
    }
    with_unbanded += r.count("plans_issued_den") != r.count("plans_issued_within_20_weeks") +
                                                        r.count("plans_issued_gt20weeks_ltYear") +
                                                        r.count("plans_issued_gt_1_year");
    const int year = std::stoi(r.cells.at("time_period"));
    const auto data = cases(cases_for(r, year));
    const Value m = eh::to_metrics(year, eh::figures_by_year(data, data.ehc_cases).at(year));
    INFO(r.cells.at("la_name") << " " << year);
    for (const char* c : counts)
      CHECK(m.find(c)->as_int() == r.count(c));
    for (const char* c : pcs) {
      const auto published = parse_published_number(r.cells.at(c));
      if (!published) continue; // x or z where a denominator is zero
      const Value& ours = *m.find(c);
      INFO(c << " published " << *published);
      REQUIRE_FALSE(ours.is_null());
      CHECK(std::round(ours.as_number() * 10) == std::round(*published * 10));
    }
    ++tested;
  }
  INFO("suppressed " << skipped_suppressed << ", with plans in no band " << with_unbanded);
  // 910 LA-years: 607 have a suppressed count (mostly the _ex columns before 2022); of the 303 others,
  // 27 have plans in the denominator and in no band.
  CHECK(tested == 303);
  CHECK(with_unbanded == 27);
}

TEST_CASE("published numbers: suppression markers are missing, quoted thousands are numbers") {
  CHECK(parse_published_number("1310") == 1310);
  CHECK(parse_published_number("\"9,109\"") == 9109);
  CHECK(parse_published_number("57.900000000000") == 57.9);
  for (const char* marker : {"x", "z", "c", "u", "low", ".", ":", "SUPP", "", " "}) {
    INFO(marker);
    CHECK_FALSE(parse_published_number(marker));
  }
}

TEST_CASE("percentages round half up to one decimal and are null with no denominator") {
  CHECK(percent_1dp(302, 1310).as_number() == 23.1);
  CHECK(percent_1dp(1, 8).as_number() == 12.5); // exactly 12.5
  CHECK(percent_1dp(1, 16).as_number() == 6.3); // 6.25 rounds up
  CHECK(percent_1dp(2, 3).as_number() == 66.7);
  CHECK(percent_1dp(0, 5).as_number() == 0.0);
  CHECK(percent_1dp(3, 0).is_null());
}
