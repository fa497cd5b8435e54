// AP002: an end date without a destination, or a destination without an end date.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP002",
    Severity::error,
    Scope::placement,
    Actor::la_ap,
    "End date and destination do not go together",
    "A placement that has ended must say where the pupil went, and only an ended placement has a destination; "
    "without both, reintegration cannot be measured.",
    "Record the destination for an ended placement, or clear the destination (or add the end date) for one still "
    "open.",
    needs_ap_placements,
    "end_date, destination"};

void check(RuleContext& ctx) {
  if (!any_carries_plan(ctx.data)) return ctx.skip(no_plan_fields);
  for (const ApPlacement& p : ctx.data.ap_placements) {
    if (!p.carries_plan()) continue;
    if (p.end_date && !p.destination)
      ctx.report_school(p.home_laestab, p.placement_id, p.source,
                        "The placement ended on " + p.end_date->iso() + " but no destination is recorded",
                        {{"end_date", p.end_date->iso()}}, p.upn);
    else if (!p.end_date && p.destination)
      ctx.report_school(p.home_laestab, p.placement_id, p.source,
                        "A destination (" + words(*p.destination) + ") is recorded but the placement has no end date",
                        {{"destination", std::string(name(*p.destination))}}, p.upn);
  }
}

} // namespace

const Rule ap002_end_and_destination{&info, check};

} // namespace censusqa::ap_reintegration
