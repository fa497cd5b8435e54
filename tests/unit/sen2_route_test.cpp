// The EHCP timeliness figures through the SEN2 route equal those through ehcp_cases.csv, and the DfE's
// published LA timeliness figures (every LA-year with its counts published) are reproduced from SEN2 XML
// built from them (as the CSV route's
// plugins/ehcp-timeliness/tests/timeliness_dfe_test.cpp does from cases). Both routes go through the
// LA folder loader; the figures are the ehcp-timeliness plugin's own (its rule objects are linked in).
#include "../../plugins/ehcp-timeliness/rules/rules.hpp"
#include "fixtures.hpp"
#include "load/la_folder.hpp"
#include "load/sen2_xml.hpp"
#include "published_csv.hpp"
#include "sen2_writer.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace censusqa;
using namespace censusqa::load;
using censusqa::testkit::split_csv_line;
using censusqa::testkit::TempDir;
namespace eh = censusqa::ehcp_timeliness;

namespace {

LoadResult load_dir(const TempDir& dir) {
  LoadOptions o;
  o.la_dir = dir.path();
  o.census_map = &testkit::census_map();
  o.codes = &testkit::census_codes();
  LoadResult r = load_la_folder(o);
  REQUIRE(r.fatal.empty());
  return r;
}

std::string csv_of(const std::vector<EhcCase>& cases) {
  std::string o = "case_id,upn,laestab,request_date,request_outcome,request_outcome_date,assessment_outcome,"
                  "assessment_outcome_date,plan_issue_date,exception,exception_reason,la_primary_need,"
                  "last_review_date,plan_ceased_date\n";
  const auto d = [](const std::optional<Date>& x) { return x ? x->iso() : std::string(); };
  const auto k = [](const std::optional<Decision>& x) { return x ? std::string(name(*x)) : std::string(); };
  for (const EhcCase& c : cases)
    o += c.case_id + "," + c.upn + ",," + d(c.request_date) + "," + k(c.request_outcome) + "," +
         d(c.request_outcome_date) + "," + k(c.assessment_outcome) + "," + d(c.assessment_outcome_date) + "," +
         d(c.plan_issue_date) + "," + (c.exception ? (*c.exception ? "Y" : "N") : "") + "," +
         (c.exception == true ? "school_closure" : "") + "," +
         (c.la_primary_need ? std::string(name(*c.la_primary_need)) : "") + "," + d(c.last_review_date) + "," +
         d(c.plan_ceased_date) + "\n";
  return o;
}

bool same(const eh::YearFigures& a, const eh::YearFigures& b) {
  return a.plans_issued_den == b.plans_issued_den && a.plans_issued_den_ex == b.plans_issued_den_ex &&
         a.within_20_weeks == b.within_20_weeks && a.within_20_weeks_ex == b.within_20_weeks_ex &&
         a.gt20_lt_year == b.gt20_lt_year && a.gt20_lt_year_ex == b.gt20_lt_year_ex && a.gt_1_year == b.gt_1_year &&
         a.gt_1_year_ex == b.gt_1_year_ex && a.requests_received == b.requests_received &&
         a.requests_decided == b.requests_decided &&
         a.requests_decided_within_6_weeks == b.requests_decided_within_6_weeks &&
         a.requests_refused == b.requests_refused;
}

// Random but valid cases over 2021-2024: every outcome, exceptions, plans late and on time, persons with
// several requests, children without a UPN.
std::vector<EhcCase> random_cases(std::uint32_t seed, int n) {
  std::mt19937 rng(seed);
  const auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  std::vector<EhcCase> out;
  for (int i = 0; i < n; ++i) {
    EhcCase c;
    const int person = i - pick(3) * (i > 3);
    // Appended, not "X" + std::to_string(...): that makes GCC 12 -O3 report -Wrestrict (GCC bug 105329).
    if (person % 17 != 0) c.upn = std::string("A000000").append(std::to_string(100000 + person));
    c.person = c.upn.empty() ? std::string("X").append(std::to_string(person)) : c.upn;
    const Date received = Date::parse("2021-01-04")->plus_days(pick(4 * 365 - 60));
    c.request_date = received;
    c.case_id = c.person + " " + received.iso();
    const int outcome = pick(10);
    c.request_outcome = outcome < 6 ? Decision::Y : outcome < 8 ? Decision::N : outcome < 9 ? Decision::W : Decision::A;
    if (c.request_outcome != Decision::A) c.request_outcome_date = received.plus_days(20 + pick(40));
    if (c.request_outcome == Decision::Y) {
      const int a = pick(10);
      c.assessment_outcome = a < 8 ? Decision::Y : a < 9 ? Decision::N : Decision::A;
      if (c.assessment_outcome != Decision::A) c.assessment_outcome_date = received.plus_days(80 + pick(40));
      if (c.assessment_outcome == Decision::Y) {
        c.plan_issue_date = received.plus_days(100 + pick(400));
        c.exception = pick(5) == 0;
        c.la_primary_need = static_cast<NeedType>(pick(12));
        if (pick(3) == 0) c.last_review_date = c.plan_issue_date->plus_days(330 + pick(60));
      }
    }
    out.push_back(std::move(c));
  }
  // One request per person and day (the SEN2 id), as the CSV's ids are unique.
  std::sort(out.begin(), out.end(), [](const EhcCase& a, const EhcCase& b) { return a.case_id < b.case_id; });
  out.erase(
      std::unique(out.begin(), out.end(), [](const EhcCase& a, const EhcCase& b) { return a.case_id == b.case_id; }),
      out.end());
  return out;
}

} // namespace

