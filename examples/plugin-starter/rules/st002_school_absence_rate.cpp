// ST002: a school whose persistent absence rate is above the LA's threshold (option max_pct).
#include "rules.hpp"

#include <cstdio>

namespace starter {
namespace {

using namespace censusqa;

constexpr RuleInfo info{
    .code = "ST002",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "School's persistent absence rate above the threshold",
    .why = "A high share of pupils missing 10% or more of sessions is worth a conversation with the school, and can "
           "also mean attendance was exported for the wrong dates.",
    .how_to_fix = "Check that the census attendance covers the right term's dates; if it does, the LA's attendance "
                  "team follows up with the school.",
    .needs = needs_census,
    .fields = "SessionsPossible, SessionsAuthorised, SessionsUnauthorised; option max_pct"};

void check(RuleContext& ctx) {
  const double max_pct = ctx.config.get_number("max_pct");
  for (const CensusReturn& r : ctx.data.returns) {
    std::int64_t with_attendance = 0, persistent = 0;
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (const auto a = absence_of(ctx.data, p)) {
        ++with_attendance;
        persistent += a->persistent();
      }
    if (with_attendance == 0) continue;
    const double pct = 100.0 * static_cast<double>(persistent) / static_cast<double>(with_attendance);
    if (pct <= max_pct) continue;
    char threshold[32];
    std::snprintf(threshold, sizeof threshold, "%g%%", max_pct);
    ctx.report_school(r.laestab, r.laestab, r.source,
                      std::to_string(persistent) + " of " + std::to_string(with_attendance) +
                          " pupils are persistently absent, above the threshold of " + threshold,
                      {{"persistent_absentees", std::to_string(persistent)},
                       {"pupils_with_attendance", std::to_string(with_attendance)}});
  }
}

} // namespace

const Rule st002_school_absence_rate{&info, check};

} // namespace starter
