// One school's inclusion profile, sheet by sheet as spec/profile.md lays it out; see profile.hpp.
#include "profile.hpp"

#include "../load/csv_reader.hpp"
#include "../load/identifiers.hpp"
#include "headline.hpp"
#include "reply_check.hpp"

#include <censusqa/version.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace censusqa::report {
namespace {

using book::Cell;
using book::Column;
using book::Kind;
using book::Table;
using MetricMap = std::map<std::string, std::int64_t>;

std::string long_date(std::optional<Date> d) { return d ? report::long_date(*d) : "not known"; }

std::string term_words(const RunInfo& run) {
  std::string t = !run.term                ? "census"
                  : *run.term == Term::AUT ? "autumn census"
                  : *run.term == Term::SPR ? "spring census"
                                           : "summer census";
  if (run.year) t += " " + std::to_string(*run.year);
  return t;
}

// A metric list's sum for one school; a name ending in ".*" adds every metric with that prefix.
std::optional<std::int64_t> sum(const MetricMap* m, const std::vector<std::string>& names) {
  if (!m) return std::nullopt;
  std::optional<std::int64_t> total;
  for (const auto& n : names) {
    if (n.size() > 2 && n.compare(n.size() - 2, 2, ".*") == 0) {
      const std::string prefix = n.substr(0, n.size() - 1);
      for (auto it = m->lower_bound(prefix); it != m->end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        total = total.value_or(0) + it->second;
    } else if (const auto it = m->find(n); it != m->end())
      total = total.value_or(0) + it->second;
  }
  return total;
}

std::optional<double> ratio(std::optional<std::int64_t> num, std::optional<std::int64_t> den) {
  if (!num || !den || *den <= 0) return std::nullopt;
  return static_cast<double>(*num) / static_cast<double>(*den);
}

// x per 100 of n, one decimal, rounded half up in exact integers (as the DfE rounds).
std::optional<double> per_100(std::optional<std::int64_t> x, std::optional<std::int64_t> n) {
  if (!x || !n || *n <= 0) return std::nullopt;
  const Value v = percent_1dp(*x, *n);
  return v.is_null() ? std::nullopt : std::optional<double>(v.as_number());
}

const Cell dash = Cell::none();
bool is_dash(const Cell& c) {
  const auto* t = std::get_if<std::string>(&c.value);
  return t && *t == "\xE2\x80\x93";
}

Cell count_cell(std::optional<std::int64_t> v) { return v ? Cell::integer(*v) : dash; }
Cell pct_cell(std::optional<double> v) { return v ? Cell::percent(*v) : dash; }
Cell dec_cell(std::optional<double> v) { return v ? Cell::number(*v, Kind::decimal1) : dash; }

class ProfileBuilder {
public:
  ProfileBuilder(const ReportContext& ctx, const std::string& laestab)
      : ctx_{ctx}, laestab_{laestab}, tpl_{ctx.tpl}, school_{ctx.data.find_school(laestab)} {
    const auto it = ctx.metrics.schools.find(laestab);
    mine_ = it == ctx.metrics.schools.end() ? nullptr : &it->second;
    if (const auto g = ctx.comparators.schools.find(laestab); g != ctx.comparators.schools.end()) groups_ = &g->second;
    if (groups_ && groups_->phase)
      if (const auto e = ctx.comparators.england.find(*groups_->phase); e != ctx.comparators.england.end())
        england_ = &e->second;
    // The pupils this school's workbook may name: its own return's (on roll and leavers: a finding on a
    // leaver's record is the school's to fix, under that pupil's id), those placed from it in AP, and its
    // previous census's roll.
    for (const auto& ret : ctx.data.returns)
      if (ret.laestab == laestab) {
        for (const Pupil& p : ctx.data.pupils_of(ret))
          if (!p.upn.empty()) allowed_upns_.push_back(p.upn);
        for (const Pupil& p : ctx.data.leavers_of(ret))
          if (!p.upn.empty()) allowed_upns_.push_back(p.upn);
      }
    for (const ApPlacement& p : ctx.data.ap_placements)
      if (p.home_laestab == laestab && !p.upn.empty()) allowed_upns_.push_back(load::upper(p.upn));
    // And those on its roll at the previous census: a pupil who has gone since (MV001) is still its to explain.
    if (ctx.data.previous)
      for (const auto& ret : ctx.data.previous->returns)
        if (ret.laestab == laestab)
          for (const Pupil& p : ctx.data.previous->pupils_of(ret))
            if (!p.upn.empty()) allowed_upns_.push_back(p.upn);
    std::sort(allowed_upns_.begin(), allowed_upns_.end());
    allowed_upns_.erase(std::unique(allowed_upns_.begin(), allowed_upns_.end()), allowed_upns_.end());
    // SEN need type is collected in the spring census (spec/inputs.md): in another census a school's
    // need counts are all 0 for want of the data, not of needs, unless the LA's returns recorded some.
    const auto& run = ctx.summary.run;
    needs_collected_ = !run.term || *run.term == Term::SPR;
    for (const auto& [k, v] : ctx.metrics.la)
      if (!needs_collected_ && k.starts_with("need.") && v.is_int() && v.as_int() > 0) needs_collected_ = true;
  }

  /// Whether names count primary needs (need.*), which a census that does not collect them lacks.
  static bool about_needs(const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.starts_with("need."); });
  }
  static bool about_needs(const Indicator& ind) {
    return about_needs(ind.value) || about_needs(ind.numerator) || about_needs(ind.denominator);
  }

  book::Book build() {
    book::Book b;
    b.style = tpl_.style;
    b.title = tpl_.title + ": " + school_name();
    b.subject = "Inclusion profile for LAEstab " + laestab_ + ", " + term_words(ctx_.summary.run);
    b.author = "censusqa " + ctx_.version;
    b.company = ctx_.summary.run.la_name;
    b.comments = "Figures from the census and LA records; see the About sheet.";
    b.custom_properties = properties();
    for (const auto& spec : tpl_.sheets) {
      if (spec.id == "data_to_fix") add_plugin_sheets(b);
      const std::size_t before = b.sheets.size();
      if (spec.id == "needs") b.sheets.push_back(needs(spec.title));
      if (spec.id == "statutory") b.sheets.push_back(statutory(spec.title));
      if (spec.id == "exclusions_ap") b.sheets.push_back(exclusions_ap(spec.title));
      if (spec.id == "finance")
        if (auto s = finance(spec.title)) b.sheets.push_back(std::move(*s));
      if (spec.id == "data_to_fix") b.sheets.push_back(data_to_fix(spec.title));
      if (spec.id == "about") b.sheets.push_back(about(spec.title));
      if (spec.id == "overview") b.sheets.push_back(overview(spec.title));
      if (b.sheets.size() > before && spec.id != "data_to_fix") add_sections(b.sheets.back(), spec.id);
    }
    if (!tpl_.has("data_to_fix")) add_plugin_sheets(b);
    return b;
  }

  // ---- Plugins' sections ----------------------------------------------------------------------
  const std::vector<std::pair<std::string, ProfileSection>>& sections() const {
    static const std::vector<std::pair<std::string, ProfileSection>> none;
    const auto it = ctx_.metrics.sections.find(laestab_);
    return it == ctx_.metrics.sections.end() ? none : it->second;
  }
  bool is_template_sheet(const std::string& id) const {
    return std::find(std::begin(profile_sheet_ids), std::end(profile_sheet_ids), id) != std::end(profile_sheet_ids);
  }
  Table section_table(const std::string& plugin, const ProfileSection& s) const {
    Table t;
    t.title = s.title;
    for (const auto& c : s.columns)
      t.columns.push_back({safe(c), 50});
    for (const auto& r : s.rows) {
      std::vector<Cell> row;
      for (const ProfileCell& c : r) {
        switch (c.kind) {
        case ProfileCell::Kind::text: row.push_back(Cell::text(safe(c.text))); break;
        case ProfileCell::Kind::count: row.push_back(Cell::integer(c.count)); break;
        case ProfileCell::Kind::pounds: row.push_back(Cell::pounds(c.count)); break;
        case ProfileCell::Kind::percent: row.push_back(Cell::percent(c.number)); break;
        case ProfileCell::Kind::decimal: row.push_back(Cell::number(c.number, Kind::decimal1)); break;
        default: row.push_back(dash);
        }
      }
      row.resize(t.columns.size(), Cell::blank());
      t.rows.push_back(std::move(row));
    }
    for (const auto& n : s.notes)
      t.notes.push_back(safe(n));
    t.notes.push_back("From the plugin '" + plugin + "'.");
    return t;
  }
  void add_sections(book::Sheet& sheet, const std::string& id) const {
    for (const auto& [plugin, s] : sections())
      if (s.sheet == id && tpl_.has(id)) sheet.tables.push_back(section_table(plugin, s));
  }
  // Sections for sheets the template does not have become sheets of their own, in plugin order.
  void add_plugin_sheets(book::Book& b) const {
    std::vector<std::string> titles;
    for (const auto& [plugin, s] : sections())
      if (!tpl_.has(s.sheet)) {
        const std::string title = book::sheet_name(s.sheet.empty() || is_template_sheet(s.sheet) ? plugin : s.sheet);
        auto it = std::find_if(b.sheets.begin(), b.sheets.end(), [&](const book::Sheet& x) { return x.name == title; });
        if (it == b.sheets.end()) {
          b.sheets.push_back(sheet(title, title));
          it = b.sheets.end() - 1;
        }
        it->tables.push_back(section_table(plugin, s));
      }
  }

private:
  std::string school_name() const { return school_ && !school_->name.empty() ? school_->name : "School " + laestab_; }
  /// The phase in words ("pupil referral unit", not "pru").
  std::string phase_name() const {
    if (!groups_ || !groups_->phase) return "unknown phase";
    return phase_words(name(*groups_->phase));
  }
  /// "primary school", "special schools", "pupil referral units".
  std::string schools_of_phase(std::size_t n) const {
    const bool pru = groups_ && groups_->phase == Phase::pru;
    return (pru ? "pupil referral unit" : phase_name() + " school") + (n == 1 ? "" : "s");
  }
  std::string la_label() const { return tpl_.la_label; }
  std::string similar_label() const {
    if (!groups_) return tpl_.similar_label;
    return tpl_.similar_label + (groups_->similar_is_phase_only ? " (same phase only)" : "");
  }

