// The plugin's figures for metrics.json: the DfE timeliness table by calendar year for the LA (with
// the DfE's own published figures for England and this LA beside it when reference/ has the
// timeliness file), and per-school counts by the school at the request.
#include "rules.hpp"

#include <string>

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
    std::int64_t requests = 0, plans = 0, plans_in_time = 0;
    for (const EhcCase* case_ptr : cases) {
      const EhcCase& c = *case_ptr;
      if (c.request_date && *c.request_date > from && *c.request_date <= *ref_date) ++requests;
      if (c.request_date && c.plan_issue_date && *c.plan_issue_date > from && *c.plan_issue_date <= *ref_date &&
          *c.plan_issue_date >= *c.request_date) {
        ++plans;
        plans_in_time += issued_within_20_weeks(*c.request_date, *c.plan_issue_date);
      }
    }
    ctx.metrics.school(laestab, "ehcp.requests_12m", requests);
    ctx.metrics.school(laestab, "ehcp.plans_issued_12m", plans);
    ctx.metrics.school(laestab, "ehcp.plans_issued_within_20_weeks_12m", plans_in_time);
  }
}

} // namespace

const MetricProducer timeliness_metrics{"EHC plan timeliness by calendar year", needs_ehcp_cases, compute};

} // namespace censusqa::ehcp_timeliness
