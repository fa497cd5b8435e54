// ST001: a pupil on roll who missed 10% or more of possible sessions (persistent absence).
#include "rules.hpp"

namespace starter {
namespace {

using namespace censusqa;

constexpr RuleInfo info{
    "ST001",
    Severity::info,
    Scope::pupil,
    Actor::school,
    "Pupil persistently absent this term",
    "Persistent absence (missing 10% or more of possible sessions) is the DfE's measure of pupils at risk of "
    "falling behind; pupils with SEN are persistently absent about twice as often as their peers.",
    "Check the attendance codes in the MIS for this pupil; if they are right, make sure the pupil's absence is "
    "known to the attendance lead and, for a pupil with SEN, the SENCO.",
    needs_census,
    "SessionsPossible, SessionsAuthorised, SessionsUnauthorised"};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    const auto a = absence_of(ctx.data, p);
    if (!a || !a->persistent()) continue;
    ctx.report_pupil(
        p,
        "Missed " + std::to_string(a->missed()) + " of " + std::to_string(a->possible) + " possible sessions this term",
        {{"SessionsPossible", std::to_string(a->possible)}, {"SessionsMissed", std::to_string(a->missed())}});
  }
}

} // namespace

const Rule st001_persistent_absence{&info, check};

} // namespace starter