  book::Sheet sheet(const std::string& title, const std::string& heading) const {
    book::Sheet s;
    s.name = title;
    const std::string logo = tpl_.logo_text.empty() ? ctx_.summary.run.la_name : tpl_.logo_text;
    s.title = heading;
    if (!logo.empty()) s.subtitle.push_back(logo);
    s.subtitle.push_back(school_name() + " (LAEstab " + laestab_ + ")");
    s.print = sheet_print(school_name() + " (LAEstab " + laestab_ + ")", ctx_.summary.run, tpl_.title + ": " + title);
    s.protect = true; // everything but Data to fix's reply cells: the figures are the LA's (no password)
    return s;
  }

  // A figure over a group of schools: the sum of each school's sum (a school without the metric
  // counts as none, provided some school in the LA has it). Groups are shared by many schools, so
  // each sum is computed once per run.
  std::optional<std::int64_t> group_sum(const std::vector<std::string>& members,
                                        const std::vector<std::string>& names) const {
    // A group is one shared vector for the whole run, so its address names it.
    std::string key = std::to_string(reinterpret_cast<std::uintptr_t>(&members)) + "|";
    for (const auto& n : names)
      key += n + ",";
    {
      std::lock_guard lock(ctx_.cache->mu);
      if (const auto it = ctx_.cache->sums.find(key); it != ctx_.cache->sums.end()) return it->second;
    }
    std::optional<std::int64_t> total;
    for (const auto& l : members) {
      const auto it = ctx_.metrics.schools.find(l);
      if (const auto v = sum(it == ctx_.metrics.schools.end() ? nullptr : &it->second, names))
        total = total.value_or(0) + *v;
    }
    if (!total && any_school_has(names)) total = 0;
    std::lock_guard lock(ctx_.cache->mu);
    ctx_.cache->sums.emplace(std::move(key), total);
    return total;
  }
  bool any_school_has(const std::vector<std::string>& names) const {
    std::string key = "any|";
    for (const auto& n : names)
      key += n + ",";
    {
      std::lock_guard lock(ctx_.cache->mu);
      if (const auto it = ctx_.cache->sums.find(key); it != ctx_.cache->sums.end()) return it->second.has_value();
    }
    bool found = false;
    for (const auto& [l, m] : ctx_.metrics.schools)
      if (sum(&m, names)) {
        found = true;
        break;
      }
    std::lock_guard lock(ctx_.cache->mu);
    ctx_.cache->sums.emplace(std::move(key), found ? std::optional<std::int64_t>(1) : std::nullopt);
    return found;
  }
  std::optional<std::int64_t> mine(const std::vector<std::string>& names) const {
    if (!needs_collected_ && about_needs(names)) return std::nullopt; // not collected: shown as "-", never flagged
    if (const auto v = sum(mine_, names)) return v;
    if (any_school_has(names)) return 0;
    return std::nullopt;
  }
  std::optional<std::int64_t> england(const std::vector<std::string>& names) const {
    if (!england_) return std::nullopt;
    // Every name must be one England has: a partial sum would mislead.
    for (const auto& n : names) {
      const bool glob = n.size() > 2 && n.compare(n.size() - 2, 2, ".*") == 0;
      if (!glob && !england_->count(n)) return std::nullopt;
      if (glob && !sum(england_, {n})) return std::nullopt;
    }
    return sum(england_, names);
  }
  const std::vector<std::string>& la_members() const {
    static const std::vector<std::string> none;
    return groups_ && groups_->la_phase ? *groups_->la_phase : none;
  }
  const std::vector<std::string>& similar_members() const {
    static const std::vector<std::string> none;
    return groups_ && groups_->similar ? *groups_->similar : none;
  }

  // ---- Overview ----------------------------------------------------------------------------
  // The headline's facts: the indicator rows as shown, and the open errors and queries of Data to fix.
  HeadlineFacts headline_facts(const Table& indicators) const {
    HeadlineFacts h;
    h.rows = headline_rows(indicators);
    if (const auto it = ctx_.by_school.find(laestab_); it != ctx_.by_school.end())
      for (const std::size_t i : it->second) {
        const auto& f = ctx_.findings[i];
        if (f.explained || f.actor != Actor::school) continue; // the school replies to its own rows only
        h.errors += f.finding.severity == Severity::error;
        h.queries += f.finding.severity == Severity::query;
      }
    h.deadline = ctx_.reply_deadline;
    h.contact = ctx_.reply_contact;
    return h;
  }

  book::Sheet overview(const std::string& title) {
    book::Sheet s = sheet(title, tpl_.title + ": " + school_name());
    s.subtitle.push_back("LAEstab " + laestab_ +
                         (school_ && !school_->urn.empty() ? " \xC2\xB7 URN " + school_->urn : "") +
                         " \xC2\xB7 Phase: " + phase_name());
    s.subtitle.push_back("Figures from the " + term_words(ctx_.summary.run) + ", reference date " +
                         long_date(ctx_.summary.run.reference_date) + ".");
    s.subtitle.push_back(comparator_sentence());
    Table t = indicator_table(indicator_figures());
    s.lead = headline(headline_facts(t));
    s.tables.push_back(std::move(t));
    if (!ctx_.history.empty()) s.tables.push_back(over_time());
    return s;
  }

  /// One Overview indicator as data, before it is laid out (the headline is made from these): the
  /// school's figure (a percentage, a rate per 100 or a count), its number and out-of, each
  /// comparator's figure (for a count, the average of the group's other schools), the flag against
  /// the comparator of flag_basis(), and whether the count is a small number.
  struct IndicatorFigures {
    const Indicator* indicator = nullptr;
    std::optional<double> school;
    std::optional<std::int64_t> number, out_of;
    std::optional<double> la, similar, england;
    std::optional<Flag> flag;
    bool small_number = false;
    std::string note;
  };

  std::vector<IndicatorFigures> indicator_figures() const {
    std::vector<IndicatorFigures> out;
    for (const Indicator& ind : tpl_.indicators)
      out.push_back(figures(ind));
    return out;
  }

  IndicatorFigures figures(const Indicator& ind) const {
    IndicatorFigures f;
    f.indicator = &ind;
    if (ind.kind == Indicator::Kind::count) {
      const auto v = mine(ind.value);
      if (v) f.school = static_cast<double>(*v);
      auto average = [&](const std::vector<std::string>& members, std::size_t others) -> std::optional<double> {
        const auto total = comparator_total(group_sum(members, ind.value), v, others);
        if (!total) return std::nullopt;
        return static_cast<double>(*total) / static_cast<double>(others);
      };
      if (show_la()) f.la = average(la_members(), groups_->la_others);
      if (show_similar()) f.similar = average(similar_members(), groups_->similar_others);
      f.note = !v ? "No records for this run" : show_la() || show_similar() ? "Groups: average per other school" : "";
      return f;
    }
    const auto x = mine(ind.numerator), n = mine(ind.denominator);
    f.number = x;
    f.out_of = n;
    f.school = per_100(x, n);
    const auto la_x = la_figure(ind.numerator), la_n = la_figure(ind.denominator);
    const auto sim_x = similar_figure(ind.numerator), sim_n = similar_figure(ind.denominator);
    const auto en_x = england(ind.numerator), en_n = england(ind.denominator);
    if (show_la()) f.la = per_100(la_x, la_n);
    if (show_similar()) f.similar = per_100(sim_x, sim_n);
    if (england_) f.england = per_100(en_x, en_n);
    const auto [bx, bn] = basis() == Basis::similar ? std::pair{sim_x, sim_n}
                          : basis() == Basis::la    ? std::pair{la_x, la_n}
                          : basis() == Basis::england
                              ? std::pair{en_x, en_n}
                              : std::pair{std::optional<std::int64_t>(), std::optional<std::int64_t>()};
    FlagResult r;
    if (ind.flag && x && n) {
      const auto p = ratio(bx, bn);
      r = ind.kind == Indicator::Kind::rate ? compare_rate(*x, *n, p) : compare_proportion(*x, *n, p);
    }
    f.flag = r.flag;
    f.small_number = x && is_small_number(*x);
    if (!needs_collected_ && about_needs(ind))
      f.note = "Not collected in this census (the spring census collects primary needs)";
    else if (!x || !n)
      f.note = "No records for this run";
    else if (*n == 0)
      f.note = "None to count";
    else if (f.small_number)
      f.note = "Small number: not flagged";
    else if (!ind.flag)
      f.note = "Not flagged: sessions are not independent";
    else if (!f.flag)
      f.note = "No comparator: not flagged";
    return f;
  }

