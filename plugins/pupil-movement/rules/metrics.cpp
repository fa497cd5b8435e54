// movement.* per measured school, each count with its breakdowns (Group), and la.movement: the window,
// what was not measured and why, the LA's sums and distinct pupils, and each school's rates per 100 pupils
// of the previous roll. Definitions: docs/metrics.md, "Pupil movement".
#include "rules.hpp"

#include <array>
#include <set>

namespace censusqa::pupil_movement {
namespace {

enum Count : std::size_t {
  on_roll_previous,
  stayed,
  completed_phase,
  moved_out,
  into_ap,
  left_on_record,
  vanished,
  moved_in,
  joined,
  unexplained_exits,
  count_of_counts
};
constexpr std::string_view count_names[] = {"on_roll_previous", "stayed",           "completed_phase", "moved_out",
                                            "into_ap",          "left_on_record",   "vanished",        "moved_in",
                                            "joined",           "unexplained_exits"};
static_assert(std::size(count_names) == count_of_counts);

using Table = std::array<std::array<std::int64_t, count_of_counts>, group_count>;

Count count_of(Outcome o) {
  switch (o) {
  case Outcome::stayed: return stayed;
  case Outcome::completed_phase: return completed_phase;
  case Outcome::into_ap: return into_ap;
  case Outcome::moved_out: return moved_out;
  case Outcome::left_on_record: return left_on_record;
  case Outcome::vanished: break;
  }
  return vanished;
}

Table counts(const SchoolMovement& s) {
  Table t{};
  for (const PreviousPupil& x : s.previous_roll)
    for (std::size_t g = 0; g < group_count; ++g)
      if (x.groups.in[g]) {
        ++t[g][on_roll_previous];
        ++t[g][count_of(x.outcome)];
      }
  for (const Joiner& j : s.joiners)
    for (std::size_t g = 0; g < group_count; ++g)
      if (j.groups.in[g]) {
        ++t[g][joined];
        t[g][moved_in] += !j.from.empty();
      }
  for (std::size_t g = 0; g < group_count; ++g)
    t[g][unexplained_exits] = s.unexplained_exits(static_cast<Group>(g));
  return t;
}

Value row_value(const std::array<std::int64_t, count_of_counts>& row) {
  Value v = Value::Object{};
  for (std::size_t c = 0; c < count_of_counts; ++c)
    v.set(std::string(count_names[c]), row[c]);
  for (const Count c : {moved_out, into_ap, left_on_record, vanished, unexplained_exits})
    v.set(std::string(count_names[c]) + "_per_100", percent_1dp(row[c], row[on_roll_previous]));
  return v;
}

void compute(RunContext& run) {
  const Movement& m = movement(run.data, run.run);
  Value la = Value::Object{};
  la.set("source", m.source);
  if (!m.refused.empty()) {
    la.set("not_measured", m.refused);
    run.metrics.la("movement", std::move(la));
    return;
  }
  la.set("previous_reference_date", m.previous_day->iso());
  la.set("reference_date", m.day->iso());
  la.set("crosses_year_end", academic_year_start_eve(*m.previous_day) != academic_year_start_eve(*m.day));
  la.set("schools_measured", static_cast<std::int64_t>(m.schools.size()));
  Value not_measured = Value::Object{};
  for (const auto& [laestab, why] : m.not_measured)
    not_measured.set(laestab, why);
  la.set("schools_not_measured", std::move(not_measured));
  la.set("former_upn_links", m.former_upn_links);
  la.set("former_upn_conflicts", m.former_upn_conflicts);
  la.set("previous_without_upn", m.no_upn_previous);
  std::array<std::int64_t, count_of_counts> total{};
  Value by_school = Value::Object{};
  std::set<std::string> vanished_pupils, exit_pupils;
  for (const SchoolMovement& s : m.schools) {
    const Table t = counts(s);
    for (std::size_t g = 0; g < group_count; ++g)
      for (std::size_t c = 0; c < count_of_counts; ++c)
        run.metrics.school(s.laestab, std::string("movement.").append(count_names[c]).append(group_suffixes[g]),
                           t[g][c]);
    for (std::size_t c = 0; c < count_of_counts; ++c)
      total[c] += t[0][c];
    Value v = row_value(t[0]);
    v.set("y10_11", row_value(t[static_cast<std::size_t>(Group::y10_11)]));
    v.set("previous_reference_date", s.previous_day.iso());
    v.set("reference_date", s.day.iso());
    by_school.set(s.laestab, std::move(v));
    for (const PreviousPupil& x : s.previous_roll) {
      if (x.outcome == Outcome::vanished) vanished_pupils.insert(x.then->upn);
      if (x.unexplained_exit()) exit_pupils.insert(x.then->upn);
    }
    for (const InWindowExit& e : s.in_window_exits)
      if (e.explained.empty()) exit_pupils.insert(e.leaver->upn);
  }
  la.set("totals", row_value(total));
  // A pupil on two schools' previous rolls is in both schools' counts; here once.
  la.set("vanished_pupils", static_cast<std::int64_t>(vanished_pupils.size()));
  la.set("unexplained_exit_pupils", static_cast<std::int64_t>(exit_pupils.size()));
  la.set("by_school", std::move(by_school));
  run.metrics.la("movement", std::move(la));
}

} // namespace

const MetricProducer movement_metrics{"pupil movement between the two censuses", needs_census | needs_previous,
                                      compute};

} // namespace censusqa::pupil_movement
