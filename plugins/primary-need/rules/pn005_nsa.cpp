// PN005: NSA beside another need or at rank 2 (the LA's check, stricter than DfE rule 2175).
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN005",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "NSA beside another need or at rank 2 (LA check, stricter than DfE rule 2175)",
    "NSA ('SEN support but no specialist assessment of type of need') says that no type of need has been "
    "identified, so it can only be a pupil's single, primary need: NSA at rank 2, or beside another need, "
    "contradicts the other need. COLLECT does not reject these (its rule 2175, NSA where the SEN provision is not "
    "K, is DFE2175's); this is the LA's stricter check, which an LA may turn off.",
    "Record the assessed type of need instead of NSA, or remove NSA where the pupil has another need.",
    needs_census,
    "SENtype, SENtypeRank",
    "2175",
    DfeMatch::stricter};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      const auto needs = ctx.data.needs_of(p);
      const auto nsa =
          std::find_if(needs.begin(), needs.end(), [](const SenNeed& n) { return n.type == NeedType::NSA; });
      if (nsa == needs.end()) continue;
      // NSA with an EHC plan (or no SEN) is DFE2175's: COLLECT's own rule.
      const bool at_rank_2 = nsa->rank == 2, beside = needs.size() > 1;
      if (!at_rank_2 && !beside) continue;
      std::string message = "NSA recorded ";
      if (at_rank_2) message += "at rank 2";
      if (at_rank_2 && beside) message += " and ";
      if (beside) message += "together with another need";
      ctx.report_pupil(
          p, message,
          {{"SENprovision", p.sen_provision ? std::string(name(*p.sen_provision)) : ""}, {"SENtype", "NSA"}});
    }
  }
}

} // namespace

const Rule pn005_nsa{&info, check};

} // namespace censusqa::primary_need
