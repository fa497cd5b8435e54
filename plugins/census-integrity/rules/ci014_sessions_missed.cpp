// CI014: more sessions missed than sessions possible in an attendance module.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI014",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "More sessions missed than possible",
    "A pupil cannot miss more sessions than it could have attended: the absence rate of the school would exceed "
    "100% for that pupil and the whole school's figure is wrong (COLLECT rules 2530 and 2582).",
    "Check the pupil's attendance marks for the period in the MIS (often a wrong entry date shortens the sessions "
    "possible) and re-export.",
    needs_census,
    "SessionsPossible, SessionDetail, SessionsAuthorised, SessionsUnauthorised",
    "2530, 2582", // the termly module's, the second summer half-term's (an annual module's has no number here)
    DfeMatch::exact};

// The DfE rule of a module's finding: 2530 termly, 2582 the second summer half-term, none for an annual module.
std::string_view dfe_rule_of(AttendancePeriod period) {
  switch (period) {
  case AttendancePeriod::termly: return "2530";
  case AttendancePeriod::summer_half_term_2: return "2582";
  case AttendancePeriod::annual: break;
  }
  return {};
}

void check(RuleContext& ctx) {
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    for (const Attendance& a : ctx.data.attendance_of(p)) {
      const Count missed = a.missed();
      if (!a.possible || !missed || *missed <= *a.possible) continue;
      const std::string module(element_name(a.period));
      ctx.for_dfe(dfe_rule_of(a.period))
          .report_school(
              ctx.data.return_of(p).laestab, (p.upn.empty() ? "line " + std::to_string(a.line) : p.upn) + "." + module,
              {p.source.file, a.line},
              module + ": " + std::to_string(*missed) + " sessions missed of " + std::to_string(*a.possible) +
                  " possible",
              {{"SessionsPossible", std::to_string(*a.possible)}, {"sessions_missed", std::to_string(*missed)}}, p.upn);
    }
  });
}

} // namespace

const Rule ci014_sessions_missed{&info, check};

} // namespace censusqa::census_integrity
