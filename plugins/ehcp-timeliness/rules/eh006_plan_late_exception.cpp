// EH006: plan issued more than 20 weeks after the request, with an exception recorded.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH006",
    Severity::info,
    Scope::case_record,
    Actor::la_sen,
    "Plan issued after 20 weeks under an exception",
    "A permitted exception lets a plan be issued after 20 weeks; the DfE's figures excluding exceptions leave it "
    "out, but the family still waited, so the case is listed for the record.",
    "Nothing, if the exception is right; keep the evidence for it on the case file.",
    needs_ehcp_cases,
    "request_date, plan_issue_date, exception, exception_reason"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.request_date || !c.plan_issue_date || c.exception != true) continue;
    if (issued_within_20_weeks(*c.request_date, *c.plan_issue_date)) continue;
    const int days = c.plan_issue_date->days_since(*c.request_date);
    const std::string reason = c.exception_reason ? std::string(name(*c.exception_reason)) : "no reason recorded";
    ctx.report_case(c,
                    "The plan was issued " + std::to_string(days) +
                        " days after the request, beyond 20 weeks, under "
                        "an exception (" +
                        reason + ")",
                    {{"request_date", c.request_date->iso()},
                     {"plan_issue_date", c.plan_issue_date->iso()},
                     {"days", std::to_string(days)},
                     {"exception_reason", c.exception_reason ? std::string(name(*c.exception_reason)) : ""}});
  }
}

} // namespace

const Rule eh006_plan_late_exception{&info, check};

} // namespace censusqa::ehcp_timeliness