  Table indicator_table(const std::vector<IndicatorFigures>& rows) const {
    Table t;
    t.title = "Headline indicators";
    t.columns = {{"Indicator", 60}, {"This school", 12}, {"Number", 10}, {"Out of", 10}};
    // Only the comparators this school has: no column that repeats another or is empty.
    if (show_la()) t.columns.push_back({la_label(), 14});
    if (show_similar()) t.columns.push_back({similar_label(), 16});
    if (england_) t.columns.push_back({tpl_.england_label, 12});
    if (basis() != Basis::none) t.columns.push_back({"Compared with " + basis_label(), 16});
    t.columns.push_back({"Note", 40});
    for (const IndicatorFigures& f : rows) {
      const Indicator& ind = *f.indicator;
      const Kind kind = ind.kind == Indicator::Kind::rate ? Kind::decimal1 : Kind::percent;
      auto figure = [&](std::optional<double> v) { return v ? Cell::number(*v, kind) : dash; };
      std::vector<Cell> row{Cell::text(ind.label)};
      if (ind.kind == Indicator::Kind::count) {
        row.push_back(f.school ? Cell::integer(static_cast<std::int64_t>(*f.school)) : dash);
        row.push_back(Cell::blank());
        row.push_back(Cell::blank());
        auto average = [&](std::optional<double> v) { return v ? Cell::number(*v, Kind::decimal1) : dash; };
        if (show_la()) row.push_back(average(f.la));
        if (show_similar()) row.push_back(average(f.similar));
        if (england_) row.push_back(dash);
      } else {
        row.push_back(figure(f.school));
        row.push_back(count_cell(f.number));
        row.push_back(count_cell(f.out_of));
        if (show_la()) row.push_back(figure(f.la));
        if (show_similar()) row.push_back(figure(f.similar));
        if (england_) row.push_back(figure(f.england));
      }
      if (basis() != Basis::none) row.push_back(f.flag ? Cell::flag(std::string(flag_text(*f.flag))) : Cell::blank());
      row.push_back(Cell::text(f.note));
      t.rows.push_back(std::move(row));
    }
    t.notes.push_back("Percentages are of the number in 'Out of'. Rates are per 100 pupils. Counts compare with the "
                      "average of the group's other schools.");
    t.notes.push_back(flag_sentence());
    t.notes.push_back("\xE2\x80\x93 means the figure is not available (no records, or no reference data).");
    return t;
  }

  /// The school's indicators in the earlier census terms of the history store and in this one.
  Table over_time() const {
    Table t;
    t.title = "This school over the last census terms";
    t.columns = {{"Indicator", 60}};
    for (const auto& past : ctx_.history)
      t.columns.push_back({past.label, 14});
    // Labelled as the earlier terms are ("Autumn 2024"), so that the columns read as a series.
    const RunInfo& run = ctx_.summary.run;
    const std::string label =
        census_label(run.term, run.reference_date ? std::optional<int>(run.reference_date->year()) : std::nullopt);
    t.columns.push_back({label.empty() ? "This run" : label + " (this run)", 16});
    // Whether each earlier term recorded primary needs for this school (a spring census, or any need
    // counted): asked once per term, not once per indicator.
    std::vector<bool> past_needs;
    for (const auto& past : ctx_.history) {
      const auto it = past.schools.find(laestab_);
      past_needs.push_back(
          past.label.starts_with("Spring") ||
          (it != past.schools.end() && std::any_of(it->second.begin(), it->second.end(), [](const auto& kv) {
             return kv.first.starts_with("need.") && kv.second > 0;
           })));
    }
    for (const Indicator& ind : tpl_.indicators) {
      std::vector<Cell> row{Cell::text(ind.label)};
      // One indicator's cell from a way of summing metric names: an earlier term's map, or mine().
      auto value = [&](auto&& figure) -> Cell {
        if (ind.kind == Indicator::Kind::count) return count_cell(figure(ind.value));
        Cell c = pct_cell(per_100(figure(ind.numerator), figure(ind.denominator)));
        if (ind.kind == Indicator::Kind::rate && !c.empty()) c.kind = Kind::decimal1;
        return c;
      };
      for (std::size_t k = 0; k < ctx_.history.size(); ++k) {
        const auto& past = ctx_.history[k];
        const auto it = past.schools.find(laestab_);
        if (it == past.schools.end() || (about_needs(ind) && !past_needs[k])) {
          row.push_back(dash);
          continue;
        }
        row.push_back(value([&](const std::vector<std::string>& names) { return sum(&it->second, names); }));
      }
      // This run as the headline table gives it (mine(): 0 where other schools have the figure).
      row.push_back(mine_ ? value([&](const std::vector<std::string>& names) { return mine(names); }) : dash);
      t.rows.push_back(std::move(row));
    }
    t.notes.push_back("Earlier terms are the runs kept in the LA's history store (the latest run of each census), "
                      "computed in the same way as this run's figures; \xE2\x80\x93 where the school had no "
                      "return or no records then.");
    return t;
  }

  std::string comparator_sentence() const {
    if (!groups_) return "This school has no census return in this run, so it has no comparators.";
    const std::size_t la_others = groups_->la_others;
    std::string out;
    if (la_others == 0)
      out = "This is the LA's only " + schools_of_phase(1) +
            " with a return, so no other school of the LA compares with it";
    else {
      out = la_label() + ": the LA's " + std::to_string(la_others) + " other " + schools_of_phase(la_others) +
            " with a return";
      if (show_similar())
        out += ". " + tpl_.similar_label + ": the " + std::to_string(groups_->similar_others) + " other LA " +
               schools_of_phase(groups_->similar_others) + " in the same free-school-meals quintile (" +
               std::to_string(groups_->fsm_quintile) + " of 5)";
      else
        out += " (fewer than " + std::to_string(tpl_.similar_min_schools) +
               " share this school's free-school-meals quintile, so there is no separate similar-schools group)";
    }
    out += "; this school is not part of its own comparators.";
    if (england_) out += " " + tpl_.england_label + ": " + schools_of_phase(2) + " in the DfE's SEN in England data.";
    if (basis() == Basis::none)
      out += " No England reference data was loaded either, so there is no comparator and nothing is flagged.";
    else
      out += " Flags compare with " + basis_words() + ".";
    return out;
  }

  std::string flag_sentence() const {
    if (basis() == Basis::none)
      return "Nothing is flagged: this school has no comparator (no other school of its phase in the LA, and no "
             "England reference data). Counts of 1 to " +
             std::to_string(small_number_max) + " would not be flagged in any case.";
    return "Compared with " + basis_label() +
           ": 'in line' when the school's figure is within two standard errors of the comparator's figure (binomial "
           "for percentages, Poisson for rates per 100), 'above' or 'below' beyond two, 'well above' or 'well below' "
           "beyond three. Counts of 1 to " +
           std::to_string(small_number_max) + " are shown but never flagged.";
  }

  // ---- Comparators: one definition for every sheet (comparators.hpp) ----------------------
  Basis basis() const { return groups_ ? flag_basis(*groups_, england_ != nullptr) : Basis::none; }
  bool show_la() const { return groups_ && groups_->la_others > 0; }
  /// The similar-schools column, unless it would repeat the LA column (the same phase only).
  bool show_similar() const { return groups_ && groups_->similar_others > 0 && !groups_->similar_is_phase_only; }
  std::string basis_label() const {
    switch (basis()) {
    case Basis::similar: return similar_label();
    case Basis::la: return la_label();
    case Basis::england: return tpl_.england_label;
    default: return "no comparator";
    }
  }
  std::string basis_words() const {
    switch (basis()) {
    case Basis::similar: return "similar schools";
    case Basis::la: return "the LA's other " + schools_of_phase(2);
    case Basis::england: return schools_of_phase(2) + " in England";
    default: return "no comparator";
    }
  }
  /// A figure over the LA's (or similar schools') other schools: the group less this school.
  std::optional<std::int64_t> la_figure(const std::vector<std::string>& names) const {
    if (!groups_ || (!needs_collected_ && about_needs(names))) return std::nullopt;
    return comparator_total(group_sum(la_members(), names), mine(names), groups_->la_others);
  }
  std::optional<std::int64_t> similar_figure(const std::vector<std::string>& names) const {
    if (!groups_ || (!needs_collected_ && about_needs(names))) return std::nullopt;
    return comparator_total(group_sum(similar_members(), names), mine(names), groups_->similar_others);
  }
  std::optional<std::int64_t> basis_figure(const std::vector<std::string>& names) const {
    switch (basis()) {
    case Basis::similar: return similar_figure(names);
    case Basis::la: return la_figure(names);
    case Basis::england: return england(names);
    default: return std::nullopt;
    }
  }

