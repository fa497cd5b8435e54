// EH005: plan issued more than 20 weeks after the request, no exception.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH005",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Plan issued after 20 weeks without an exception",
    "A final EHC plan must be issued within 20 weeks (140 days) of the request unless a permitted exception "
    "applies (SEND Regulations 2014, reg. 13); this plan counts against the LA's published timeliness.",
    "If an exception applied, record it with its reason; if a date is wrong, correct it; otherwise note the cause "
    "of delay for the LA's improvement plan.",
    needs_ehcp_cases,
    "request_date, plan_issue_date, exception"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.request_date || !c.plan_issue_date || c.exception == true) continue;
    if (issued_within_20_weeks(*c.request_date, *c.plan_issue_date)) continue;
    const int days = c.plan_issue_date->days_since(*c.request_date);
    ctx.report_case(c,
                    "The plan was issued " + std::to_string(days) + " days (" + weeks_and_days(days) +
                        ") after the request, beyond the 20 weeks allowed, with no exception recorded",
                    {{"request_date", c.request_date->iso()},
                     {"plan_issue_date", c.plan_issue_date->iso()},
                     {"days", std::to_string(days)}});
  }
}

} // namespace

const Rule eh005_plan_late{&info, check};

} // namespace censusqa::ehcp_timeliness
