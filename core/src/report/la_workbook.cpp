// The LA's validation-report.xlsx (spec/profile.md): Summary, Findings, Clawback, EHCP timeliness,
// AP and Run; see profile.hpp.
#include "profile.hpp"

#include <censusqa/version.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

namespace censusqa::report {
namespace {

using book::Cell;
using book::Table;

// Excel's last row, less room for the title and header.
constexpr std::size_t max_findings_rows = 1048000;

const Cell dash = Cell::none();

Cell value_cell(const Value* v, book::Kind number_kind = book::Kind::integer) {
  if (!v || v->is_null()) return dash;
  if (v->is_int()) {
    Cell c = Cell::integer(v->as_int());
    if (number_kind == book::Kind::pounds) c.kind = book::Kind::pounds;
    return c;
  }
  if (v->is_number())
    return Cell::number(v->as_number(), number_kind == book::Kind::integer ? book::Kind::decimal1 : number_kind);
  if (v->is_string()) return Cell::text(v->as_string());
  return dash;
}

// The Findings sheet's rows, one finding each, made into a given row (reused when the sheet is streamed).
// Holds pointers to the report and to the schools whose profiles this run writes (sorted): both must
// outlive the book the rows are part of, as LaWorkbookOptions' and the report's do in the engine.
//
// `per_rule_text` false leaves out the columns every finding of a rule shares (its how to fix, scope and
// plugin; the By rule table on Summary gives them once): a streamed national run's 240,000 rows are then
// a quarter smaller to write and compress, and its filters are unchanged.
class FindingRows {
public:
  FindingRows(const ReportContext& ctx, const std::vector<std::string>& profile_schools, bool per_rule_text)
      : ctx_{&ctx}, profile_schools_{&profile_schools}, per_rule_text_{per_rule_text} {}

  /// The sheet's columns, as make() fills them.
  static std::vector<book::Column> columns(bool per_rule_text) {
    std::vector<book::Column> c = {
        {"Finding id", 30}, {"Severity", 9}, {"Codes", 13},    {"DfE rule", 12},        {"Title", 40},
        {"LAEstab", 9},     {"School", 30},  {"Who acts", 16}, {"Profile", 30},         {"How to fix", 60},
        {"Scope", 9},       {"UPN", 15},     {"Subject", 18},  {"Field and value", 30}, {"Message", 60},
        {"Plugin", 16},     {"File", 24},    {"Line", 8},      {"Explanation", 40}};
    if (!per_rule_text) drop_per_rule(c);
    return c;
  }

  void make(std::size_t i, std::vector<Cell>& row) {
    const IdentifiedFinding& x = ctx_->findings[i];
    const Finding& f = x.finding;
    const auto rule = ctx_->rules.find(f.rule);
    std::string values;
    for (const auto& [k, v] : f.values) {
      if (!values.empty()) values += "; ";
      values += k;
      values += " = ";
      values += v;
    }
    std::string school = f.laestab.empty() ? "" : school_name(f.laestab);
    for (const auto& l : x.shown_to) // an LA-level finding shown on these schools' profiles (CI005)
      school += (school.empty() ? "Shown to " : ", ") + school_name(l) + " (" + l + ")";
    // The school's profile, linked by a path relative to this workbook (both are in OUT).
    Cell profile = Cell::blank();
    if (f.laestab != profile_of_.first) {
      profile_of_ = {f.laestab, {}};
      if (std::binary_search(profile_schools_->begin(), profile_schools_->end(), f.laestab))
        profile_of_.second = "profiles/" + profile_file_name(ctx_->data, f.laestab);
    }
    if (!profile_of_.second.empty()) {
      profile = Cell::text(profile_of_.second);
      profile.link = profile_of_.second;
      profile.external = true;
    }
    const bool has_file = f.source.file > 0 && f.source.file < ctx_->data.files.size();
    row = {Cell::text(x.id),
           Cell::severity(std::string(name(f.severity))),
           Cell::text(x.codes()),
           Cell::text(f.dfe_rule.empty() ? std::string()
                                         : f.dfe_rule + (x.collect ? " (" + std::string(name(*x.collect)) + ")" : "")),
           Cell::text(rule == ctx_->rules.end() ? "" : rule->second.title),
           Cell::text(f.laestab),
           Cell::text(school),
           Cell::text(std::string(name(x.actor))),
           std::move(profile),
           Cell::text(rule == ctx_->rules.end() ? "" : rule->second.how_to_fix),
           Cell::text(std::string(name(f.scope))),
           Cell::text(f.upn),
           Cell::text(f.subject),
           Cell::text(values),
           Cell::text(f.message),
           Cell::text(f.plugin),
           Cell::text(has_file ? ctx_->data.files[f.source.file].path : ""),
           f.source.line ? Cell::integer(f.source.line) : Cell::blank(),
           x.explained ? Cell::text(x.explained->summary()) : Cell::blank()};
    if (!per_rule_text_) drop_per_rule(row);
  }

private:
  // Columns 9 (How to fix), 10 (Scope) and 15 (Plugin) of the full layout.
  template <class T> static void drop_per_rule(std::vector<T>& row) {
    row.erase(row.begin() + 15);
    row.erase(row.begin() + 9, row.begin() + 11);
  }

