// The measurement the rules and metrics share (rules.hpp): each school's previous roll followed into this
// census, its joiners, and the exits between. Definitions: docs/metrics.md, "Pupil movement".
#include "rules.hpp"

#include <censusqa/school_age.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <span>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace censusqa::pupil_movement {
namespace {

bool main_registration(const Pupil& p) { return p.enrol_status && counts_on_roll(*p.enrol_status); }

std::optional<Phase> phase_of(const Dataset& data, std::string_view laestab) {
  const School* s = data.find_school(laestab);
  return s ? s->phase : std::nullopt;
}

// The value most of a dataset's returns give (`of` gives nothing for a return without one); the
// smallest on a tie.
template <typename Of> auto most_common(const Dataset& d, Of of) {
  using T = typename std::invoke_result_t<Of, const CensusReturn&>::value_type;
  std::map<T, int> n;
  for (const CensusReturn& r : d.returns)
    if (const auto v = of(r)) ++n[*v];
  std::optional<T> best;
  int most = 0;
  for (const auto& [v, k] : n)
    if (k > most) best = v, most = k;
  return best;
}

// The most common census day of a dataset's returns.
std::optional<Date> usual_day(const Dataset& d) {
  return most_common(d, [](const CensusReturn& r) { return r.reference_date; });
}

// The LA number most of a census's return headers give (Source/LEA), or empty. One mistyped header does not
// change it; a previous/ from another LA does, even when its establishment numbers are also this LA's (the
// register would read those returns as this LA's schools).
std::string usual_lea(const Dataset& d) {
  return most_common(
             d, [](const CensusReturn& r) { return r.lea.empty() ? std::nullopt : std::optional<std::string>(r.lea); })
      .value_or("");
}

// The current pupils found through a FormerUPN: FormerUPN -> index in Dataset::pupils. A former UPN that
// is a current pupil's UPN, or that two current records give, links nothing.
struct FormerIndex {
  std::unordered_map<std::string, std::uint32_t> by_former;
  std::int64_t conflicts = 0;
  explicit FormerIndex(const Dataset& data) {
    std::unordered_set<std::string> twice;
    for (std::uint32_t i = 0; i < data.pupils.size(); ++i) {
      const std::string_view f = data.former_upn_of(data.pupils[i]);
      if (f.empty() || f == data.pupils[i].upn) continue;
      const std::string key(f);
      if (!data.pupils_with_upn(f).empty()) {
        ++conflicts;
        continue;
      }
      const auto [it, fresh] = by_former.emplace(key, i);
      // The same pupil's two registrations (main and subsidiary) may both give it.
      if (!fresh && data.pupils[it->second].upn != data.pupils[i].upn) twice.insert(key);
    }
    for (const auto& k : twice) {
      by_former.erase(k);
      ++conflicts;
    }
  }
};

// The current roll records of a previous pupil, into `out` (reused: no allocation per pupil): by UPN, else
// by a current record's FormerUPN.
void now_records(const Dataset& data, const FormerIndex& former, const std::string& upn, bool& by_former,
                 std::vector<const Pupil*>& out) {
  out.clear();
  for (const std::uint32_t i : data.pupils_with_upn(upn))
    out.push_back(&data.pupils[i]);
  by_former = false;
  if (out.empty())
    if (const auto it = former.by_former.find(upn); it != former.by_former.end()) {
      for (const std::uint32_t i : data.pupils_with_upn(data.pupils[it->second].upn))
        out.push_back(&data.pupils[i]);
      by_former = !out.empty();
    }
  // Moves are attributed in LAEstab order when a pupil is on two rolls (CI005 reports it).
  if (out.size() > 1)
    std::stable_sort(out.begin(), out.end(), [&](const Pupil* a, const Pupil* b) {
      return data.return_of(*a).laestab < data.return_of(*b).laestab;
    });
}

// A permanent exclusion from `laestab` within the 12 months up to `day`, in either census.
bool permanently_excluded(const Dataset& data, const Dataset& before, std::string_view laestab, const std::string& upn,
                          Date day) {
  const Date from = day.plus_days(-366);
  auto any = [&](const Dataset& d) {
    bool found = false;
    auto check = [&](const Pupil& p) {
      if (d.return_of(p).laestab != laestab) return;
      for (const Exclusion& e : d.exclusions_of(p))
        found |= e.category == ExclusionCategory::PERM && e.start_date && *e.start_date <= day && *e.start_date >= from;
    };
    for (const std::uint32_t i : d.pupils_with_upn(upn))
      check(d.pupils[i]);
    for (const std::uint32_t i : d.leavers_with_upn(upn))
      check(d.leavers[i]);
    return found;
  };
  return any(data) || any(before);
}

// The AP placements by UPN (those with one), built once per measurement.
using Placements = std::unordered_map<std::string_view, std::vector<const ApPlacement*>>;
Placements placements_by_upn(const Dataset& data) {
  Placements out;
  for (const ApPlacement& p : data.ap_placements)
    if (!p.upn.empty()) out[p.upn].push_back(&p);
  return out;
}
std::span<const ApPlacement* const> placements_of(const Placements& all, std::string_view upn) {
  const auto it = all.find(upn);
  return it == all.end() ? std::span<const ApPlacement* const>{} : std::span<const ApPlacement* const>{it->second};
}

// An AP placement of the pupil that explains an exit: ended in the window into a special school, or
// because the family moved away.
std::string_view placement_explanation(const Placements& all, const std::string& upn, Date from, Date to) {
  for (const ApPlacement* p : placements_of(all, upn))
    if (p->end_date && *p->end_date > from && *p->end_date <= to) {
      if (p->destination == ApDestination::special) return "placed in a special school";
      if (p->destination == ApDestination::moved_away) return "moved away";
    }
  return {};
}

const ApPlacement* open_placement(const Placements& all, const std::string& upn, Date on) {
  for (const ApPlacement* p : placements_of(all, upn))
    if (p->open_on(on)) return p;
  return nullptr;
}

struct Returns {
  std::vector<const CensusReturn*> list;
  std::optional<Date> day;
};

std::map<std::string, Returns> returns_by_school(const Dataset& d) {
  std::map<std::string, Returns> out;
  for (const CensusReturn& r : d.returns) {
    if (r.laestab.empty()) continue;
    Returns& x = out[r.laestab];
    x.list.push_back(&r);
    if (r.reference_date && (!x.day || *r.reference_date > *x.day)) x.day = r.reference_date;
  }
  return out;
}

// Records' UPNs as a sorted set of views into the records (no allocation per record), and which records are
// the first with their UPN in input order (a UPN given twice counts once, as its first record).
struct UpnSet {
  std::vector<std::string_view> sorted;
  std::vector<bool> first;
  explicit UpnSet(const std::vector<const Pupil*>& records) : first(records.size(), false) {
    std::vector<std::uint32_t> order(records.size());
    for (std::uint32_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return records[a]->upn < records[b]->upn; });
    sorted.reserve(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      if (k == 0 || records[order[k]]->upn != records[order[k - 1]]->upn) {
        first[order[k]] = true;
        sorted.push_back(records[order[k]]->upn);
      }
  }
  bool contains(std::string_view upn) const { return std::binary_search(sorted.begin(), sorted.end(), upn); }
};

SchoolMovement measure_school(const Dataset& data, const Dataset& before, const FormerIndex& former,
                              const Placements& placements, const std::string& laestab, const Returns& then_returns,
                              const Returns& now_returns, Date d0, Date d1, std::int64_t& no_upn, std::int64_t& links) {
  SchoolMovement s;
  s.laestab = laestab;
  s.phase = phase_of(data, laestab);
  std::vector<const Pupil*> now; // a previous pupil's records now (now_records)
  s.previous_day = d0;
  s.day = d1;
  s.crosses_year_end = academic_year_start_eve(d0) != academic_year_start_eve(d1);
  // The top year group then: the return's HighestNCyear, else its pupils' highest.
  std::optional<int> top;
  for (const CensusReturn* r : then_returns.list)
    if (r->highest_nc_year && !r->highest_nc_year->no_year_group())
      top = std::max(top.value_or(-100), static_cast<int>(r->highest_nc_year->value()));
  if (!top)
    for (const CensusReturn* r : then_returns.list)
      for (const Pupil& p : before.pupils_of(*r))
        if (p.nc_year && !p.nc_year->no_year_group()) top = std::max(top.value_or(-100), int{p.nc_year->value()});

  std::vector<const Pupil*> previous_records;
  for (const CensusReturn* r : then_returns.list)
    for (const Pupil& p : before.pupils_of(*r)) {
      if (!main_registration(p)) continue;
      if (p.upn.empty())
        ++no_upn;
      else
        previous_records.push_back(&p);
    }
  const UpnSet base(previous_records);
  s.previous_roll.reserve(base.sorted.size());
  for (std::size_t k = 0; k < previous_records.size(); ++k) {
    if (!base.first[k]) continue; // given twice in the previous return (CI004 then)
    const Pupil& p = *previous_records[k];
    PreviousPupil x;
    x.then = &p;
    x.groups = groups_of(p);
    x.compulsory_age = of_compulsory_age(p, d0);
    bool by_former = false;
    now_records(data, former, p.upn, by_former, now);
    const Pupil* here = nullptr;
    const Pupil* pru_roll = nullptr;
    const Pupil* elsewhere = nullptr;
    const Pupil* pru_subsidiary = nullptr;
    for (const Pupil* q : now) {
      const std::string& at = data.return_of(*q).laestab;
      const bool pru = phase_of(data, at) == Phase::pru;
      if (main_registration(*q)) {
        if (at == laestab)
          here = here ? here : q;
        else if (pru)
          pru_roll = pru_roll ? pru_roll : q;
        else
          elsewhere = elsewhere ? elsewhere : q;
      } else if (pru && q->enrol_status == EnrolStatus::S) {
        pru_subsidiary = pru_subsidiary ? pru_subsidiary : q;
      }
    }
    const int year = p.nc_year && !p.nc_year->no_year_group() ? p.nc_year->value() : -100;
    const ApPlacement* placement = open_placement(placements, p.upn, d1);
    if (!placement && by_former && !now.empty()) placement = open_placement(placements, now.front()->upn, d1);
    const Pupil* leaver = nullptr;
    for (const std::uint32_t i : data.leavers_with_upn(p.upn)) {
      const Pupil& l = data.leavers[i];
      if (data.return_of(l).laestab != laestab) continue;
      if (l.leaving_date && *l.leaving_date > d1) {
        x.leaving_after_census = l.leaving_date;
        continue;
      }
      leaver = leaver ? leaver : &l;
    }
    if (here) {
      x.outcome = Outcome::stayed, x.now = here;
    } else if (s.crosses_year_end && year != -100 && ((top && year == *top) || year == 11)) {
      x.outcome = Outcome::completed_phase;
    } else if (pru_roll) {
      x.outcome = Outcome::into_ap, x.now = pru_roll, x.now_at = data.return_of(*pru_roll).laestab;
    } else if (elsewhere) {
      x.outcome = Outcome::moved_out, x.now = elsewhere, x.now_at = data.return_of(*elsewhere).laestab;
    } else if (placement || pru_subsidiary) {
      x.outcome = Outcome::into_ap, x.placement = placement, x.now = pru_subsidiary;
      if (pru_subsidiary) x.now_at = data.return_of(*pru_subsidiary).laestab;
    } else if (leaver) {
      x.outcome = Outcome::left_on_record, x.now = leaver;
    } else {
      x.outcome = Outcome::vanished;
    }
    x.by_former_upn = by_former && x.now && x.now->upn != p.upn;
    links += x.by_former_upn;
    if (x.exit()) {
      if (permanently_excluded(data, before, laestab, p.upn, d1))
        x.explained = "permanent exclusion";
      else if (x.outcome == Outcome::moved_out && phase_of(data, x.now_at) == Phase::special)
        x.explained = "moved to a special school";
      else
        x.explained = placement_explanation(placements, p.upn, d0, d1);
    }
    s.previous_roll.push_back(std::move(x));
  }

  // Joiners: on the roll now, not then; from another school of the LA when on its roll then.
  std::vector<const Pupil*> now_records_here;
  for (const CensusReturn* r : now_returns.list)
    for (const Pupil& p : data.pupils_of(*r))
      if (main_registration(p) && !p.upn.empty()) now_records_here.push_back(&p);
  const UpnSet on_roll_now(now_records_here);
  for (std::size_t k = 0; k < now_records_here.size(); ++k) {
    if (!on_roll_now.first[k]) continue;
    const Pupil& p = *now_records_here[k];
    // Its FormerUPN only when it links (FormerIndex): not another current pupil's UPN, not given twice.
    std::string_view f = data.former_upn_of(p);
    if (!f.empty()) {
      const auto it = former.by_former.find(std::string(f));
      if (it == former.by_former.end() || data.pupils[it->second].upn != p.upn) f = {};
    }
    const bool was_here = base.contains(p.upn) || (!f.empty() && base.contains(f));
    if (was_here) continue;
    Joiner j;
    j.now = &p;
    j.groups = groups_of(p);
    for (const std::string_view u : {std::string_view(p.upn), f}) {
      if (u.empty() || !j.from.empty()) continue;
      for (const std::uint32_t i : before.pupils_with_upn(u)) {
        const Pupil& q = before.pupils[i];
        const std::string& at = before.return_of(q).laestab;
        if (main_registration(q) && at != laestab && !at.empty()) {
          j.from = at;
          break;
        }
      }
    }
    s.joiners.push_back(std::move(j));
  }

  // Joined and left between the two censuses: in this return's leavers' list, entered after the previous
  // census day, not on the previous roll.
  for (const CensusReturn* r : now_returns.list)
    for (const Pupil& l : data.leavers_of(*r)) {
      if (l.upn.empty() || base.contains(l.upn) || !l.entry_date || *l.entry_date <= d0) continue;
      if (l.leaving_date && *l.leaving_date > d1) continue;
      if (!of_compulsory_age(l, d0) || on_roll_now.contains(l.upn)) continue; // back on the roll: no exit
      if (std::any_of(s.in_window_exits.begin(), s.in_window_exits.end(),
                      [&](const InWindowExit& e) { return e.leaver->upn == l.upn; }))
        continue; // a leaver given twice
      InWindowExit e;
      e.leaver = &l;
      e.groups = groups_of(l);
      if (permanently_excluded(data, before, laestab, l.upn, d1)) e.explained = "permanent exclusion";
      s.in_window_exits.push_back(e);
    }
  return s;
}

} // namespace