  // ---- Needs -------------------------------------------------------------------------------
  book::Sheet needs(const std::string& title) {
    book::Sheet s = sheet(title, "Primary needs of pupils with SEN");
    const auto sen = mine({"sen_support", "ehc_plan"});
    s.subtitle.push_back("Pupils on roll with SEN support or an EHC plan, by their primary need. Percentages are of "
                         "the school's " +
                         std::to_string(sen.value_or(0)) + " pupils with SEN.");
    s.subtitle.push_back(comparator_sentence());
    Table t;
    t.title = "By primary need";
    t.columns = {{"Primary need", 50},
                 {"SEN support", 10},
                 {"EHC plan", 10},
                 {"All with SEN", 10},
                 {"% of pupils with SEN", 12}};
    // The comparators this school has, as on the Overview: no column that repeats another or is empty.
    auto comparator_columns = [&](Table& table) {
      if (show_la()) table.columns.push_back({la_label() + " %", 14});
      if (show_similar()) table.columns.push_back({similar_label() + " %", 16});
      if (england_) table.columns.push_back({tpl_.england_label + " %", 12});
      if (basis() != Basis::none) table.columns.push_back({"Compared with " + basis_label(), 16});
    };
    comparator_columns(t);
    std::int64_t with_need = 0;
    auto need_row = [&](const std::string& label, const std::vector<std::string>& sup,
                        const std::vector<std::string>& ehc) {
      std::vector<std::string> both = sup;
      both.insert(both.end(), ehc.begin(), ehc.end());
      const auto x = mine(both);
      const std::vector<std::string> den{"sen_support", "ehc_plan"};
      std::vector<Cell> row{Cell::text(label), count_cell(mine(sup)), count_cell(mine(ehc)), count_cell(x),
                            pct_cell(per_100(x, sen))};
      if (show_la()) row.push_back(pct_cell(per_100(la_figure(both), la_figure(den))));
      if (show_similar()) row.push_back(pct_cell(per_100(similar_figure(both), similar_figure(den))));
      if (england_) row.push_back(pct_cell(per_100(england(both), england(den))));
      if (basis() != Basis::none) {
        FlagResult f;
        if (x && sen) f = compare_proportion(*x, *sen, ratio(basis_figure(both), basis_figure(den)));
        row.push_back(f.flag           ? Cell::flag(std::string(flag_text(*f.flag)))
                      : f.small_number ? Cell::text("Small number: not flagged")
                                       : Cell::blank());
      }
      return row;
    };
    for (std::size_t n = 0; n < need_type_count; ++n) {
      const std::string code(need_type_names[n]);
      t.rows.push_back(need_row(std::string(need_type_labels[n]) + " (" + code + ")",
                                {need_metric(static_cast<NeedType>(n), false)},
                                {need_metric(static_cast<NeedType>(n), true)}));
      with_need += mine({"need." + code + ".*"}).value_or(0);
    }
    if (show_la())
      t.chart = book::Chart{"Primary need: % of pupils with SEN",
                            {4, 5},
                            {school_name(), la_label()},
                            "% of pupils with SEN",
                            static_cast<int>(need_type_count)};
    else
      t.chart = book::Chart{"Primary need: % of pupils with SEN",
                            {4},
                            {school_name()},
                            "% of pupils with SEN",
                            static_cast<int>(need_type_count)};
    const std::int64_t none = sen.value_or(0) - with_need;
    if (!needs_collected_)
      t.notes.push_back("Primary needs are not collected in this census: the DfE collects pupils' SEN type in the "
                        "spring census, so this sheet's figures are in the spring census's profile.");
    else if (none > 0)
      t.notes.push_back(std::to_string(none) + " pupil(s) with SEN have no primary need recorded: see Data to fix.");
    t.notes.push_back(groups_ && groups_->phase == Phase::pru
                          ? "Counted by their rank-1 need: pupils on roll, with enrolment status C or M and, at a "
                            "pupil referral unit, S (registered here as their second school)."
                          : "Counted as the DfE counts them: pupils on roll (enrolment status C or M) by their rank-1 "
                            "need.");
    t.notes.push_back(flag_sentence());
    s.tables.push_back(std::move(t));

    Table b;
    b.title = "Broad areas of need";
    b.columns = {{"Broad area of need", 50},
                 {"SEN support", 10},
                 {"EHC plan", 10},
                 {"All with SEN", 10},
                 {"% of pupils with SEN", 12}};
    comparator_columns(b);
    for (std::size_t a = 0; a < broad_area_names.size(); ++a) {
      std::vector<std::string> sup, ehc, codes;
      for (std::size_t n = 0; n < need_type_count; ++n)
        if (static_cast<std::size_t>(broad_area(static_cast<NeedType>(n))) == a) {
          sup.push_back(need_metric(static_cast<NeedType>(n), false));
          ehc.push_back(need_metric(static_cast<NeedType>(n), true));
          codes.emplace_back(need_type_names[n]);
        }
      std::string label(broad_area_names[a]);
      std::string joined;
      for (const auto& c : codes)
        joined += (joined.empty() ? "" : ", ") + c;
      b.rows.push_back(need_row(label + " (" + joined + ")", sup, ehc));
    }
    std::vector<Cell> total{Cell::text("All pupils with SEN", true), count_cell(mine({"sen_support"})),
                            count_cell(mine({"ehc_plan"})), count_cell(sen)};
    for (auto& c : total)
      c.bold = true;
    b.rows.push_back(std::move(total));
    s.tables.push_back(std::move(b));
    return s;
  }

  // ---- Statutory assessment ------------------------------------------------------------------
  book::Sheet statutory(const std::string& title) {
    book::Sheet s = sheet(title, "Requests for EHC needs assessment");
    const Value* la = find_la("ehcp_12m");
    if (!la && !any_school_has({"ehcp.requests_12m"})) {
      s.subtitle.push_back("No EHC needs assessment records (ehcp_cases.csv or a SEN2 return) were part of this run.");
      return s;
    }
    const auto ref = ctx_.summary.run.reference_date;
    s.subtitle.push_back("Requests made while the child attended this school, in the 12 months to " + long_date(ref) +
                         ". The LA column counts every request the LA received.");
    auto la_int = [&](const char* k) -> Cell {
      const Value* v = la ? la->find(k) : nullptr;
      return v && v->is_int() ? Cell::integer(v->as_int()) : dash;
    };
    Table t;
    t.title = "The last 12 months";
    t.columns = {{"Measure", 50}, {"This school", 12}, {"Out of", 10}, {"LA", 12}};
    t.rows.push_back({Cell::text("Requests for an EHC needs assessment"), count_cell(mine({"ehcp.requests_12m"})),
                      Cell::blank(), la_int("requests")});
    t.rows.push_back({Cell::text("Decisions to assess"), count_cell(mine({"ehcp.assessments_agreed_12m"})),
                      Cell::blank(), la_int("assessments_agreed")});
    t.rows.push_back({Cell::text("EHC plans issued"), count_cell(mine({"ehcp.plans_issued_12m"})), Cell::blank(),
                      la_int("plans_issued")});
    const auto days = sum(mine_, {"ehcp.median_days_to_issue_12m"});
    const Value* la_days = la ? la->find("median_days_to_issue") : nullptr;
    t.rows.push_back(
        {Cell::text("Median weeks from request to plan"),
         dec_cell(days ? std::optional<double>(weeks(*days)) : std::nullopt), Cell::blank(),
         dec_cell(la_days && la_days->is_int() ? std::optional<double>(weeks(la_days->as_int())) : std::nullopt)});
    const auto in_time = mine({"ehcp.plans_issued_within_20_weeks_12m"}), plans = mine({"ehcp.plans_issued_12m"});
    const Value* la_pc = la ? la->find("pc_plans_issued_within_20_weeks") : nullptr;
    t.rows.push_back(
        {Cell::text("Plans issued within 20 weeks (%)"), pct_cell(per_100(in_time, plans)), count_cell(plans),
         pct_cell(la_pc && la_pc->is_number() ? std::optional<double>(la_pc->as_number()) : std::nullopt)});
    // The median and the percentage rest on the plans issued: say so when they are a handful.
    t.columns.push_back({"Note", 36});
    for (std::size_t i = 0; i < t.rows.size(); ++i)
      t.rows[i].push_back(Cell::text(i >= 3 ? small_note(plans, "plan issued", "plans issued") : std::string()));
    t.notes.push_back("The SEND Regulations 2014 allow 20 weeks from request to final plan (140 days).");
    s.tables.push_back(std::move(t));

    // By calendar year, as the DfE publishes timeliness.
    std::set<int> years;
    if (mine_)
      for (const auto& [k, v] : *mine_)
        if (k.size() > 10 && k.compare(0, 5, "ehcp.") == 0 && std::isdigit(static_cast<unsigned char>(k[5])))
          years.insert(std::atoi(k.c_str() + 5));
    Table y;
    y.title = "By calendar year (requests from this school)";
    y.columns = {{"Year", 8},
                 {"Requests received", 10},
                 {"Requests refused", 10},
                 {"Plans issued", 10},
                 {"Within 20 weeks", 10},
                 {"% within 20 weeks", 12},
                 {"LA % within 20 weeks", 12},
                 {tpl_.england_label + " % (published)", 14},
                 {"Note", 36}};
    for (const int year : years) {
      const std::string p = "ehcp." + std::to_string(year) + ".";
      const auto within = mine({p + "plans_issued_within_20_weeks"}), den = mine({p + "plans_issued_den"});
      std::optional<double> la_pc_year, england_pc;
      if (const Value* rows = find_la("ehcp_timeliness"); rows && rows->is_array())
        for (const Value& r : rows->as_array()) {
          const Value* yv = r.find("year");
          if (!yv || !yv->is_int() || yv->as_int() != year) continue;
          if (const Value* pc = r.find("pc_plans_issued_within_20_weeks"); pc && pc->is_number())
            la_pc_year = pc->as_number();
          if (const Value* pub = r.find("published"))
            if (const Value* e = pub->find("england"))
              if (const Value* pc = e->find("pc_plans_issued_within_20_weeks"); pc && pc->is_number())
                england_pc = pc->as_number();
        }
      y.rows.push_back({Cell::year(year), count_cell(mine({p + "requests_received"})),
                        count_cell(mine({p + "requests_refused"})), count_cell(den), count_cell(within),
                        pct_cell(per_100(within, den)), pct_cell(la_pc_year), pct_cell(england_pc),
                        Cell::text(small_note(den, "plan issued", "plans issued"))});
    }
    if (y.rows.empty()) y.notes.push_back("No requests from this school in the records.");
    // England's published column only when the reference data gives a figure: no empty column.
    if (std::all_of(y.rows.begin(), y.rows.end(), [](const auto& r) { return r[7].empty() || is_dash(r[7]); })) {
      y.columns.erase(y.columns.begin() + 7);
      for (auto& r : y.rows)
        r.erase(r.begin() + 7);
      y.notes.push_back("England's published figures appear here when the LA's reference data holds the DfE's "
                        "EHC plan timeliness file.");
    }
    s.tables.push_back(std::move(y));
    return s;
  }
  static double weeks(std::int64_t days) {
    return static_cast<double>((days * 10 + 3) / 7) / 10.0; // one decimal, rounded half up
  }
  const Value* find_la(const std::string& key) const {
    const auto it = ctx_.metrics.la.find(key);
    return it == ctx_.metrics.la.end() ? nullptr : &it->second;
  }

  // ---- Exclusions and AP ---------------------------------------------------------------------
  /// "Small number" notes (the one rule, is_small_number): a figure resting on 1 to 4 cases.
  static std::string small_note(std::optional<std::int64_t> count, const std::string& one, const std::string& many) {
    if (!count || !is_small_number(*count)) return {};
    return "Small number: " + std::to_string(*count) + " " + (*count == 1 ? one : many) + ", read with care";
  }

