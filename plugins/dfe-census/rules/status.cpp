// dfe-census, status: enrolment status, entry and leaving dates, part-time and top-up funding (DfE rules
// 1860-1990; a missing enrolment status, entry or leaving date is CI011's, an entry date after census day
// CI012's, a leaving date out of order CI013's). Each rule: its metadata, its check, its Rule.
#include "common.hpp"
#include "rules.hpp"

#include <censusqa/school_age.hpp>

#include <optional>

namespace censusqa::dfe_census {
namespace {

/// Reports the pupils on roll of every return that lack an item (`present` false and no raw text: an
/// unreadable value is the loader's IN003/IN004). A CSV return in which no pupil has the item has no such
/// column: the rule skips it, saying so, rather than report every pupil.
template <typename Present, typename Applies = bool (*)(const Pupil&)>
void item_missing(
    RuleContext& ctx, Present&& present, Field field, std::string_view element, std::string_view what,
    Applies&& applies = [](const Pupil&) { return true; }) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    if (from_csv(ctx.data, r)) {
      bool any = false;
      for (const Pupil& p : ctx.data.pupils_of(r))
        any = any || present(p) || ctx.data.raw_value(p, field).has_value();
      if (!any)
        return ctx.skip("the CSV census return gives no " + std::string(element) +
                        " for any pupil (its column is absent, or blank on every row: read as an extract without it)");
    }
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (applies(p) && !present(p) && !ctx.data.raw_value(p, field))
        ctx.report_pupil(p, "The " + std::string(what) + " (" + std::string(element) + ") is missing",
                         {{std::string(element), ""}});
  });
}

// DFE1869: the top-up funding indicator missing.
constexpr RuleInfo dfe1869_info{
    .code = "DFE1869",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Top-up funding indicator missing for a pupil with an EHC plan",
    .why = "The top-up funding indicator says whether the LA pays the school high-needs top-up funding for the "
           "pupil, and COLLECT rejects a record that needs it and lacks it (DfE rule 1869; a value that is not true "
           "or false is the loader's finding with the same number). The DfE's text does not say which pupils need "
           "it; MIS exports write it for pupils with an EHC plan (SEN provision E: the Aspen census template, "
           "docs/census-input.md's source [A]), so censusqa checks those, and is partial for the others.",
    .how_to_fix = "Set the pupil's top-up funding indicator in the MIS (false unless the LA funds a top-up for the "
                  "pupil), then re-send the return.",
    .needs = needs_census,
    .fields = "TopUpFunding",
    .dfe_rule = "1869",
    .dfe_match = DfeMatch::partial};

void dfe1869_check(RuleContext& ctx) {
  item_missing(
      ctx, [](const Pupil& p) { return p.top_up_funding.has_value(); }, Field::top_up_funding, "TopUpFunding",
      "top-up funding indicator", [](const Pupil& p) { return p.sen_provision == SenProvision::E; });
}

// DFE1870: fewer than 95% of the pupils on roll are sole registrations.
constexpr RuleInfo dfe1870_info{
    .code = "DFE1870",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Fewer than 95% of the pupils are sole registrations",
    .why = "Most pupils are registered at one school only (enrolment status C); dual registrations (M main, S "
           "subsidiary) are for pupils who also attend a PRU, a special school or a hospital school. censusqa counts "
           "the pupils on roll with an enrolment status, every status but C as not sole, and exempts no phase "
           "(COLLECT does not say it exempts PRUs, which register most pupils dually: a PRU explains the query). "
           "COLLECT queries a school where fewer than 95% are C (DfE rule 1870).",
    .how_to_fix = "Check the enrolment statuses in the MIS: a pupil registered here only is C. If the dual "
                  "registrations are right (a PRU, or a school working with one), explain the query.",
    .needs = needs_census,
    .fields = "EnrolStatus",
    .dfe_rule = "1870",
    .dfe_match = DfeMatch::exact};