bool of_compulsory_age(const Pupil& p, Date day) {
  return p.dob && compulsory_school_age(age_at_start_of_school_year(*p.dob, day));
}

Groups groups_of(const Pupil& p) {
  Groups g;
  const auto group = [&](Group x) -> bool& { return g.in[static_cast<std::size_t>(x)]; };
  group(p.sen_provision == SenProvision::K   ? Group::sen_support
        : p.sen_provision == SenProvision::E ? Group::ehc_plan
                                             : Group::no_sen) = true;
  group(Group::fsm) = p.fsm_eligible == true;
  group(Group::y10_11) = p.nc_year && (p.nc_year->value() == 10 || p.nc_year->value() == 11);
  return g;
}

std::int64_t SchoolMovement::unexplained_exits(Group g) const {
  const auto i = static_cast<std::size_t>(g);
  std::int64_t n = 0;
  for (const PreviousPupil& x : previous_roll)
    n += x.groups.in[i] && x.unexplained_exit();
  for (const InWindowExit& e : in_window_exits)
    n += e.groups.in[i] && e.explained.empty();
  return n;
}

const SchoolMovement* Movement::find(std::string_view laestab) const {
  for (const SchoolMovement& s : schools)
    if (s.laestab == laestab) return &s;
  return nullptr;
}

