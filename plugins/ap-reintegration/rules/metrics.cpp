// Placement figures by home school and by provider: pupils placed (open or ended placements, each
// pupil once), started this academic year, open at the reference date, ended (with median weeks and the share ended
// within 12 weeks), destinations, reintegrated and sustained. Sustained counts only reintegrations whose sustain window
// has passed by the reference date, and its percentage is of those; a percentage with nothing to divide by is null.
// Destinations, reintegrated and sustained are of the ended placements whose source records a destination
// (`ended_recorded`: ap_placements.csv does, the AP census does not).
#include "rules.hpp"

#include <algorithm>
#include <set>

namespace censusqa::ap_reintegration {
namespace {

struct Stats {
  std::int64_t started = 0, open = 0, ended = 0, ended_within_12_weeks = 0, ended_recorded = 0, reintegrated = 0,
               judged = 0, sustained = 0;
  std::vector<std::int64_t> ended_days;
  std::map<std::string, std::int64_t> destinations;
  std::set<std::string> pupils; // open or ended placements' pupils (UPN, else the placement id): one each
};

// The median of whole days, in weeks to one decimal (half up): an even count takes the mean of the two middle.
Value median_weeks(std::vector<std::int64_t> days) {
  if (days.empty()) return {};
  std::sort(days.begin(), days.end());
  const std::size_t n = days.size();
  const std::int64_t twice = n % 2 ? 2 * days[n / 2] : days[n / 2 - 1] + days[n / 2]; // twice the median
  const std::int64_t tenths = (twice * 10 + 7) / 14;                                  // twice/2/7 weeks, in tenths
  return static_cast<double>(tenths) / 10.0;
}

Value to_value(const Stats& s) {
  Value v;
  v.set("pupils", static_cast<std::int64_t>(s.pupils.size()));
  v.set("started", s.started);
  v.set("open", s.open);
  v.set("ended", s.ended);
  v.set("median_weeks_ended", median_weeks(s.ended_days));
  v.set("pc_ended_within_12_weeks", percent_1dp(s.ended_within_12_weeks, s.ended));
  Value d = Value::Object{};
  for (const auto& [k, n] : s.destinations)
    d.set(k, n);
  v.set("destinations", std::move(d));
  v.set("ended_with_destination_recorded", s.ended_recorded);
  v.set("reintegrated", s.reintegrated);
  v.set("pc_reintegrated", percent_1dp(s.reintegrated, s.ended_recorded));
  v.set("sustained", s.sustained);
  v.set("pc_sustained", percent_1dp(s.sustained, s.judged));
  return v;
}

void compute(RunContext& run) {
  if (!run.run.reference_date) return;
  const Date ref = *run.run.reference_date;
  const Date year_start = academic_year_start_eve(ref).plus_days(1);
  const Limits limits = read_limits(run.config);
  const auto by_pupil = placements_by_pupil(run.data);
  std::map<std::string, Stats> schools, providers;
  for (const ApPlacement& p : run.data.ap_placements) {
    if (!p.start_date || *p.start_date > ref) continue;
    const std::string provider = !p.provider_urn.empty()     ? p.provider_urn
                                 : !p.provider_ukprn.empty() ? "UKPRN " + p.provider_ukprn
                                 : !p.provider_name.empty()  ? p.provider_name
                                                             : p.provider_type;
    for (Stats* s : {&schools[p.home_laestab], &providers[provider]}) {
      s->started += *p.start_date >= year_start;
      const bool open = p.open_on(ref);
      s->open += open;
      const bool ended = p.end_date && *p.end_date <= ref && *p.end_date >= *p.start_date;
      if (open || ended) s->pupils.insert(p.upn.empty() ? "placement " + p.placement_id : p.upn);
      if (!ended) continue;
      ++s->ended;
      const std::int64_t days = p.end_date->days_since(*p.start_date);
      s->ended_days.push_back(days);
      s->ended_within_12_weeks += days <= 84;
      if (!p.carries_plan()) continue;
      ++s->ended_recorded;
      if (p.destination) ++s->destinations[std::string(name(*p.destination))];
      if (!reintegrated_placement(p)) continue;
      ++s->reintegrated;
      if (p.end_date->plus_days(limits.sustain_weeks * 7) > ref) continue; // too soon to tell
      ++s->judged;
      const auto it = by_pupil.find(p.upn);
      s->sustained += !p.upn.empty() && it != by_pupil.end() && !breakdown_after(run.data, p, it->second, limits);
    }
  }
  Value la, by_school = Value::Object{}, by_provider = Value::Object{};
  for (const auto& [laestab, s] : schools) {
    if (laestab.empty()) continue;
    by_school.set(laestab, to_value(s));
    run.metrics.school(laestab, "ap.pupils_placed", static_cast<std::int64_t>(s.pupils.size()));
    run.metrics.school(laestab, "ap.placements_started", s.started);
    run.metrics.school(laestab, "ap.placements_open", s.open);
    run.metrics.school(laestab, "ap.placements_ended", s.ended);
    run.metrics.school(laestab, "ap.placements_ended_with_destination", s.ended_recorded);
    run.metrics.school(laestab, "ap.reintegrated", s.reintegrated);
    run.metrics.school(laestab, "ap.sustained", s.sustained);
  }
  for (const auto& [provider, s] : providers)
    if (!provider.empty()) by_provider.set(provider, to_value(s));
  la.set("by_school", std::move(by_school));
  la.set("by_provider", std::move(by_provider));
  run.metrics.la("ap", std::move(la));
}

} // namespace

const MetricProducer placement_metrics{"AP placements by school and provider", needs_ap_placements, compute};

} // namespace censusqa::ap_reintegration
