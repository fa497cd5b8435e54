// AP011: a placement the LA returns in its AP census that a school also returns as its own.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP011",
    Severity::query,
    Scope::placement,
    Actor::la_ap,
    "Placement in the AP census and in a school's census",
    "A placement arranged and funded by the LA belongs in the LA's AP census; one a school arranged belongs in that "
    "school's census (its school-arranged AP module) and not in the AP census (the DfE's AP census guide, 'which "
    "pupils to include'). The same pupil with the same provider in both is counted twice in the national AP "
    "figures, and where the two disagree on the dates at least one of them is wrong.",
    "Agree with the school who arranged the placement: keep it in that return only, and make its entry and leaving "
    "dates the provider's.",
    needs_ap_placements | needs_census,
    "AP census placement; SchoolArrangedAPDetail URN, UKPRN, APSettingType, EntryDate, LeavingDate"};

std::string iso_or_none(const std::optional<Date>& d) { return d ? d->iso() : std::string("none"); }

// The same provider: the same URN, the same UKPRN, or (neither given on either side) the same setting type.
bool same_provider(const ApPlacement& p, const SchoolArrangedAp& a) {
  if (!p.provider_urn.empty() || !a.urn.empty()) return p.provider_urn == a.urn;
  if (!p.provider_ukprn.empty() || !a.ukprn.empty()) return p.provider_ukprn == a.ukprn;
  return !p.provider_type.empty() && a.setting_type == p.provider_type;
}

// Both run over a common day (an open end runs on).
bool overlap(const ApPlacement& p, const SchoolArrangedAp& a) {
  if (!p.start_date || !a.entry_date) return true;
  const bool p_before = p.end_date && *p.end_date < *a.entry_date;
  const bool a_before = a.leaving_date && *a.leaving_date < *p.start_date;
  return !p_before && !a_before;
}

std::string where(const Dataset& d, SourceRef s) {
  return s.file < d.files.size() ? ", " + d.files[s.file].path + " line " + std::to_string(s.line) : std::string();
}

void check(RuleContext& ctx) {
  bool any = false;
  for (const ApPlacement& p : ctx.data.ap_placements) {
    if (p.origin != ApOrigin::ap_census) continue;
    any = true;
    if (p.upn.empty()) continue;
    for (const std::uint32_t i : ctx.data.pupils_with_upn(p.upn)) {
      const Pupil& pupil = ctx.data.pupils[i];
      const CensusReturn& r = ctx.data.return_of(pupil);
      for (const SchoolArrangedAp& a : ctx.data.school_ap_of(pupil)) {
        if (!same_provider(p, a) || !overlap(p, a)) continue;
        std::vector<std::string> differ;
        if (p.start_date != a.entry_date)
          differ.push_back("entry " + iso_or_none(p.start_date) + " in the AP census, " + iso_or_none(a.entry_date) +
                           " in the school's");
        if (p.end_date != a.leaving_date)
          differ.push_back("leaving " + iso_or_none(p.end_date) + " in the AP census, " + iso_or_none(a.leaving_date) +
                           " in the school's");
        if (p.sessions_per_week && a.sessions_per_week && *p.sessions_per_week != *a.sessions_per_week)
          differ.push_back("sessions a week " + std::to_string(*p.sessions_per_week) + " in the AP census, " +
                           std::to_string(*a.sessions_per_week) + " in the school's");
        std::string how;
        for (std::size_t k = 0; k < differ.size(); ++k)
          how += (k ? "; " : "") + differ[k];
        const std::string provider = !p.provider_urn.empty()     ? "URN " + p.provider_urn
                                     : !p.provider_ukprn.empty() ? "UKPRN " + p.provider_ukprn
                                                                 : "setting type " + p.provider_type;
        ctx.report_school(r.laestab, p.placement_id, p.source,
                          "The AP census placement with " + provider + " is also returned by school " + r.laestab +
                              " as one it arranged (SchoolArrangedAPDetail" + where(ctx.data, a.source) +
                              "): a placement belongs in one of them" +
                              (how.empty() ? std::string(", and the two agree on its dates")
                                           : std::string(", and they disagree: ") + how),
                          {{"provider", provider},
                           {"ap_census_entry", iso_or_none(p.start_date)},
                           {"school_census_entry", iso_or_none(a.entry_date)},
                           {"ap_census_leaving", iso_or_none(p.end_date)},
                           {"school_census_leaving", iso_or_none(a.leaving_date)}},
                          p.upn);
      }
    }
  }
  if (!any) ctx.skip("no AP placement comes from the AP census (ap_census/)");
}

} // namespace

const Rule ap011_in_both_censuses{&info, check};

} // namespace censusqa::ap_reintegration