Movement measure(const Dataset& data, const RunInfo& run) {
  Movement m;
  if (!data.previous) {
    m.refused = "no previous census (previous/)";
    return m;
  }
  if (data.previous_kind != PreviousKind::census) {
    m.refused = std::string(why_not_whole(data.previous_kind)) +
                " (there is no previous/ folder): following every pupil needs the whole previous census in previous/";
    return m;
  }
  const Dataset& before = *data.previous;
  m.source = before.files.size() > 1 && before.files[1].kind == "history-store" ? before.files[1].path : "previous/";
  const std::string lea_now = usual_lea(data), lea_then = usual_lea(before);
  if (!lea_now.empty() && !lea_then.empty() && lea_now != lea_then) {
    m.refused = "previous/ holds the returns of LA " + lea_then + ", this census those of LA " + lea_now +
                ": they are not one LA's two censuses";
    return m;
  }
  m.day = usual_day(data);
  if (!m.day) m.day = run.reference_date;
  m.previous_day = usual_day(before);
  if (!m.day || !m.previous_day) {
    m.refused = "no census day in " + std::string(m.day ? "the previous census" : "this census");
    return m;
  }
  if (*m.previous_day >= *m.day) {
    m.refused =
        "the previous census's day, " + m.previous_day->iso() + ", is not before this census's, " + m.day->iso();
    return m;
  }
  const FormerIndex former(data);
  const Placements placements = placements_by_upn(data);
  m.former_upn_conflicts = former.conflicts;
  const auto then = returns_by_school(before), now = returns_by_school(data);
  for (const auto& [laestab, r] : then)
    if (!now.count(laestab)) m.not_measured.emplace_back(laestab, "no return in this census");
  struct Job {
    const std::string* laestab;
    const Returns *then, *now;
    Date d0, d1;
  };
  std::vector<Job> jobs;
  const auto in_part = [](const Dataset& d, const Returns& r) {
    return std::any_of(r.list.begin(), r.list.end(), [&](const CensusReturn* x) { return d.read_in_part(*x); });
  };
  for (const auto& [laestab, r] : now) {
    const bool cut_now = in_part(data, r);
    if (cut_now) m.read_in_part.push_back(laestab);
    const auto t = then.find(laestab);
    if (t == then.end()) {
      m.not_measured.emplace_back(laestab, "no return in the previous census");
      continue;
    }
    // A return that lists no one on roll (CI020) is an export gone wrong: every pupil would seem to have left.
    if (std::all_of(r.list.begin(), r.list.end(), [](const CensusReturn* x) { return x->pupil_count == 0; })) {
      m.not_measured.emplace_back(laestab, "its return in this census lists no pupils on roll (CI020)");
      continue;
    }
    // A return cut short by an error (IN001) lacks the pupils after it: they would all seem to have left.
    if (cut_now || in_part(before, t->second)) {
      m.not_measured.emplace_back(laestab, std::string("its return in ") + (cut_now ? "this" : "the previous") +
                                               " census was read only up to an error (IN001)");
      continue;
    }
    const Date d0 = t->second.day.value_or(*m.previous_day), d1 = r.day.value_or(*m.day);
    if (d0 >= d1) {
      m.not_measured.emplace_back(laestab, "its previous census day, " + d0.iso() + ", is not before " + d1.iso());
      continue;
    }
    jobs.push_back({&laestab, &t->second, &r, d0, d1});
  }
  // Schools are measured apart, on both cores: the data is read only.
  m.schools.resize(jobs.size());
  std::array<std::int64_t, 2> no_upn{}, links{};
  auto work = [&](std::size_t half) {
    for (std::size_t i = half; i < jobs.size(); i += 2)
      m.schools[i] = measure_school(data, before, former, placements, *jobs[i].laestab, *jobs[i].then, *jobs[i].now,
                                    jobs[i].d0, jobs[i].d1, no_upn[half], links[half]);
  };
  if (jobs.size() > 1) {
    std::thread other(work, std::size_t{1});
    work(0);
    other.join();
  } else {
    work(0);
  }
  m.no_upn_previous = no_upn[0] + no_upn[1];
  m.former_upn_links = links[0] + links[1];
  std::sort(m.not_measured.begin(), m.not_measured.end());
  if (m.schools.empty())
    m.refused = "no school has a return in both censuses (previous/ and this one): " + std::to_string(then.size()) +
                " school(s) in the previous census, " + std::to_string(now.size()) + " in this one";
  return m;
}