  // Suspensions counted as pupils over the academic year (suspensions_year.*, docs/metrics.md), as Ofsted's
  // inspection data summary shows them: pupils suspended once or more, twice or more, ten times or more.
  Table suspensions_year_table() const {
    Table t;
    const Value* la = find_la("suspensions_year");
    auto text = [&](const char* k) {
      const Value* v = la ? la->find(k) : nullptr;
      return v && v->is_string() ? v->as_string() : std::string();
    };
    t.title = "Pupils suspended in the academic year " + text("academic_year");
    if (!la || !sum(mine_, {"suspensions_year.suspensions"})) {
      t.columns = {{"Measure", 50}};
      t.notes.push_back("No census term and reference date for this run: the academic year is not known.");
      return t;
    }
    t.columns = {{"Pupils", 30},
                 {"Number of pupils", 10},
                 {"Suspended once or more", 11},
                 {"Suspended twice or more", 11},
                 {"Suspended 10 times or more", 11},
                 {"Suspensions", 11},
                 {"Pupils suspended per 100", 11}};
    if (show_la()) t.columns.push_back({la_label() + ": pupils suspended per 100", 13});
    const std::pair<const char*, const char*> groups[] = {
        {"All pupils", ""}, {"SEN support", ".sen_support"}, {"EHC plan", ".ehc_plan"}, {"No SEN", ".no_sen"}};
    for (const auto& [label, suffix] : groups) {
      const std::string den = *suffix ? std::string(suffix + 1) : std::string("pupils_on_roll");
      auto name = [&](const char* c) {
        return std::vector<std::string>{std::string("suspensions_year.") + c + suffix};
      };
      const auto n = mine({den}), one = mine(name("pupils_1plus"));
      std::vector<Cell> row{Cell::text(label),
                            count_cell(n),
                            count_cell(one),
                            count_cell(mine(name("pupils_2plus"))),
                            count_cell(mine(name("pupils_10plus"))),
                            count_cell(mine(name("suspensions"))),
                            dec_cell(per_100(one, n))};
      if (show_la()) row.push_back(dec_cell(per_100(la_figure(name("pupils_1plus")), la_figure({den}))));
      t.rows.push_back(std::move(row));
    }
    std::string terms;
    if (const Value* seen = la->find("terms_seen"); seen && seen->is_array())
      for (const Value& v : seen->as_array())
        if (v.is_string()) terms += (terms.empty() ? "" : ", ") + v.as_string();
    const Value* complete = la->find("complete");
    t.notes.push_back("Suspensions dated " + text("from") + " to " + text("to") + ", from this census" +
                      std::string(complete && complete->is_bool() && complete->as_bool() ? "" : " (the year so far)") +
                      " and the earlier censuses of the year the LA's history store holds, each suspension once. "
                      "Terms reported in full: " +
                      (terms.empty() ? std::string("none") : terms) +
                      ". Pupils are grouped by their SEN provision at their latest suspension; 'Number of pupils' "
                      "is pupils on roll now.");
    return t;
  }

  // Pupil movement (the pupil-movement plugin's movement.* figures, docs/metrics.md): where the pupils on
  // the roll at the previous census are now, and who joined, by group, with the unexplained exit rate
  // against the LA's other schools of the phase and similar schools.
  Table movement_table() const {
    Table t;
    t.title = "Pupil movement since the previous census";
    if (!sum(mine_, {"movement.on_roll_previous"})) {
      t.columns = {{"Measure", 50}};
      const Value* la = find_la("movement");
      const Value* why = la ? la->find("not_measured") : nullptr;
      std::string note = "Not measured for this school: ";
      if (why && why->is_string())
        note += why->as_string() + ".";
      else if (const Value* by = la ? la->find("schools_not_measured") : nullptr; by && by->find(laestab_))
        note += by->find(laestab_)->as_string() + ".";
      else
        note += "the pupil-movement plugin did not run, or the previous census (previous/) was not part of this run.";
      t.notes.push_back(std::move(note));
      return t;
    }
    t.columns = {{"Pupils", 24},
                 {"On roll at the previous census", 11},
                 {"Still on roll here", 10},
                 {"Finished the school's last year", 11},
                 {"Moved to another LA school", 11},
                 {"Into alternative provision", 11},
                 {"Left (in the leavers' list)", 11},
                 {"On no roll, no leavers' list, no placement", 12},
                 {"Unexplained exits", 10},
                 {"Unexplained exits per 100", 11}};
    if (show_la()) t.columns.push_back({la_label() + ": unexplained exits per 100", 13});
    if (show_similar()) t.columns.push_back({similar_label() + ": unexplained exits per 100", 13});
    t.columns.push_back({"Joined since", 10});
    t.columns.push_back({"Of whom from another LA school", 11});
    t.columns.push_back({"Note", 30});
    const std::pair<const char*, const char*> groups[] = {{"All pupils", ""},
                                                          {"SEN support", ".sen_support"},
                                                          {"EHC plan", ".ehc_plan"},
                                                          {"No SEN", ".no_sen"},
                                                          {"Eligible for free school meals", ".fsm"},
                                                          {"Years 10 and 11", ".y10_11"}};
    for (const auto& [label, suffix] : groups) {
      auto name = [&](const char* count) {
        return std::vector<std::string>{std::string("movement.") + count + suffix};
      };
      const auto base = mine(name("on_roll_previous")), exits = mine(name("unexplained_exits"));
      std::vector<Cell> row{Cell::text(label), count_cell(base)};
      for (const char* c : {"stayed", "completed_phase", "moved_out", "into_ap", "left_on_record", "vanished"})
        row.push_back(count_cell(mine(name(c))));
      row.push_back(count_cell(exits));
      row.push_back(dec_cell(per_100(exits, base)));
      if (show_la())
        row.push_back(dec_cell(per_100(la_figure(name("unexplained_exits")), la_figure(name("on_roll_previous")))));
      if (show_similar())
        row.push_back(
            dec_cell(per_100(similar_figure(name("unexplained_exits")), similar_figure(name("on_roll_previous")))));
      row.push_back(count_cell(mine(name("joined"))));
      row.push_back(count_cell(mine(name("moved_in"))));
      row.push_back(Cell::text(small_note(base, "pupil", "pupils")));
      t.rows.push_back(std::move(row));
    }
    const Value* la = find_la("movement");
    const Value* since = la ? la->find("previous_reference_date") : nullptr;
    t.notes.push_back(
        "Pupils on this school's roll (status C or M, with a UPN) at the previous census" +
        (since && since->is_string() ? " (" + since->as_string() + ")" : std::string()) +
        ", and where they are at this one: each counted once, in the first column that applies. Groups are by the "
        "pupil's record at the previous census; joiners by their record now.");
    t.notes.push_back("An exit is a move to another school, into alternative provision, a leaving or a pupil on no "
                      "roll. It is unexplained unless the pupil was permanently excluded, moved to a special school, "
                      "or left AP for a special school or a family move; only pupils of compulsory school age count, "
                      "and pupils who joined and left between the censuses are added. Moves for family reasons, "
                      "and schools outside the LA, cannot be seen in the census, so this is an upper bound and not "
                      "comparable with national unexplained-exit figures.");
    t.notes.push_back("Those on no roll who are of compulsory school age now are listed below and on the 'Data to "
                      "fix' sheet (MV001): say where each went.");
    return t;
  }

  // The school's own pupils on no roll now (its MV001 findings), for the school to explain.
  std::optional<Table> vanished_table() const {
    Table t;
    t.title = "Pupils on this school's roll at the previous census and on no roll now";
    t.columns = {{"UPN", 16}, {"Year group then", 10}, {"Previous census", 14}, {"Note", 40}};
    if (const auto it = ctx_.by_school.find(laestab_); it != ctx_.by_school.end())
      for (const std::size_t i : it->second) {
        const Finding& f = ctx_.findings[i].finding;
        if (f.rule != "MV001") continue;
        auto value = [&](std::string_view k) {
          for (const auto& [key, v] : f.values)
            if (key == k) return v;
          return std::string();
        };
        t.rows.push_back(
            {Cell::text(safe(f.upn)), Cell::text(value("nc_year_then")), Cell::text(value("previous_census")),
             Cell::text(value("leaving_date").empty() ? std::string()
                                                      : "in the leavers' list, leaving " + value("leaving_date") +
                                                            ", after census day (CI013)")});
      }
    if (t.rows.empty()) return std::nullopt;
    t.notes.push_back("Say where each went in the reply column of their row on 'Data to fix' (rule MV001).");
    return t;
  }

