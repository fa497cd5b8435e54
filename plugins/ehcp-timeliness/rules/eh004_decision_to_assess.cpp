// EH004: the decision whether to assess took, or is taking, more than 6 weeks.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH004",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Decision whether to assess later than 6 weeks",
    "The LA must tell the family whether it will assess within 6 weeks (42 days) of the request (SEND Regulations "
    "2014, reg. 5); the DfE publishes each LA's share decided in time.",
    "If the decision date is wrong, correct it; if the decision was late, record why. For a request still "
    "undecided, decide it now.",
    needs_ehcp_cases,
    "request_date, request_outcome, request_outcome_date"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.request_date) continue; // EH001's finding
    if (c.request_outcome_date) {
      const int days = c.request_outcome_date->days_since(*c.request_date);
      if (days > decision_to_assess_days)
        ctx.report_case(c,
                        "The decision whether to assess was made " + std::to_string(days) +
                            " days after the request, more than the 42 allowed",
                        {{"request_date", c.request_date->iso()},
                         {"request_outcome_date", c.request_outcome_date->iso()},
                         {"days", std::to_string(days)}});
    } else if ((!c.request_outcome || c.request_outcome == Decision::A) && ctx.run.reference_date) {
      const int days = ctx.run.reference_date->days_since(*c.request_date);
      if (days > decision_to_assess_days)
        ctx.report_case(c,
                        "No decision whether to assess " + std::to_string(days) +
                            " days after the request (42 allowed) at the reference date",
                        {{"request_date", c.request_date->iso()}, {"days", std::to_string(days)}});
    }
  }
}

} // namespace

const Rule eh004_decision_to_assess{&info, check};

} // namespace censusqa::ehcp_timeliness