namespace {
// The run's measurement (MeasuredRun) and the last one made for a caller outside a run (a rule's test).
thread_local const Dataset* run_data = nullptr;
thread_local std::optional<Movement> run_movement, last;
} // namespace

MeasuredRun::MeasuredRun(const Dataset& data, const RunInfo& run) {
  run_movement = measure(data, run);
  run_data = &data;
}
MeasuredRun::~MeasuredRun() {
  run_data = nullptr;
  run_movement.reset();
}

const Movement& movement(const Dataset& data, const RunInfo& run) {
  if (run_data == &data && run_movement) return *run_movement;
  last = measure(data, run);
  return *last;
}

std::string previous_record(const Dataset& data, const Pupil& then) {
  const Dataset& before = *data.previous;
  if (then.source.file == 0 || then.source.file >= before.files.size()) return "the previous census";
  const InputFile& f = before.files[then.source.file];
  if (f.kind == "history-store") return f.path;
  return "previous/" + f.path + " line " + std::to_string(then.source.line);
}

std::string school_words(const Dataset& data, std::string_view laestab) {
  const School* s = data.find_school(laestab);
  return s && !s->name.empty() ? s->name + " (" + std::string(laestab) + ")" : std::string(laestab);
}

} // namespace censusqa::pupil_movement
