// CI006: date of birth missing, invalid, or after the reference date.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI006",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Date of birth missing, invalid or in the future",
    "Age drives year-group checks, funding and every age-based statistic; a pupil without a valid date of birth on "
    "or before the census reference date cannot be counted correctly.",
    "Enter the date of birth from the pupil's birth certificate or admission form in the MIS.",
    needs_census,
    "DOB",
    // COLLECT's rule 1600 is a missing date of birth; CI006 also reports a date of birth after census day
    // (which COLLECT queries only through the age rules) and an unreadable one: stricter.
    "1600",
    DfeMatch::stricter,
};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (!p.dob) {
      const auto raw = ctx.data.raw_value(Entity::pupil, ctx.data.index_of(p), Field::dob);
      if (raw)
        ctx.report_pupil(p, "Date of birth '" + std::string(*raw) + "' is not a valid date",
                         {{"DOB", std::string(*raw)}});
      else
        ctx.for_dfe("1600").report_pupil(p, "Date of birth is missing", {{"DOB", ""}}); // COLLECT's own
      continue;
    }
    const auto& ret = ctx.data.return_of(p);
    const std::optional<Date> ref = ret.reference_date ? ret.reference_date : ctx.run.reference_date;
    if (ref && *p.dob > *ref)
      ctx.report_pupil(p, "Date of birth " + p.dob->iso() + " is after the census reference date " + ref->iso(),
                       {{"DOB", p.dob->iso()}, {"reference_date", ref->iso()}});
  }
}

} // namespace

const Rule ci006_dob{&info, check};

} // namespace censusqa::census_integrity