  std::string school_name(const std::string& laestab) const {
    const School* s = ctx_->data.find_school(laestab);
    return s ? s->name : std::string();
  }

  const ReportContext* ctx_;
  const std::vector<std::string>* profile_schools_;
  bool per_rule_text_;
  std::pair<std::string, std::string> profile_of_{"-", ""}; // the last school seen and its profile's path
};

class LaBuilder {
public:
  LaBuilder(const ReportContext& ctx, const LaWorkbookOptions& opt) : ctx_{ctx}, opt_{opt} {}

  book::Book build() {
    book::Book b;
    b.style = ctx_.tpl.style;
    const RunInfo& run = ctx_.summary.run;
    b.title = "censusqa validation report" + (run.la_name.empty() ? std::string() : ": " + run.la_name);
    b.subject = "Census validation findings for LA " + run.la_code;
    b.author = "censusqa " + ctx_.version;
    b.company = run.la_name;
    b.comments = "For the LA data team: contains pupil-level findings for every school.";
    b.constant_memory = ctx_.findings.size() > opt_.constant_memory_above;
    b.custom_properties = {{"censusqa version", ctx_.version}, {"LA code", run.la_code}};
    if (run.reference_date) b.custom_properties.emplace_back("Reference date", run.reference_date->iso());
    for (const auto& p : ctx_.summary.plugins)
      b.custom_properties.emplace_back("plugin " + p.id, p.version);
    book::Sheet findings = findings_sheet(b.constant_memory);
    b.sheets.push_back(summary());
    b.sheets.push_back(returns());
    b.sheets.push_back(std::move(findings));
    b.sheets.push_back(clawback());
    b.sheets.push_back(ehcp());
    b.sheets.push_back(ap());
    b.sheets.push_back(movement());
    b.sheets.push_back(run_sheet());
    return b;
  }

private:
  book::Sheet sheet(const std::string& name, const std::string& title) const {
    book::Sheet s;
    s.name = name;
    s.title = title;
    const RunInfo& run = ctx_.summary.run;
    const std::string la = run.la_code.empty()   ? "LA code not configured (la_code in censusqa.json)"
                           : run.la_name.empty() ? "LA " + run.la_code
                                                 : run.la_name + " (LA " + run.la_code + ")";
    s.subtitle.push_back(la + ", reference date " + (run.reference_date ? run.reference_date->iso() : "not known"));
    s.print = sheet_print(run.la_code.empty() ? "censusqa validation report" : la, run,
                          "censusqa validation report: " + name);
    return s;
  }
  const Value* la(const std::string& key) const {
    const auto it = ctx_.metrics.la.find(key);
    return it == ctx_.metrics.la.end() ? nullptr : &it->second;
  }
  std::string school_name(const std::string& laestab) const {
    const School* s = ctx_.data.find_school(laestab);
    return s ? s->name : std::string();
  }

  book::Sheet findings_sheet(bool constant_memory) {
    book::Sheet s = sheet("Findings", "Every finding");
    s.print.pages_wide = 2; // 19 columns (16 streamed): one page wide would shrink them past reading
    const std::size_t shown = std::min(ctx_.findings.size(), max_findings_rows);
    if (constant_memory)
      s.subtitle.push_back("This run has " + std::to_string(ctx_.findings.size()) +
                           " findings: the sheet has filters but is not an Excel table, to keep the workbook small. "
                           "findings.csv and findings.json carry every field.");
    if (shown < ctx_.findings.size())
      s.subtitle.push_back("Only the first " + std::to_string(shown) +
                           " findings fit in one sheet: findings.csv and findings.json carry the rest.");
    if (constant_memory)
      s.subtitle.push_back("Each rule's how to fix, scope and plugin are in the By rule table on Summary, once "
                           "per rule.");
    Table t;
    t.columns = FindingRows::columns(!constant_memory);
    t.excel_table = true;
    t.freeze_header = true;
    t.table_name = "Findings";
    std::string last_school;
    for (std::size_t i = 0; i < shown; ++i)
      if (const std::string& l = ctx_.findings[i].finding.laestab; l != last_school) {
        first_row_[l] = i;
        last_school = l;
      }
    FindingRows rows{ctx_, opt_.profile_schools, !constant_memory};
    if (constant_memory) {
      // A large run's rows are made as the sheet is written, never all held: a national run's 240,000
      // findings are 4.6 million cells (600 MB).
      t.row_count = shown;
      t.make_row = [rows](std::size_t i, std::vector<Cell>& row) mutable { rows.make(i, row); };
      book::measure_rows(t);
    } else {
      t.rows.resize(shown);
      for (std::size_t i = 0; i < shown; ++i)
        rows.make(i, t.rows[i]);
    }
    if (shown == 0) t.notes.push_back("No findings.");
    s.tables.push_back(std::move(t));
    findings_first_row_ = book::first_data_row(s, 0);
    return s;
  }

