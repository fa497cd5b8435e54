// ST001: a pupil on roll who missed 10% or more of possible sessions (persistent absence).
#include "rules.hpp"

#include <censusqa/school_age.hpp> // absence_rate: the DfE's rate, from the SDK

#include <cstdio>

namespace starter {
namespace {

using namespace censusqa;

constexpr RuleInfo info{
    .code = "ST001",
    .severity = Severity::info,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil persistently absent this term",
    .why = "Persistent absence (missing 10% or more of possible sessions) is the DfE's measure of pupils at risk of "
           "falling behind; pupils with SEN are persistently absent about twice as often as their peers.",
    .how_to_fix = "Check the attendance codes in the MIS for this pupil; if they are right, make sure the pupil's "
                  "absence is known to the attendance lead and, for a pupil with SEN, the SENCO.",
    .needs = needs_census,
    .fields = "SessionsPossible, SessionsAuthorised, SessionsUnauthorised"};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    const auto a = absence_of(ctx.data, p);
    if (!a || !a->persistent()) continue; // the SDK's definition: 10% or more of possible sessions
    char rate[16];
    std::snprintf(rate, sizeof rate, "%.1f%%", absence_rate(*a));
    ctx.report_pupil(p,
                     "Missed " + std::to_string(a->missed()) + " of " + std::to_string(a->possible) +
                         " possible sessions this term",
                     {{"SessionsPossible", std::to_string(a->possible)},
                      {"SessionsMissed", std::to_string(a->missed())},
                      {"AbsenceRate", rate}});
  }
}

} // namespace

const Rule st001_persistent_absence{&info, check};

} // namespace starter
