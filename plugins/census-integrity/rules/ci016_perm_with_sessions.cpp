// CI016: a permanent exclusion that gives sessions.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI016",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Permanent exclusion with sessions",
    "Sessions are the length of a suspension; a permanent exclusion has none. Sessions on a PERM mean the category "
    "or the sessions are wrong (COLLECT rule 2330).",
    "Correct the exclusion in the MIS: remove the sessions of a permanent exclusion, or record the exclusion as a "
    "suspension if that is what it was.",
    needs_census,
    "Category, Sessions",
    "2330",
    DfeMatch::exact};

void check(RuleContext& ctx) {
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    for (const Exclusion& e : ctx.data.exclusions_of(p))
      if (e.category == ExclusionCategory::PERM && e.sessions) {
        ctx.report_pupil(p, e.source,
                         "Permanent exclusion" + (e.start_date ? " from " + e.start_date->iso() : std::string()) +
                             " gives " + std::to_string(*e.sessions) + " sessions",
                         {{"Category", "PERM"}, {"Sessions", std::to_string(*e.sessions)}});
        return;
      }
  });
}

} // namespace

const Rule ci016_perm_with_sessions{&info, check};

} // namespace censusqa::census_integrity