  book::Sheet exclusions_ap(const std::string& title) {
    book::Sheet s = sheet(title, "Suspensions, permanent exclusions and alternative provision");
    s.subtitle.push_back("Exclusions are those recorded on this school's " + term_words(ctx_.summary.run) +
                         " return. Rates are per 100 pupils in the group.");
    if (!show_la())
      s.subtitle.push_back("This is the LA's only " + schools_of_phase(1) +
                           " with a return: no other school of the LA compares with it, and England's exclusion "
                           "figures are not part of the reference data.");
    Table t;
    t.title = "Suspensions and permanent exclusions";
    t.columns = {{"Pupils", 30},
                 {"Number of pupils", 10},
                 {"Pupils suspended", 10},
                 {"Suspensions", 11},
                 {"Suspensions per 100", 11}};
    if (show_la()) t.columns.push_back({la_label() + ": suspensions per 100", 13});
    t.columns.push_back({"Permanent exclusions", 11});
    t.columns.push_back({"Permanent exclusions per 100", 12});
    if (show_la()) t.columns.push_back({la_label() + ": permanent exclusions per 100", 13});
    t.columns.push_back({"Note", 36});
    const std::pair<const char*, const char*> groups[] = {
        {"All pupils", ""}, {"SEN support", ".sen_support"}, {"EHC plan", ".ehc_plan"}, {"No SEN", ".no_sen"}};
    for (const auto& [label, suffix] : groups) {
      const std::string den = *suffix ? std::string(suffix + 1) : std::string("pupils_on_roll");
      const std::string susp = std::string("suspensions") + suffix, perm = std::string("permanent_exclusions") + suffix;
      const auto n = mine({den}), x = mine({susp}), p = mine({perm});
      std::vector<Cell> row{Cell::text(label), count_cell(n),
                            count_cell(mine({std::string("pupils_suspended") + suffix})), count_cell(x),
                            dec_cell(per_100(x, n))};
      if (show_la()) row.push_back(dec_cell(per_100(la_figure({susp}), la_figure({den}))));
      row.push_back(count_cell(p));
      row.push_back(dec_cell(per_100(p, n)));
      if (show_la()) row.push_back(dec_cell(per_100(la_figure({perm}), la_figure({den}))));
      std::string note = small_note(n, "pupil", "pupils");
      if (note.empty()) note = small_note(x, "suspension", "suspensions");
      if (note.empty()) note = small_note(p, "permanent exclusion", "permanent exclusions");
      row.push_back(Cell::text(note));
      t.rows.push_back(std::move(row));
    }
    t.notes.push_back("'Number of pupils' is pupils on roll. 'Suspensions' counts suspension records (one pupil may "
                      "have several); 'Pupils suspended' counts pupils with at least one, as the DfE publishes both. "
                      "Exclusions are counted for every pupil on the return and its leavers; the table below counts "
                      "pupils over the academic year.");
    t.notes.push_back("Counts of 1 to " + std::to_string(small_number_max) +
                      " are shown, but a rate resting on so few cases says little: the Note says so.");
    s.tables.push_back(std::move(t));
    s.tables.push_back(suspensions_year_table());
    s.tables.push_back(movement_table());
    if (auto gone = vanished_table()) s.tables.push_back(std::move(*gone));

    Table ap;
    ap.title = "Alternative provision placements of this school's pupils";
    const Value* ap_la = find_la("ap");
    const Value* by_school = nullptr;
    if (ap_la)
      if (const Value* b = ap_la->find("by_school")) by_school = b->find(laestab_);
    if (!any_school_has({"ap.placements_started", "ap.placements_open", "ap.placements_ended"})) {
      ap.columns = {{"Measure", 50}};
      ap.notes.push_back("No alternative provision records (ap_placements.csv) were part of this run.");
      s.tables.push_back(std::move(ap));
      return s;
    }
    s.tables.push_back(ap_table(std::move(ap), by_school, mine({"ap.pupils_placed"}), mine({"ap.placements_started"}),
                                mine({"ap.placements_open"}), mine({"ap.placements_ended"}), mine({"ap.reintegrated"}),
                                mine({"ap.sustained"})));
    s.tables.push_back(destinations("Where this school's ended placements led", by_school));

    // A school that is itself an AP provider (a PRU): the placements at it, and reintegration from it.
    const Value* as_provider = nullptr;
    if (ap_la && school_)
      if (const Value* b = ap_la->find("by_provider")) {
        if (!school_->urn.empty()) as_provider = b->find(school_->urn);
        if (!as_provider && !school_->name.empty()) as_provider = b->find(school_->name);
      }
    if (as_provider || (groups_ && groups_->phase == Phase::pru)) {
      auto int_of = [&](const char* k) -> std::optional<std::int64_t> {
        const Value* v = as_provider ? as_provider->find(k) : nullptr;
        return v && v->is_int() ? std::optional<std::int64_t>(v->as_int())
               : as_provider    ? std::optional<std::int64_t>(0)
                                : std::nullopt;
      };
      Table at;
      at.title = "Alternative provision placements at this school (as the provider)";
      if (!as_provider) {
        at.columns = {{"Measure", 50}};
        at.notes.push_back("No placement in the LA's AP records names this school (URN " +
                           (school_ ? school_->urn : std::string()) + ") as the provider.");
        s.tables.push_back(std::move(at));
      } else {
        s.tables.push_back(ap_table(std::move(at), as_provider, int_of("pupils"), int_of("started"), int_of("open"),
                                    int_of("ended"), int_of("reintegrated"), int_of("sustained")));
        s.tables.push_back(destinations("Where pupils went when their placement here ended", as_provider));
      }
    }
    return s;
  }

  Table ap_table(Table ap, const Value* figures, std::optional<std::int64_t> pupils,
                 std::optional<std::int64_t> started, std::optional<std::int64_t> open,
                 std::optional<std::int64_t> ended, std::optional<std::int64_t> reint,
                 std::optional<std::int64_t> sustained) const {
    auto figure = [&](const char* k) -> std::optional<double> {
      const Value* v = figures ? figures->find(k) : nullptr;
      return v && v->is_number() ? std::optional<double>(v->as_number()) : std::nullopt;
    };
    ap.columns = {{"Measure", 50}, {"This school", 12}, {"Out of", 10}, {"Note", 36}};
    const std::optional<std::int64_t> placements =
        open && ended ? std::optional<std::int64_t>(*open + *ended) : std::nullopt;
    ap.rows.push_back({Cell::text("Pupils placed (open or ended placements)"), count_cell(pupils), Cell::blank(),
                       Cell::text(small_note(pupils, "pupil", "pupils"))});
    ap.rows.push_back({Cell::text("Placements (open or ended; a pupil may have several)"), count_cell(placements),
                       Cell::blank(), Cell::blank()});
    ap.rows.push_back(
        {Cell::text("Placements started this academic year"), count_cell(started), Cell::blank(), Cell::blank()});
    ap.rows.push_back(
        {Cell::text("Placements open at the reference date"), count_cell(open), Cell::blank(), Cell::blank()});
    ap.rows.push_back({Cell::text("Placements ended"), count_cell(ended), Cell::blank(), Cell::blank()});
    ap.rows.push_back({Cell::text("Median weeks in AP (ended placements)"), dec_cell(figure("median_weeks_ended")),
                       count_cell(ended), Cell::text(small_note(ended, "ended placement", "ended placements"))});
    ap.rows.push_back({Cell::text("Reintegrated into mainstream school (% of ended)"), pct_cell(per_100(reint, ended)),
                       count_cell(ended), Cell::text(small_note(ended, "ended placement", "ended placements"))});
    ap.rows.push_back({Cell::text("Reintegrations sustained (%)"), pct_cell(figure("pc_sustained")), count_cell(reint),
                       Cell::text(small_note(reint, "reintegration", "reintegrations"))});
    ap.rows.push_back(
        {Cell::text("Reintegrations sustained (number)"), count_cell(sustained), Cell::blank(), Cell::blank()});
    return ap;
  }

  static std::string destination_words(std::string_view code) {
    static const std::pair<std::string_view, const char*> words[] = {
        {"same_school", "Back to the home school"},
        {"other_mainstream", "Another mainstream school"},
        {"special", "A special school"},
        {"other_ap", "Another alternative provision"},
        {"post16", "Post-16 education or training"},
        {"ehe", "Elective home education"},
        {"neet", "Not in education, employment or training"},
        {"moved_away", "Moved away"},
        {"unknown", "Not known"}};
    for (const auto& [k, w] : words)
      if (k == code) return w;
    std::string label(code);
    std::replace(label.begin(), label.end(), '_', ' ');
    return label;
  }

  /// Ended placements by destination, in words, adding up to the placements ended.
  Table destinations(const std::string& title, const Value* figures) const {
    Table d;
    d.title = title;
    d.columns = {{"Destination", 40}, {"Placements", 10}};
    const Value* ended_v = figures ? figures->find("ended") : nullptr;
    const std::int64_t ended = ended_v && ended_v->is_int() ? ended_v->as_int() : 0;
    std::int64_t listed = 0;
    if (const Value* dest = figures ? figures->find("destinations") : nullptr; dest && dest->is_object())
      for (const auto& [k, v] : dest->as_object())
        if (v.is_int()) {
          d.rows.push_back({Cell::text(destination_words(k)), Cell::integer(v.as_int())});
          listed += v.as_int();
        }
    if (ended == 0) {
      d.rows.clear();
      d.notes.push_back("No ended placements.");
      return d;
    }
    if (ended > listed) d.rows.push_back({Cell::text("No destination recorded"), Cell::integer(ended - listed)});
    d.rows.push_back({Cell::text("All ended placements", true), Cell::integer(ended)});
    d.rows.back()[1].bold = true;
    return d;
  }

  // ---- Finance (maintained schools only) -----------------------------------------------------
  std::optional<book::Sheet> finance(const std::string& title) {
    const Value* row = nullptr;
    if (const Value* rows = find_la("clawback"); rows && rows->is_array())
      for (const Value& r : rows->as_array())
        if (const Value* l = r.find("laestab"); l && l->is_string() && l->as_string() == laestab_) row = &r;
    const bool maintained = school_ && school_->governance == Governance::maintained;
    if (!row && !maintained) return std::nullopt; // academies: the LA's scheme does not apply
    book::Sheet s = sheet(title, "Surplus balance and the LA's clawback scheme");
    if (!row) {
      s.subtitle.push_back(find_la("clawback")
                               ? "No complete year-end balances were found for this school: see Data to fix."
                               : "No year-end balances (balances.csv) were part of this run.");
      return s;
    }
    const Value* group = row->find("phase_group");
    s.subtitle.push_back(
        "Year-end balances under the LA's scheme for financing schools, in whole pounds. Phase group: " +
        (group && group->is_string() ? phase_words(group->as_string()) : std::string("not known")) + ".");
    static const std::pair<const char*, const char*> lines[] = {
        {"A", "Total balance at the year end"},
        {"B", "Capital balance"},
        {"C", "Revenue balance (A minus B)"},
        {"D", "Committed: assigned for agreed purposes"},
        {"E", "Uncommitted revenue balance (C minus D)"},
        {"F", "Budget share for the year"},
        {"G", "Percentage threshold (F times the phase's percentage)"},
        {"H", "Minimum threshold"},
        {"I", "Maximum balance allowed (the larger of G and H)"},
        {"J", "Clawback: uncommitted balance above the maximum (E minus I, not below zero)"},
        {"K", "Commitments that kept the school out of clawback"}};
    Table t;
    t.title = "The calculation";
    t.columns = {{"Line", 6}, {"What it is", 70}, {"Amount", 14}};
    for (const auto& [letter, label] : lines) {
      const Value* v = row->find(letter);
      t.rows.push_back({Cell::text(letter, *letter == 'J'), Cell::text(label, *letter == 'J'),
                        v && v->is_int() ? Cell::pounds(v->as_int()) : dash});
      t.rows.back()[2].bold = *letter == 'J';
    }
    t.notes.push_back(
        "A deficit shows in brackets. The Schools Forum decides exceptional requests; any pending request "
        "is listed in Data to fix.");
    s.tables.push_back(std::move(t));
    return s;
  }

