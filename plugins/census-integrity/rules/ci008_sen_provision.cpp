// CI008: SEN provision missing (DfE rule 2120; an unreadable code is the loader's finding).
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI008",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "SEN provision missing",
    "SENprovision is collected for every pupil in every census; without it the pupil cannot be counted as having "
    "no SEN, SEN support or an EHC plan (DfE rule 2120). A code that is not N, K or E (the retired S, A or P, "
    "say) is the loader's finding on SENprovision (IN004), which carries the DfE rule, and is not reported again "
    "here.",
    "Record N (no SEN), K (SEN support) or E (EHC plan) for the pupil in the MIS.",
    needs_census,
    "SENprovision",
    "2120",
    DfeMatch::partial};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (p.sen_provision || ctx.data.raw_value(Entity::pupil, ctx.data.index_of(p), Field::sen_provision)) continue;
    ctx.report_pupil(p, "SEN provision is missing", {{"SENprovision", ""}});
  }
}

} // namespace

const Rule ci008_sen_provision{&info, check};

} // namespace censusqa::census_integrity
