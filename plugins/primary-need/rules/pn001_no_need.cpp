// PN001: SEN support or an EHC plan with no type of need recorded (DfE rule 2170).
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
    "without it the pupil is missing from the national and LA primary-need figures that drive commissioning. "
    "COLLECT rejects such a pupil with no valid type of need: no need at all, or needs none of which has a type "
    "(a type the loader could not read is its own finding, and not reported again here) (DfE rule 2170).",
    "Record the pupil's primary need (rank 1) in the MIS; use NSA only at SEN support where no specialist "
    "assessment has been made.",
    needs_census,
    "SENprovision, SENneeds",
    "2170",
    DfeMatch::exact};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (p.sen_provision != SenProvision::K && p.sen_provision != SenProvision::E) continue;
      bool typed = false, unreadable = false;
      for (const SenNeed& n : ctx.data.needs_of(p)) {
        typed = typed || n.type.has_value();
        unreadable = unreadable || ctx.data.raw_value(Entity::need, ctx.data.index_of(n), Field::need_type);
      }
      if (typed || unreadable) continue;
      const std::string provision(name(*p.sen_provision));
      ctx.report_pupil(p,
                       p.need_count == 0
                           ? "Pupil has SEN provision " + provision + " but no SEN need is recorded"
                           : "Pupil has SEN provision " + provision + " but none of its SEN needs has a type of need",
                       {{"SENprovision", provision}});
    }
  }
}

} // namespace

const Rule pn001_no_need{&info, check};

} // namespace censusqa::primary_need
