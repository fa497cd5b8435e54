// AP007: a reintegration that broke down within sustain_weeks.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP007",
    Severity::query,
    Scope::pupil,
    Actor::la_ap,
    "Reintegration broke down",
    "A return to mainstream counts as sustained only if no new placement and no permanent exclusion follows within "
    "sustain_weeks (default 12, counted inclusively from the end date); a breakdown means the return needed more "
    "support than it had.",
    "Review the reintegration plan with the school: what support followed the return, and what should change for "
    "this pupil.",
    needs_ap_placements,
    "end_date, destination; later placements; census permanent exclusions (this census and the previous one)"};

void check(RuleContext& ctx) {
  const Limits limits = read_limits(ctx.config);
  for (const auto& [upn, placements] : placements_by_pupil(ctx.data)) {
    for (const ApPlacement* p : placements) {
      if (!reintegrated_placement(*p)) continue;
      const auto b = breakdown_after(ctx.data, *p, placements, limits);
      if (!b) continue;
      ctx.report_school(
          p->home_laestab, upn, p->source,
          "The return to " + words(*p->destination) + " after placement " + p->placement_id + " (ended " +
              p->end_date->iso() + ") broke down: " + b->what + " on " + b->date.iso() + ", " +
              std::to_string(b->date.days_since(*p->end_date)) + " days later",
          {{"placement_id", p->placement_id}, {"end_date", p->end_date->iso()}, {"breakdown", b->date.iso()}}, upn);
      break; // one finding per pupil: the first breakdown
    }
  }
}

} // namespace

const Rule ap007_breakdown{&info, check};

} // namespace censusqa::ap_reintegration