TEST_CASE("the timeliness figures from the SEN2 route equal those from the CSV route") {
  const auto cases = random_cases(20261202, 3000);
  TempDir csv_dir, sen2_dir;
  for (TempDir* d : {&csv_dir, &sen2_dir})
    d->write("census/pupils.csv",
             "laestab,upn,dob,enrol_status,nc_year,sen_provision\n8881001,B801200005001,2015-03-02,C,4,N\n");
  csv_dir.write("ehcp_cases.csv", csv_of(cases));
  // Plans issued up to 2026: a reference date after them all.
  sen2_dir.write("sen2/sen2_2027.xml", testkit::sen2_xml(cases, {2027, "2027-01-21", "888", "2027-01-25T09:00:00"}));
  const LoadResult a = load_dir(csv_dir), b = load_dir(sen2_dir);
  for (const auto& f : b.findings) { // the writer's return is valid
    INFO(f.rule << " " << f.message);
    CHECK_FALSE(f.rule.rfind("IN00", 0) == 0);
  }
  REQUIRE(a.data.ehc_cases.size() == cases.size());
  REQUIRE(b.data.ehc_cases.size() == cases.size());
  const auto fa = eh::figures_by_year(a.data, a.data.ehc_cases);
  const auto fb = eh::figures_by_year(b.data, b.data.ehc_cases);
  REQUIRE(fa.size() == fb.size());
  CHECK(fa.size() >= 4);
  std::int64_t plans = 0;
  for (const auto& [year, f] : fa) {
    INFO(year);
    REQUIRE(fb.count(year));
    CHECK(same(f, fb.at(year)));
    plans += f.plans_issued_den;
  }
  CHECK(plans > 1000);
  // And case by case, every field the figures read.
  std::map<std::string, const EhcCase*> by_id;
  for (const EhcCase& c : b.data.ehc_cases)
    by_id[c.case_id] = &c;
  for (const EhcCase& c : a.data.ehc_cases) {
    INFO(c.case_id);
    const std::string id = c.upn.empty() ? "" : c.case_id;
    if (id.empty()) continue; // no UPN: the SEN2 id is the person's place in the file
    REQUIRE(by_id.count(id));
    const EhcCase& s = *by_id.at(id);
    CHECK((c.request_date == s.request_date && c.request_outcome == s.request_outcome &&
           c.request_outcome_date == s.request_outcome_date && c.assessment_outcome == s.assessment_outcome &&
           c.assessment_outcome_date == s.assessment_outcome_date && c.plan_issue_date == s.plan_issue_date &&
           c.exception.value_or(false) == s.exception.value_or(false) && c.la_primary_need == s.la_primary_need &&
           c.last_review_date == s.last_review_date));
  }
}