  // ---- Data to fix -------------------------------------------------------------------------
  // The columns: what identifies the row (frozen), what is wrong, the school's reply right after it,
  // who acts and what to do, then the detail. The reply reader finds Finding id, Response and Comment
  // by their headers (store/returned_workbook.cpp), wherever they are.
  enum FixColumn : int {
    c_record,
    c_upn,
    c_codes,
    c_severity,
    c_dfe,
    c_what,
    c_response,
    c_comment,
    c_actor,
    c_todo,
    c_values,
    c_message,
    c_how,
    c_source,
    c_id
  };

  /// What the school does with a row, following who acts (decided in the engine).
  std::string what_to_do(const IdentifiedFinding& x) const {
    if (x.explained) return "Explained in an earlier term: nothing to do unless the explanation is no longer true.";
    if (x.actor != Actor::school) {
      std::string others;
      for (const auto& l : x.shown_to)
        if (l != laestab_) others += (others.empty() ? "" : ", ") + school_named(l);
      return "For information: the " + std::string(name(x.actor)) +
             (others.empty() ? std::string(" deals with this in the LA's own records")
                             : " will contact this school and " + others + " to sort it out") +
             ". No reply needed.";
    }
    // A school's row from the LA's own files (balances, commitments): the reply is the evidence the LA
    // asks for, not a change in the MIS.
    const auto& f = x.finding;
    const bool from_census = f.source.file > 0 && f.source.file < ctx_.data.files.size() &&
                             ctx_.data.files[f.source.file].kind.rfind("census", 0) == 0;
    if (!from_census && f.severity != Severity::info)
      return "Send the LA what How to fix asks for, then choose " + explained_response() +
             " and say what you sent in Comment (or " + response_named("disputed") + ", and why).";
    switch (x.finding.severity) {
    case Severity::error:
      return "Fix it in the MIS and send the return again, then choose " + response_named("fixed") + ".";
    case Severity::query:
      return "Fix it in the MIS and send the return again (" + response_named("fixed") + "), or choose " +
             explained_response() + " and say why in Comment.";
    case Severity::info: break;
    }
    return "For information: no reply needed.";
  }
  /// "Oak Primary (8882001)", from the register; the LAEstab alone when the register lacks it.
  std::string school_named(const std::string& laestab) const {
    const School* other = ctx_.data.find_school(laestab);
    return other && !other->name.empty() ? other->name + " (" + laestab + ")" : "school " + laestab;
  }
  /// The template's Response that begins with `word` ("Fixed in MIS"), else the first.
  std::string response_named(std::string_view word) const {
    for (const auto& r : tpl_.responses)
      if (r.size() >= word.size() && std::equal(word.begin(), word.end(), r.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return r;
    return tpl_.responses.empty() ? std::string("Fixed in MIS") : tpl_.responses.front();
  }

  book::Sheet data_to_fix(const std::string& title) {
    book::Sheet s = sheet(title, "Data to fix");
    s.print.pages_wide = 2; // its columns at a readable size: one page wide would shrink them to a third
    s.subtitle.push_back(
        "Reply by " +
        (ctx_.reply_deadline ? long_date(ctx_.reply_deadline) : std::string("the date the LA data team gives you")) +
        ". Questions: " + (ctx_.reply_contact.empty() ? std::string("ask the LA data team") : ctx_.reply_contact) +
        ".");
    s.subtitle.push_back(
        "Rows for the school: errors must be fixed in the school's MIS and the return sent again; "
        "queries must be fixed or explained. Choose a Response and add a Comment, then return this "
        "workbook to the LA. Rows for an LA team are for information: the LA corrects its own "
        "records, no reply needed. Only the Response and Comment cells of the school's errors and queries "
        "can be changed (the sheet is protected, without a password).");
    Table t;
    t.title = "";
    t.columns = {{"Record", 18},
                 {"Pupil UPN", 15},
                 {"Codes", 13},
                 {"Severity", 9},
                 {"DfE rule (COLLECT)", 17},
                 {"What is wrong", 40},
                 {"Response", 16, 16},
                 {"Comment", 50, 45},
                 {"Who acts", 16},
                 {"What to do", 45},
                 {"Field and value", 30},
                 {"Message", 60},
                 {"How to fix", 60},
                 {"Source", 24},
                 {"Finding id", 30}};
    t.excel_table = true;
    t.freeze_header = true;
    t.freeze_columns = c_upn + 1; // the record and the pupil stay in view beside the reply
    t.table_name = "DataToFix";
    t.dropdown = book::Table::Dropdown{c_response, tpl_.responses};
    std::array<std::int64_t, 3> counts{}; // the school's own rows, by severity
    std::int64_t n_explained = 0, n_la = 0, n_collect = 0;
    if (const auto it = ctx_.by_school.find(laestab_); it != ctx_.by_school.end())
      for (const std::size_t i : it->second) {
        const IdentifiedFinding& x = ctx_.findings[i];
        const Finding& f = x.finding;
        const auto& explained = x.explained;
        if (x.actor == Actor::school) ++counts[static_cast<std::size_t>(f.severity)];
        const auto rule = ctx_.rules.find(f.rule);
        std::string values; // "expected check letter = B": a field's name read as words, its value as given
        for (const auto& [k, v] : f.values) {
          std::string words = k;
          std::replace(words.begin(), words.end(), '_', ' ');
          values += (values.empty() ? "" : "; ") + words + " = " + v;
        }
        std::string source;
        if (f.source.file > 0 && f.source.file < ctx_.data.files.size()) {
          source = ctx_.data.files[f.source.file].path;
          if (f.source.line) source += ":" + std::to_string(f.source.line);
        }
        const bool reply = x.actor == Actor::school && f.severity != Severity::info; // what the school answers
        n_la += x.actor != Actor::school;
        n_collect += x.collect.has_value();
        Cell response = explained ? Cell::text(explained_response()) : Cell::blank();
        Cell comment = explained ? Cell::text(safe(explained->text)) : Cell::blank();
        response.editable = comment.editable = reply || explained.has_value();
        t.rows.push_back({Cell::text(safe(f.subject)), Cell::text(safe(f.upn)), Cell::text(x.codes()),
                          Cell::severity(std::string(name(f.severity))), Cell::text(x.collect_text()),
                          Cell::text(rule == ctx_.rules.end() ? "" : rule->second.title), std::move(response),
                          std::move(comment), Cell::text(std::string(name(x.actor))), Cell::text(what_to_do(x)),
                          Cell::text(safe(values)), Cell::text(safe(f.message)),
                          Cell::text(rule == ctx_.rules.end() ? "" : rule->second.how_to_fix), Cell::text(source),
                          Cell::text(safe(x.id))});
        if (explained) {
          ++n_explained;
          t.rows.back()[c_severity] = Cell::text(std::string(name(f.severity)) + " (explained)");
          t.rows.back()[c_message] =
              Cell::text(safe(f.message) + " Explained by " + explained->by + " on " + explained->given.substr(0, 10) +
                         (explained->until.empty() ? "" : ", until " + explained->until) +
                         "; nothing to do unless it is no longer true.");
        }
      }
    s.subtitle.push_back(
        "For the school to answer: " + plural(counts[0], "error", "errors") + " and " +
        plural(counts[1], "query", "queries") +
        ". For information, no reply needed: " + plural(counts[2] + n_la, "row", "rows") +
        (n_la ? " (" + plural(n_la, "is", "are") + " for an LA team, about its own records)" : std::string()) +
        (n_explained ? "; " + std::to_string(n_explained) +
                           " already explained in an earlier term (Response and Comment filled in)"
                     : std::string()) +
        ".");
    if (n_collect)
      s.subtitle.push_back(
          "The DfE's own checks (COLLECT) will also raise " + plural(n_collect, "of these rows", "of these rows") +
          " when the return is sent: the DfE rule (COLLECT) column names the DfE's rule and whether COLLECT makes it "
          "an error or a query. Fixing them now saves sending the return again. The other rows are the LA's own "
          "checks, which COLLECT does not make.");
    // Read back by `explain --import` (reply_check.hpp): which school this reply is for.
    s.subtitle.push_back(reply_check_line(laestab_, reply_code_()));
    if (t.rows.empty()) {
      t.excel_table = false;
      t.dropdown.reset();
      t.notes.push_back("Nothing to fix: no finding for this school in this run.");
    }
    s.tables.push_back(std::move(t));
    return s;
  }
  std::string safe(std::string_view text) const { return mask_other_upns(text, allowed_upns_); }
  /// The Response an explained finding shows: the template's choice that says "Explained".
  std::string explained_response() const {
    for (const auto& r : tpl_.responses)
      if (ProfileTemplate::says_explained(r)) return r;
    return tpl_.responses.size() > 1 ? tpl_.responses[1] : "Explained";
  }

  // ---- About -------------------------------------------------------------------------------
  book::Sheet about(const std::string& title) {
    book::Sheet s = sheet(title, "About this profile");
    s.subtitle.push_back("Produced by censusqa " + ctx_.version + " on " + ctx_.summary.started.substr(0, 10) + ".");
    Table d;
    d.title = "Definitions";
    d.columns = {{"Term", 30}, {"Meaning", 100}};
    const std::pair<std::string, std::string> defs[] = {
        {"Pupils on roll", "Pupils on the census return with enrolment status C (single registration) or M (main dual "
                           "registration), as the DfE counts headcount."},
        {"SEN support / EHC plan", "Pupils on roll with SEN provision K (SEN support) or E (an education, health and "
                                   "care plan)."},
        {"Primary need", "The pupil's rank-1 type of need on the census (the DfE's SUP_Primary_need and "
                         "EHC_Primary_need figures)."},
        {"Free school meals", "Pupils on roll recorded as eligible for free school meals on the census."},
        {"Suspensions, permanent exclusions",
         "Records of category SUSP (or FIXD) and PERM on this school's return, per "
         "100 pupils on roll in the group."},
        {"Overall absence",
         "Sessions missed (authorised and unauthorised) as a percentage of sessions possible, in the term before "
         "the census (its termly attendance), as the DfE measures absence: pupils of compulsory school age (5 to "
         "15 on the 31 August before that term's school year), on roll (status C or M) or leavers, with sessions "
         "possible above zero."},
        {"Persistent absence", "Pupils missing 10% or more of their possible sessions, as a percentage of the pupils "
                               "that overall absence counts."},
        {la_label(), "The LA's other schools of the same phase with a census return in this run: a school is never "
                     "part of its own comparator. Not shown when the school is the LA's only school of its phase."},
        {tpl_.similar_label,
         "The LA's schools of the same phase in the same free-school-meals quintile (schools of the phase ranked by "
         "the share of pupils eligible for free school meals, in five equal groups), this school left out. Where that "
         "group has fewer than " +
             std::to_string(tpl_.similar_min_schools) +
             " schools it is the same as the LA column, so only the LA column is shown and flags compare with it."},
        {tpl_.england_label, ctx_.comparators.england_source.empty()
                                 ? std::string("Not shown: no DfE reference data was loaded for this run.")
                                 : "Schools of the same phase in the DfE's SEN in England school-level data (" +
                                       ctx_.comparators.england_source + ")."},
        {"Flags", flag_sentence()},
        {"No comparator", "A school with no other school of its phase in the LA is compared with England when the "
                          "DfE's reference data is loaded; otherwise it has no comparator and nothing is flagged."},
        {"Small numbers", "Counts of 1 to " + std::to_string(small_number_max) +
                              " are shown but never flagged, and a percentage or rate resting on so few cases says so "
                              "in its Note."},
        {"\xE2\x80\x93", "No figure: no records for this run, nothing to divide by, or no reference data."}};
    for (const auto& [k, v] : defs)
      d.rows.push_back({Cell::text(k), Cell::text(v)});
    d.rows.push_back({Cell::text("Who acts"),
                      Cell::text("On Data to fix, who deals with each row: the School (fix it in the MIS and send the "
                                 "return again, or explain a query), or an LA team (the LA data, SEN, AP or finance "
                                 "team), which corrects the LA's own records: those rows need no reply.")});
    d.rows.push_back(
        {Cell::text("Replying"),
         Cell::text(
             "The Data to fix sheet is protected so that a reply cannot move or overwrite a row by mistake: only "
             "the Response and Comment cells of the school's errors and queries can be changed. No password is "
             "needed to reply, and none to unprotect the sheet (Review, Unprotect Sheet).")});
    s.tables.push_back(std::move(d));

    Table src;
    src.title = "Data sources";
    src.columns = {{"File", 40}, {"Kind", 16}, {"Records", 10}, {"SHA-256", 70}};
    for (const InputFile* f : inputs())
      src.rows.push_back({Cell::text(f->path), Cell::text(f->kind), Cell::integer(f->records), Cell::text(f->sha256)});
    s.tables.push_back(std::move(src));

    Table p;
    p.title = "Software";
    p.columns = {{"Component", 30}, {"Version", 12}, {"Status", 10}};
    p.rows.push_back({Cell::text("censusqa"), Cell::text(ctx_.version), Cell::text("ok")});
    for (const auto& plugin : ctx_.summary.plugins)
      p.rows.push_back({Cell::text("plugin " + plugin.id), Cell::text(plugin.version), Cell::text(plugin.status)});
    s.tables.push_back(std::move(p));
    return s;
  }

  // The input files this school's workbook may name: its own census return(s) and the LA-wide files.
  std::vector<const InputFile*> inputs() const {
    std::set<std::uint32_t> own;
    for (const auto& ret : ctx_.data.returns)
      if (ret.laestab == laestab_) own.insert(ret.source.file);
    std::vector<const InputFile*> out;
    for (std::uint32_t i = 1; i < ctx_.data.files.size(); ++i) {
      const InputFile& f = ctx_.data.files[i];
      const bool census = f.kind.rfind("census", 0) == 0;
      if (!census || own.count(i)) out.push_back(&f);
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> properties() const {
    std::vector<std::pair<std::string, std::string>> p{
        {"censusqa version", ctx_.version},
        {"LAEstab", laestab_},
        {"censusqa reply check", reply_check_line(laestab_, reply_code_())},
        {"Census term", term_words(ctx_.summary.run)}};
    if (ctx_.summary.run.reference_date) p.emplace_back("Reference date", ctx_.summary.run.reference_date->iso());
    for (const auto& plugin : ctx_.summary.plugins)
      p.emplace_back("plugin " + plugin.id, plugin.version);
    for (const InputFile* f : inputs())
      p.emplace_back(("input " + f->path).substr(0, 255), f->sha256);
    return p;
  }

  std::string reply_code_() const { return reply_code(ctx_.reply_key, laestab_); }

  const ReportContext& ctx_;
  const std::string& laestab_;
  const ProfileTemplate& tpl_;
  const School* school_;
  const MetricMap* mine_ = nullptr;
  const SchoolGroups* groups_ = nullptr;
  const MetricMap* england_ = nullptr;
  bool needs_collected_ = true; ///< this census collects primary needs (a spring one, or some were recorded)
  std::vector<std::string> allowed_upns_;
};

bool upn_shaped(std::string_view s) {
  // A UPN: a letter, 11 digits, then a digit or (temporary UPNs) a letter.
  if (s.size() != 13 || !std::isupper(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 1; i < 12; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return std::isalnum(static_cast<unsigned char>(s[12])) != 0;
}

} // namespace

std::string mask_other_upns(std::string_view text, const std::vector<std::string>& allowed) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    // A token: a run of letters and digits.
    if (!std::isalnum(static_cast<unsigned char>(text[i]))) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j])))
      ++j;
    const std::string_view token = text.substr(i, j - i);
    std::string upper = load::upper(token);
    if (upn_shaped(upper) && !std::binary_search(allowed.begin(), allowed.end(), upper))
      out += "(a pupil of another school)";
    else
      out += token;
    i = j;
  }
  return out;
}

