// EH012: a plan ceased with no reason recorded, or a reason with no cease date (SEN2 only: the
// reason is SEN2's NamedPlan/CeaseReason; ehcp_cases.csv has no such column).
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH012",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Plan ceased with no reason",
    "The DfE publishes ceased plans by reason and counts those \"where reason is not recorded\" (EHC plans data "
    "guidance, ceased_plans); a reason without a cease date cannot be counted at all. No numbered DfE SEN2 rule was "
    "found for it in public material.",
    "Record the CeaseReason (1 to 9) with the CeaseDate in the case management system, or remove the one given "
    "alone.",
    needs_ehcp_cases,
    "plan_ceased_date, CeaseReason (SEN2)"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (c.origin != EhcOrigin::sen2) continue;
    if (c.plan_ceased_date && !c.cease_reason)
      ctx.report_case(c, "The plan ceased on " + c.plan_ceased_date->iso() + " with no CeaseReason",
                      {{"plan_ceased_date", c.plan_ceased_date->iso()}});
    else if (!c.plan_ceased_date && c.cease_reason)
      ctx.report_case(c, "CeaseReason " + std::to_string(*c.cease_reason) + " is given with no CeaseDate",
                      {{"cease_reason", std::to_string(*c.cease_reason)}});
  }
}

} // namespace

const Rule eh012_ceased_without_reason{&info, check};

} // namespace censusqa::ehcp_timeliness
