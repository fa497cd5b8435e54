// PN001: SEN support or an EHC plan with no SEN need recorded.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN001",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "SEN pupil with no type of need",
    "The spring census collects the type of need of every pupil at SEN support (K) or with an EHC plan (E); "
    "without it the pupil is missing from the national and LA primary-need figures that drive commissioning.",
    "Record the pupil's primary need (rank 1) in the MIS; use NSA only at SEN support where no specialist "
    "assessment has been made.",
    needs_census,
    "SENprovision, SENneeds"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r))
      if ((p.sen_provision == SenProvision::K || p.sen_provision == SenProvision::E) && p.need_count == 0)
        ctx.report_pupil(
            p, "Pupil has SEN provision " + std::string(name(*p.sen_provision)) + " but no SEN need is recorded",
            {{"SENprovision", std::string(name(*p.sen_provision))}});
  }
}

} // namespace

const Rule pn001_no_need{&info, check};

} // namespace censusqa::primary_need
