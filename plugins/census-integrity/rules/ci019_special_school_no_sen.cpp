// CI019: a pupil at a special school recorded with no SEN.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI019",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Pupil at a special school with no SEN recorded",
    "A special school admits pupils for their special educational needs, nearly all with an EHC plan: a pupil on "
    "its roll with SEN provision N is almost always a recording slip (the plan or the SEN support not carried into "
    "the MIS), and leaves the pupil out of the LA's and the DfE's SEN figures. COLLECT rejects it as an error, "
    "and so does this rule (it used to be a query). The school is special by its return's phase (SP), or, when "
    "the return gives no phase, by the LA's register (DfE rule 2180).",
    "Check the pupil's SEN provision in the MIS against the EHC plan or the placement decision and record E (or K).",
    needs_census,
    "SENprovision, Phase; schools.csv phase",
    "2180",
    DfeMatch::exact};

// Special by the return's phase; by the register only when the return gives none.
bool special(const CensusReturn& r, const School* s) {
  if (!r.phase_code.empty()) return r.phase_code == "SP";
  return s && s->phase == Phase::special;
}

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    const School* s = ctx.data.find_school(r.laestab);
    if (!special(r, s)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (p.sen_provision == SenProvision::N)
        ctx.report_pupil(
            p,
            "On the roll of " +
                (!s || s->name.empty() ? std::string("a special school") : s->name + ", a special school,") +
                " with SEN provision N: no SEN support and no EHC plan",
            {{"SENprovision", "N"}, {"phase", "special"}});
  }
}

} // namespace

const Rule ci019_special_school_no_sen{&info, check};

} // namespace censusqa::census_integrity
