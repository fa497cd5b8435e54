// MV003: a permanently excluded pupil who, at the census, is on no roll and in no AP placement.
#include "rules.hpp"

#include <set>

namespace censusqa::pupil_movement {
namespace {

constexpr RuleInfo info{
    "MV003",
    Severity::query,
    Scope::pupil,
    Actor::la_ap,
    "Permanently excluded, and on no roll or placement at the census",
    "A permanently excluded pupil of compulsory school age must receive suitable full-time education from the "
    "sixth school day (Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations "
    "2007). Six weekdays or more after the exclusion began, this pupil is on no roll of the LA's schools (any "
    "status, a PRU included, under its UPN or as another record's FormerUPN) and in no AP placement open on "
    "census day (without ap_placements.csv, no placement can be seen, and the finding says so). AP008 "
    "asks whether provision started by the sixth day; this asks where the pupil is now.",
    "Record the school or placement the pupil now attends (ap_placements.csv, or the new school's return), or "
    "find the pupil: a child out of education after a permanent exclusion is the LA's to place.",
    needs_census,
    "census exclusions Category, StartDate, census UPN, FormerUPN, ap_placements start_date, ap_placements end_date"};

// The sixth weekday counting `from` as the first when it is one.
Date sixth_weekday(Date from) {
  Date d = from;
  for (int count = 0;; d = d.plus_days(1))
    if (d.iso_weekday_index() < 5 && ++count == 6) return d;
}

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) return ctx.skip("no reference date");
  std::set<std::string> reported;
  // The UPNs current records give as their FormerUPN: a pupil on a roll under a new UPN.
  std::set<std::string, std::less<>> former;
  for (const Pupil& p : ctx.data.pupils)
    if (const std::string_view f = ctx.data.former_upn_of(p); !f.empty()) former.emplace(f);
  const bool placements = ctx.data.has(needs_ap_placements);
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    if (p.upn.empty() || reported.count(p.upn)) return;
    const std::optional<Date> day =
        ctx.data.return_of(p).reference_date ? ctx.data.return_of(p).reference_date : ctx.run.reference_date;
    for (const Exclusion& e : ctx.data.exclusions_of(p)) {
      if (e.category != ExclusionCategory::PERM || !e.start_date || sixth_weekday(*e.start_date) > *day) continue;
      if (!of_compulsory_age(p, *day)) return;
      if (!ctx.data.pupils_with_upn(p.upn).empty() || former.count(p.upn)) return; // on a roll, here or elsewhere
      for (const ApPlacement& a : ctx.data.ap_placements)
        if (a.upn == p.upn && a.open_on(*day)) return;
      reported.insert(p.upn);
      ctx.report_pupil(p,
                       "Permanently excluded from " + e.start_date->iso() + " and, at the census (" + day->iso() +
                           "), on no roll of the LA's schools and in no AP placement" +
                           (placements ? "" : " (no AP placement records, ap_placements.csv, were part of this run)"),
                       {{"exclusion_start", e.start_date->iso()}, {"census", day->iso()}});
      return;
    }
  });
}

} // namespace

const Rule mv003_excluded_nowhere{&info, check};

} // namespace censusqa::pupil_movement
