// EH007: a request still open more than 20 weeks after it was received.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH007",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Still open more than 20 weeks after the request",
    "A request with no plan and no final refusal or withdrawal after 20 weeks has already missed the statutory "
    "limit; it will count as late when the plan is issued, and the family is still waiting.",
    "Escalate the case; if it was in fact closed, record the outcome (N or W) or the plan issue date.",
    needs_ehcp_cases,
    "request_date, request_outcome, assessment_outcome, plan_issue_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) {
    ctx.skip("no reference date (configure reference_date or load census returns)");
    return;
  }
  const Date ref = *ctx.run.reference_date;
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.request_date || c.plan_issue_date) continue;
    // Refused, withdrawn, or (SEN2's H) decided before the return's period: not open.
    const auto closed = [](const std::optional<Decision>& d) {
      return d == Decision::N || d == Decision::W || d == Decision::H;
    };
    if (closed(c.request_outcome) || closed(c.assessment_outcome)) continue;
    const int days = ref.days_since(*c.request_date);
    if (days > plan_days)
      ctx.report_case(c,
                      "The request is still open " + std::to_string(days) + " days (" + weeks_and_days(days) +
                          ") after it was received, beyond the 20 weeks allowed for a plan",
                      {{"request_date", c.request_date->iso()}, {"days", std::to_string(days)}});
  }
}

} // namespace

const Rule eh007_open_past_20_weeks{&info, check};

} // namespace censusqa::ehcp_timeliness
