// AP004: an open placement with no planned end date.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP004",
    Severity::query,
    Scope::placement,
    Actor::la_ap,
    "Open placement with no planned end",
    "Statutory guidance expects every AP placement to have clear objectives and a planned end; without one, "
    "placements drift into long stays.",
    "Agree and record the planned end date and the exit plan with the school and the provider.",
    needs_ap_placements,
    "planned_end_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) return ctx.skip("no reference date");
  if (!any_carries_plan(ctx.data)) return ctx.skip(no_plan_fields);
  for (const ApPlacement& p : ctx.data.ap_placements)
    if (p.carries_plan() && p.open_on(*ctx.run.reference_date) && !p.planned_end_date)
      ctx.report_school(p.home_laestab, p.placement_id, p.source,
                        "The placement started on " + p.start_date->iso() + " is open with no planned end date",
                        {{"start_date", p.start_date->iso()}}, p.upn);
}

} // namespace

const Rule ap004_no_exit_plan{&info, check};

} // namespace censusqa::ap_reintegration
