// CI008: SEN provision missing or not N, K, E.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI008",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "SEN provision missing or not N, K or E",
    "SENprovision is collected for every pupil in every census; without a valid code the pupil cannot be counted "
    "as having no SEN, SEN support or an EHC plan.",
    "Record N (no SEN), K (SEN support) or E (EHC plan) for the pupil in the MIS.",
    needs_census,
    "SENprovision"};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (p.sen_provision) continue;
    const auto raw = ctx.data.raw_value(Entity::pupil, ctx.data.index_of(p), Field::sen_provision);
    if (raw)
      ctx.report_pupil(p, "SEN provision '" + std::string(*raw) + "' is not N, K or E",
                       {{"SENprovision", std::string(*raw)}});
    else
      ctx.report_pupil(p, "SEN provision is missing", {{"SENprovision", ""}});
  }
}

} // namespace

const Rule ci008_sen_provision{&info, check};

} // namespace censusqa::census_integrity
