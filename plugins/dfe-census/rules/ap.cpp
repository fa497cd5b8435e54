// dfe-census, ap: school-arranged alternative provision (APPlacementDetails/SchoolArrangedAPDetail, from
// 2022/23; DfE rules 2360-2392). Each rule: its metadata, its check, its Rule.
#include "common.hpp"
#include "rules.hpp"

namespace censusqa::dfe_census {
namespace {

/// The school-arranged AP module is collected from the 2022/23 census (census day on or after 1 August 2022).
bool carries_ap(const CensusReturn& r) {
  static constexpr Date from = *Date::from_ymd(2022, 8, 1);
  return r.reference_date && *r.reference_date >= from;
}
constexpr std::string_view no_ap = "school-arranged alternative provision is collected only from the 2022/23 census, "
                                   "and no return is from then";

std::string iso_or_none(const std::optional<Date>& d) { return d ? d->iso() : std::string("none"); }

// DFE2364: a placement naming none of the provider's URN, UKPRN or setting type.
constexpr RuleInfo dfe2364_info{
    .code = "DFE2364",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "School-arranged AP placement names no provider or setting type",
    .why = "A school-arranged alternative provision placement must say where the pupil goes: the provider's URN or "
           "UKPRN, or, for a setting that has neither, its setting type. A placement with none of the three cannot be "
           "placed, so COLLECT rejects it. A URN or UKPRN the loader could not read is its own finding, not this one "
           "(DfE rule 2364).",
    .how_to_fix = "Enter the provider's URN (or UKPRN) for the placement in the MIS, or its AP setting type when the "
                  "provider has neither.",
    .needs = needs_census,
    .fields = "SchoolArrangedAPDetail: URN, UKPRN, APSettingType",
    .dfe_rule = "2364",
    .dfe_match = DfeMatch::exact};

void dfe2364_check(RuleContext& ctx) {
  for_each_pupil(ctx, true, carries_ap, no_ap, [&](const Pupil& p) {
    for (const SchoolArrangedAp& a : ctx.data.school_ap_of(p)) {
      if (!a.urn.empty() || !a.ukprn.empty() || !a.setting_type.empty()) continue;
      const std::uint32_t i = ctx.data.index_of(a);
      if (ctx.data.raw_value(Entity::school_ap, i, Field::ap_urn) ||
          ctx.data.raw_value(Entity::school_ap, i, Field::ap_ukprn) ||
          ctx.data.raw_value(Entity::school_ap, i, Field::ap_setting_type))
        continue; // given but unreadable: the loader's IN003/IN004
      ctx.report_pupil(p, a.source,
                       "School-arranged AP placement from " + iso_or_none(a.entry_date) +
                           " gives no URN, UKPRN or AP setting type",
                       {{"EntryDate", iso_or_none(a.entry_date)}, {"URN", ""}, {"UKPRN", ""}, {"APSettingType", ""}});
    }
  });
}

// DFE2372: a leaver's placement without a leaving date, or leaving after the pupil left the school.
constexpr RuleInfo dfe2372_info{
    .code = "DFE2372",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Leaver's AP placement has no leaving date, or one after the pupil left",
    .why = "A school arranges alternative provision for pupils on its roll: when a pupil leaves the school, each of "
           "its placements has ended, on or before the day it left. COLLECT rejects a leaver's placement with no "
           "leaving date or with one after the pupil's leaving date (DfE rule 2372).",
    .how_to_fix = "Enter the date the pupil left the placement in the MIS (on or before the day it left the school), "
                  "or correct the pupil's leaving date.",
    .needs = needs_census,
    .fields = "SchoolArrangedAPDetail/LeavingDate, LeavingDate",
    .dfe_rule = "2372",
    .dfe_match = DfeMatch::exact};

void dfe2372_check(RuleContext& ctx) {
  for_each_return(ctx, carries_ap, no_ap, [&](const CensusReturn& r) {
    for (const Pupil& p : ctx.data.leavers_of(r))
      for (const SchoolArrangedAp& a : ctx.data.school_ap_of(p)) {
        if (!a.leaving_date) {
          if (ctx.data.raw_value(Entity::school_ap, ctx.data.index_of(a), Field::ap_leaving_date)) continue;
          ctx.report_pupil(p, a.source,
                           "AP placement from " + iso_or_none(a.entry_date) +
                               " has no leaving date, though the pupil left the school on " +
                               iso_or_none(p.leaving_date),
                           {{"SchoolArrangedAPDetail/LeavingDate", ""}, {"LeavingDate", iso_or_none(p.leaving_date)}});
        } else if (p.leaving_date && *a.leaving_date > *p.leaving_date) {
          ctx.report_pupil(
              p, a.source,
              "AP placement left on " + a.leaving_date->iso() + ", after the pupil left the school on " +
                  p.leaving_date->iso(),
              {{"SchoolArrangedAPDetail/LeavingDate", a.leaving_date->iso()}, {"LeavingDate", p.leaving_date->iso()}});
        }
      }
  });
}

const Rule ap[] = {
    {&dfe2364_info, dfe2364_check},
    {&dfe2372_info, dfe2372_check},
};

} // namespace

std::span<const Rule> ap_rules() { return ap; }

} // namespace censusqa::dfe_census
