// The plugin's figures for metrics.json: the DfE timeliness table by calendar year for the LA (with
// the DfE's own published figures for England and this LA beside it when reference/ has the
// timeliness file), and per-school counts by the school at the request.
#include "rules.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace censusqa::ehcp_timeliness {
namespace {

constexpr const char* dfe_counts[] = {
    "plans_issued_den",         "plans_issued_den_ex",           "plans_issued_within_20_weeks",
    "plans_issued_20_weeks_ex", "plans_issued_gt20weeks_ltYear", "plans_issued_gt20weeks_ltYear_ex",
    "plans_issued_gt_1_year",   "plans_issued_gt_1_year_ex"};
constexpr const char* dfe_percentages[] = {"pc_plans_issued_within_20_weeks",  "PC_plans_issued_20_weeks_ex",
                                           "pc_plans_issued_gt20weeks_ltYear", "PC_plans_issued_gt20weeks_ltYear_ex",
                                           "pc_plans_issued_gt_1_year",        "PC_plans_issued_gt_1_year_ex"};

// The published row for a year: England (National) or this LA, "All EHC plans issued".
std::optional<Value> published(const ReferenceTable& t, int year, bool national, const std::string& la_code) {
  const int c_period = t.column("time_period"), c_level = t.column("geographic_level"), c_la = t.column("old_la_code"),
            c_topic = t.column("breakdown_topic");
  for (const auto& row : t.rows) {
    auto cell = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < row.size() ? row[c] : std::string(); };
    if (cell(c_period) != std::to_string(year)) continue;
    if (c_topic >= 0 && cell(c_topic) != "All EHC plans issued") continue;
    if (national ? cell(c_level) != "National" : (cell(c_level) != "Local authority" || cell(c_la) != la_code))
      continue;
    Value v;
    for (const char* col : dfe_counts) {
      const auto n = parse_published_number(cell(t.column(col)));
      v.set(col, n ? Value(static_cast<std::int64_t>(*n)) : Value());
    }
    for (const char* col : dfe_percentages) {
      const auto n = parse_published_number(cell(t.column(col)));
      v.set(col, n ? Value(*n) : Value());
    }
    return v;
  }
  return std::nullopt;
}

// The 12 months (from, to]: requests, decisions to assess, plans issued and how quickly.
struct Window {
  std::int64_t requests = 0, agreed = 0, plans = 0, plans_in_time = 0;
  std::optional<std::int64_t> median_days; ///< request to plan; an even count takes the mean of the middle two
};

Window window_figures(const std::vector<const EhcCase*>& cases, Date from, Date to) {
  auto in_window = [&](const std::optional<Date>& d) { return d && *d > from && *d <= to; };
  Window w;
  std::vector<std::int64_t> days;
  for (const EhcCase* case_ptr : cases) {
    const EhcCase& c = *case_ptr;
    if (in_window(c.request_date)) ++w.requests;
    if (c.request_outcome == Decision::Y && in_window(c.request_outcome_date)) ++w.agreed;
    if (c.request_date && in_window(c.plan_issue_date) && *c.plan_issue_date >= *c.request_date) {
      ++w.plans;
      w.plans_in_time += issued_within_20_weeks(*c.request_date, *c.plan_issue_date);
      days.push_back(c.plan_issue_date->days_since(*c.request_date));
    }
  }
  if (!days.empty()) {
    std::sort(days.begin(), days.end());
    const std::size_t n = days.size();
    w.median_days = n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2] + 1) / 2; // rounded half up
  }
  return w;
}

void compute(RunContext& ctx) {
  const auto by_year = figures_by_year(ctx.data, ctx.data.ehc_cases);
  const ReferenceTable* ref = ctx.data.reference_table("ehcp-timeliness");
  Value table = Value::Array{};
  for (const auto& [year, f] : by_year) {
    Value row = to_metrics(year, f);
    if (ref) {
      Value pub = Value::Object{};
      if (auto england = published(*ref, year, true, {})) pub.set("england", std::move(*england));
      if (!ctx.run.la_code.empty())
        if (auto la = published(*ref, year, false, ctx.run.la_code)) pub.set("la", std::move(*la));
      row.set("published", std::move(pub));
    }
    table.push_back(std::move(row));
  }
  ctx.metrics.la("ehcp_timeliness", std::move(table));

  if (ctx.run.reference_date) {
    std::vector<const EhcCase*> all;
    for (const EhcCase& c : ctx.data.ehc_cases)
      all.push_back(&c);
    const Window w = window_figures(all, one_year_before(*ctx.run.reference_date), *ctx.run.reference_date);
    Value v;
    v.set("requests", w.requests);
    v.set("assessments_agreed", w.agreed);
    v.set("plans_issued", w.plans);
    v.set("plans_issued_within_20_weeks", w.plans_in_time);
    v.set("pc_plans_issued_within_20_weeks", percent_1dp(w.plans_in_time, w.plans));
    v.set("median_days_to_issue", w.median_days ? Value(*w.median_days) : Value());
    ctx.metrics.la("ehcp_12m", std::move(v));
  }

  // Per school, by the school attended at the request.
  std::map<std::string, std::vector<const EhcCase*>> by_school;
  for (const EhcCase& c : ctx.data.ehc_cases)
    if (!c.laestab.empty()) by_school[c.laestab].push_back(&c);
  const std::optional<Date> ref_date = ctx.run.reference_date;
  for (const auto& [laestab, cases] : by_school) {
    for (const auto& [year, f] : figures_by_year(cases)) {
      const std::string p = "ehcp." + std::to_string(year) + ".";
      ctx.metrics.school(laestab, p + "requests_received", f.requests_received);
      ctx.metrics.school(laestab, p + "requests_decided", f.requests_decided);
      ctx.metrics.school(laestab, p + "requests_decided_within_6_weeks", f.requests_decided_within_6_weeks);
      ctx.metrics.school(laestab, p + "requests_refused", f.requests_refused);
      ctx.metrics.school(laestab, p + "plans_issued_den", f.plans_issued_den);
      ctx.metrics.school(laestab, p + "plans_issued_den_ex", f.plans_issued_den_ex);
      ctx.metrics.school(laestab, p + "plans_issued_within_20_weeks", f.within_20_weeks);
      ctx.metrics.school(laestab, p + "plans_issued_20_weeks_ex", f.within_20_weeks_ex);
      ctx.metrics.school(laestab, p + "plans_issued_gt20weeks_ltYear", f.gt20_lt_year);
      ctx.metrics.school(laestab, p + "plans_issued_gt_1_year", f.gt_1_year);
    }
    if (!ref_date) continue;
    // The 12 months up to the reference date: what the school's profile shows.
    const Date from = one_year_before(*ref_date);
    const Window w = window_figures(cases, from, *ref_date);
    ctx.metrics.school(laestab, "ehcp.requests_12m", w.requests);
    ctx.metrics.school(laestab, "ehcp.assessments_agreed_12m", w.agreed);
    ctx.metrics.school(laestab, "ehcp.plans_issued_12m", w.plans);
    ctx.metrics.school(laestab, "ehcp.plans_issued_within_20_weeks_12m", w.plans_in_time);
    if (w.median_days) ctx.metrics.school(laestab, "ehcp.median_days_to_issue_12m", *w.median_days);
  }
}

} // namespace

const MetricProducer timeliness_metrics{"EHC plan timeliness by calendar year", needs_ehcp_cases, compute};

} // namespace censusqa::ehcp_timeliness