void dfe1870_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    std::int64_t known = 0, sole = 0;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (!p.enrol_status) continue; // missing: CI011's; invalid: the loader's
      ++known;
      sole += *p.enrol_status == EnrolStatus::C;
    }
    if (known > 0 && sole * 100 < known * 95)
      ctx.report_school(r.laestab, r.laestab, r.source,
                        std::to_string(sole) + " of " + std::to_string(known) + " pupils on roll (" +
                            percent(sole, known) + ") are sole registrations (C); fewer than 95% is queried",
                        {{"EnrolStatus", "C"},
                         {"pupils", std::to_string(known)},
                         {"sole", std::to_string(sole)},
                         {"percent", percent(sole, known)}});
  });
}

// DFE1881 and DFE1883: an autumn return's summer-term sessions possible before the pupil's entry date.
//
// The DfE gives no half-term dates (they vary by LA). censusqa takes an entry date from 1 June of the census
// year as after the summer term's first half (which ends at the late-May half term in every LA), and one
// from 1 August as after its second half (the summer term ends by 31 July): with such an entry date any
// session possible in that half says the pupil was already there. An entry date within a half is not
// checked: without the LA's term dates censusqa cannot tell.
constexpr unsigned first_half_over_month = 6;  // 1 June: the DfE states no date
constexpr unsigned second_half_over_month = 8; // 1 August: the summer term ends by 31 July

constexpr RuleInfo dfe1881_info{
    .code = "DFE1881",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Sessions possible in the summer's first half-term before the entry date",
    .why = "An autumn census returns the summer term's attendance; a pupil with sessions possible in its first half "
           "but an entry date after it was already at the school, so the entry date is probably a re-admission date "
           "or a move from the nursery (which is not a new entry). censusqa checks entry dates from 1 June, after "
           "that half-term in every LA; COLLECT queries the record (DfE rule 1881).",
    .how_to_fix = "Correct the entry date in the MIS to the pupil's first day at the school; if the pupil left and "
                  "was re-admitted, explain the query.",
    .needs = needs_census,
    .fields = "EntryDate, TermlyAttendance/SessionsPossible",
    .dfe_rule = "1881",
    .dfe_match = DfeMatch::partial};

constexpr RuleInfo dfe1883_info{
    .code = "DFE1883",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Sessions possible in the summer's second half-term before the entry date",
    .why = "An autumn census returns the second half of the summer term apart; a pupil with sessions possible in it "
           "but an entry date after the summer term was already at the school, so the entry date is probably a "
           "re-admission date or a move from nursery to reception or into year 12 (which is not a new entry). "
           "censusqa checks entry dates from 1 August; COLLECT queries the record (DfE rule 1883).",
    .how_to_fix = "Correct the entry date in the MIS to the pupil's first day at the school; if the pupil left and "
                  "was re-admitted, explain the query.",
    .needs = needs_census,
    .fields = "EntryDate, SummerHalfTerm2Attendance/SessionsPossible",
    .dfe_rule = "1883",
    .dfe_match = DfeMatch::partial};

bool autumn(const CensusReturn& r) { return r.term == Term::AUT && r.reference_date.has_value(); }

void sessions_before_entry(RuleContext& ctx, AttendancePeriod period, unsigned month, std::string_view half) {
  for_each_pupil(
      ctx, true, autumn, "the summer term's attendance is collected only in the autumn census", [&](const Pupil& p) {
        if (!p.entry_date) return;
        const Date after = *Date::from_ymd(ctx.data.return_of(p).reference_date->year(), month, 1);
        if (*p.entry_date < after) return;
        const Attendance* a = ctx.data.attendance_of(p, period);
        if (!a || !a->possible || *a->possible <= 0) return;
        ctx.report_pupil(p,
                         std::to_string(*a->possible) + " sessions possible in the " + std::string(half) +
                             " of the summer term, but the entry date is " + p.entry_date->iso(),
                         {{"EntryDate", p.entry_date->iso()}, {"SessionsPossible", std::to_string(*a->possible)}});
      });
}

