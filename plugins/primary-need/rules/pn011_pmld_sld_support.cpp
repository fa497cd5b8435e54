// PN011: PMLD or SLD as the primary need at SEN support in a mainstream school.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN011",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "PMLD or SLD at SEN support in a mainstream school",
    "Profound and multiple, or severe, learning difficulties almost always bring an EHC plan and often a special "
    "school place; at SEN support in a mainstream school the code is usually a mistake for MLD or SPLD.",
    "Check the pupil's assessment: correct the need (often MLD) or, if it is right, explain the query and consider "
    "requesting an EHC needs assessment.",
    needs_census | needs_schools,
    "SENprovision, SENtype; schools.csv phase"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    const School* school = ctx.data.find_school(r.laestab);
    if (!school || !mainstream(school->phase)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (p.sen_provision != SenProvision::K) continue;
      const auto need = ctx.data.primary_need_of(p);
      if (need == NeedType::PMLD || need == NeedType::SLD)
        ctx.report_pupil(p,
                         std::string(name(*need)) + " is the primary need of a pupil at SEN support in a " +
                             std::string(name(*school->phase)) + " school",
                         {{"SENprovision", "K"}, {"SENtype", std::string(name(*need))}});
    }
  }
}

} // namespace

const Rule pn011_pmld_sld_support{&info, check};

} // namespace censusqa::primary_need
