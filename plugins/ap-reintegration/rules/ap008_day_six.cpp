// AP008: a permanent exclusion with no placement from the sixth school day.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP008",
    Severity::query,
    Scope::pupil,
    Actor::la_ap,
    "No provision from the sixth day of a permanent exclusion",
    "The LA must arrange suitable full-time education from the sixth school day of a permanent exclusion "
    "(Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007). School days are "
    "weekdays outside the configured holidays, counting the exclusion's start date as the first; a placement that "
    "starts by the sixth, or is already open on the start date, meets the duty, as does a place at another school "
    "(on its roll, C or M, admitted by the sixth day).",
    "Record the placement that was made, or arrange one now and record the reason for the gap.",
    needs_ap_placements | needs_census,
    "census exclusions (PERM), census EntryDate, ap_placements start_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) return ctx.skip("no reference date");
  const Limits limits = read_limits(ctx.config);
  const auto by_pupil = placements_by_pupil(ctx.data);
  // A permanently excluded pupil has usually left the roll by the census: its exclusion is a leaver's.
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& pupil) {
    for (const Exclusion& e : ctx.data.exclusions_of(pupil)) {
      if (e.category != ExclusionCategory::PERM || !e.start_date) continue;
      const Date sixth = nth_school_day(*e.start_date, 6, limits);
      if (sixth > *ctx.run.reference_date) continue; // not yet due at the reference date
      bool provided = false;
      if (const auto it = by_pupil.find(pupil.upn); it != by_pupil.end())
        for (const ApPlacement* p : it->second)
          provided |= p->start_date &&
                      ((*p->start_date >= *e.start_date && *p->start_date <= sixth) || p->open_on(*e.start_date));
      // A place at another school from the sixth day meets the duty too: the pupil is on its roll (C or M),
      // admitted by then.
      const std::string& from = ctx.data.return_of(pupil).laestab;
      for (const std::uint32_t i : ctx.data.pupils_with_upn(pupil.upn)) {
        const Pupil& q = ctx.data.pupils[i];
        provided |= ctx.data.return_of(q).laestab != from && q.enrol_status && counts_on_roll(*q.enrol_status) &&
                    q.entry_date && *q.entry_date <= sixth;
      }
      if (provided) continue;
      ctx.report_pupil(pupil,
                       "Permanently excluded from " + e.start_date->iso() +
                           " with no placement starting by the sixth "
                           "school day, " +
                           sixth.iso(),
                       {{"exclusion_start", e.start_date->iso()}, {"sixth_school_day", sixth.iso()}});
      break;
    }
  });
}

} // namespace

const Rule ap008_day_six{&info, check};

} // namespace censusqa::ap_reintegration