void dfe1881_check(RuleContext& ctx) {
  sessions_before_entry(ctx, AttendancePeriod::termly, first_half_over_month, "first half");
}
void dfe1883_check(RuleContext& ctx) {
  sessions_before_entry(ctx, AttendancePeriod::summer_half_term_2, second_half_over_month, "second half");
}

// DFE1885: more than half of the pupils on roll have an entry date after the previous census day.
constexpr RuleInfo dfe1885_info{
    .code = "DFE1885",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "More than half of the pupils have a new entry date",
    .why = "A pupil's entry date is the day it first joined the school; when more than half the pupils on roll "
           "joined since the previous census, the MIS has probably overwritten entry dates (a rollover, a "
           "re-admission, a nursery-to-reception move). The previous census day is the previous census's own for the "
           "school when previous/ has it, otherwise the DfE's usual day of the term before (autumn: the first "
           "Thursday of October; spring: the third Thursday of January; summer: the third Thursday of May). COLLECT "
           "queries the school (DfE rule 1885).",
    .how_to_fix = "Check the entry dates in the MIS: a pupil who moved up from the school's nursery or sixth form "
                  "keeps its first entry date. If the school did take in that many pupils (a new school), explain "
                  "the query.",
    .needs = needs_census,
    .fields = "EntryDate",
    .dfe_rule = "1885",
    .dfe_match = DfeMatch::exact};

void dfe1885_check(RuleContext& ctx) {
  const PreviousCensusDay previous(ctx.data);
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    if (!r.reference_date) return;
    const std::optional<Date> before = previous.of(r);
    if (!before) return;
    std::int64_t counted = 0, recent = 0;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (!p.entry_date) continue; // missing: CI011's
      ++counted;
      recent += *p.entry_date > *before;
    }
    if (counted > 0 && recent * 2 > counted)
      ctx.report_school(r.laestab, r.laestab, r.source,
                        std::to_string(recent) + " of " + std::to_string(counted) + " pupils on roll (" +
                            percent(recent, counted) + ") have an entry date after the previous census day " +
                            before->iso(),
                        {{"EntryDate", "after " + before->iso()},
                         {"pupils", std::to_string(counted)},
                         {"new_entry_dates", std::to_string(recent)},
                         {"percent", percent(recent, counted)}});
  });
}

// DFE1930: the part-time indicator missing.
constexpr RuleInfo dfe1930_info{
    .code = "DFE1930",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Part-time indicator missing",
    .why = "The part-time indicator says whether the pupil attends part-time (most nursery pupils) or full-time; "
           "every pupil on roll needs it, and COLLECT rejects a record without it (DfE rule 1930; a value that is "
           "not true or false is the loader's finding with the same number).",
    .how_to_fix = "Set the pupil's part-time indicator in the MIS, then re-send the return.",
    .needs = needs_census,
    .fields = "PartTime",
    .dfe_rule = "1930",
    .dfe_match = DfeMatch::exact};

void dfe1930_check(RuleContext& ctx) {
  item_missing(
      ctx, [](const Pupil& p) { return p.part_time.has_value(); }, Field::part_time, "PartTime", "part-time indicator");
}

// DFE1940: a pupil of compulsory school age recorded as part-time.
constexpr RuleInfo dfe1940_info{
    .code = "DFE1940",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil aged 5 to 15 recorded as part-time",
    .why = "Part-time attendance is for pupils below compulsory school age (nursery and some reception pupils) "
           "and, rarely, over it: a pupil aged 5 to 15 on 31 August is of compulsory school age and is expected "
           "full-time, so COLLECT rejects the part-time indicator (DfE rule 1940).",
    .how_to_fix = "Set the pupil's part-time indicator to false in the MIS, or correct the date of birth if it "
                  "is wrong.",
    .needs = needs_census,
    .fields = "PartTime, DOB",
    .dfe_rule = "1940",
    .dfe_match = DfeMatch::exact};

