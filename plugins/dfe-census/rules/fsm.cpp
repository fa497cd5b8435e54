// dfe-census, fsm: free school meals eligibility periods (DfE rules 1745-1768). Each rule: its metadata, its
// check, its Rule. A leaver's return carries no FSM module, so these read the pupils on roll. An FSM period's
// UK country that is not a valid code (DfE rule 1764) is the loader's own finding (IN004 on UKcountry).
#include "common.hpp"
#include "rules.hpp"

namespace censusqa::dfe_census {
namespace {

bool has_census_day(const CensusReturn& r) { return r.reference_date.has_value(); }
constexpr std::string_view no_census_day = "no census return gives its census day (ReferenceDate)";

std::string iso_or_none(const std::optional<Date>& d) { return d ? d->iso() : std::string("none"); }

std::vector<std::pair<std::string, std::string>> period_values(const FsmPeriod& f) {
  return {{"FSMstartDate", iso_or_none(f.start)}, {"FSMendDate", iso_or_none(f.end)}};
}

// DFE1745: an FSM period that starts and ends on the same day.
constexpr RuleInfo dfe1745_info{
    .code = "DFE1745",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "FSM period starts and ends on the same day",
    .why = "A period of free school meals eligibility of a single day is almost always a keying slip in the start or "
           "end date, and it changes who counts as eligible for the pupil premium and the FSM statistics, so COLLECT "
           "asks the school to confirm it (DfE rule 1745).",
    .how_to_fix = "Correct the period's start or end date in the MIS from the eligibility check's record. If the "
                  "one-day period is right, COLLECT wants the reason in the note (for example, the eligibility was "
                  "withdrawn the next day, with the LA's agreement): a bare confirmation is not accepted.",
    .needs = needs_census,
    .fields = "FSMstartDate, FSMendDate",
    .dfe_rule = "1745",
    .dfe_match = DfeMatch::exact};

void dfe1745_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
      if (f.start && f.end && *f.start == *f.end)
        ctx.report_pupil(p, "FSM period starts and ends on the same day, " + f.start->iso(), period_values(f));
  });
}

// DFE1750: more than 45% of a school's pupils have an FSM period.
constexpr RuleInfo dfe1750_info{
    .code = "DFE1750",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "More than 45% of the pupils have an FSM eligibility period",
    .why = "Nationally about a quarter of pupils are eligible for free school meals; a return in which more than 45% "
           "of the pupils on roll have a period of eligibility often carries periods that should have been left out "
           "(old periods, periods of siblings), and FSM decides the pupil premium, so COLLECT asks the school to "
           "confirm it (DfE rule 1750).",
    .how_to_fix = "Check the FSM periods exported against the eligibility checking service's records. If the "
                  "figure is right, COLLECT wants a note that says so specifically: that more than 45% of the "
                  "school's pupils are entitled to free school meals.",
    .needs = needs_census,
    .fields = "FSMeligibility, FSMperiod",
    .dfe_rule = "1750",
    .dfe_match = DfeMatch::exact};

constexpr long long dfe1750_pct = 45; // the DfE's threshold

void dfe1750_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    long long with = 0, all = 0;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      ++all;
      // A CSV census without periods says eligibility on census day (fsm_eligible): counted as a period.
      if (p.fsm_count > 0 || p.fsm_eligible == true) ++with;
    }
    if (all == 0 || with * 100 <= dfe1750_pct * all) return;
    ctx.report_school(r.laestab, r.laestab, r.source,
                      std::to_string(with) + " of " + std::to_string(all) + " pupils on roll (" + percent(with, all) +
                          ") have an FSM eligibility period; COLLECT queries more than 45%",
                      {{"pupils_with_fsm_period", std::to_string(with)}, {"pupils_on_roll", std::to_string(all)}});
  });
}

// DFE1760: no pupil of a school was eligible for FSM at any time since the last census.
constexpr RuleInfo dfe1760_info{
    .code = "DFE1760",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "No pupil eligible for FSM since the last census",
    .why = "Almost every school has some pupils eligible for free school meals; a return in which no FSM period "
           "overlaps the time since the previous census (after its census day, up to this one) usually means the FSM "
           "module was not exported, and the school's pupil premium follows it, so COLLECT asks for confirmation. The "
           "previous census day is the previous term's return of the school when the run has previous/, otherwise the "
           "DfE's usual day: the first Thursday in October, the third Thursday in January or in May (DfE rule 1760).",
    .how_to_fix = "Check that the MIS holds the pupils' FSM periods and that the export includes them. If no pupil "
                  "really was eligible, a note confirming that no pupil qualifies is accepted.",
    .needs = needs_census,
    .fields = "FSMstartDate, FSMendDate, ReferenceDate",
    .dfe_rule = "1760",
    .dfe_match = DfeMatch::exact};

