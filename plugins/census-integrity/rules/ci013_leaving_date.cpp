// CI013: a leaver's leaving date before its entry date, or on or after census day.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI013",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Leaving date before entry or not before census day",
    "A leaver left between the previous census and this one: a leaving date before the pupil joined, or on or after "
    "census day, means a wrong date or a pupil who is in fact still on roll (COLLECT rule 1920).",
    "Correct the leaving or entry date in the MIS; a pupil still on roll on census day belongs in the pupils on "
    "roll.",
    needs_census,
    "LeavingDate, EntryDate",
    "1920", // with CI011's missing leaving date
    DfeMatch::exact,
};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.leavers) {
    if (!p.leaving_date) continue; // CI011 reports it missing
    const auto& ret = ctx.data.return_of(p);
    const std::optional<Date> day = ret.reference_date ? ret.reference_date : ctx.run.reference_date;
    if (p.entry_date && *p.leaving_date < *p.entry_date)
      ctx.report_pupil(p, "Leaving date " + p.leaving_date->iso() + " is before the entry date " + p.entry_date->iso(),
                       {{"LeavingDate", p.leaving_date->iso()}, {"EntryDate", p.entry_date->iso()}});
    else if (day && *p.leaving_date >= *day)
      ctx.report_pupil(p,
                       "Leaving date " + p.leaving_date->iso() + " is not before census day " + day->iso() +
                           ": the pupil was on roll on census day",
                       {{"LeavingDate", p.leaving_date->iso()}, {"ReferenceDate", day->iso()}});
  }
}

} // namespace

const Rule ci013_leaving_date{&info, check};

} // namespace censusqa::census_integrity
