// ehcp-timeliness: the plugin's rules (one per file, listed in module.cpp), the statutory time
// limits they share, and the DfE timeliness figures (timeliness.cpp).
#pragma once

#include <censusqa/censusqa.hpp>

#include <map>
#include <span>

namespace censusqa::ehcp_timeliness {

extern const Rule eh001_request_date;
extern const Rule eh002_stage_order;
extern const Rule eh003_outcomes_consistent;
extern const Rule eh004_decision_to_assess;
extern const Rule eh005_plan_late;
extern const Rule eh006_plan_late_exception;
extern const Rule eh007_open_past_20_weeks;
extern const Rule eh008_no_plan_decision_late;
extern const Rule eh009_annual_review_overdue;
extern const Rule eh010_exception_share;
extern const Rule eh011_two_open_requests;
extern const Rule eh012_ceased_without_reason;
extern const Rule eh013_exception_on_time;

/// SEND Regulations 2014: 6 weeks to decide whether to assess (reg. 5), 16 weeks to decide not
/// to issue a plan (reg. 10), 20 weeks from request to final plan (reg. 13).
inline constexpr int decision_to_assess_days = 42;
inline constexpr int decision_not_to_issue_days = 112;
inline constexpr int plan_days = 140;
/// "Over 52 weeks" in the DfE's timeliness file.
inline constexpr int year_days = 364;

/// Issued within 20 weeks: plan_issue_date <= request_date + 140 days.
constexpr bool issued_within_20_weeks(Date request, Date issue) { return issue <= request.plus_days(plan_days); }

/// "20 weeks and 1 day": a span of days in weeks and the days left over, so that a span just past a
/// limit never reads as the limit itself ("141 days (20 weeks)").
inline std::string weeks_and_days(int days) {
  const int weeks = days / 7, rest = days % 7;
  return std::to_string(weeks) + (weeks == 1 ? " week" : " weeks") +
         (rest ? " and " + std::to_string(rest) + (rest == 1 ? " day" : " days") : "");
}

/// The same day a year earlier (29 February gives 28 February): "12 months before".
constexpr Date one_year_before(Date d) { return d.years_before(1); }

/// The DfE timeliness figures for one calendar year of plan issue, and the request figures for
/// one calendar year of request. Counts only; percentages are derived when published.
struct YearFigures {
  std::int64_t plans_issued_den = 0, plans_issued_den_ex = 0;
  std::int64_t within_20_weeks = 0, within_20_weeks_ex = 0;
  std::int64_t gt20_lt_year = 0, gt20_lt_year_ex = 0;
  std::int64_t gt_1_year = 0, gt_1_year_ex = 0;
  std::int64_t requests_received = 0, requests_decided = 0, requests_decided_within_6_weeks = 0;
  std::int64_t requests_refused = 0;
};

/// Figures by calendar year. Every plan counts in the denominators of the year it was issued, and in a
/// time band when its request date is valid and not after the issue date (as the DfE's file, whose
/// bands can add up to less than its denominator); an exception case (exception = Y) is left out of the
/// _ex figures.
/// A request counts in the year it was received; it is decided when request_outcome is Y or N
/// with a valid outcome date on or after the request.
std::map<int, YearFigures> figures_by_year(std::span<const EhcCase* const> cases);
/// The same, over every case in a span (all the LA's, say).
std::map<int, YearFigures> figures_by_year(const Dataset& data, std::span<const EhcCase> cases);

/// One year's figures as the DfE timeliness file's columns (counts and pc to one decimal), plus
/// the request figures, for metrics.json.
Value to_metrics(int year, const YearFigures& f);

} // namespace censusqa::ehcp_timeliness

namespace censusqa::ehcp_timeliness {
/// metrics.json: ehcp_timeliness (LA, by year) and ehcp.* per school.
extern const MetricProducer timeliness_metrics;

/// The plugin's options, declared once: module.cpp gives them to the host, which checks the LA's
/// values and applies the defaults, so the rules read them without fallbacks (the tests too).
inline constexpr OptionInfo options[] = {
    {.key = "max_exception_pct",
     .type = "number",
     .default_value = "25",
     .description = "EH010: the share of a calendar year's plans that may be exception cases before it is queried",
     .minimum = 0,
     .maximum = 100},
};
} // namespace censusqa::ehcp_timeliness