void dfe1760_check(RuleContext& ctx) {
  const PreviousCensusDay previous(ctx.data);
  for_each_return(ctx, has_census_day, no_census_day, [&](const CensusReturn& r) {
    const auto pupils = ctx.data.pupils_of(r);
    const std::optional<Date> before = previous.of(r);
    if (pupils.empty() || !before) return;
    const Date day = *r.reference_date;
    for (const Pupil& p : pupils) {
      if (p.fsm_count == 0 && p.fsm_eligible == true) return; // a CSV census's flag, without periods
      for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
        if (f.start && *f.start <= day && (!f.end || *f.end > *before)) return;
    }
    ctx.report_school(r.laestab, r.laestab, r.source,
                      "None of the " + std::to_string(pupils.size()) + " pupils on roll has an FSM period between " +
                          before->iso() + " and census day " + day.iso(),
                      {{"previous_census_day", before->iso()}, {"ReferenceDate", day.iso()}});
  });
}

// DFE1761: an FSM period without a start date.
constexpr RuleInfo dfe1761_info{
    .code = "DFE1761",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "FSM period has no start date",
    .why = "Every period of free school meals eligibility starts on the day the eligibility was confirmed; without it "
           "the period cannot be placed against census day, so COLLECT rejects it (DfE rule 1761).",
    .how_to_fix = "Enter the period's start date in the MIS (the date the eligibility check confirmed it).",
    .needs = needs_census,
    .fields = "FSMstartDate",
    .dfe_rule = "1761",
    .dfe_match = DfeMatch::exact};

void dfe1761_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
      if (!f.start && !ctx.data.raw_value(Entity::fsm_period, ctx.data.index_of(f), Field::fsm_start_date))
        ctx.report_pupil(p, "FSM period without a start date (end date " + iso_or_none(f.end) + ")", period_values(f));
  });
}

// DFE1762: an FSM period that starts after census day.
constexpr RuleInfo dfe1762_info{
    .code = "DFE1762",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "FSM period starts after census day",
    .why = "The census reports eligibility up to its census day; a period that starts later belongs to the next "
           "census, so COLLECT rejects it (DfE rule 1762).",
    .how_to_fix = "Check the start date; if it is right, leave the period out of this return (it goes in the next "
                  "one).",
    .needs = needs_census,
    .fields = "FSMstartDate, ReferenceDate",
    .dfe_rule = "1762",
    .dfe_match = DfeMatch::exact};

void dfe1762_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, has_census_day, no_census_day, [&](const Pupil& p) {
    const Date day = *ctx.data.return_of(p).reference_date;
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
      if (f.start && *f.start > day)
        ctx.report_pupil(p, "FSM period starts on " + f.start->iso() + ", after census day " + day.iso(),
                         period_values(f));
  });
}

// DFE1763: an FSM period that ended on or before the previous census day, or ends after census day.
constexpr RuleInfo dfe1763_info{
    .code = "DFE1763",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "FSM period ended before the previous census, or ends after census day",
    .why = "A return carries the periods of eligibility that were open at some time since the previous census: one "
           "that ended on or before the previous census day was in that census already, and one that ends after this "
           "census day gives a date that has not happened, so COLLECT rejects both. The previous census day is the "
           "previous term's return of the school when the run has previous/, otherwise the DfE's usual day: the first "
           "Thursday in October, the third Thursday in January or in May (DfE rule 1763).",
    .how_to_fix = "Leave out the periods that ended before the previous census; correct an end date in the future "
                  "(an open period has none).",
    .needs = needs_census,
    .fields = "FSMendDate, ReferenceDate",
    .dfe_rule = "1763",
    .dfe_match = DfeMatch::exact};

void dfe1763_check(RuleContext& ctx) {
  const PreviousCensusDay previous(ctx.data);
  for_each_return(ctx, has_census_day, no_census_day, [&](const CensusReturn& r) {
    const Date day = *r.reference_date;
    const std::optional<Date> before = previous.of(r);
    for (const Pupil& p : ctx.data.pupils_of(r))
      for (const FsmPeriod& f : ctx.data.fsm_periods_of(p)) {
        if (!f.end) continue;
        if (*f.end > day)
          ctx.report_pupil(p, "FSM period ends on " + f.end->iso() + ", after census day " + day.iso(),
                           period_values(f));
        else if (before && *f.end <= *before)
          ctx.report_pupil(
              p, "FSM period ended on " + f.end->iso() + ", on or before the previous census day " + before->iso(),
              period_values(f));
      }
  });
}

