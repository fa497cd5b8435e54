// EH008: a decision not to issue a plan made more than 16 weeks after the request.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH008",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Decision not to issue a plan later than 16 weeks",
    "After an assessment, the LA must tell the family within 16 weeks (112 days) of the request if it will not "
    "issue a plan (SEND Regulations 2014, reg. 10).",
    "Correct the decision date if it is wrong; otherwise record the cause of delay.",
    needs_ehcp_cases,
    "request_date, assessment_outcome, assessment_outcome_date"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (c.assessment_outcome != Decision::N || !c.request_date || !c.assessment_outcome_date) continue;
    const int days = c.assessment_outcome_date->days_since(*c.request_date);
    if (days > decision_not_to_issue_days)
      ctx.report_case(c,
                      "The decision not to issue a plan was made " + std::to_string(days) +
                          " days after the request, more than the 112 allowed",
                      {{"request_date", c.request_date->iso()},
                       {"assessment_outcome_date", c.assessment_outcome_date->iso()},
                       {"days", std::to_string(days)}});
  }
}

} // namespace

const Rule eh008_no_plan_decision_late{&info, check};

} // namespace censusqa::ehcp_timeliness
