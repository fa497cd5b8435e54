// CI015: an attendance module's totals disagree with its sessions by reason code.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI015",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Attendance totals disagree with the sessions by reason",
    "When a module gives both its sessions by reason code and its totals, they must agree: censusqa counts the "
    "detail (as COLLECT does), so totals that differ mean the MIS reported the absence twice or from different "
    "marks (COLLECT rule 2505).",
    "Re-export the return after checking the pupil's attendance marks; the export should give the detail by reason "
    "code and totals computed from it.",
    needs_census,
    "SessionDetail, SessionsAuthorised, SessionsUnauthorised",
    "2505, 2577", // the termly module's, the second summer half-term's (an annual module's has no number here)
    DfeMatch::exact};

// The DfE rule of a module's finding: 2505 termly, 2577 the second summer half-term, none for an annual module.
std::string_view dfe_rule_of(AttendancePeriod period) {
  switch (period) {
  case AttendancePeriod::termly: return "2505";
  case AttendancePeriod::summer_half_term_2: return "2577";
  case AttendancePeriod::annual: break;
  }
  return {};
}

void check(RuleContext& ctx) {
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    for (const Attendance& a : ctx.data.attendance_of(p)) {
      if (!a.has_detail) continue;
      std::vector<std::pair<std::string, std::string>> values;
      std::string says;
      auto compare = [&](const Count& given, const Count& derived, const char* element, const char* kind) {
        if (!given || !derived || *given == *derived) return;
        says += (says.empty() ? "" : "; ") + std::string(element) + " " + std::to_string(*given) + " but the " + kind +
                " sessions by reason add up to " + std::to_string(*derived);
        values.emplace_back(element, std::to_string(*given));
        values.emplace_back(std::string(kind) + "_by_reason", std::to_string(*derived));
      };
      compare(a.authorised_given, a.authorised, "SessionsAuthorised", "authorised");
      compare(a.unauthorised_given, a.unauthorised, "SessionsUnauthorised", "unauthorised");
      if (values.empty()) continue;
      // Sessions whose reason code is not valid that year (IN004) are in neither category: say so, since
      // they are the usual reason the detail falls short of the totals.
      std::int64_t uncounted = 0;
      for (const AbsenceSessions& d : ctx.data.details_of(a))
        if (d.category == AbsenceCategory::unknown && d.sessions) uncounted += *d.sessions;
      if (uncounted > 0)
        says += "; " + std::to_string(uncounted) + " session" + (uncounted == 1 ? " has" : "s have") +
                " a reason code that is not valid that year (IN004) and count in neither";
      const std::string module(element_name(a.period));
      ctx.for_dfe(dfe_rule_of(a.period))
          .report_school(ctx.data.return_of(p).laestab,
                         (p.upn.empty() ? "line " + std::to_string(a.line) : p.upn) + "." + module,
                         {p.source.file, a.line}, module + ": " + says + " (the sessions by reason are counted)",
                         std::move(values), p.upn);
    }
  });
}

} // namespace

const Rule ci015_totals_and_detail{&info, check};

} // namespace censusqa::census_integrity
