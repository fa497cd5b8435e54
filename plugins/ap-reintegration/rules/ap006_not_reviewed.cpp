// AP006: an open placement over 12 weeks old with no recent review.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP006",
    Severity::query,
    Scope::placement,
    Actor::la_ap,
    "Long placement not reviewed",
    "Placements are to be reviewed regularly so that the pupil returns as soon as they are ready; an open placement "
    "over 12 weeks old with no review in the last review_weeks (default 12) has lost sight of that.",
    "Hold a review with the school, the provider and the family, and record its date.",
    needs_ap_placements,
    "start_date, last_review_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) return ctx.skip("no reference date");
  const Limits limits = read_limits(ctx.config);
  const Date ref = *ctx.run.reference_date;
  if (!any_carries_plan(ctx.data)) return ctx.skip(no_plan_fields);
  for (const ApPlacement& p : ctx.data.ap_placements) {
    if (!p.carries_plan() || !p.open_on(ref) || ref.days_since(*p.start_date) <= 12 * 7) continue;
    if (p.last_review_date && ref.days_since(*p.last_review_date) <= limits.review_weeks * 7) continue;
    ctx.report_school(p.home_laestab, p.placement_id, p.source,
                      "The placement has run " + std::to_string(ref.days_since(*p.start_date)) + " days and " +
                          (p.last_review_date ? "was last reviewed on " + p.last_review_date->iso()
                                              : std::string("has never been reviewed")),
                      {{"start_date", p.start_date->iso()},
                       {"last_review_date", p.last_review_date ? p.last_review_date->iso() : ""}},
                      p.upn);
  }
}

} // namespace

const Rule ap006_not_reviewed{&info, check};

} // namespace censusqa::ap_reintegration
