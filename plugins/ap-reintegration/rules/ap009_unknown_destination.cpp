// AP009: a placement ended to an unknown destination, or to NEET, for a pupil of compulsory school age.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP009",
    Severity::info,
    Scope::placement,
    Actor::la_ap,
    "Ended to an unknown destination or NEET at compulsory school age",
    "A pupil of compulsory school age (5 or over, and in year 11 or below: under 16 on the 31 August before the "
    "end date) must be in education; an unknown or NEET destination means the pupil may be missing from education. "
    "The date of birth comes from the census; pupils not in it are not judged.",
    "Find where the pupil is now and record the destination; refer to children missing education if unknown.",
    needs_ap_placements | needs_census,
    "destination, end_date; census DOB"};

void check(RuleContext& ctx) {
  for (const ApPlacement& p : ctx.data.ap_placements) {
    if (!p.end_date || (p.destination != ApDestination::unknown && p.destination != ApDestination::neet)) continue;
    std::optional<Date> dob;
    for (const auto i : ctx.data.pupils_with_upn(p.upn))
      if (ctx.data.pupils[i].dob) dob = ctx.data.pupils[i].dob;
    if (!dob) continue;
    const bool compulsory = dob->age_on(*p.end_date) >= 5 && dob->age_on(academic_year_start_eve(*p.end_date)) <= 15;
    if (!compulsory) continue;
    ctx.report_school(p.home_laestab, p.placement_id, p.source,
                      "The placement ended on " + p.end_date->iso() + " with destination " + words(*p.destination) +
                          " for a pupil of compulsory school age",
                      {{"destination", std::string(name(*p.destination))}, {"end_date", p.end_date->iso()}}, p.upn);
  }
}

} // namespace

const Rule ap009_unknown_destination{&info, check};

} // namespace censusqa::ap_reintegration