void dfe1940_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    if (p.part_time != true || !p.dob) return;
    const auto day = ctx.data.return_of(p).reference_date;
    if (!day) return;
    const int age = age_at_start_of_school_year(*p.dob, *day);
    if (age >= 5 && age <= 15)
      ctx.report_pupil(p, "Part-time pupil aged " + std::to_string(age) + " on 31 August",
                       {{"PartTime", "true"}, {"DOB", p.dob->iso()}});
  });
}

// DFE1960: more than 35% of the pupils on roll are part-time.
constexpr RuleInfo dfe1960_info{
    .code = "DFE1960",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "More than 35% of the pupils are part-time",
    .why = "Part-time pupils are mostly nursery pupils; when more than 35% of a school's pupils on roll are "
           "part-time, the indicator is probably set wrongly in bulk. censusqa exempts no phase, as the DfE states "
           "none (a nursery school explains the query); COLLECT queries the school (DfE rule 1960).",
    .how_to_fix = "Check the part-time indicators in the MIS (a pupil of compulsory school age is full-time); if "
                  "they are right, explain the query.",
    .needs = needs_census,
    .fields = "PartTime",
    .dfe_rule = "1960",
    .dfe_match = DfeMatch::exact};

void dfe1960_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    std::int64_t known = 0, part = 0;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (!p.part_time) continue; // missing: DFE1930's; invalid: the loader's
      ++known;
      part += *p.part_time;
    }
    if (known > 0 && part * 100 > known * 35)
      ctx.report_school(r.laestab, r.laestab, r.source,
                        std::to_string(part) + " of " + std::to_string(known) + " pupils on roll (" +
                            percent(part, known) + ") are part-time; more than 35% is queried",
                        {{"PartTime", "true"},
                         {"pupils", std::to_string(known)},
                         {"part_time", std::to_string(part)},
                         {"percent", percent(part, known)}});
  });
}

// DFE1990: top-up funding for a pupil without an EHC plan.
constexpr RuleInfo dfe1990_info{
    .code = "DFE1990",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Top-up funding for a pupil without an EHC plan",
    .why = "High-needs top-up funding usually follows an EHC plan, so a pupil with the top-up funding indicator true "
           "whose SEN provision is not E has a wrong indicator or a wrong provision; top-up funding without a plan "
           "is possible (an LA may fund SEN support), so a right record is explained. COLLECT queries it (DfE rule "
           "1990).",
    .how_to_fix = "Check the pupil's top-up funding indicator and SEN provision in the MIS; if the LA does fund a "
                  "top-up without a plan, explain the query.",
    .needs = needs_census,
    .fields = "TopUpFunding, SENprovision",
    .dfe_rule = "1990",
    .dfe_match = DfeMatch::exact};

void dfe1990_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    if (p.top_up_funding != true || !p.sen_provision || *p.sen_provision == SenProvision::E) return;
    ctx.report_pupil(p,
                     "Top-up funding is recorded but SEN provision is " + std::string(name(*p.sen_provision)) +
                         ", not E (an EHC plan)",
                     {{"TopUpFunding", "true"}, {"SENprovision", std::string(name(*p.sen_provision))}});
  });
}

const Rule status[] = {
    {&dfe1869_info, dfe1869_check}, {&dfe1870_info, dfe1870_check}, {&dfe1881_info, dfe1881_check},
    {&dfe1883_info, dfe1883_check}, {&dfe1885_info, dfe1885_check}, {&dfe1930_info, dfe1930_check},
    {&dfe1940_info, dfe1940_check}, {&dfe1960_info, dfe1960_check}, {&dfe1990_info, dfe1990_check},
};

} // namespace

std::span<const Rule> status_rules() { return status; }

} // namespace censusqa::dfe_census
