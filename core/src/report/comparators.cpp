// Comparator groups and flags; see comparators.hpp.
#include "comparators.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace censusqa::report {
namespace {

std::int64_t get(const std::map<std::string, std::int64_t>& m, const char* k) {
  const auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

// The DfE's phase_type_grouping for a phase, in the SEN in England school-level file.
std::optional<Phase> phase_of_grouping(std::string_view g) {
  if (g == "State-funded primary") return Phase::primary;
  if (g == "State-funded secondary") return Phase::secondary;
  if (g == "State-funded special school") return Phase::special;
  if (g == "State-funded nursery") return Phase::nursery;
  if (g == "State-funded AP school" || g == "Pupil referral unit") return Phase::pru; // 2022/23 and earlier: PRU
  return std::nullopt;
}

void england_from_reference(const Dataset& data, Comparators& c) {
  const ReferenceTable* t = data.reference_table("sen-school-level");
  if (!t) return;
  const int c_group = t->column("phase_type_grouping"), c_period = t->column("time_period");
  const int c_total = t->column("Total pupils"), c_sup = t->column("SEN support"), c_ehc = t->column("EHC plan");
  if (c_group < 0 || c_total < 0) return;
  auto cell = [](const std::vector<std::string>& row, int col) -> std::string_view {
    return col >= 0 && static_cast<std::size_t>(col) < row.size() ? std::string_view(row[col]) : std::string_view();
  };
  // The latest year the file holds.
  std::string latest;
  for (const auto& row : t->rows)
    latest = std::max(latest, std::string(cell(row, c_period)));
  std::vector<std::pair<int, std::string>> need_cols;
  for (std::size_t n = 0; n < need_type_count; ++n) {
    std::string code(need_type_names[n]);
    for (auto& ch : code)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    need_cols.emplace_back(t->column("SUP_Primary_need_" + code), need_metric(static_cast<NeedType>(n), false));
    need_cols.emplace_back(t->column("EHC_Primary_need_" + code), need_metric(static_cast<NeedType>(n), true));
  }
  for (const auto& row : t->rows) {
    if (cell(row, c_period) != latest) continue;
    const auto phase = phase_of_grouping(cell(row, c_group));
    if (!phase) continue;
    auto& e = c.england[*phase];
    ++e["schools"];
    auto add = [&](int col, const std::string& key) {
      if (const auto v = parse_published_number(cell(row, col))) e[key] += static_cast<std::int64_t>(*v);
    };
    add(c_total, "pupils_on_roll");
    add(c_sup, "sen_support");
    add(c_ehc, "ehc_plan");
    for (const auto& [col, key] : need_cols)
      add(col, key);
  }
  if (t->file < data.files.size()) c.england_source = data.files[t->file].path;
}

} // namespace

Comparators compute_comparators(const Dataset& data, const Metrics& metrics, int similar_min_schools) {
  Comparators c;
  c.similar_min_schools = similar_min_schools;
  std::map<std::optional<Phase>, std::vector<std::string>> by_phase;
  for (const auto& [laestab, m] : metrics.schools) {
    const School* s = data.find_school(laestab);
    by_phase[s ? s->phase : std::nullopt].push_back(laestab);
  }
  for (auto& [phase, members] : by_phase) {
    // FSM quintiles among the phase's schools with pupils on roll, ranked by FSM share (exact
    // fractions, ties by LAEstab), so that each quintile holds a fifth of the schools.
    // Each school's figures looked up once, not in every comparison of the sort.
    struct Share {
      const std::string* laestab;
      std::int64_t fsm, pupils;
    };
    std::vector<Share> ranked;
    for (const auto& l : members) {
      const auto& m = metrics.schools.at(l);
      if (const std::int64_t pupils = get(m, "pupils_on_roll"); pupils > 0)
        ranked.push_back({&l, get(m, "fsm_eligible"), pupils});
    }
    std::sort(ranked.begin(), ranked.end(), [](const Share& a, const Share& b) {
      const std::int64_t lhs = a.fsm * b.pupils, rhs = b.fsm * a.pupils;
      return lhs != rhs ? lhs < rhs : *a.laestab < *b.laestab;
    });
    std::map<std::string, int> quintile;
    for (std::size_t i = 0; i < ranked.size(); ++i)
      quintile[*ranked[i].laestab] = static_cast<int>(i * 5 / ranked.size()) + 1;
    const std::string phase_key = phase ? std::string(name(*phase)) : std::string("unknown");
    const auto phase_group = std::make_shared<const std::vector<std::string>>(members); // members: LAEstab order
    std::map<int, std::shared_ptr<const std::vector<std::string>>> quintile_groups;
    for (int q = 1; q <= 5; ++q) {
      std::vector<std::string> group;
      for (const auto& l : members)
        if (const auto it = quintile.find(l); it != quintile.end() && it->second == q) group.push_back(l);
      quintile_groups[q] = std::make_shared<const std::vector<std::string>>(std::move(group));
    }
    for (const auto& l : members) {
      SchoolGroups g;
      g.phase = phase;
      g.la_phase = phase_group;
      g.la_key = phase_key;
      const auto q = quintile.find(l);
      g.fsm_quintile = q == quintile.end() ? 0 : q->second;
      if (g.fsm_quintile && static_cast<int>(quintile_groups[g.fsm_quintile]->size()) >= similar_min_schools) {
        g.similar = quintile_groups[g.fsm_quintile];
        g.similar_key = phase_key + "/q" + std::to_string(g.fsm_quintile);
      } else {
        g.similar = phase_group;
        g.similar_key = phase_key;
        g.similar_is_phase_only = true;
      }
      g.la_others = g.la_phase->size() - 1;
      g.similar_others = g.similar->size() - (std::binary_search(g.similar->begin(), g.similar->end(), l) ? 1 : 0);
      c.schools.emplace(l, std::move(g));
    }
  }
  england_from_reference(data, c);
  return c;
}

void add_comparator_metrics(Metrics& metrics, const Comparators& c) {
  Value schools = Value::Object{}, groups = Value::Object{};
  for (const auto& [laestab, g] : c.schools) {
    Value v;
    v.set("phase", g.phase ? Value(std::string(name(*g.phase))) : Value());
    v.set("fsm_quintile", g.fsm_quintile ? Value(g.fsm_quintile) : Value());
    v.set("similar_basis", g.similar_is_phase_only ? "phase" : "phase and FSM quintile");
    v.set("la_group", g.la_key);
    v.set("similar_group", g.similar_key);
    v.set("la_others", static_cast<std::int64_t>(g.la_others));
    v.set("similar_others", static_cast<std::int64_t>(g.similar_others));
    v.set("compared_with", std::string(basis_name(flag_basis(g, g.phase && c.england.count(*g.phase)))));
    schools.set(laestab, std::move(v));
    for (const auto& [key, members] : {std::pair{g.la_key, g.la_phase}, std::pair{g.similar_key, g.similar}})
      if (!groups.find(key)) {
        Value list = Value::Array{};
        for (const auto& m : *members)
          list.push_back(m);
        groups.set(key, std::move(list));
      }
  }
  Value all = Value::Object{};
  all.set("schools", std::move(schools));
  all.set("groups", std::move(groups));
  metrics.la[std::string(core_metric::comparator_groups)] = std::move(all);
  if (!c.england.empty()) {
    Value e = Value::Object{};
    for (const auto& [phase, figures] : c.england) {
      Value f = Value::Object{};
      for (const auto& [k, v] : figures)
        f.set(k, v);
      e.set(std::string(name(phase)), std::move(f));
    }
    metrics.la[std::string(core_metric::england)] = std::move(e);
  }
}

Basis flag_basis(const SchoolGroups& g, bool england_loaded) {
  if (g.similar_others > 0) return g.similar_is_phase_only ? Basis::la : Basis::similar;
  if (g.la_others > 0) return Basis::la;
  return england_loaded ? Basis::england : Basis::none;
}

std::string_view basis_name(Basis b) {
  static constexpr std::string_view names[] = {"similar schools", "LA", "England", "none"};
  return names[static_cast<int>(b)];
}

std::optional<std::int64_t> comparator_total(std::optional<std::int64_t> group_total, std::optional<std::int64_t> own,
                                             std::size_t other_schools) {
  if (!group_total || other_schools == 0) return std::nullopt;
  return *group_total - own.value_or(0);
}

std::string_view flag_text(Flag f) {
  static constexpr std::string_view texts[] = {"well below", "below", "in line", "above", "well above"};
  return texts[static_cast<int>(f)];
}

namespace {

Flag band(double z) {
  if (z > 3) return Flag::well_above;
  if (z > 2) return Flag::above;
  if (z < -3) return Flag::well_below;
  if (z < -2) return Flag::below;
  return Flag::in_line;
}

FlagResult judge(std::int64_t x, double expected, double variance) {
  FlagResult r;
  if (is_small_number(x)) {
    r.small_number = true; // shown, never flagged: no "in line" beside "small number"
    return r;
  }
  const double diff = static_cast<double>(x) - expected;
  if (variance <= 0) {
    // Every comparator school has none (or all): any difference is beyond the band.
    r.flag = std::abs(diff) < 0.5 ? Flag::in_line : diff > 0 ? Flag::well_above : Flag::well_below;
    return r;
  }
  r.flag = band(diff / std::sqrt(variance));
  return r;
}

} // namespace

FlagResult compare_proportion(std::int64_t x, std::int64_t n, std::optional<double> p) {
  if (n <= 0 || !p) return {};
  const double dn = static_cast<double>(n);
  return judge(x, dn * *p, dn * *p * (1 - *p));
}

FlagResult compare_rate(std::int64_t x, std::int64_t n, std::optional<double> r) {
  if (n <= 0 || !r) return {};
  const double expected = static_cast<double>(n) * *r;
  return judge(x, expected, expected);
}

} // namespace censusqa::report
