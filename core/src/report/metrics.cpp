// Census metrics with the DfE's definitions: pupils on roll are enrolment status C or M (sole or
// main dual registration), and at a PRU also S (subsidiary dual registration); needs are counted by primary (rank 1)
// need, as in the DfE's SUP_Primary_need_* and EHC_Primary_need_* columns.
#include "metrics.hpp"

#include "atomic_file.hpp"
#include "findings_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <ostream>
#include <set>

namespace censusqa::report {

const std::string& need_metric(NeedType need, bool ehc_plan) {
  // Built once rather than once per pupil.
  static const auto keys = [] {
    std::array<std::array<std::string, 2>, need_type_count> k;
    for (std::size_t n = 0; n < need_type_count; ++n) {
      k[n][0] = std::string(core_metric::need_prefix) + std::string(need_type_names[n]) + ".sen_support";
      k[n][1] = std::string(core_metric::need_prefix) + std::string(need_type_names[n]) + ".ehc_plan";
    }
    return k;
  }();
  return keys[static_cast<std::size_t>(need)][ehc_plan ? 1 : 0];
}

bool metric_name_covers(std::string_view owned, std::string_view name) {
  return owned == name || (owned.ends_with('.') && name.starts_with(owned));
}

bool metric_names_overlap(std::string_view a, std::string_view b) {
  return metric_name_covers(a, b) || metric_name_covers(b, a); // "ap." covers the prefix "ap.x." too
}

std::string_view core_metric_overlap(std::string_view name) {
  for (const std::string_view c : census_metric_names)
    if (metric_names_overlap(c, name)) return c;
  for (const std::string_view c : core_metric::others)
    if (metric_names_overlap(c, name)) return c;
  return {};
}

namespace {

// A school's census figures, counted into fixed slots (a national run counts 9 million pupils: one
// array increment each, not a map lookup by name) and named once per school at the end.
enum Slot : std::size_t {
  pupils_on_roll,
  pupils_in_return,
  leavers_in_return,
  sen_support,
  ehc_plan,
  no_sen,
  fsm_eligible,
  suspensions,
  suspensions_sen_support,
  suspensions_ehc_plan,
  suspensions_no_sen,
  permanent_exclusions,
  permanent_exclusions_sen_support,
  permanent_exclusions_ehc_plan,
  permanent_exclusions_no_sen,
  lunchtime_exclusions,
  attendance_pupils,
  sessions_possible,
  sessions_authorised,
  sessions_unauthorised,
  sessions_missed,
  persistent_absentees,
  school_arranged_ap_pupils,
  pupils_suspended,
  pupils_suspended_sen_support,
  pupils_suspended_ehc_plan,
  pupils_suspended_no_sen,
  pupils_suspended_2plus,
  pupils_suspended_2plus_sen_support,
  pupils_suspended_2plus_ehc_plan,
  pupils_suspended_2plus_no_sen,
  pupils_suspended_10plus,
  pupils_suspended_10plus_sen_support,
  pupils_suspended_10plus_ehc_plan,
  pupils_suspended_10plus_no_sen,
  dual_subsidiary,
  slot_count
};
static_assert(slot_count == std::size(census_metric_names), "one slot per census metric name, in order");

struct Counts {
  std::array<std::int64_t, slot_count> census{};
  std::array<std::array<std::int64_t, 2>, need_type_count> needs{}; ///< [need][0 support, 1 plan]
};

// 0 SEN support, 1 EHC plan, 2 no SEN: the status columns' order in the slots above.
int sen_status(std::optional<SenProvision> p) { return p == SenProvision::K ? 0 : p == SenProvision::E ? 1 : 2; }

// Exclusions, as the DfE counts them: every record of the school's pupils on roll and of its leavers
// (a permanently excluded pupil is a leaver), by the pupil's SEN provision when excluded (the record's
// own, else the pupil's on the return).
// Pupils suspended: those with at least one suspension record, two or more, ten or more (as Ofsted's
// IDSR shows them since 2024), by their SEN provision at their latest suspension, as suspensions_year
// counts them; over the periods the return reports (when known): a suspension dated outside them
// (CI018) is counted by the census that reports its term.
struct Reported {
  std::optional<DateSpan> terms;  ///< TermlyExclusion: exclusions_period
  std::optional<DateSpan> annual; ///< a PRU's AnnualExclusion: previous_exclusions_year
  bool covers(const Exclusion& e) const {
    const auto& span = e.annual ? annual : terms;
    return !span || !e.start_date || span->contains(*e.start_date);
  }
};
void count_exclusions(const Dataset& data, const Pupil& p, const Reported& reported, Counts& c) {
  int suspended = 0;
  const Exclusion* latest = nullptr; // the latest suspension by start date (undated ones first)
  for (const Exclusion& e : data.exclusions_of(p)) {
    const int status = sen_status(e.sen_provision ? e.sen_provision : p.sen_provision);
    if (e.category == ExclusionCategory::SUSP) {
      if (reported.covers(e)) {
        ++suspended;
        if (!latest || latest->start_date <= e.start_date) latest = &e;
      }
      ++c.census[suspensions];
      ++c.census[suspensions_sen_support + static_cast<std::size_t>(status)];
    } else if (e.category == ExclusionCategory::PERM) {
      ++c.census[permanent_exclusions];
      ++c.census[permanent_exclusions_sen_support + static_cast<std::size_t>(status)];
    } else if (e.category == ExclusionCategory::LNCH) {
      ++c.census[lunchtime_exclusions];
    }
  }
  if (!latest) return;
  const auto status =
      static_cast<std::size_t>(sen_status(latest->sen_provision ? latest->sen_provision : p.sen_provision));
  static constexpr std::pair<int, Slot> bands[] = {
      {1, pupils_suspended}, {2, pupils_suspended_2plus}, {10, pupils_suspended_10plus}};
  for (const auto& [at_least, all] : bands)
    if (suspended >= at_least) {
      ++c.census[all];
      ++c.census[all + 1 + status];
    }
}

// Absence, as the DfE measures it (Dataset::termly_absence): sessions missed of sessions possible.
void count_absence(const Dataset& data, const Pupil& p, Counts& c) {
  const auto a = data.termly_absence(p);
  if (!a) return;
  ++c.census[attendance_pupils];
  c.census[sessions_possible] += a->possible;
  c.census[sessions_authorised] += a->authorised;
  c.census[sessions_unauthorised] += a->unauthorised;
  c.census[sessions_missed] += a->missed();
  if (a->persistent()) ++c.census[persistent_absentees];
}

// A pupil on roll: headcount, FSM, AP, absence, SEN and primary need.
void count_on_roll(const Dataset& data, const Pupil& p, Counts& c) {
  ++c.census[pupils_on_roll];
  if (p.fsm_eligible == true) ++c.census[fsm_eligible];
  if (p.ap_count > 0) ++c.census[school_arranged_ap_pupils];
  count_absence(data, p, c);
  if (p.sen_provision != SenProvision::K && p.sen_provision != SenProvision::E) {
    ++c.census[no_sen];
    return;
  }
  const bool plan = p.sen_provision == SenProvision::E;
  ++c.census[plan ? ehc_plan : sen_support];
  if (const auto need = data.primary_need_of(p)) ++c.needs[static_cast<std::size_t>(*need)][plan ? 1 : 0];
}

// A PRU's pupils are mostly dual registered, their main registration at the home school (status S
// at the PRU): they are the PRU's pupils all the same, so a PRU counts them on roll (absence excepted:
// the DfE's absence cohort, Dataset::termly_absence, is C and M). They are counted again in
// `subsidiary_at_pru`, which the LA's totals take away: the LA counts each pupil once, at the main
// registration, as the DfE counts headcount.
void count_return(const Dataset& data, const CensusReturn& ret, Counts& c, Counts& subsidiary_at_pru) {
  const School* school = data.find_school(ret.laestab);
  const bool pru = school && school->phase == Phase::pru;
  Reported reported;
  if (ret.term && ret.reference_date) reported.terms = exclusions_period(*ret.term, *ret.reference_date);
  if (ret.reference_date) reported.annual = previous_exclusions_year(*ret.reference_date);
  for (const Pupil& p : data.leavers_of(ret)) {
    ++c.census[leavers_in_return];
    count_exclusions(data, p, reported, c);
    count_absence(data, p, c);
  }
  for (const Pupil& p : data.pupils_of(ret)) {
    ++c.census[pupils_in_return];
    count_exclusions(data, p, reported, c);
    if (!p.enrol_status) continue;
    if (*p.enrol_status == EnrolStatus::S) {
      ++c.census[dual_subsidiary];
      if (!pru) continue;
      count_on_roll(data, p, subsidiary_at_pru);
    } else if (!counts_on_roll(*p.enrol_status)) {
      continue;
    }
    count_on_roll(data, p, c);
  }
}

} // namespace

Metrics compute_census_metrics(const Dataset& data) {
  // Every name is present for every school, so a zero is a zero and not a missing figure. A school
  // with several returns (CSV extracts) adds them up.
  std::map<std::string, Counts> counts;
  Counts subsidiary_at_pru;
  for (const auto& ret : data.returns)
    count_return(data, ret, counts[ret.laestab], subsidiary_at_pru);
  Metrics m;
  for (const auto& [laestab, c] : counts) {
    auto& s = m.schools[laestab];
    for (std::size_t i = 0; i < slot_count; ++i)
      s.emplace(census_metric_names[i], c.census[i]);
    for (std::size_t n = 0; n < need_type_count; ++n)
      for (const bool plan : {false, true})
        s.emplace(need_metric(static_cast<NeedType>(n), plan), c.needs[n][plan ? 1 : 0]);
  }
  std::map<std::string, std::int64_t> totals;
  for (const auto& [laestab, s] : m.schools)
    for (const auto& [k, v] : s)
      totals[k] += v;
  for (std::size_t i = 0; i < slot_count; ++i)
    totals[std::string(census_metric_names[i])] -= subsidiary_at_pru.census[i];
  for (std::size_t n = 0; n < need_type_count; ++n)
    for (const bool plan : {false, true})
      totals[need_metric(static_cast<NeedType>(n), plan)] -= subsidiary_at_pru.needs[n][plan ? 1 : 0];
  for (const auto& [k, v] : totals)
    m.la[k] = Value(v);
  m.la[std::string(core_metric::schools)] = Value(m.schools.size());
  return m;
}

std::optional<DateSpan> suspension_year(const RunInfo& run) {
  if (!run.term || !run.reference_date) return std::nullopt;
  const Date last = exclusions_period(*run.term, *run.reference_date).to;
  const int y = last.month() >= 8 ? last.year() : last.year() - 1;
  return DateSpan{*Date::from_ymd(y, 8, 1), *Date::from_ymd(y + 1, 7, 31)};
}

void add_suspension_year(Metrics& m, const Dataset& data, const RunInfo& run,
                         const std::vector<SuspensionRecord>& earlier,
                         const std::vector<CountedCensus>& earlier_censuses) {
  const auto year = suspension_year(run);
  if (!year) return;
  // Each suspension once: the same one is reported by two censuses (the DfE collects each term's twice since
  // 2019). Keyed by school, UPN, start date; the latest census's SEN provision is kept.
  struct Key {
    std::string laestab, upn;
    Date start;
    auto operator<=>(const Key&) const = default;
  };
  // Every suspension read, with a rank: the winner of one key is the highest rank, so that of the stored
  // records the first is kept, and of the censuses the one added last. A sorted vector, not a map: a
  // national run has hundreds of thousands of suspensions, and a map's nodes raised the run's peak.
  struct Counted {
    Key key;
    std::int64_t rank;
    std::optional<SenProvision> sen;
  };
  std::vector<Counted> all;
  std::int64_t without_upn = 0;
  std::vector<CountedCensus> censuses = earlier_censuses;
  for (std::size_t k = 0; k < earlier.size(); ++k)
    if (const SuspensionRecord& r = earlier[k]; year->contains(r.start) && !r.upn.empty())
      all.push_back({Key{r.laestab, r.upn, r.start}, -static_cast<std::int64_t>(k) - 1, r.sen});
  std::int64_t next_rank = 0;
  auto add = [&](const Dataset& d) {
    // The census's own term and day: the one most of its returns give (one return's mistyped date is not a
    // census of its own).
    std::map<std::pair<Term, Date>, int> days;
    for (const CensusReturn& ret : d.returns)
      if (ret.term && ret.reference_date) ++days[{*ret.term, *ret.reference_date}];
    if (const auto most = std::max_element(days.begin(), days.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        most != days.end())
      censuses.push_back({most->first.first, most->first.second});
    for (const CensusReturn& ret : d.returns) {
      for (const auto list : {d.pupils_of(ret), d.leavers_of(ret)})
        for (const Pupil& p : list)
          for (const Exclusion& e : d.exclusions_of(p)) {
            if (e.category != ExclusionCategory::SUSP || !e.start_date || !year->contains(*e.start_date)) continue;
            if (p.upn.empty()) {
              ++without_upn;
              continue;
            }
            all.push_back({Key{ret.laestab, p.upn, *e.start_date}, next_rank++,
                           e.sen_provision ? e.sen_provision : p.sen_provision});
          }
    }
  };
  if (data.previous && data.previous_kind == PreviousKind::census) add(*data.previous);
  add(data); // last: this census's SEN provision wins
  std::sort(all.begin(), all.end(),
            [](const Counted& a, const Counted& b) { return std::tie(a.key, a.rank) < std::tie(b.key, b.rank); });
  // Per pupil: the number of suspensions (distinct start dates) and the SEN provision at the latest.
  struct PupilCount {
    const std::string *laestab, *upn;
    int n = 0;
    std::optional<SenProvision> sen;
  };
  std::vector<PupilCount> pupils;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i + 1 < all.size() && all[i + 1].key == all[i].key) continue; // the key's winner is its last
    const Key& k = all[i].key;
    if (pupils.empty() || *pupils.back().laestab != k.laestab || *pupils.back().upn != k.upn)
      pupils.push_back({&k.laestab, &k.upn, 0, std::nullopt});
    ++pupils.back().n;
    pupils.back().sen = all[i].sen; // keys are in start order within a pupil: the last is the latest
  }
  static const std::array<std::string, 4> suffixes{"", ".sen_support", ".ehc_plan", ".no_sen"};
  const std::string prefix(core_metric::suspensions_year_prefix);
  for (auto& [laestab, values] : m.schools)
    for (const char* name : {"suspensions", "pupils_1plus", "pupils_2plus", "pupils_10plus"})
      for (const auto& suffix : suffixes)
        values[prefix + name + suffix] = 0;
  for (const PupilCount& c : pupils) {
    const auto it = m.schools.find(*c.laestab);
    if (it == m.schools.end()) continue; // a school with no return in this census
    auto& v = it->second;
    const std::string status = suffixes[1 + static_cast<std::size_t>(sen_status(c.sen))];
    for (const std::string& s : {std::string(), status}) {
      v[prefix + "suspensions" + s] += c.n;
      static constexpr std::pair<int, const char*> bands[] = {
          {1, "pupils_1plus"}, {2, "pupils_2plus"}, {10, "pupils_10plus"}};
      for (const auto& [at_least, name] : bands)
        if (c.n >= at_least) ++v[prefix + name + s];
    }
  }
  // Which terms of the year some counted census reports in full.
  const int y = year->from.year();
  const DateSpan terms[] = {{year->from, *Date::from_ymd(y, 12, 31)},
                            {*Date::from_ymd(y + 1, 1, 1), easter_sunday(y + 1)},
                            {easter_sunday(y + 1).plus_days(1), year->to}};
  const char* term_names[] = {"autumn", "spring", "summer"};
  Value seen_terms = Value::Array{};
  bool complete = true;
  for (int t = 0; t < 3; ++t) {
    const bool covered = std::any_of(censuses.begin(), censuses.end(), [&](const CountedCensus& c) {
      const DateSpan p = exclusions_period(c.term, c.day);
      return p.from <= terms[t].from && p.to >= terms[t].to;
    });
    if (covered) seen_terms.push_back(term_names[t]);
    complete = complete && covered;
  }
  Value la = Value::Object{};
  char label[16];
  std::snprintf(label, sizeof label, "%d/%02d", y, (y + 1) % 100);
  la.set("academic_year", std::string(label));
  la.set("from", year->from.iso());
  la.set("to", year->to.iso());
  la.set("terms_seen", std::move(seen_terms));
  la.set("complete", complete);
  std::set<std::pair<Term, Date>> distinct;
  for (const CountedCensus& c : censuses)
    distinct.emplace(c.term, c.day);
  la.set("censuses", static_cast<std::int64_t>(distinct.size()));
  la.set("without_upn", without_upn);
  m.la[std::string(core_metric::suspensions_year)] = std::move(la);
}

