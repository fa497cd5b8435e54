// dfe-census, term_on_term: the DfE's term-on-term queries (TonT3-TonT6), which compare a school's counts
// with its previous census: infant pupils eligible for FSM, all pupils eligible for FSM, pupils with an
// EHC plan, pupils at SEN support. B: significantly more than last time; C: significantly fewer; D: none
// last time and some now. Each rule: its metadata, its check, its Rule.
//
// "Significantly" is not published by the DfE: the options term_on_term_change_pct (a change of more than
// this percentage of the previous count) and term_on_term_min_count (and of at least this many pupils)
// decide. The previous census is the one previous/ holds (Dataset::previous read from census files),
// matched school by school on LAEstab; the history store's stand-in is not enough (see compare()).
#include "common.hpp"
#include "rules.hpp"

#include <cstdlib>
#include <string>
#include <unordered_map>

namespace censusqa::dfe_census {
namespace {

// What a query counts, among the pupils on roll whose registration counts on roll (C or M).
enum class Measure { infant_fsm, fsm, ehc_plan, sen_support };
// B, C or D.
enum class Change { more, fewer, from_none };

bool counted(Measure m, const Pupil& p) {
  if (!p.enrol_status || !counts_on_roll(*p.enrol_status)) return false;
  switch (m) {
  case Measure::infant_fsm:
    return p.fsm_eligible == true && p.nc_year && p.nc_year->value() >= 0 && p.nc_year->value() <= 2;
  case Measure::fsm: return p.fsm_eligible == true;
  case Measure::ehc_plan: return p.sen_provision == SenProvision::E;
  case Measure::sen_support: return p.sen_provision == SenProvision::K;
  }
  return false;
}

long long count_in(const Dataset& d, const CensusReturn& r, Measure m) {
  long long n = 0;
  for (const Pupil& p : d.pupils_of(r))
    n += counted(m, p) ? 1 : 0;
  return n;
}

// What the message calls the pupils counted.
std::string_view described(Measure m) {
  switch (m) {
  case Measure::infant_fsm: return "Infant pupils (reception, years 1 and 2) eligible for free school meals";
  case Measure::fsm: return "Pupils eligible for free school meals";
  case Measure::ehc_plan: return "Pupils with an EHC plan";
  case Measure::sen_support: return "Pupils at SEN support";
  }
  return "";
}

// Compares every school's return with its return in the previous census and reports the change the rule
// looks for. Skips (IN090) when there is no previous census, or when no school has a return in it.
void compare(RuleContext& ctx, Measure m, Change c) {
  if (!ctx.data.previous) {
    ctx.skip("no previous census to compare with (previous/ or the history store)");
    return;
  }
  const Dataset& before = *ctx.data.previous;
  // The previous census's returns read from census files (previous/), by LAEstab (one entry per school,
  // not per pupil). The history store's stand-in for previous/ keeps only the SEN pupils' needs and the
  // permanent exclusions (its returns come from no file): it cannot say how many pupils were eligible for
  // FSM or at each SEN provision, so it is not compared.
  std::unordered_map<std::string_view, const CensusReturn*> previous;
  bool stored = false;
  for (const CensusReturn& r : before.returns) {
    if (r.source.file == 0) {
      stored = true;
      continue;
    }
    if (!r.laestab.empty()) previous.emplace(r.laestab, &r);
  }
  if (previous.empty() && stored) {
    if (ctx.data.previous_kind != PreviousKind::census)
      ctx.skip(std::string(why_not_whole(ctx.data.previous_kind)) +
               ": put the previous census in previous/ to compare");
    else
      ctx.skip("the previous census comes from the history store's record of the previous spring roll, which these "
               "counts are not taken from (they compare returns as read from their files): put the previous census "
               "in previous/ to compare");
    return;
  }
  const double pct = ctx.config.get_number("term_on_term_change_pct");
  const long long min_count = ctx.config.get_int("term_on_term_min_count");
  bool any = false;
  for (const CensusReturn& r : ctx.data.returns) {
    if (r.laestab.empty()) continue;
    const auto found = previous.find(r.laestab);
    if (found == previous.end()) continue;
    // A return cut short by an error (IN001) lacks the pupils after it, in either census: no change is measured.
    if (ctx.data.read_in_part(r) || before.read_in_part(*found->second)) continue;
    any = true;
    const long long then = count_in(before, *found->second, m);
    const long long now = count_in(ctx.data, r, m);
    const long long diff = now - then;
    bool report = false;
    if (c == Change::from_none)
      report = then == 0 && now > 0;
    else if (then > 0 && (c == Change::more ? diff > 0 : diff < 0))
      report = std::llabs(diff) >= min_count && static_cast<double>(std::llabs(diff)) * 100.0 > pct * then;
    if (!report) continue;
    std::string message = std::string(described(m)) + ": " + std::to_string(now) + ", against " + std::to_string(then) +
                          " in the previous census";
    if (c != Change::from_none)
      message += std::string(c == Change::more ? " (up " : " (down ") + percent(std::llabs(diff), then) + ")";
    ctx.report_school(r.laestab, r.laestab, r.source, std::move(message),
                      {{"this_census", std::to_string(now)}, {"previous_census", std::to_string(then)}});
  }
  if (!any) ctx.skip("no school's return has a return in the previous census to compare with");
}

// TT031: significantly more infant pupils eligible for FSM.
constexpr RuleInfo tt031_info{
    .code = "TT031",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly more infant pupils eligible for FSM than in the previous census",
    .why = "A large rise in infant pupils (reception, years 1 and 2) eligible for free school meals affects the pupil "
           "premium, and is often a school recording pupils who have only universal infant free school meals as "
           "eligible; COLLECT asks for a reason. censusqa compares each school with its return in the census previous/ "
           "holds (not the history store, which keeps too little); the DfE does not define 'significantly': the "
           "options term_on_term_change_pct and term_on_term_min_count decide (DfE rule TonT3B).",
    .how_to_fix = "Check that no infant pupil with only universal infant free school meals is recorded as eligible "
                  "(an FSM period must come from a means-tested claim). If the rise is real, give COLLECT the "
                  "reason (a confirmation alone is not accepted).",
    .needs = needs_census | needs_previous,
    .fields = "FSMeligibility, NCyearActual, EnrolStatus; previous census",
    .dfe_rule = "TonT3B",
    .dfe_match = DfeMatch::partial};

void tt031_check(RuleContext& ctx) { compare(ctx, Measure::infant_fsm, Change::more); }

// TT032: significantly fewer infant pupils eligible for FSM.
constexpr RuleInfo tt032_info{
    .code = "TT032",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly fewer infant pupils eligible for FSM than in the previous census",
    .why = "A large fall in infant pupils eligible for free school meals reduces the school's pupil premium, and is "
           "often FSM periods ended by mistake or not entered for new pupils; COLLECT asks for a reason. censusqa "
           "compares each school with its return in the census previous/ holds (not the history store, which keeps too "
           "little); the DfE does not define 'significantly': the options term_on_term_change_pct and "
           "term_on_term_min_count decide (DfE rule TonT3C).",
    .how_to_fix = "Check that the infant pupils' FSM periods are complete and that none was ended in error (FSM "
                  "protection keeps most pupils eligible). If the fall is real, give COLLECT the reason.",
    .needs = needs_census | needs_previous,
    .fields = "FSMeligibility, NCyearActual, EnrolStatus; previous census",
    .dfe_rule = "TonT3C",
    .dfe_match = DfeMatch::partial};

void tt032_check(RuleContext& ctx) { compare(ctx, Measure::infant_fsm, Change::fewer); }

// TT033: no infant pupil eligible for FSM in the previous census, some now.
constexpr RuleInfo tt033_info{
    .code = "TT033",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Infant pupils eligible for FSM now, none in the previous census",
    .why = "When the previous census had no infant pupil eligible for free school meals and this one has some, COLLECT "
           "asks the school to confirm that the previous figure was right. censusqa compares each school with its "
           "return in the census previous/ holds (not the history store, which keeps too little) (DfE rule TonT3D).",
    .how_to_fix = "Confirm to COLLECT that no infant pupil was eligible last time, or correct the FSM periods that "
                  "were missing then (and check that universal infant free school meals are not recorded now).",
    .needs = needs_census | needs_previous,
    .fields = "FSMeligibility, NCyearActual, EnrolStatus; previous census",
    .dfe_rule = "TonT3D",
    .dfe_match = DfeMatch::exact};

void tt033_check(RuleContext& ctx) { compare(ctx, Measure::infant_fsm, Change::from_none); }

// TT041: significantly more pupils eligible for FSM.
constexpr RuleInfo tt041_info{
    .code = "TT041",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly more pupils eligible for FSM than in the previous census",
    .why = "Free school meal eligibility drives the pupil premium and deprivation funding, so a large rise is queried "
           "by COLLECT and needs a reason. censusqa compares each school with its return in the census previous/ holds "
           "(not the history store, which keeps too little); the DfE does not define 'significantly': the options "
           "term_on_term_change_pct and term_on_term_min_count decide (DfE rule TonT4B).",
    .how_to_fix = "Check the new FSM periods against the LA's eligibility checks (no duplicated periods, no "
                  "periods for pupils without a claim). If the rise is real, give COLLECT the reason (a "
                  "confirmation alone is not accepted).",
    .needs = needs_census | needs_previous,
    .fields = "FSMeligibility, EnrolStatus; previous census",
    .dfe_rule = "TonT4B",
    .dfe_match = DfeMatch::partial};

void tt041_check(RuleContext& ctx) { compare(ctx, Measure::fsm, Change::more); }

// TT042: significantly fewer pupils eligible for FSM.
constexpr RuleInfo tt042_info{
    .code = "TT042",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly fewer pupils eligible for FSM than in the previous census",
    .why = "A large fall in free school meal eligibility cuts the school's pupil premium and is often periods ended in "
           "error or not carried over; COLLECT asks for a reason. censusqa compares each school with its return in the "
           "census previous/ holds (not the history store, which keeps too little); the DfE does not define "
           "'significantly': the options term_on_term_change_pct and term_on_term_min_count decide (DfE rule TonT4C).",
    .how_to_fix = "Check that no FSM period was ended in error (FSM protection keeps most pupils eligible) and "
                  "that new pupils' periods were entered. If the fall is real, give COLLECT the reason.",
    .needs = needs_census | needs_previous,
    .fields = "FSMeligibility, EnrolStatus; previous census",
    .dfe_rule = "TonT4C",
    .dfe_match = DfeMatch::partial};

void tt042_check(RuleContext& ctx) { compare(ctx, Measure::fsm, Change::fewer); }

// TT043: no pupil eligible for FSM in the previous census, some now.
constexpr RuleInfo tt043_info{
    .code = "TT043",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Pupils eligible for FSM now, none in the previous census",
    .why = "When the previous census had no pupil eligible for free school meals and this one has some, COLLECT asks "
           "the school to confirm the previous figure: FSM periods are often missing from a first return after a "
           "change of MIS. censusqa compares each school with its return in the census previous/ holds (not the "
           "history store, which keeps too little) (DfE rule TonT4D).",
    .how_to_fix = "Confirm to COLLECT that no pupil was eligible last time, or explain why the FSM periods were "
                  "missing from that return.",
    .needs = needs_census | needs_previous,
    .fields = "FSMeligibility, EnrolStatus; previous census",
    .dfe_rule = "TonT4D",
    .dfe_match = DfeMatch::exact};

void tt043_check(RuleContext& ctx) { compare(ctx, Measure::fsm, Change::from_none); }

// TT051: significantly more pupils with an EHC plan.
constexpr RuleInfo tt051_info{
    .code = "TT051",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly more pupils with an EHC plan than in the previous census",
    .why = "EHC plans are issued by the LA, so a school's count rarely jumps between censuses; a large rise is often "
           "SEN support pupils recorded as E, or plans still in assessment. COLLECT queries it. censusqa compares each "
           "school with its return in the census previous/ holds (not the history store, which keeps too little); the "
           "DfE does not define 'significantly': the options term_on_term_change_pct and term_on_term_min_count decide "
           "(DfE rule TonT5B).",
    .how_to_fix = "Check that every pupil recorded E has a plan the LA has issued (not a request or an assessment "
                  "in progress); then confirm the figure to COLLECT.",
    .needs = needs_census | needs_previous,
    .fields = "SENprovision, EnrolStatus; previous census",
    .dfe_rule = "TonT5B",
    .dfe_match = DfeMatch::partial};

void tt051_check(RuleContext& ctx) { compare(ctx, Measure::ehc_plan, Change::more); }

// TT052: significantly fewer pupils with an EHC plan.
constexpr RuleInfo tt052_info{
    .code = "TT052",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly fewer pupils with an EHC plan than in the previous census",
    .why = "A large fall in pupils with an EHC plan is unusual (plans cease rarely) and is often plans recorded as SEN "
           "support by mistake; COLLECT queries it. censusqa compares each school with its return in the census "
           "previous/ holds (not the history store, which keeps too little); the DfE does not define 'significantly': "
           "the options term_on_term_change_pct and term_on_term_min_count decide (DfE rule TonT5C).",
    .how_to_fix = "Check the pupils who were E last time and are not now against the LA's plans (the SEN team's "
                  "caseload); then confirm the figure to COLLECT.",
    .needs = needs_census | needs_previous,
    .fields = "SENprovision, EnrolStatus; previous census",
    .dfe_rule = "TonT5C",
    .dfe_match = DfeMatch::partial};

void tt052_check(RuleContext& ctx) { compare(ctx, Measure::ehc_plan, Change::fewer); }

// TT053: no pupil with an EHC plan in the previous census, some now.
constexpr RuleInfo tt053_info{
    .code = "TT053",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Pupils with an EHC plan now, none in the previous census",
    .why = "When the previous census had no pupil with an EHC plan and this one has some, COLLECT asks the school to "
           "confirm both figures. censusqa compares each school with its return in the census previous/ holds (not the "
           "history store, which keeps too little) (DfE rule TonT5D).",
    .how_to_fix = "Check that the pupils now recorded E have plans the LA has issued, and confirm to COLLECT.",
    .needs = needs_census | needs_previous,
    .fields = "SENprovision, EnrolStatus; previous census",
    .dfe_rule = "TonT5D",
    .dfe_match = DfeMatch::exact};

void tt053_check(RuleContext& ctx) { compare(ctx, Measure::ehc_plan, Change::from_none); }

// TT061: significantly more pupils at SEN support.
constexpr RuleInfo tt061_info{
    .code = "TT061",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly more pupils at SEN support than in the previous census",
    .why = "A large rise in pupils at SEN support (provision K) between censuses is queried by COLLECT: it is often a "
           "register not reviewed, or pupils added before the graduated approach has started. censusqa compares each "
           "school with its return in the census previous/ holds (not the history store, which keeps too little); the "
           "DfE does not define 'significantly': the options term_on_term_change_pct and term_on_term_min_count decide "
           "(DfE rule TonT6B).",
    .how_to_fix = "Ask the SENCO to check the SEN register against the pupils recorded K; then confirm the figure "
                  "to COLLECT.",
    .needs = needs_census | needs_previous,
    .fields = "SENprovision, EnrolStatus; previous census",
    .dfe_rule = "TonT6B",
    .dfe_match = DfeMatch::partial};

void tt061_check(RuleContext& ctx) { compare(ctx, Measure::sen_support, Change::more); }

// TT062: significantly fewer pupils at SEN support.
constexpr RuleInfo tt062_info{
    .code = "TT062",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Significantly fewer pupils at SEN support than in the previous census",
    .why = "A large fall in pupils at SEN support is queried by COLLECT: it is often provision cleared in the MIS by "
           "mistake, or a register reviewed without recording it. censusqa compares each school with its return in the "
           "census previous/ holds (not the history store, which keeps too little); the DfE does not define "
           "'significantly': the options term_on_term_change_pct and term_on_term_min_count decide (DfE rule TonT6C).",
    .how_to_fix = "Ask the SENCO to check the pupils who were K last time and are not now; then confirm the figure "
                  "to COLLECT.",
    .needs = needs_census | needs_previous,
    .fields = "SENprovision, EnrolStatus; previous census",
    .dfe_rule = "TonT6C",
    .dfe_match = DfeMatch::partial};

void tt062_check(RuleContext& ctx) { compare(ctx, Measure::sen_support, Change::fewer); }

// TT063: no pupil at SEN support in the previous census, some now.
constexpr RuleInfo tt063_info{
    .code = "TT063",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Pupils at SEN support now, none in the previous census",
    .why = "When the previous census had no pupil at SEN support and this one has some, COLLECT asks the school to "
           "confirm both figures: a return without SEN support is usually a module missing. censusqa compares each "
           "school with its return in the census previous/ holds (not the history store, which keeps too little) (DfE "
           "rule TonT6D).",
    .how_to_fix = "Confirm to COLLECT that no pupil was at SEN support last time, or explain why the SEN provision "
                  "was missing from that return.",
    .needs = needs_census | needs_previous,
    .fields = "SENprovision, EnrolStatus; previous census",
    .dfe_rule = "TonT6D",
    .dfe_match = DfeMatch::exact};

void tt063_check(RuleContext& ctx) { compare(ctx, Measure::sen_support, Change::from_none); }

const Rule term_on_term[] = {
    {&tt031_info, tt031_check}, {&tt032_info, tt032_check}, {&tt033_info, tt033_check}, {&tt041_info, tt041_check},
    {&tt042_info, tt042_check}, {&tt043_info, tt043_check}, {&tt051_info, tt051_check}, {&tt052_info, tt052_check},
    {&tt053_info, tt053_check}, {&tt061_info, tt061_check}, {&tt062_info, tt062_check}, {&tt063_info, tt063_check},
};

} // namespace

std::span<const Rule> term_on_term_rules() { return term_on_term; }

} // namespace censusqa::dfe_census
