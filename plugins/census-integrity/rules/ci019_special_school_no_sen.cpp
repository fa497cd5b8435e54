// CI019: a pupil at a special school recorded with no SEN.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI019",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "Pupil at a special school with no SEN recorded",
    "A special school admits pupils for their special educational needs, nearly all with an EHC plan (section 34 "
    "of the Children and Families Act 2014 allows a place without one only in set cases, such as an assessment "
    "place): a pupil on its roll with SEN provision N is almost always a recording slip (the plan or the SEN "
    "support not carried into the MIS), and leaves the pupil out of the LA's and the DfE's SEN figures.",
    "Check the pupil's SEN provision in the MIS against the EHC plan or the placement decision and record E (or K); "
    "if the pupil truly has no SEN (an assessment place, say), explain the query.",
    needs_census | needs_schools,
    "SENprovision; schools.csv phase"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    const School* s = ctx.data.find_school(r.laestab);
    if (!s || s->phase != Phase::special) continue;
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (p.sen_provision == SenProvision::N)
        ctx.report_pupil(p,
                         "On the roll of " +
                             (s->name.empty() ? std::string("a special school") : s->name + ", a special school,") +
                             " with SEN provision N: no SEN support and no EHC plan",
                         {{"SENprovision", "N"}, {"phase", "special"}});
  }
}

} // namespace

const Rule ci019_special_school_no_sen{&info, check};

} // namespace censusqa::census_integrity
