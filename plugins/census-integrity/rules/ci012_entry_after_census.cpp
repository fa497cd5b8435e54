// CI012: an entry date after the census day.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI012",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Entry date after census day",
    "A pupil who joins after census day was not on roll on it, so the return counts a pupil the school did not have "
    "(COLLECT rule 1880).",
    "Correct the entry date in the MIS, or leave the pupil out of this census if it joined after census day.",
    needs_census,
    "EntryDate",
    "1880", // with CI011's missing entry date
    DfeMatch::exact,
};

void check(RuleContext& ctx) {
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    const auto& ret = ctx.data.return_of(p);
    const std::optional<Date> day = ret.reference_date ? ret.reference_date : ctx.run.reference_date;
    if (!day || !p.entry_date || *p.entry_date <= *day) return;
    ctx.report_pupil(p, "Entry date " + p.entry_date->iso() + " is after census day " + day->iso(),
                     {{"EntryDate", p.entry_date->iso()}, {"ReferenceDate", day->iso()}});
  });
}

} // namespace

const Rule ci012_entry_after_census{&info, check};

} // namespace censusqa::census_integrity