TEST_CASE("the DfE's published LA timeliness figures are reproduced from SEN2 XML built from them") {
  std::ifstream in(CENSUSQA_SHARED_DIR "/data/ehcp-sen2/timeliness_20_week_2019_2024.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  const auto header = split_csv_line(line);
  const char* counts[] = {
      "plans_issued_den",         "plans_issued_den_ex",           "plans_issued_within_20_weeks",
      "plans_issued_20_weeks_ex", "plans_issued_gt20weeks_ltYear", "plans_issued_gt20weeks_ltYear_ex",
      "plans_issued_gt_1_year",   "plans_issued_gt_1_year_ex"};
  int tested = 0;
  std::int64_t plans = 0;
  while (std::getline(in, line)) {
    const auto cells = split_csv_line(line);
    std::map<std::string, std::string> r;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i)
      r[header[i]] = cells[i];
    if (r["geographic_level"] != "Local authority" || r["breakdown_topic"] != "All EHC plans issued") continue;
    std::map<std::string, std::int64_t> n;
    bool complete = true;
    for (const char* c : counts) {
      const auto v = parse_published_number(r[c]);
      complete &= v.has_value();
      n[c] = v ? static_cast<std::int64_t>(*v) : 0;
    }
    if (!complete) continue; // a suppressed count
    const int year = std::stoi(r["time_period"]);
    // One person per plan, issued on 1 July of the year, requested 100, 200 or 400 days before;
    // exceptions (Week20) are the difference between a band's all-plans and _ex counts.
    std::vector<EhcCase> cases;
    const Date issued = *Date::from_ymd(year, 7, 1);
    const std::pair<std::string, int> bands[] = {
        {"within_20_weeks", 100}, {"gt20weeks_ltYear", 200}, {"gt_1_year", 400}};
    for (const auto& [band, days] : bands) {
      const std::int64_t all = n["plans_issued_" + band];
      const std::int64_t ex =
          n[band == "within_20_weeks" ? std::string("plans_issued_20_weeks_ex") : "plans_issued_" + band + "_ex"];
      for (std::int64_t i = 0; i < all; ++i) {
        EhcCase c;
        const std::string digits = std::to_string(cases.size());
        c.upn = std::string("A").append(12 - digits.size(), '0').append(digits);
        c.request_date = issued.plus_days(-days);
        c.request_outcome = Decision::Y;
        c.request_outcome_date = issued.plus_days(-days + 30);
        c.assessment_outcome = Decision::Y;
        c.assessment_outcome_date = issued.plus_days(-10);
        c.plan_issue_date = issued;
        c.exception = i >= ex;
        cases.push_back(std::move(c));
      }
    }
    // Plans in the denominators and in no band (the published bands add up to less): no ReceivedDate.
    const std::int64_t no_band = n["plans_issued_den"] - n["plans_issued_within_20_weeks"] -
                                 n["plans_issued_gt20weeks_ltYear"] - n["plans_issued_gt_1_year"];
    const std::int64_t no_band_ex = n["plans_issued_den_ex"] - n["plans_issued_20_weeks_ex"] -
                                    n["plans_issued_gt20weeks_ltYear_ex"] - n["plans_issued_gt_1_year_ex"];
    for (std::int64_t i = 0; i < no_band; ++i) {
      EhcCase c;
      const std::string digits = std::to_string(cases.size());
      c.upn = std::string("A").append(12 - digits.size(), '0').append(digits);
      c.request_outcome = Decision::Y;
      c.assessment_outcome = Decision::Y;
      c.plan_issue_date = issued;
      c.exception = i >= no_band_ex;
      cases.push_back(std::move(c));
    }
    const std::string xml = testkit::sen2_xml(
        cases, {year + 1, std::to_string(year + 1) + "-01-18", "888", std::to_string(year + 1) + "-01-20T09:00:00"});
    const Sen2File f = read_sen2_xml(xml, 0, "sen2.xml", Sen2Context{"888", nullptr, nullptr});
    REQUIRE(f.cases.size() == cases.size());
    const Value m = eh::to_metrics(year, eh::figures_by_year(Dataset{}, f.cases).at(year));
    INFO(r["la_name"] << " " << year);
    for (const char* c : counts)
      CHECK(m.find(c)->as_int() == n[c]);
    for (const char* pc : {"pc_plans_issued_within_20_weeks", "PC_plans_issued_20_weeks_ex"})
      if (const auto published = parse_published_number(r[pc]))
        CHECK(std::round(m.find(pc)->as_number() * 10) == std::round(*published * 10));
    plans += n["plans_issued_den"];
    ++tested;
  }
  // As in timeliness_dfe_test: 303 of the 910 LA-years have every count published (27 of them with plans
  // in no band).
  CHECK(tested == 303);
  CHECK(plans > 100000);
}
