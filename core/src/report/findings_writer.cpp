// findings.json (streamed: an LA run can hold hundreds of thousands of findings) and findings.csv.
#include "findings_writer.hpp"

#include "atomic_file.hpp"

#include <Poco/JSONString.h>

#include <array>
#include <sstream>
#include <tuple>

namespace censusqa::report {
namespace {

std::string nullable(const std::string& s) { return s.empty() ? "null" : json_string(s); }

std::string source_json(const Finding& f, const Dataset& data) {
  if (!f.source.file || f.source.file >= data.files.size()) return "null";
  return "{\"file\": " + json_string(data.files[f.source.file].path) + ", \"line\": " + std::to_string(f.source.line) +
         "}";
}

} // namespace

// A text cell as a spreadsheet may read it. Text that begins with = + - @ tab or CR would open as a
// live formula in Excel and LibreOffice (OWASP's CSV injection), so it gets a leading apostrophe,
// which both show as text; quoting then keeps commas, quotes and line breaks inside the cell.
std::string csv_cell(std::string_view s) {
  const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos;
  if (!formula && s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = formula ? "\"'" : "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string json_string(std::string_view s) { return Poco::toJSON(std::string(s), true); }

std::string values_json(const Finding& f) {
  std::string o = "{";
  for (std::size_t v = 0; v < f.values.size(); ++v)
    o += (v ? ", " : "") + json_string(f.values[v].first) + ": " + json_string(f.values[v].second);
  return o + "}";
}

void write_findings_json(const std::filesystem::path& path, const RunSummary& run, const Dataset& data,
                         const std::vector<IdentifiedFinding>& findings) {
  AtomicFile file(path);
  std::ostream& o = file.stream();
  o << "{\n  \"censusqa_version\": " << json_string(CENSUSQA_VERSION_STRING) << ",\n  \"run\": {\n";
  o << "    \"started\": " << json_string(run.started) << ",\n";
  o << "    \"reference_date\": " << (run.run.reference_date ? json_string(run.run.reference_date->iso()) : "null")
    << ",\n";
  o << "    \"term\": " << (run.run.term ? json_string(name(*run.run.term)) : "null") << ",\n";
  o << "    \"la_code\": " << nullable(run.run.la_code) << ",\n";
  o << "    \"inputs\": [";
  for (std::size_t i = 1; i < data.files.size(); ++i) {
    const auto& f = data.files[i];
    o << (i > 1 ? ",\n      " : "\n      ") << "{\"path\": " << json_string(f.path)
      << ", \"kind\": " << json_string(f.kind) << ", \"sha256\": " << json_string(f.sha256)
      << ", \"records\": " << f.records << "}";
  }
  o << "\n    ],\n    \"plugins\": [";
  for (std::size_t i = 0; i < run.plugins.size(); ++i) {
    const auto& p = run.plugins[i];
    o << (i ? ",\n      " : "\n      ") << "{\"id\": " << json_string(p.id)
      << ", \"version\": " << json_string(p.version) << ", \"sdk\": " << p.sdk << ", \"rules\": " << p.rules
      << ", \"file\": " << json_string(p.file) << ", \"status\": " << json_string(p.status);
    if (!p.error.empty()) o << ", \"error\": " << json_string(p.error);
    o << ", \"isolated\": " << (p.isolated ? "true" : "false") << ", \"messages\": [";
    for (std::size_t m = 0; m < p.messages.size(); ++m)
      o << (m ? ",\n        " : "\n        ") << "{\"level\": " << json_string(p.messages[m].level)
        << ", \"message\": " << json_string(p.messages[m].message) << "}";
    o << (p.messages.empty() ? "]" : "\n      ]");
    if (p.messages_dropped) o << ", \"messages_dropped\": " << p.messages_dropped;
    o << "}";
  }
  o << "\n    ],\n    \"plugin_load_errors\": [";
  for (std::size_t i = 0; i < run.plugin_load_errors.size(); ++i)
    o << (i ? ", " : "") << json_string(run.plugin_load_errors[i]);
  o << "],\n    \"rule_overrides\": [";
  for (std::size_t i = 0; i < run.rule_overrides.size(); ++i) {
    const auto& r = run.rule_overrides[i];
    o << (i ? ",\n      " : "\n      ") << "{\"rule\": " << json_string(r.rule)
      << ", \"declared\": " << json_string(r.declared) << ", \"setting\": " << json_string(r.setting)
      << ", \"by\": " << json_string(r.by) << "}";
  }
  o << (run.rule_overrides.empty() ? "]" : "\n    ]");
  if (run.history) {
    const auto& h = *run.history;
    o << ",\n    \"history\": {\"store\": " << json_string(h.store)
      << ", \"previous_from\": " << nullable(h.previous_from) << ", \"explained\": " << h.explained
      << ", \"explanations_for_review\": [";
    for (std::size_t i = 0; i < h.review.size(); ++i)
      o << (i ? ",\n      " : "\n      ") << "{\"explanation\": " << h.review[i].explanation
        << ", \"finding_id\": " << json_string(h.review[i].finding_id)
        << ", \"status\": " << json_string(h.review[i].status) << ", \"reason\": " << json_string(h.review[i].reason)
        << "}";
    o << (h.review.empty() ? "]}" : "\n    ]}");
  }
  o << "\n  },\n";

  std::array<std::size_t, 3> total{};
  std::map<std::string, std::size_t> by_rule;
  std::map<std::string, std::array<std::size_t, 3>> by_school;
  for (const auto& f : findings) {
    const auto s = static_cast<std::size_t>(f.finding.severity);
    ++total[s];
    ++by_rule[f.finding.rule];
    if (!f.finding.laestab.empty()) ++by_school[f.finding.laestab][s];
  }
  o << "  \"summary\": {\"error\": " << total[0] << ", \"query\": " << total[1] << ", \"info\": " << total[2]
    << ", \"by_rule\": {";
  bool first = true;
  for (const auto& [rule, n] : by_rule)
    o << (first ? "" : ", ") << json_string(rule) << ": " << n, first = false;
  o << "}, \"by_school\": {";
  first = true;
  for (const auto& [school, n] : by_school) {
    o << (first ? "\n    " : ",\n    ") << json_string(school) << ": {\"error\": " << n[0] << ", \"query\": " << n[1]
      << ", \"info\": " << n[2] << "}";
    first = false;
  }
  o << "}},\n  \"findings\": [";
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i].finding;
    o << (i ? ",\n    {" : "\n    {") << "\"id\": " << json_string(findings[i].id)
      << ", \"rule\": " << json_string(f.rule) << ", \"severity\": " << json_string(name(f.severity))
      << ", \"plugin\": " << json_string(f.plugin) << ", \"scope\": " << json_string(name(f.scope))
      << ", \"laestab\": " << nullable(f.laestab) << ", \"upn\": " << nullable(f.upn)
      << ", \"subject\": " << json_string(f.subject) << ", \"source\": " << source_json(f, data);
    o << ", \"message\": " << json_string(f.message) << ", \"values\": " << values_json(f)
      << ", \"actor\": " << json_string(id(findings[i].actor))
      << ", \"who_acts\": " << json_string(name(findings[i].actor))
      << ", \"codes\": " << json_string(findings[i].codes()) << ", \"dfe_rule\": " << nullable(f.dfe_rule)
      << ", \"collect\": " << (findings[i].collect ? json_string(name(*findings[i].collect)) : "null");
    if (!findings[i].merged.empty()) {
      o << ", \"merged\": [";
      for (std::size_t m = 0; m < findings[i].merged.size(); ++m) {
        const auto& x = findings[i].merged[m];
        o << (m ? ", " : "") << "{\"id\": " << json_string(x.id) << ", \"rule\": " << json_string(x.finding.rule)
          << ", \"severity\": " << json_string(name(x.finding.severity))
          << ", \"subject\": " << json_string(x.finding.subject) << ", \"source\": " << source_json(x.finding, data)
          << ", \"message\": " << json_string(x.finding.message) << ", \"values\": " << values_json(x.finding)
          << ", \"dfe_rule\": " << nullable(x.finding.dfe_rule) << "}";
      }
      o << "]";
    }
    if (!findings[i].shown_to.empty()) {
      o << ", \"shown_to\": [";
      for (std::size_t m = 0; m < findings[i].shown_to.size(); ++m)
        o << (m ? ", " : "") << json_string(findings[i].shown_to[m]);
      o << "]";
    }
    if (const auto& e = findings[i].explained)
      o << ", \"explanation\": {\"text\": " << json_string(e->text) << ", \"by\": " << json_string(e->by)
        << ", \"given\": " << json_string(e->given) << ", \"until\": " << nullable(e->until) << "}";
    o << "}";
  }
  o << (findings.empty() ? "]\n}\n" : "\n  ]\n}\n");
  file.commit();
}

void write_findings_csv(const std::filesystem::path& path, const Dataset& data,
                        const std::vector<IdentifiedFinding>& findings) {
  AtomicFile file(path);
  std::ostream& o = file.stream();
  o << "\xEF\xBB\xBF"; // BOM: Excel then reads the file as UTF-8
  o << "id,rule,severity,plugin,scope,laestab,upn,subject,file,line,message,values,explanation,who_acts,codes,"
       "merged_ids,shown_to,dfe_rule,collect\r\n";
  for (const auto& x : findings) {
    const auto& [id, f, explained] = std::tie(x.id, x.finding, x.explained);
    std::string shown_to;
    for (const auto& l : x.shown_to)
      shown_to += (shown_to.empty() ? "" : "; ") + l;
    std::string values;
    for (const auto& [k, v] : f.values)
      values += (values.empty() ? "" : "; ") + k + "=" + v;
    const bool has_file = f.source.file && f.source.file < data.files.size();
    o << csv_cell(id) << ',' << csv_cell(f.rule) << ',' << name(f.severity) << ',' << csv_cell(f.plugin) << ','
      << name(f.scope) << ',' << csv_cell(f.laestab) << ',' << csv_cell(f.upn) << ',' << csv_cell(f.subject) << ','
      << (has_file ? csv_cell(data.files[f.source.file].path) : "") << ','
      << (has_file ? std::to_string(f.source.line) : "") << ',' << csv_cell(f.message) << ',' << csv_cell(values) << ','
      << (explained ? csv_cell(explained->summary()) : "") << ',' << name(x.actor) << ',' << csv_cell(x.codes()) << ','
      << csv_cell(x.merged_ids()) << ',' << csv_cell(shown_to) << ',' << csv_cell(f.dfe_rule) << ','
      << (x.collect ? name(*x.collect) : std::string_view()) << "\r\n";
  }
  file.commit();
}

} // namespace censusqa::report
