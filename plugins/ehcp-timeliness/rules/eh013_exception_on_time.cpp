// EH013: a 20-week exception recorded on a plan that was issued within 20 weeks anyway.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH013",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "20-week exception on a plan issued in time",
    "An exception (SEND Regulations 2014, reg. 13(3)) only excuses a plan issued after 20 weeks. Recorded on a plan "
    "issued in time, it takes a timely plan out of the DfE's figures excluding exceptions and lowers the LA's rate. "
    "SEN2 records only that an exception applied (Week20), not which, so this is the check SEN2 allows for an "
    "exception without grounds. No numbered DfE SEN2 rule was found for it in public material.",
    "Remove the exception (Week20 0, or exception N), unless the plan date is wrong.",
    needs_ehcp_cases,
    "request_date, plan_issue_date, exception"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.request_date || !c.plan_issue_date || c.exception != true || *c.plan_issue_date < *c.request_date) continue;
    if (!issued_within_20_weeks(*c.request_date, *c.plan_issue_date)) continue;
    const int days = c.plan_issue_date->days_since(*c.request_date);
    ctx.report_case(c,
                    "An exception to the 20-week limit is recorded, but the plan was issued " + std::to_string(days) +
                        " days after the request, within the 140 days allowed",
                    {{"request_date", c.request_date->iso()},
                     {"plan_issue_date", c.plan_issue_date->iso()},
                     {"days", std::to_string(days)}});
  }
}

} // namespace

const Rule eh013_exception_on_time{&info, check};

} // namespace censusqa::ehcp_timeliness
