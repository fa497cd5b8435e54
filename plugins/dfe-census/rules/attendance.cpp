// dfe-census, attendance: the termly and the second summer half-term attendance modules (DfE rules 2470-2582,
// 5057, 5080). Each rule: its metadata, its check, its Rule. Elsewhere: an attendance reason code not in the
// year's list (2475, 2572) is the loader's own finding (IN004 on AttendanceReason); more sessions missed than
// possible (2530, 2582) is CI014; totals that disagree with the sessions by reason (2505, 2577) is CI015.
#include "common.hpp"
#include "rules.hpp"

namespace censusqa::dfe_census {
namespace {

constexpr AttendancePeriod termly = AttendancePeriod::termly;
constexpr AttendancePeriod half_term_2 = AttendancePeriod::summer_half_term_2;

bool has_census_day(const CensusReturn& r) { return r.reference_date.has_value(); }
constexpr std::string_view no_census_day = "no census return gives its census day (ReferenceDate)";
// The second summer half-term is collected in the autumn census only.
bool autumn(const CensusReturn& r) { return r.term == Term::AUT && r.reference_date; }
constexpr std::string_view not_autumn = "the second summer half-term's attendance is collected only in the autumn "
                                        "census, and no return is an autumn one";

/// Whether a return carries attendance modules of `period` at all (a CSV census may have no attendance files),
/// and, with `detail`, modules with sessions by reason code (SessionDetail rows: no session_details*.csv, none).
bool carries(const Dataset& data, const CensusReturn& r, AttendancePeriod period, bool detail = false) {
  auto any = [&](std::span<const Pupil> list) {
    for (const Pupil& p : list)
      for (const Attendance& a : data.attendance_of(p))
        if (a.period == period && (!detail || a.has_detail)) return true;
    return false;
  };
  return any(data.pupils_of(r)) || any(data.leavers_of(r));
}
std::string no_module(AttendancePeriod period, bool detail = false) {
  return std::string("no census return carries ") + (detail ? "sessions by reason code (SessionDetail) in " : "") +
         std::string(element_name(period)) + " modules";
}

std::uint32_t index_of(const Dataset& data, const AbsenceSessions& d) {
  return static_cast<std::uint32_t>(&d - data.absence_sessions.data());
}

/// Attendance is collected for pupils aged 4 to 15 on the 31 August before the school year the sessions belong to.
bool in_attendance_cohort(int age) { return age >= 4 && age <= 15; }

// 2470 and 2571: a module of `period` for a pupil outside the cohort.
void out_of_cohort(RuleContext& ctx, AttendancePeriod period, const CensusReturn& r) {
  const Date on = absence_age_date(*r.reference_date);
  auto check = [&](const Pupil& p) {
    if (!p.dob || !ctx.data.attendance_of(p, period)) return;
    const int age = p.dob->age_on(on);
    if (in_attendance_cohort(age)) return;
    ctx.report_pupil(p,
                     std::string(element_name(period)) + " returned for a pupil aged " + std::to_string(age) + " on " +
                         on.iso() + "; attendance is collected for ages 4 to 15",
                     {{"DOB", p.dob->iso()}});
  };
  for (const Pupil& p : ctx.data.pupils_of(r))
    check(p);
  for (const Pupil& p : ctx.data.leavers_of(r))
    check(p);
}

// 2480 and 2573: a reason code with no sessions (zero, or none given).
void zero_sessions(RuleContext& ctx, AttendancePeriod period, const Pupil& p) {
  const Attendance* a = ctx.data.attendance_of(p, period);
  if (!a) return;
  for (const AbsenceSessions& d : ctx.data.details_of(*a)) {
    if (d.reason.empty() || (d.sessions && *d.sessions > 0)) continue;
    if (!d.sessions && ctx.data.raw_value(Entity::absence_sessions, index_of(ctx.data, d), Field::absence_sessions))
      continue; // unreadable: the loader's IN003
    const std::string reason(d.reason.str());
    ctx.report_pupil(p,
                     std::string(element_name(period)) + ": reason code " + reason +
                         (d.sessions ? " with 0 sessions missed" : " without its sessions missed"),
                     {{"AttendanceReason", reason}, {"AbsenceSessions", d.sessions ? "0" : ""}});
  }
}

// 2490 and 2574: sessions missed without a reason code.
void no_reason(RuleContext& ctx, AttendancePeriod period, const Pupil& p) {
  const Attendance* a = ctx.data.attendance_of(p, period);
  if (!a) return;
  for (const AbsenceSessions& d : ctx.data.details_of(*a)) {
    if (!d.reason.empty() || !d.sessions || *d.sessions <= 0) continue;
    if (ctx.data.raw_value(Entity::absence_sessions, index_of(ctx.data, d), Field::attendance_reason))
      continue; // a code not in the list: the loader's IN004
    ctx.report_pupil(p,
                     std::string(element_name(period)) + ": " + std::to_string(*d.sessions) +
                         " sessions missed without a reason code",
                     {{"AbsenceSessions", std::to_string(*d.sessions)}});
  }
}

// 2500, 2510, 2575, 2579: a module without its sessions possible.
void no_possible(RuleContext& ctx, AttendancePeriod period, const Pupil& p) {
  const Attendance* a = ctx.data.attendance_of(p, period);
  if (!a || a->possible || ctx.data.raw_value(Entity::attendance, ctx.data.index_of(*a), Field::sessions_possible))
    return;
  ctx.report_pupil(p, std::string(element_name(period)) + " without its sessions possible", {{"SessionsPossible", ""}});
}

// DFE2470: termly attendance for a pupil outside the ages attendance is collected for.
constexpr RuleInfo dfe2470_info{
    .code = "DFE2470",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Termly attendance returned for a pupil aged under 4 or over 15",
    .why = "The census collects attendance only for pupils aged 4 to 15 on the 31 August before the school year the "
           "sessions belong to (and not for boarders); COLLECT rejects a termly attendance module for anyone else. "
           "censusqa does not read the boarder indicator, so a boarder's module is not reported (DfE rule 2470).",
    .how_to_fix = "Check the pupil's date of birth; if it is right, leave the pupil's attendance out of the "
                  "return (the MIS's census options usually do this by age).",
    .needs = needs_census,
    .fields = "TermlyAttendance, DOB",
    .dfe_rule = "2470",
    .dfe_match = DfeMatch::partial};

void dfe2470_check(RuleContext& ctx) {
  for_each_return(ctx, has_census_day, no_census_day, [&](const CensusReturn& r) { out_of_cohort(ctx, termly, r); });
}

// DFE2480: a reason code with zero sessions missed in the termly module.
constexpr RuleInfo dfe2480_info{
    .code = "DFE2480",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Termly absence reason code with zero sessions",
    .why = "Each reason code in the termly attendance module counts the sessions missed for that reason; a code given "
           "with no sessions (zero or none) says nothing and usually means the export lost the count, so COLLECT "
           "rejects it (DfE rule 2480).",
    .how_to_fix = "Check the pupil's attendance marks for the term in the MIS and re-export; a code with no "
                  "sessions should not be in the return.",
    .needs = needs_census,
    .fields = "TermlyAttendance/SessionDetail: AttendanceReason, AbsenceSessions",
    .dfe_rule = "2480",
    .dfe_match = DfeMatch::exact};

void dfe2480_check(RuleContext& ctx) {
  for_each_pupil(
      ctx, true, [&](const CensusReturn& r) { return carries(ctx.data, r, termly, true); }, no_module(termly, true),
      [&](const Pupil& p) { zero_sessions(ctx, termly, p); });
}

// DFE2490: sessions missed without a reason code in the termly module.
constexpr RuleInfo dfe2490_info{
    .code = "DFE2490",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Termly sessions missed without a reason code",
    .why = "Absence is counted as authorised or unauthorised by its reason code: sessions missed without one cannot be "
           "counted at all, so COLLECT rejects them. Checked only in returns that give sessions by reason code "
           "(SessionDetail rows); a CSV census without session details is skipped (DfE rule 2490).",
    .how_to_fix = "Give every absence mark in the MIS its reason code for the term and re-export.",
    .needs = needs_census,
    .fields = "TermlyAttendance/SessionDetail: AttendanceReason, AbsenceSessions",
    .dfe_rule = "2490",
    .dfe_match = DfeMatch::exact};

void dfe2490_check(RuleContext& ctx) {
  for_each_pupil(
      ctx, true, [&](const CensusReturn& r) { return carries(ctx.data, r, termly, true); }, no_module(termly, true),
      [&](const Pupil& p) { no_reason(ctx, termly, p); });
}

// 2491 and 2492: reason code X for a pupil outside the ages 4 to 15.
void code_x(RuleContext& ctx, const CensusReturn& r, std::span<const Pupil> pupils) {
  const Date on = absence_age_date(*r.reference_date);
  for (const Pupil& p : pupils) {
    if (!p.dob) continue;
    const int age = p.dob->age_on(on);
    if (in_attendance_cohort(age)) continue;
    for (const Attendance& a : ctx.data.attendance_of(p))
      for (const AbsenceSessions& d : ctx.data.details_of(a))
        if (d.reason == "X")
          ctx.report_pupil(p,
                           std::string(element_name(a.period)) +
                               ": reason code X (not required to attend) for a pupil "
                               "aged " +
                               std::to_string(age) + " on " + on.iso() + "; X is for ages 4 to 15",
                           {{"AttendanceReason", "X"}, {"DOB", p.dob->iso()}});
  }
}

// DFE2491: code X for a pupil on roll outside the ages 4 to 15.
constexpr RuleInfo dfe2491_info{
    .code = "DFE2491",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Reason code X for a pupil on roll not aged 4 to 15",
    .why = "Code X (not required to be in school) is for pupils of the ages attendance is collected for who need not "
           "attend a session, such as a reception pupil below compulsory school age: aged 4 to 15 on 31 August of the "
           "year before the census. COLLECT rejects it for any other pupil on roll (DfE rule 2491).",
    .how_to_fix = "Check the pupil's date of birth and the X marks in the MIS; a pupil outside those ages should "
                  "have no attendance in the return.",
    .needs = needs_census,
    .fields = "AttendanceReason, DOB",
    .dfe_rule = "2491",
    .dfe_match = DfeMatch::exact};

void dfe2491_check(RuleContext& ctx) {
  for_each_return(ctx, has_census_day, no_census_day,
                  [&](const CensusReturn& r) { code_x(ctx, r, ctx.data.pupils_of(r)); });
}

// DFE2492: code X for a leaver outside the ages 4 to 15.
constexpr RuleInfo dfe2492_info{
    .code = "DFE2492",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Reason code X for a leaver not aged 4 to 15",
    .why = "Code X (not required to be in school) is for pupils aged 4 to 15 on 31 August of the year before the "
           "census; COLLECT rejects it for a pupil no longer on roll outside those ages (DfE rule 2492).",
    .how_to_fix = "Check the leaver's date of birth and X marks in the MIS; a pupil outside those ages should have no "
                  "attendance in the return.",
    .needs = needs_census,
    .fields = "AttendanceReason, DOB",
    .dfe_rule = "2492",
    .dfe_match = DfeMatch::exact};

void dfe2492_check(RuleContext& ctx) {
  for_each_return(ctx, has_census_day, no_census_day,
                  [&](const CensusReturn& r) { code_x(ctx, r, ctx.data.leavers_of(r)); });
}

// DFE2500: a pupil on roll's termly module without its sessions possible.
constexpr RuleInfo dfe2500_info{
    .code = "DFE2500",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil on roll has no termly sessions possible",
    .why = "The sessions possible are what every absence rate is a share of: a termly attendance module without them "
           "cannot be counted, so COLLECT rejects it. A number that is not a whole number of zero or more is the "
           "loader's own finding; a pupil with no termly module at all is not checked (DfE rule 2500).",
    .how_to_fix = "Check the pupil's attendance for the term in the MIS (often a missing entry date or register) "
                  "and re-export.",
    .needs = needs_census,
    .fields = "TermlyAttendance/SessionsPossible",
    .dfe_rule = "2500",
    .dfe_match = DfeMatch::partial};

void dfe2500_check(RuleContext& ctx) {
  for_each_pupil(
      ctx, false, [&](const CensusReturn& r) { return carries(ctx.data, r, termly); }, no_module(termly),
      [&](const Pupil& p) { no_possible(ctx, termly, p); });
}

// DFE2510: a leaver's termly module without its sessions possible.
constexpr RuleInfo dfe2510_info{
    .code = "DFE2510",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Leaver has no termly sessions possible",
    .why = "A pupil who left since the last census still has the term's attendance up to leaving, and the absence "
           "rates need its sessions possible: COLLECT rejects a leaver's termly module without them. A leaver with no "
           "termly module at all is not checked (DfE rule 2510).",
    .how_to_fix = "Check the leaver's attendance for the term in the MIS and re-export.",
    .needs = needs_census,
    .fields = "TermlyAttendance/SessionsPossible",
    .dfe_rule = "2510",
    .dfe_match = DfeMatch::partial};

void dfe2510_check(RuleContext& ctx) {
  for_each_return(
      ctx, [&](const CensusReturn& r) { return carries(ctx.data, r, termly); }, no_module(termly),
      [&](const CensusReturn& r) {
        for (const Pupil& p : ctx.data.leavers_of(r))
          no_possible(ctx, termly, p);
      });
}

// DFE2560: a school's authorised absence above 30% of its sessions possible.
constexpr RuleInfo dfe2560_info{
    .code = "DFE2560",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Authorised absence above 30% of the sessions possible",
    .why = "Nationally authorised absence is a few per cent of sessions; a school whose termly modules add up to more "
           "than 30% of the sessions possible authorised has usually mis-coded attendance (for example off-site "
           "education as absence), so COLLECT asks it to confirm. Counted over the termly modules of the pupils on "
           "roll and the leavers (DfE rule 2560).",
    .how_to_fix = "Check the codes used in the term's registers in the MIS. If the figure is right, a note "
                  "confirming that the school's authorised absence in that term was above 30% is accepted.",
    .needs = needs_census,
    .fields = "TermlyAttendance: SessionsPossible, SessionDetail, SessionsAuthorised",
    .dfe_rule = "2560",
    .dfe_match = DfeMatch::exact};

constexpr long long dfe2560_pct = 30; // the DfE's threshold

void dfe2560_check(RuleContext& ctx) {
  for_each_return(
      ctx, [&](const CensusReturn& r) { return carries(ctx.data, r, termly); }, no_module(termly),
      [&](const CensusReturn& r) {
        long long possible = 0, authorised = 0;
        auto add = [&](std::span<const Pupil> list) {
          for (const Pupil& p : list)
            if (const Attendance* a = ctx.data.attendance_of(p, termly); a && a->possible) {
              possible += *a->possible;
              authorised += a->authorised.value_or(0);
            }
        };
        add(ctx.data.pupils_of(r));
        add(ctx.data.leavers_of(r));
        if (possible <= 0 || authorised * 100 <= dfe2560_pct * possible) return;
        ctx.report_school(
            r.laestab, r.laestab, r.source,
            std::to_string(authorised) + " of " + std::to_string(possible) +
                " termly sessions possible are authorised absence (" + percent(authorised, possible) +
                "); COLLECT queries more than 30%",
            {{"sessions_authorised", std::to_string(authorised)}, {"SessionsPossible", std::to_string(possible)}});
      });
}

// DFE2571: second summer half-term attendance for a pupil outside the ages attendance is collected for.
constexpr RuleInfo dfe2571_info{
    .code = "DFE2571",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Second summer half-term attendance returned for a pupil aged under 4 or over 15",
    .why =
        "The autumn census's second summer half-term module is collected for the same pupils as termly attendance, "
        "those aged 4 to 15 on the 31 August before that school year (and not boarders); COLLECT rejects it for anyone "
        "else. censusqa does not read the boarder indicator, so a boarder's module is not reported (DfE rule 2571).",
    .how_to_fix = "Check the pupil's date of birth; if it is right, leave the pupil's second summer half-term "
                  "attendance out of the return.",
    .needs = needs_census,
    .fields = "SummerHalfTerm2Attendance, DOB",
    .dfe_rule = "2571",
    .dfe_match = DfeMatch::partial};

void dfe2571_check(RuleContext& ctx) {
  for_each_return(ctx, autumn, not_autumn, [&](const CensusReturn& r) { out_of_cohort(ctx, half_term_2, r); });
}

// DFE2573: a reason code with zero sessions in the second summer half-term.
constexpr RuleInfo dfe2573_info{
    .code = "DFE2573",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Second summer half-term reason code with zero sessions",
    .why = "Each reason code in the second summer half-term module counts the sessions missed for it; a code given "
           "with no sessions (zero or none) says nothing, so COLLECT rejects it (DfE rule 2573).",
    .how_to_fix = "Check the pupil's attendance marks for the second half of the summer term in the MIS and "
                  "re-export.",
    .needs = needs_census,
    .fields = "SummerHalfTerm2Attendance/SessionDetail: AttendanceReason, AbsenceSessions",
    .dfe_rule = "2573",
    .dfe_match = DfeMatch::exact};

void dfe2573_check(RuleContext& ctx) {
  for_each_pupil(ctx, true, autumn, not_autumn, [&](const Pupil& p) { zero_sessions(ctx, half_term_2, p); });
}

// DFE2574: sessions missed without a reason code in the second summer half-term.
constexpr RuleInfo dfe2574_info{
    .code = "DFE2574",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Second summer half-term sessions missed without a reason code",
    .why = "Absence is counted by its reason code: sessions missed in the second half of the summer term without one "
           "cannot be counted, so COLLECT rejects them. Checked only in autumn returns that give that module's "
           "sessions by reason code (DfE rule 2574).",
    .how_to_fix = "Give every absence mark of the second summer half-term its reason code in the MIS and re-export.",
    .needs = needs_census,
    .fields = "SummerHalfTerm2Attendance/SessionDetail: AttendanceReason, AbsenceSessions",
    .dfe_rule = "2574",
    .dfe_match = DfeMatch::exact};

void dfe2574_check(RuleContext& ctx) {
  bool autumn_return = false;
  for (const CensusReturn& r : ctx.data.returns)
    autumn_return = autumn_return || autumn(r);
  if (!autumn_return) {
    if (!ctx.data.returns.empty()) ctx.skip(not_autumn);
    return;
  }
  for_each_pupil(
      ctx, true, [&](const CensusReturn& r) { return autumn(r) && carries(ctx.data, r, half_term_2, true); },
      no_module(half_term_2, true), [&](const Pupil& p) { no_reason(ctx, half_term_2, p); });
}

// DFE2575: a pupil on roll's second summer half-term module without its sessions possible.
constexpr RuleInfo dfe2575_info{
    .code = "DFE2575",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil on roll has no second summer half-term sessions possible",
    .why = "A second summer half-term attendance module without its sessions possible cannot be counted, so COLLECT "
           "rejects it. A number that is not a whole number of zero or more is the loader's own finding; a pupil with "
           "no such module is not checked (DfE rule 2575).",
    .how_to_fix = "Check the pupil's attendance for the second half of the summer term in the MIS and re-export.",
    .needs = needs_census,
    .fields = "SummerHalfTerm2Attendance/SessionsPossible",
    .dfe_rule = "2575",
    .dfe_match = DfeMatch::partial};

void dfe2575_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, autumn, not_autumn, [&](const Pupil& p) { no_possible(ctx, half_term_2, p); });
}

