// The DfE's EHC plan timeliness figures (file timeliness_20_week.csv) computed from case records:
// within 20 weeks, 20-52 weeks and over 52 weeks, including and excluding exception cases.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {

std::map<int, YearFigures> figures_by_year(const Dataset&, std::span<const EhcCase> cases) {
  std::vector<const EhcCase*> all;
  all.reserve(cases.size());
  for (const EhcCase& c : cases)
    all.push_back(&c);
  return figures_by_year(all);
}

std::map<int, YearFigures> figures_by_year(std::span<const EhcCase* const> cases) {
  std::map<int, YearFigures> out;
  for (const EhcCase* case_ptr : cases) {
    const EhcCase& c = *case_ptr;
    if (c.request_date) {
      YearFigures& req = out[c.request_date->year()];
      ++req.requests_received;
      if ((c.request_outcome == Decision::Y || c.request_outcome == Decision::N) && c.request_outcome_date &&
          *c.request_outcome_date >= *c.request_date) {
        ++req.requests_decided;
        if (c.request_outcome_date->days_since(*c.request_date) <= decision_to_assess_days)
          ++req.requests_decided_within_6_weeks;
        if (c.request_outcome == Decision::N) ++req.requests_refused;
      }
    }
    if (!c.plan_issue_date) continue;
    YearFigures& f = out[c.plan_issue_date->year()];
    const bool exception = c.exception == true;
    // Every plan issued in the year is in the denominator; one whose request date is missing or after
    // it is in no time band. The DfE's file has such plans: in 44 of its 323 LA rows of 2023-24 the
    // bands add up to less than plans_issued_den, and its percentages are of plans_issued_den.
    ++f.plans_issued_den;
    if (!exception) ++f.plans_issued_den_ex;
    if (!c.request_date || *c.plan_issue_date < *c.request_date) continue;
    const int days = c.plan_issue_date->days_since(*c.request_date);
    std::int64_t& band = days <= plan_days ? f.within_20_weeks : days <= year_days ? f.gt20_lt_year : f.gt_1_year;
    std::int64_t& band_ex = days <= plan_days   ? f.within_20_weeks_ex
                            : days <= year_days ? f.gt20_lt_year_ex
                                                : f.gt_1_year_ex;
    ++band;
    if (!exception) ++band_ex;
  }
  return out;
}

Value to_metrics(int year, const YearFigures& f) {
  Value v;
  v.set("year", year);
  v.set("plans_issued_den", f.plans_issued_den);
  v.set("plans_issued_den_ex", f.plans_issued_den_ex);
  v.set("plans_issued_within_20_weeks", f.within_20_weeks);
  v.set("plans_issued_20_weeks_ex", f.within_20_weeks_ex);
  v.set("pc_plans_issued_within_20_weeks", percent_1dp(f.within_20_weeks, f.plans_issued_den));
  v.set("PC_plans_issued_20_weeks_ex", percent_1dp(f.within_20_weeks_ex, f.plans_issued_den_ex));
  v.set("plans_issued_gt20weeks_ltYear", f.gt20_lt_year);
  v.set("plans_issued_gt20weeks_ltYear_ex", f.gt20_lt_year_ex);
  v.set("pc_plans_issued_gt20weeks_ltYear", percent_1dp(f.gt20_lt_year, f.plans_issued_den));
  v.set("PC_plans_issued_gt20weeks_ltYear_ex", percent_1dp(f.gt20_lt_year_ex, f.plans_issued_den_ex));
  v.set("plans_issued_gt_1_year", f.gt_1_year);
  v.set("plans_issued_gt_1_year_ex", f.gt_1_year_ex);
  v.set("pc_plans_issued_gt_1_year", percent_1dp(f.gt_1_year, f.plans_issued_den));
  v.set("PC_plans_issued_gt_1_year_ex", percent_1dp(f.gt_1_year_ex, f.plans_issued_den_ex));
  v.set("exception_cases", f.plans_issued_den - f.plans_issued_den_ex);
  v.set("requests_received", f.requests_received);
  v.set("requests_decided", f.requests_decided);
  v.set("requests_decided_within_6_weeks", f.requests_decided_within_6_weeks);
  v.set("pc_requests_decided_within_6_weeks", percent_1dp(f.requests_decided_within_6_weeks, f.requests_decided));
  v.set("requests_refused", f.requests_refused);
  v.set("pc_requests_refused", percent_1dp(f.requests_refused, f.requests_decided));
  return v;
}

} // namespace censusqa::ehcp_timeliness