  book::Sheet summary() {
    book::Sheet s = sheet("Summary", "Validation summary");
    std::array<std::size_t, 3> total{};
    for (const auto& f : ctx_.findings)
      ++total[static_cast<std::size_t>(f.finding.severity)];
    s.subtitle.push_back(std::to_string(ctx_.findings.size()) + " findings: " + std::to_string(total[0]) + " errors, " +
                         std::to_string(total[1]) + " queries, " + std::to_string(total[2]) +
                         " for information. Click a school to see its findings.");
    s.subtitle.push_back("COLLECT errors and queries expected: the school's findings that the DfE's COLLECT will also "
                         "raise when the return is sent, at the DfE's severity (the DfE rule column of Findings; "
                         "censusqa rules --dfe lists the rules). The other findings are the LA's own checks, which "
                         "COLLECT does not make.");
    Table t;
    t.title = "By school";
    t.columns = {{"LAEstab", 10},
                 {"School", 40},
                 {"Phase", 12},
                 {"Errors", 8},
                 {"Queries", 8},
                 {"Info", 8},
                 {"COLLECT errors expected", 11},
                 {"COLLECT queries expected", 11},
                 {"Profile", 50}};
    t.excel_table = true;
    t.table_name = "BySchool";
    // By severity, then what COLLECT will raise of them (the DfE's severity, decided in the engine).
    std::map<std::string, std::array<std::int64_t, 5>> counts;
    for (const auto& [l, m] : ctx_.metrics.schools)
      counts[l];
    for (const auto& f : ctx_.findings) {
      auto& c = counts[f.finding.laestab];
      ++c[static_cast<std::size_t>(f.finding.severity)];
      if (f.collect == Severity::error) ++c[3];
      if (f.collect == Severity::query) ++c[4];
    }
    for (const auto& [l, c] : counts) {
      Cell link = Cell::text(l.empty() ? "(LA-wide)" : l);
      if (const auto it = first_row_.find(l); it != first_row_.end())
        link.link = "'Findings'!A" + std::to_string(findings_first_row_ + it->second + 1);
      const School* school = l.empty() ? nullptr : ctx_.data.find_school(l);
      // The profile this run wrote, linked as on Findings (a path relative to this workbook).
      Cell profile = Cell::blank();
      if (is_laestab(l) && std::binary_search(opt_.profile_schools.begin(), opt_.profile_schools.end(), l)) {
        profile = Cell::text("profiles/" + profile_file_name(ctx_.data, l));
        profile.link = std::get<std::string>(profile.value);
        profile.external = true;
      }
      t.rows.push_back({link,
                        Cell::text(school      ? school->name
                                   : l.empty() ? ""
                                               : "not in the register"),
                        Cell::text(school && school->phase ? phase_words(name(*school->phase)) : ""),
                        Cell::integer(c[0]), Cell::integer(c[1]), Cell::integer(c[2]), Cell::integer(c[3]),
                        Cell::integer(c[4]), std::move(profile)});
    }
    s.tables.push_back(std::move(t));

    Table r;
    r.title = "By rule";
    // Laid out under By school's columns: the COLLECT counts under its COLLECT counts, the rule's how to
    // fix under its Profile (the sheet's columns are as wide as the widest table's).
    r.columns = {{"Rule", 8},
                 {"Title", 60},
                 {"Plugin", 18},
                 {"Severity", 9},
                 {"Scope", 9},
                 {"Findings", 9},
                 {"COLLECT errors expected", 11},
                 {"COLLECT queries expected", 11},
                 {"How to fix", 60}};
    r.excel_table = true;
    r.table_name = "ByRule";
    struct Count {
      std::int64_t n = 0, collect_errors = 0, collect_queries = 0;
      Severity severity = Severity::info;
      Scope scope = Scope::pupil;
    };
    std::map<std::string, Count> by_rule;
    for (const auto& f : ctx_.findings) {
      Count& c = by_rule[f.finding.rule];
      ++c.n;
      c.collect_errors += f.collect == Severity::error;
      c.collect_queries += f.collect == Severity::query;
      c.severity = f.finding.severity;
      c.scope = f.finding.scope;
    }
    for (const auto& [code, c] : by_rule) {
      const auto rule = ctx_.rules.find(code);
      const bool known = rule != ctx_.rules.end();
      r.rows.push_back({Cell::text(code), Cell::text(known ? rule->second.title : ""),
                        Cell::text(known ? rule->second.plugin : ""), Cell::severity(std::string(name(c.severity))),
                        Cell::text(std::string(name(c.scope))), Cell::integer(c.n), Cell::integer(c.collect_errors),
                        Cell::integer(c.collect_queries), Cell::text(known ? rule->second.how_to_fix : "")});
    }
    if (r.rows.empty()) {
      r.excel_table = false;
      r.notes.push_back("No findings.");
    }
    s.tables.push_back(std::move(r));
    return s;
  }

