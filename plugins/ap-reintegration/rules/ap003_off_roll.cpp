// AP003: an open placement for a pupil on roll at no school in the census.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP003",
    Severity::query,
    Scope::placement,
    Actor::la_ap,
    "Pupil in AP but on roll at no school",
    "A pupil in alternative provision should stay on a school's roll (dual registered, or on the roll of the "
    "provider where it is itself a school); a pupil on no census at all is at risk of being missing from education. "
    "A placement whose UPN is not a valid UPN is not checked: its loader reports the UPN (IN003, IN017).",
    "Find the pupil's school and make sure the pupil is registered (usually dual registration with the provider).",
    needs_ap_placements | needs_census,
    "upn; census"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) return ctx.skip("no reference date");
  for (const ApPlacement& p : ctx.data.ap_placements) {
    // A UPN that is not valid is the loader's finding (IN003 for ap_placements.csv, IN017 for the AP
    // census): it cannot be looked up, so it is no evidence that the pupil is on no roll.
    if (!p.open_on(*ctx.run.reference_date) || !upn_valid(p.upn)) continue;
    if (!ctx.data.pupils_with_upn(p.upn).empty()) continue;
    ctx.report_school(p.home_laestab, p.placement_id, p.source,
                      "Pupil " + p.upn + " is in an open placement at " +
                          (p.provider_name.empty() ? std::string("an AP provider") : p.provider_name) +
                          " but on roll at no school in the census",
                      {{"upn", p.upn}}, p.upn);
  }
}

} // namespace

const Rule ap003_off_roll{&info, check};

} // namespace censusqa::ap_reintegration
