// PN004: no SEN (N) but a need recorded.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN004",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Need recorded for a pupil with no SEN",
    "A type of need is only collected for pupils at SEN support or with an EHC plan; a need on a pupil recorded as "
    "N usually means the SEN provision was ended and the needs were left behind, or the provision is wrong "
    "(DfE rule 2125).",
    "Either record the pupil's SEN provision (K or E) or remove the needs in the MIS.",
    needs_census,
    "SENprovision, SENneeds",
    "2125",
    DfeMatch::exact};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (p.sen_provision == SenProvision::N && p.need_count > 0)
        ctx.report_pupil(p,
                         "Pupil has SEN provision N but " + std::to_string(p.need_count) +
                             (p.need_count == 1 ? " need is" : " needs are") + " recorded",
                         {{"SENprovision", "N"}, {"needs", std::to_string(p.need_count)}});
  }
}

} // namespace

const Rule pn004_need_without_sen{&info, check};

} // namespace censusqa::primary_need