void index_findings_by_school(ReportContext& ctx) {
  ctx.by_school.clear();
  for (std::size_t i = 0; i < ctx.findings.size(); ++i) {
    if (const std::string& l = ctx.findings[i].finding.laestab; !l.empty()) ctx.by_school[l].push_back(i);
    for (const auto& l : ctx.findings[i].shown_to)
      ctx.by_school[l].push_back(i);
  }
  for (auto& [l, list] : ctx.by_school) // the shown-to findings (LAEstab empty) sort first: by severity instead
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
      return ctx.findings[a].finding.severity < ctx.findings[b].finding.severity;
    });
}

book::Print sheet_print(const std::string& whose, const RunInfo& run, const std::string& footer) {
  book::Print p;
  const std::string census =
      census_label(run.term, run.year             ? run.year
                             : run.reference_date ? std::optional<int>(run.reference_date->year())
                                                  : std::nullopt);
  p.header_left = whose;
  p.header_centre = print_marking;
  p.header_right = census.empty() ? "Census" : census + " census";
  p.footer_left = footer;
  p.footer_right = print_marking;
  return p;
}

std::string census_label(std::optional<Term> term, std::optional<int> year) {
  if (!term) return {};
  const std::string season = *term == Term::AUT ? "Autumn" : *term == Term::SPR ? "Spring" : "Summer";
  return year ? season + " " + std::to_string(*year) : season;
}

bool is_laestab(std::string_view s) { return load::is_laestab(s); }

std::string phase_words(std::string_view phase) {
  if (phase == name(Phase::pru)) return "pupil referral unit";
  return std::string(phase);
}

std::string profile_file_name(const Dataset& data, const std::string& laestab) {
  // Built only from a validated LAEstab and ASCII letters and digits of the school's name: no input
  // value can make it a path, a hidden file or a device name.
  if (!is_laestab(laestab)) throw std::invalid_argument("not an LAEstab (7 digits), so no file is named after it");
  const School* s = data.find_school(laestab);
  std::string slug;
  if (s)
    for (const char c : s->name) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        slug += c;
      else if (c >= 'A' && c <= 'Z')
        slug += static_cast<char>(c - 'A' + 'a');
      else if (!slug.empty() && slug.back() != '-')
        slug += '-';
    }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  if (slug.size() > 60) slug.resize(60);
  return laestab + (slug.empty() ? "" : "-" + slug) + ".xlsx";
}

book::Book build_profile(const ReportContext& ctx, const std::string& laestab) {
  return ProfileBuilder(ctx, laestab).build();
}

} // namespace censusqa::report