// Writes `members` (key and value pairs) as one JSON object at `indent`, a member a line, as metrics.json
// lays out every object: "{}" when there are none. `write(value)` writes each value.
template <class Members, class Write>
void write_json_members(std::ostream& o, const Members& members, int indent, Write&& write) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  bool first = true;
  o << "{";
  for (const auto& [k, x] : members) {
    o << (first ? "\n" : ",\n") << pad << json_string(k) << ": ";
    write(x);
    first = false;
  }
  if (!first) o << "\n" << std::string(static_cast<std::size_t>(indent), ' ');
  o << "}";
}

void write_json_value(std::ostream& o, const Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  if (v.is_null())
    o << "null";
  else if (v.is_bool())
    o << (v.as_bool() ? "true" : "false");
  else if (v.is_int())
    o << v.as_int();
  else if (v.is_number()) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v.as_number());
    const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    o << text;
    // A number stays visibly a decimal (100.0, not 100), as percentages are published.
    if (text.find_first_of(".eEn") == std::string_view::npos) o << ".0";
  } else if (v.is_string())
    o << json_string(v.as_string());
  else if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.empty()) {
      o << "[]";
      return;
    }
    // An array of numbers, strings and nulls (a table row, a list of names) on one line; one that holds
    // objects or arrays a value a line. A national run's profile sections were 30% indentation.
    const bool flat = std::none_of(a.begin(), a.end(), [](const Value& x) { return x.is_array() || x.is_object(); });
    o << "[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (flat)
        o << (i ? ", " : "");
      else
        o << (i ? ",\n" : "\n") << pad;
      write_json_value(o, a[i], indent + 2);
    }
    if (!flat) o << "\n" << std::string(static_cast<std::size_t>(indent), ' ');
    o << "]";
  } else {
    write_json_members(o, v.as_object(), indent, [&](const Value& x) { write_json_value(o, x, indent + 2); });
  }
}