// DFE2579: a leaver's second summer half-term module without its sessions possible.
constexpr RuleInfo dfe2579_info{
    .code = "DFE2579",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Leaver has no second summer half-term sessions possible",
    .why = "A leaver's second summer half-term attendance module without its sessions possible cannot be counted, so "
           "COLLECT rejects it. A leaver with no such module is not checked (DfE rule 2579).",
    .how_to_fix = "Check the leaver's attendance for the second half of the summer term in the MIS and re-export.",
    .needs = needs_census,
    .fields = "SummerHalfTerm2Attendance/SessionsPossible",
    .dfe_rule = "2579",
    .dfe_match = DfeMatch::partial};

void dfe2579_check(RuleContext& ctx) {
  for_each_return(ctx, autumn, not_autumn, [&](const CensusReturn& r) {
    for (const Pupil& p : ctx.data.leavers_of(r))
      no_possible(ctx, half_term_2, p);
  });
}

// 5057 and 5080: a nursery school's attendance modules.
void nursery_modules(RuleContext& ctx, bool half_term) {
  for_each_pupil(ctx, true, every_return, "", [&](const Pupil& p) {
    if (!phase_is(ctx.data.return_of(p), "NS")) return;
    for (const Attendance& a : ctx.data.attendance_of(p))
      if ((a.period == half_term_2) == half_term)
        ctx.report_pupil(p, std::string(element_name(a.period)) + " returned by a nursery school (phase NS)",
                         {{"Phase", "NS"}});
  });
}

