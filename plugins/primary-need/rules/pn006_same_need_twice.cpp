// PN006: the same need type at rank 1 and rank 2.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN006",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Same type of need at rank 1 and rank 2",
    "A secondary need records a second, different area of need; repeating the primary need at rank 2 adds nothing "
    "and usually hides the real secondary need.",
    "Record the pupil's actual secondary need at rank 2, or remove the rank 2 need.",
    needs_census,
    "SENtype, SENtypeRank"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      const auto needs = ctx.data.needs_of(p);
      for (const SenNeed& a : needs) {
        if (a.rank != 1 || !a.type) continue;
        const bool repeated =
            std::any_of(needs.begin(), needs.end(), [&](const SenNeed& b) { return b.rank == 2 && b.type == a.type; });
        if (repeated) {
          ctx.report_pupil(p, std::string(name(*a.type)) + " is recorded at both rank 1 and rank 2",
                           {{"SENtype", std::string(name(*a.type))}});
          break;
        }
      }
    }
  }
}

} // namespace

const Rule pn006_same_need_twice{&info, check};

} // namespace censusqa::primary_need