void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics) {
  AtomicFile file(path);
  std::ostream& o = file.stream();
  // The LA's metrics written from the map itself (a copy of them into one Value was 260 MB at a national
  // run's peak).
  o << "{\n  \"la\": ";
  write_json_members(o, metrics.la, 2, [&](const Value& x) { write_json_value(o, x, 4); });
  o << ",\n  \"schools\": {";
  bool first = true;
  for (const auto& [laestab, values] : metrics.schools) {
    o << (first ? "\n    " : ",\n    ") << json_string(laestab) << ": {";
    bool first_value = true;
    for (const auto& [k, v] : values) {
      o << (first_value ? "\n      " : ",\n      ") << json_string(k) << ": " << v;
      first_value = false;
    }
    o << "\n    }";
    first = false;
  }
  o << "\n  }";
  if (!metrics.sections.empty()) {
    // Plugins' profile sections, as the profiles show them: one school's made and written at a time (all
    // of a national run's at once were 260 MB at the run's peak).
    o << ",\n  \"profile_sections\": ";
    write_json_members(o, metrics.sections, 2, [&](const auto& list) {
      Value a = Value::Array{};
      for (const auto& [plugin, s] : list) {
        Value v;
        v.set("plugin", plugin);
        v.set("sheet", s.sheet);
        v.set("title", s.title);
        Value cols = Value::Array{}, rows = Value::Array{};
        for (const auto& c : s.columns)
          cols.push_back(c);
        for (const auto& r : s.rows) {
          Value row = Value::Array{};
          for (const ProfileCell& c : r)
            row.push_back(c.kind == ProfileCell::Kind::text                                           ? Value(c.text)
                          : c.kind == ProfileCell::Kind::count || c.kind == ProfileCell::Kind::pounds ? Value(c.count)
                          : c.kind == ProfileCell::Kind::empty                                        ? Value()
                                                               : Value(c.number));
          rows.push_back(std::move(row));
        }
        v.set("columns", std::move(cols));
        v.set("rows", std::move(rows));
        a.push_back(std::move(v));
      }
      write_json_value(o, a, 4);
    });
  }
  o << "\n}\n";
  file.commit();
}

} // namespace censusqa::report
