// PN003: need type not in the code list.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN003",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Type of need not in the code list",
    "Only the 13 DfE need codes (SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA) are counted; any "
    "other value, or a need with no type, leaves the pupil's need unknown. A need with a rank and no type is "
    "DFE2130's (COLLECT's rule 2130), and not reported here.",
    "Record the need with one of the DfE codes in the MIS (for example ASD, not 'autism').",
    needs_census,
    "SENtype"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      std::string bad;
      for (const SenNeed& n : ctx.data.needs_of(p)) {
        if (n.type) continue;
        const auto raw = ctx.data.raw_value(Entity::need, ctx.data.index_of(n), Field::need_type);
        // A ranked need with no type at all is DFE2130's (COLLECT's rule 2130): not reported twice.
        if (!raw && (n.rank || ctx.data.raw_value(Entity::need, ctx.data.index_of(n), Field::need_rank))) continue;
        if (!bad.empty()) bad += ", ";
        if (raw) {
          bad += '\'';
          bad += *raw;
          bad += '\'';
        } else {
          bad += "a need with no type";
        }
      }
      if (!bad.empty()) ctx.report_pupil(p, "Type of need not in the DfE code list: " + bad, {{"SENtype", bad}});
    }
  }
}

} // namespace

const Rule pn003_need_code{&info, check};

} // namespace censusqa::primary_need
