// PN013: the primary need differs from the previous spring census.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN013",
    Severity::info,
    Scope::pupil,
    Actor::school,
    "Primary need changed since the previous spring census",
    "A primary need can change as a pupil is assessed, but coding that flips between terms is a sign of guesswork; "
    "the change is listed for the SENCO to confirm.",
    "Nothing if the change reflects a new assessment; otherwise restore the previous need in the MIS.",
    needs_census | needs_previous,
    "SENtype; previous/ census"};

void check(RuleContext& ctx) {
  const Dataset& before = *ctx.data.previous;
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (!main_registration(p) || p.upn.empty()) continue;
      const auto now = ctx.data.primary_need_of(p);
      if (!now) continue;
      for (const auto i : before.pupils_with_upn(p.upn)) {
        const Pupil& old = before.pupils[i];
        if (!main_registration(old) || !needs_collected(ctx, before.return_of(old))) continue;
        const auto then = before.primary_need_of(old);
        if (then && *then != *now)
          ctx.report_pupil(p,
                           "Primary need changed from " + std::string(name(*then)) +
                               " in the previous spring census to " + std::string(name(*now)),
                           {{"previous_SENtype", std::string(name(*then))}, {"SENtype", std::string(name(*now))}});
        break;
      }
    }
  }
}

} // namespace

const Rule pn013_need_changed{&info, check};

} // namespace censusqa::primary_need