// DFE1765: an FSM period in Wales, Scotland or Northern Ireland that has not ended before census day.
constexpr RuleInfo dfe1765_info{
    .code = "DFE1765",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "FSM period outside England without an end date before census day",
    .why = "Eligibility confirmed in another UK country (UKcountry NIR, SCT or WLS) does not carry over to a school in "
           "England: such a period is returned only as history, ended before census day, so COLLECT rejects one that "
           "is open or ends on or after census day (DfE rule 1765).",
    .how_to_fix = "Enter the date the period outside England ended; if the pupil is eligible now, that is a new "
                  "period in England (UKcountry ENG) after an eligibility check.",
    .needs = needs_census,
    .fields = "UKcountry, FSMendDate, ReferenceDate",
    .dfe_rule = "1765",
    .dfe_match = DfeMatch::exact};

void dfe1765_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, has_census_day, no_census_day, [&](const Pupil& p) {
    const Date day = *ctx.data.return_of(p).reference_date;
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p)) {
      if (f.country != "NIR" && f.country != "SCT" && f.country != "WLS") continue;
      if (f.end && *f.end < day) continue;
      if (!f.end && ctx.data.raw_value(Entity::fsm_period, ctx.data.index_of(f), Field::fsm_end_date)) continue;
      const std::string country(f.country.str());
      ctx.report_pupil(
          p,
          "FSM period in " + country +
              (f.end ? " ends on " + f.end->iso() + ", not before census day " + day.iso() : " has no end date"),
          {{"UKcountry", country}, {"FSMendDate", iso_or_none(f.end)}});
    }
  });
}

// DFE1766: an FSM period that ends before it starts.
constexpr RuleInfo dfe1766_info{.code = "DFE1766",
                                .severity = Severity::error,
                                .scope = Scope::pupil,
                                .actor = Actor::school,
                                .title = "FSM period ends before it starts",
                                .why = "A period of free school meals eligibility cannot end before it started; one of "
                                       "the two dates is wrong, so COLLECT rejects it (DfE rule 1766).",
                                .how_to_fix =
                                    "Correct the start or end date in the MIS from the eligibility check's record.",
                                .needs = needs_census,
                                .fields = "FSMstartDate, FSMendDate",
                                .dfe_rule = "1766",
                                .dfe_match = DfeMatch::exact};

void dfe1766_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
      if (f.start && f.end && *f.end < *f.start)
        ctx.report_pupil(p, "FSM period ends on " + f.end->iso() + ", before its start on " + f.start->iso(),
                         period_values(f));
  });
}

// DFE1767: an FSM period with an end date (FSM protection keeps eligibility open).
constexpr RuleInfo dfe1767_info{
    .code = "DFE1767",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "FSM period has an end date",
    .why =
        "Under the transitional protection of free school meals, a pupil found eligible keeps the eligibility, so a "
        "period is rarely expected to end; COLLECT asks the school to give the reason for an end date (DfE rule 1767).",
    .how_to_fix = "Remove the end date if the pupil is protected. Otherwise the note to COLLECT must give the reason "
                  "the period ended (for example the LA found the first assessment wrong): a confirmation alone is "
                  "not accepted.",
    .needs = needs_census,
    .fields = "FSMendDate",
    .dfe_rule = "1767",
    .dfe_match = DfeMatch::exact};

void dfe1767_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
      if (f.end) ctx.report_pupil(p, "FSM period ends on " + f.end->iso() + "; a reason is needed", period_values(f));
  });
}

// DFE1768: more than one open FSM period.
constexpr RuleInfo dfe1768_info{
    .code = "DFE1768",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil has more than one open FSM period",
    .why = "A pupil is either eligible or not: at most one period of free school meals eligibility can be open "
           "(without an end date) at a time, so COLLECT rejects a second open one (DfE rule 1768).",
    .how_to_fix = "Give the earlier period its end date, or remove the duplicate period, in the MIS.",
    .needs = needs_census,
    .fields = "FSMstartDate, FSMendDate",
    .dfe_rule = "1768",
    .dfe_match = DfeMatch::exact};

void dfe1768_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    int open = 0;
    for (const FsmPeriod& f : ctx.data.fsm_periods_of(p))
      if (!f.end && !ctx.data.raw_value(Entity::fsm_period, ctx.data.index_of(f), Field::fsm_end_date)) ++open;
    if (open > 1)
      ctx.report_pupil(p, std::to_string(open) + " FSM periods are open (no end date); at most one may be",
                       {{"open_periods", std::to_string(open)}});
  });
}

const Rule fsm[] = {
    {&dfe1745_info, dfe1745_check}, {&dfe1750_info, dfe1750_check}, {&dfe1760_info, dfe1760_check},
    {&dfe1761_info, dfe1761_check}, {&dfe1762_info, dfe1762_check}, {&dfe1763_info, dfe1763_check},
    {&dfe1765_info, dfe1765_check}, {&dfe1766_info, dfe1766_check}, {&dfe1767_info, dfe1767_check},
    {&dfe1768_info, dfe1768_check},
};

} // namespace

std::span<const Rule> fsm_rules() { return fsm; }

} // namespace censusqa::dfe_census