  // ---- Returns: the LA's chase list -----------------------------------------------------------
  // Per register school: its return, what is still open, its profile and its reply, from this run and
  // the history store (ReportContext::chase).
  book::Sheet returns() {
    book::Sheet s = sheet("Returns", "Returns and replies: who to chase");
    const RunInfo& run = ctx_.summary.run;
    const auto today =
        Date::parse(ctx_.summary.started.substr(0, std::min<std::size_t>(10, ctx_.summary.started.size())));
    const auto& deadline = ctx_.reply_deadline;
    const std::optional<std::int64_t> days_left =
        deadline && today ? std::optional<std::int64_t>(deadline->days_since(*today)) : std::nullopt;
    s.subtitle.push_back("One row per school in the register: its census return, the errors and queries still open, "
                         "its profile and its reply.");
    std::string due = "No reply deadline is configured (censusqa.json: \"replies\": {\"deadline\": ...}).";
    if (deadline) {
      due = "Replies are due by " + deadline->iso();
      if (days_left)
        due += *days_left >= 0 ? " (" + std::to_string(*days_left) + " days from this run)."
                               : " (it passed " + std::to_string(-*days_left) + " days before this run).";
      else
        due += ".";
    }
    s.subtitle.push_back(due);
    const auto& chase = ctx_.chase;
    if (!chase.store)
      s.subtitle.push_back("Without a history store (--db), replies, disputes and the profiles of earlier runs are not "
                           "known: run with --db, and read the schools' returned profiles with censusqa explain "
                           "--import.");
    Table t;
    t.columns = {{"LAEstab", 9},
                 {"School", 30},
                 {"Census return", 24},
                 {"Exported (MIS date and time)", 16},
                 {"Export number (SerialNo)", 9},
                 {"MIS and release", 16},
                 {"Errors open", 8},
                 {"Queries open", 8},
                 {"Explained (applied this run)", 10},
                 {"Disputes awaiting the LA", 10},
                 {"Profile", 22},
                 {"Reply received", 26},
                 {"Days to the deadline", 9},
                 {"Next step", 40}};
    t.excel_table = true;
    t.freeze_header = true;
    t.table_name = "Returns";
    std::map<std::string, const CensusReturn*> returned;
    for (const auto& r : ctx_.data.returns)
      if (!r.laestab.empty()) returned.emplace(r.laestab, &r);
    std::vector<const School*> schools;
    for (const School& sc : ctx_.data.schools)
      if (is_laestab(sc.laestab) && (run.la_code.empty() || sc.laestab.rfind(run.la_code, 0) == 0))
        schools.push_back(&sc);
    std::sort(schools.begin(), schools.end(), [](const School* a, const School* b) { return a->laestab < b->laestab; });
    auto when = [](const std::string& iso) { // "2025-01-19T13:58:00Z" -> "2025-01-19 13:58"
      std::string out = iso.substr(0, std::min<std::size_t>(16, iso.size()));
      if (out.size() > 10 && out[10] == 'T') out[10] = ' ';
      return out;
    };
    for (const School* sc : schools) {
      const std::string& l = sc->laestab;
      std::int64_t errors = 0, queries = 0, explained = 0;
      std::set<std::string> rules;
      if (const auto it = ctx_.by_school.find(l); it != ctx_.by_school.end())
        for (const std::size_t i : it->second) {
          const auto& f = ctx_.findings[i];
          rules.insert(f.finding.rule);
          if (f.explained)
            ++explained;
          else if (f.actor != Actor::school) // the LA's own records: not the school's to answer
            continue;
          else if (f.finding.severity == Severity::error)
            ++errors;
          else if (f.finding.severity == Severity::query)
            ++queries;
        }
      const auto ret = returned.find(l);
      const CensusReturn* r = ret == returned.end() ? nullptr : ret->second;
      Cell id = Cell::text(l);
      if (const auto it = first_row_.find(l); it != first_row_.end())
        id.link = "'Findings'!A" + std::to_string(findings_first_row_ + it->second + 1);
      std::vector<Cell> row{id, Cell::text(sc->name)};
      if (r) {
        const bool has_file = r->source.file > 0 && r->source.file < ctx_.data.files.size();
        row.push_back(Cell::text(has_file ? ctx_.data.files[r->source.file].path : "received"));
        row.push_back(r->date_time.empty() ? Cell::text("not given") : Cell::text(when(r->date_time)));
        row.push_back(r->serial_no ? Cell::integer(*r->serial_no) : Cell::text("not given"));
        const std::string mis = r->software + (r->release.empty() ? "" : (r->software.empty() ? "" : " ") + r->release);
        row.push_back(Cell::text(mis.empty() ? "not given" : mis));
      } else {
        row.push_back(Cell::text(rules.count("IN001") ? "unreadable (IN001)" : "no return"));
        row.push_back(Cell::blank());
        row.push_back(Cell::blank());
        row.push_back(Cell::blank());
      }
      row.push_back(Cell::integer(errors));
      row.push_back(Cell::integer(queries));
      row.push_back(Cell::integer(explained));
      const auto disputed = chase.disputed.find(l);
      row.push_back(!chase.store                       ? Cell::text("needs --db")
                    : disputed == chase.disputed.end() ? Cell::integer(0)
                                                       : Cell::integer(disputed->second));
      const bool written_now = std::binary_search(opt_.profile_schools.begin(), opt_.profile_schools.end(), l);
      const auto earlier = chase.profile_written.find(l);
      row.push_back(Cell::text(written_now                              ? std::string("written in this run")
                               : earlier != chase.profile_written.end() ? "written " + when(earlier->second)
                               : r                                      ? std::string("not written")
                                                                        : std::string("none: no return")));
      const auto reply = chase.reply.find(l);
      const bool replied = reply != chase.reply.end();
      row.push_back(Cell::text(!chase.store ? std::string("needs --db")
                               : replied    ? when(reply->second.received) + " (" + reply->second.file + ")" +
                                               (reply->second.replies > 1
                                                    ? ", " + std::to_string(reply->second.replies) + " replies"
                                                    : std::string())
                                         : std::string("none yet")));
      const bool open = errors + queries > 0;
      const bool awaiting = r && open && !replied;
      row.push_back(awaiting && days_left ? Cell::integer(*days_left) : Cell::blank());
      std::string next;
      if (!r)
        next = rules.count("IN001") ? "Ask the school for a readable census return"
                                    : std::string("Chase the census return") + (rules.count("IN007") ? " (IN007)" : "");
      else if (!open)
        next = "Nothing open";
      else if (replied)
        next = "Reply received: still open items, check them with the school";
      else if (days_left && *days_left < 0)
        next = "Overdue: chase the reply";
      else
        next = chase.store ? "Awaiting the school's reply" : "Awaiting the school's reply (replies need --db)";
      row.push_back(Cell::text(next));
      t.rows.push_back(std::move(row));
    }
    if (t.rows.empty()) {
      t.excel_table = false;
      t.notes.push_back("No register (schools.csv) was part of this run, so there is no list of schools to chase.");
    }
    t.notes.push_back(
        "Errors and queries open are the school's to answer (Who acts: School on Findings; rows for an LA team are "
        "the LA's own records and not chased from the school). Errors open counts every such error (errors are "
        "fixed, never explained); queries open leaves out those a stored explanation covers. The LAEstab links to the "
        "school's first finding.");
    s.tables.push_back(std::move(t));
    return s;
  }