// DFE5057: a nursery school returns attendance.
constexpr RuleInfo dfe5057_info{
    .code = "DFE5057",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Nursery school returns attendance",
    .why = "Nursery schools' pupils are below compulsory school age, and the census collects no attendance from a "
           "school of phase NS: COLLECT rejects the module (DfE rule 5057).",
    .how_to_fix = "Leave attendance out of the nursery school's return (the MIS's census options), or correct the "
                  "school's phase if it is not a nursery school.",
    .needs = needs_census,
    .fields = "Phase, TermlyAttendance, AnnualAttendance",
    .dfe_rule = "5057",
    .dfe_match = DfeMatch::exact};

void dfe5057_check(RuleContext& ctx) { nursery_modules(ctx, false); }

// DFE5080: a nursery school returns second summer half-term attendance.
constexpr RuleInfo dfe5080_info{
    .code = "DFE5080",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Nursery school returns second summer half-term attendance",
    .why = "The census collects no attendance from a school of phase NS, the second summer half-term's included: "
           "COLLECT rejects the module (DfE rule 5080).",
    .how_to_fix = "Leave the second summer half-term attendance out of the nursery school's autumn return, or "
                  "correct the school's phase.",
    .needs = needs_census,
    .fields = "Phase, SummerHalfTerm2Attendance",
    .dfe_rule = "5080",
    .dfe_match = DfeMatch::exact};

void dfe5080_check(RuleContext& ctx) { nursery_modules(ctx, true); }

const Rule attendance[] = {
    {&dfe2470_info, dfe2470_check}, {&dfe2480_info, dfe2480_check}, {&dfe2490_info, dfe2490_check},
    {&dfe2491_info, dfe2491_check}, {&dfe2492_info, dfe2492_check}, {&dfe2500_info, dfe2500_check},
    {&dfe2510_info, dfe2510_check}, {&dfe2560_info, dfe2560_check}, {&dfe2571_info, dfe2571_check},
    {&dfe2573_info, dfe2573_check}, {&dfe2574_info, dfe2574_check}, {&dfe2575_info, dfe2575_check},
    {&dfe2579_info, dfe2579_check}, {&dfe5057_info, dfe5057_check}, {&dfe5080_info, dfe5080_check},
};

} // namespace

std::span<const Rule> attendance_rules() { return attendance; }

} // namespace censusqa::dfe_census