  book::Sheet clawback() {
    book::Sheet s = sheet("Clawback", "Surplus balances: the Schools Forum annex");
    const Value* rows = la("clawback");
    if (!rows || !rows->is_array()) {
      s.subtitle.push_back("No clawback figures: balances.csv or the school register was not part of this run.");
      return s;
    }
    s.subtitle.push_back("Maintained schools at the financial year end, in whole pounds. A total balance, B capital, "
                         "C revenue (A-B), D committed, E uncommitted (C-D), F budget share, G percentage threshold, "
                         "H minimum, I maximum permitted (larger of G and H), J clawback (E-I, not below zero), "
                         "K commitments offsetting.");
    static const char* letters[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"};
    Table t;
    t.title = "Schools";
    t.columns = {{"LAEstab", 9}, {"School", 36}, {"Phase group", 12}};
    for (const char* l : letters)
      t.columns.push_back({l, 12});
    const auto phase_group = [](const Value* v) {
      return v && v->is_string() ? Cell::text(phase_words(v->as_string())) : dash;
    };
    for (const Value& r : rows->as_array()) {
      std::vector<Cell> row{value_cell(r.find("laestab")), value_cell(r.find("name")),
                            phase_group(r.find("phase_group"))};
      for (const char* l : letters)
        row.push_back(value_cell(r.find(l), book::Kind::pounds));
      t.rows.push_back(std::move(row));
    }
    t.excel_table = true;
    t.table_name = "Clawback";
    if (t.rows.empty()) {
      t.excel_table = false;
      t.notes.push_back("No maintained school had complete balances.");
    }
    s.tables.push_back(std::move(t));

    if (const Value* summary = la("clawback_summary")) {
      Table g;
      g.title = "By phase group, with the LA total";
      g.columns = {{"Phase group", 14}, {"Schools", 8}};
      for (const char* l : letters)
        g.columns.push_back({l, 12});
      auto add = [&](const Value& v, std::string label, bool bold) {
        std::vector<Cell> row{Cell::text(std::move(label), bold), value_cell(v.find("schools"))};
        for (const char* l : letters)
          row.push_back(value_cell(v.find(l), book::Kind::pounds));
        for (auto& c : row)
          c.bold = bold;
        g.rows.push_back(std::move(row));
      };
      if (const Value* groups = summary->find("groups"); groups && groups->is_array())
        for (const Value& v : groups->as_array()) {
          const Value* pg = v.find("phase_group");
          add(v, pg && pg->is_string() ? phase_words(pg->as_string()) : "", false);
        }
      if (const Value* total = summary->find("la_total")) add(*total, "LA total", true);
      s.tables.push_back(std::move(g));
    }
    if (const Value* left_out = la("clawback_left_out"); left_out && left_out->is_array()) {
      Table o;
      o.title = "Schools the annex leaves out";
      o.columns = {{"LAEstab", 9}, {"School", 36}, {"Why", 40}}; // wraps: the column is also Phase group above
      for (const Value& r : left_out->as_array())
        o.rows.push_back({value_cell(r.find("laestab")), value_cell(r.find("name")), value_cell(r.find("reason"))});
      if (o.rows.empty()) o.notes.push_back("None: the scheme applies to every school in the register.");
      s.tables.push_back(std::move(o));
    }
    if (const Value* requests = la("clawback_requests"); requests && requests->is_array()) {
      Table q;
      q.title = "Exceptional requests to the Schools Forum";
      q.columns = {{"LAEstab", 9},
                   {"School", 36},
                   {"Request", 40},
                   {"Amount", 12},
                   {"Decision", 10},
                   {"Clawback if approved", 14},
                   {"Clawback if rejected", 14}};
      for (const Value& r : requests->as_array()) {
        const Value* l = r.find("laestab");
        q.rows.push_back({value_cell(l), Cell::text(l && l->is_string() ? school_name(l->as_string()) : ""),
                          value_cell(r.find("description")), value_cell(r.find("amount"), book::Kind::pounds),
                          value_cell(r.find("decision")), value_cell(r.find("J_if_approved"), book::Kind::pounds),
                          value_cell(r.find("J_if_rejected"), book::Kind::pounds)});
      }
      if (q.rows.empty()) q.notes.push_back("No exceptional requests.");
      s.tables.push_back(std::move(q));
    }
    return s;
  }

  book::Sheet ehcp() {
    book::Sheet s = sheet("EHCP timeliness", "EHC plans: the 20-week limit");
    const Value* rows = la("ehcp_timeliness");
    if (!rows || !rows->is_array()) {
      s.subtitle.push_back("No EHC needs assessment records (ehcp_cases.csv or a SEN2 return) were part of this run.");
      return s;
    }
    s.subtitle.push_back("By calendar year of issue, with the DfE's column names; _ex figures leave out exception "
                         "cases. Published figures appear where reference/ holds the DfE timeliness file.");
    Table t;
    t.title = "Plans issued by calendar year";
    static const char* cols[] = {"plans_issued_den",
                                 "plans_issued_within_20_weeks",
                                 "pc_plans_issued_within_20_weeks",
                                 "plans_issued_den_ex",
                                 "plans_issued_20_weeks_ex",
                                 "PC_plans_issued_20_weeks_ex",
                                 "plans_issued_gt20weeks_ltYear",
                                 "pc_plans_issued_gt20weeks_ltYear",
                                 "plans_issued_gt_1_year",
                                 "pc_plans_issued_gt_1_year",
                                 "exception_cases",
                                 "requests_received",
                                 "requests_decided",
                                 "pc_requests_decided_within_6_weeks",
                                 "pc_requests_refused"};
    t.columns = {{"Year", 6}};
    for (const char* c : cols)
      t.columns.push_back({c, 12});
    t.columns.push_back({"LA published pc_plans_issued_within_20_weeks", 14});
    t.columns.push_back({"England published pc_plans_issued_within_20_weeks", 14});
    for (const Value& r : rows->as_array()) {
      const Value* year = r.find("year");
      std::vector<Cell> row{year && year->is_int() ? Cell::year(year->as_int()) : dash}; // 2018, not 2,018
      for (const char* c : cols) {
        const bool pc = c[0] == 'p' ? c[1] == 'c' : c[0] == 'P';
        row.push_back(value_cell(r.find(c), pc ? book::Kind::percent : book::Kind::integer));
      }
      const Value* pub = r.find("published");
      for (const char* who : {"la", "england"}) {
        const Value* p = pub ? pub->find(who) : nullptr;
        row.push_back(value_cell(p ? p->find("pc_plans_issued_within_20_weeks") : nullptr, book::Kind::percent));
      }
      t.rows.push_back(std::move(row));
    }
    s.tables.push_back(std::move(t));
    return s;
  }

  book::Sheet ap() {
    book::Sheet s = sheet("AP", "Alternative provision placements");
    const Value* a = la("ap");
    if (!a) {
      s.subtitle.push_back("No alternative provision records (ap_placements.csv) were part of this run.");
      return s;
    }
    // metrics.json's names (docs/metrics.md), with the headers a reader sees.
    static const std::tuple<const char*, const char*, book::Kind> cols[] = {
        {"pupils", "Pupils placed", book::Kind::integer},
        {"started", "Placements started this academic year", book::Kind::integer},
        {"open", "Placements open at the reference date", book::Kind::integer},
        {"ended", "Placements ended", book::Kind::integer},
        {"median_weeks_ended", "Median weeks in AP (ended)", book::Kind::decimal1},
        {"pc_ended_within_12_weeks", "% ended within 12 weeks", book::Kind::percent},
        {"reintegrated", "Back in mainstream school", book::Kind::integer},
        {"pc_reintegrated", "% of ended (destination recorded) back in mainstream", book::Kind::percent},
        {"sustained", "Reintegrations sustained", book::Kind::integer},
        {"pc_sustained", "% of reintegrations sustained", book::Kind::percent}};
    for (const auto& [key, title, label_school] :
         {std::tuple{"by_school", "By home school", true}, std::tuple{"by_provider", "By provider", false}}) {
      const Value* by = a->find(key);
      Table t;
      t.title = title;
      t.columns = {{label_school ? "LAEstab" : "Provider", 24}};
      if (label_school) t.columns.push_back({"School", 36});
      for (const auto& [c, header, kind] : cols)
        t.columns.push_back({header, 13});
      if (by && by->is_object())
        for (const auto& [k, v] : by->as_object()) {
          std::vector<Cell> row{Cell::text(k)};
          if (label_school) row.push_back(Cell::text(school_name(k)));
          for (const auto& [c, header, kind] : cols)
            row.push_back(value_cell(v.find(c), kind));
          t.rows.push_back(std::move(row));
        }
      if (t.rows.empty()) t.notes.push_back("No placements.");
      s.tables.push_back(std::move(t));
    }
    return s;
  }

  // Pupil movement by school (la.movement, the pupil-movement plugin's; docs/metrics.md).
  book::Sheet movement() {
    book::Sheet s = sheet("Movement", "Pupil movement since the previous census");
    const Value* m = la("movement");
    if (!m) {
      s.subtitle.push_back("Pupil movement was not measured: the pupil-movement plugin did not run.");
      return s;
    }
    if (const Value* why = m->find("not_measured"); why && why->is_string()) {
      s.subtitle.push_back("Pupil movement was not measured: " + why->as_string() + ".");
      return s;
    }
    auto text_of = [&](const char* k) {
      const Value* v = m->find(k);
      return v && v->is_string() ? v->as_string() : std::string();
    };
    s.subtitle.push_back("Each school's pupils on roll at the previous census (" + text_of("previous_reference_date") +
                         ") and where they are at this one (" + text_of("reference_date") +
                         "). Unexplained exits: docs/metrics.md; they are an upper bound, since moves for family "
                         "reasons and to schools outside the LA cannot be seen.");
    static const std::tuple<const char*, const char*, book::Kind> cols[] = {
        {"on_roll_previous", "On roll at the previous census", book::Kind::integer},
        {"stayed", "Still on roll", book::Kind::integer},
        {"completed_phase", "Finished the school's last year", book::Kind::integer},
        {"moved_out", "Moved to another LA school", book::Kind::integer},
        {"into_ap", "Into AP", book::Kind::integer},
        {"left_on_record", "Left (leavers' list)", book::Kind::integer},
        {"vanished", "On no roll, list or placement", book::Kind::integer},
        {"vanished_per_100", "On no roll per 100", book::Kind::decimal1},
        {"unexplained_exits", "Unexplained exits", book::Kind::integer},
        {"unexplained_exits_per_100", "Unexplained exits per 100", book::Kind::decimal1},
        {"joined", "Joined", book::Kind::integer},
        {"moved_in", "Joined from another LA school", book::Kind::integer}};
    for (const bool y10_11 : {false, true}) {
      Table t;
      t.title = y10_11 ? "Years 10 and 11 (at the previous census)" : "All pupils";
      t.columns = {{"LAEstab", 10}, {"School", 36}};
      for (const auto& [c, header, kind] : cols)
        t.columns.push_back({header, 12});
      if (const Value* by = m->find("by_school"); by && by->is_object())
        for (const auto& [k, v] : by->as_object()) {
          const Value* row_of = y10_11 ? v.find("y10_11") : &v;
          std::vector<Cell> row{Cell::text(k), Cell::text(school_name(k))};
          for (const auto& [c, header, kind] : cols)
            row.push_back(value_cell(row_of ? row_of->find(c) : nullptr, kind));
          t.rows.push_back(std::move(row));
        }
      if (t.rows.empty()) t.notes.push_back("No school had a return in both censuses.");
      s.tables.push_back(std::move(t));
    }
    if (const Value* not_measured = m->find("schools_not_measured");
        not_measured && not_measured->is_object() && !not_measured->as_object().empty()) {
      Table t;
      t.title = "Schools not measured";
      t.columns = {{"LAEstab", 10}, {"School", 36}, {"Why", 50}};
      for (const auto& [k, v] : not_measured->as_object())
        t.rows.push_back({Cell::text(k), Cell::text(school_name(k)), Cell::text(v.is_string() ? v.as_string() : "")});
      s.tables.push_back(std::move(t));
    }
    return s;
  }

  book::Sheet run_sheet() {
    book::Sheet s = sheet("Run", "This run");
    const RunInfo& run = ctx_.summary.run;
    Table k;
    k.columns = {{"Item", 30}, {"Value", 60}};
    k.rows = {
        {Cell::text("Started (UTC)"), Cell::text(ctx_.summary.started)},
        {Cell::text("LA"), Cell::text(run.la_code + (run.la_name.empty() ? "" : " " + run.la_name))},
        {Cell::text("Census term"),
         Cell::text(std::string(run.term ? name(*run.term) : "") + (run.year ? " " + std::to_string(*run.year) : ""))},
        {Cell::text("Reference date"), Cell::text(run.reference_date ? run.reference_date->iso() : "")},
        {Cell::text("Financial year end"), Cell::text(run.financial_year_end ? run.financial_year_end->iso() : "")},
        {Cell::text("censusqa version"), Cell::text(ctx_.version)},
        {Cell::text("Plugin SDK"),
         Cell::text(std::to_string(CENSUSQA_SDK_VERSION_MAJOR) + "." + std::to_string(CENSUSQA_SDK_VERSION_MINOR))},
        {Cell::text("Profile template"), Cell::text(ctx_.tpl.path)}};
    s.tables.push_back(std::move(k));

    Table in;
    in.title = "Inputs";
    in.columns = {{"File", 40}, {"Kind", 16}, {"Records", 10}, {"SHA-256", 70}};
    for (std::size_t i = 1; i < ctx_.data.files.size(); ++i) {
      const InputFile& f = ctx_.data.files[i];
      in.rows.push_back({Cell::text(f.path), Cell::text(f.kind), Cell::integer(f.records), Cell::text(f.sha256)});
    }
    s.tables.push_back(std::move(in));

    Table p;
    p.title = "Plugins";
    p.columns = {{"Plugin", 20}, {"Version", 10}, {"SDK", 6},      {"File", 30},
                 {"Rules", 7},   {"Status", 8},   {"Isolated", 9}, {"Error", 60}};
    for (const auto& pl : ctx_.summary.plugins)
      p.rows.push_back({Cell::text(pl.id), Cell::text(pl.version), Cell::integer(pl.sdk), Cell::text(pl.file),
                        Cell::integer(static_cast<std::int64_t>(pl.rules)), Cell::text(pl.status),
                        Cell::text(pl.isolated ? "yes" : "no"), Cell::text(pl.error)});
    for (const auto& e : ctx_.summary.plugin_load_errors)
      p.rows.push_back({Cell::text("(refused)"), Cell::blank(), Cell::blank(), Cell::blank(), Cell::blank(),
                        Cell::text("refused"), Cell::blank(), Cell::text(e)});
    s.tables.push_back(std::move(p));

    if (!ctx_.summary.rule_overrides.empty()) {
      Table ro;
      ro.title = "Rules the LA's configuration changes (censusqa.json \"rules\")";
      ro.columns = {{"Rule", 10}, {"Declared", 10}, {"Setting", 10}, {"Set by", 20}};
      for (const auto& o : ctx_.summary.rule_overrides)
        ro.rows.push_back({Cell::text(o.rule), Cell::text(o.declared), Cell::text(o.setting), Cell::text(o.by)});
      s.tables.push_back(std::move(ro));
    }

    Table pm; // what plugins logged (censusqa::Log), when any did
    pm.title = "Plugin messages";
    pm.columns = {{"Plugin", 20}, {"Level", 9}, {"Message", 100}};
    for (const auto& pl : ctx_.summary.plugins) {
      for (const auto& m : pl.messages)
        pm.rows.push_back({Cell::text(pl.id), Cell::text(m.level), Cell::text(m.message)});
      if (pl.messages_dropped)
        pm.rows.push_back({Cell::text(pl.id), Cell::blank(),
                           Cell::text(std::to_string(pl.messages_dropped) + " more message(s) not kept")});
    }
    if (!pm.rows.empty()) s.tables.push_back(std::move(pm));

    if (const auto& h = ctx_.summary.history) {
      Table ht;
      ht.title = "History store";
      ht.columns = {{"Item", 30}, {"Value", 60}};
      ht.rows = {{Cell::text("Store"), Cell::text(h->store)},
                 {Cell::text("Previous census from"), Cell::text(h->previous_from.empty() ? "none" : h->previous_from)},
                 {Cell::text("Findings explained"), Cell::integer(static_cast<std::int64_t>(h->explained))},
                 {Cell::text("Explanations to review"), Cell::integer(static_cast<std::int64_t>(h->review.size()))}};
      s.tables.push_back(std::move(ht));
      Table rv;
      rv.title = "Explanations not applied: review them (censusqa explain --list --status review)";
      rv.columns = {{"Explanation", 11}, {"Finding id", 36}, {"Status", 9}, {"Why", 80}};
      for (const auto& r : h->review)
        rv.rows.push_back(
            {Cell::integer(r.explanation), Cell::text(r.finding_id), Cell::text(r.status), Cell::text(r.reason)});
      if (rv.rows.empty()) rv.notes.push_back("None: every stored explanation still applies.");
      s.tables.push_back(std::move(rv));
    }

    Table t;
    t.title = "Timings";
    t.columns = {{"Step", 30}, {"Milliseconds", 12}};
    for (const auto& [step, ms] : opt_.timings_ms)
      t.rows.push_back({Cell::text(step), Cell::integer(ms)});
    s.tables.push_back(std::move(t));
    return s;
  }

  const ReportContext& ctx_;
  const LaWorkbookOptions& opt_;
  std::map<std::string, std::size_t> first_row_; ///< a school's first finding's index
  std::size_t findings_first_row_ = 0;           ///< 0-based sheet row of the first finding
};

} // namespace

book::Book build_la_workbook(const ReportContext& ctx, const LaWorkbookOptions& options) {
  return LaBuilder(ctx, options).build();
}

} // namespace censusqa::report
