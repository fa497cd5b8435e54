// Run orchestration; see engine.hpp.
#include "engine.hpp"

#include "../dfe/catalogue.hpp"
#include "../load/csv_reader.hpp"
#include "../load/dfe_fields.hpp"
#include "../load/la_folder.hpp"
#include "../report/findings_writer.hpp"
#include "../report/metrics.hpp"
#include "../report/profile.hpp"
#include "../report/profile_template.hpp"
#include "../report/publish.hpp"
#include "../report/reply_check.hpp"
#include "../store/history.hpp"
#include "buffer_sink.hpp"
#include "config.hpp"
#include "isolate.hpp"
#include "progress.hpp"
#include "timed.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <thread>
#include <tuple>

#include <unistd.h>

namespace censusqa::engine {
namespace fs = std::filesystem;
std::string utc_now() { return report::utc_now(); }

namespace {

// The run's term and reference date: the configuration's, else what most returns say.
void fill_run_info(RunInfo& run, const Dataset& data) {
  std::map<int, std::size_t> terms;
  for (const auto& r : data.returns)
    if (r.term) ++terms[static_cast<int>(*r.term)];
  auto most = [](const auto& m) {
    return std::max_element(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  };
  if (!run.reference_date) run.reference_date = load::usual_reference_date(data);
  if (!run.term && !terms.empty()) run.term = static_cast<Term>(most(terms)->first);
  if (!run.year && run.reference_date) run.year = run.reference_date->year();
  std::map<std::int32_t, std::size_t> year_ends;
  for (const auto& b : data.balances)
    if (b.financial_year_end) ++year_ends[b.financial_year_end->days_since_epoch()];
  if (!run.financial_year_end && !year_ends.empty()) run.financial_year_end = Date{}.plus_days(most(year_ends)->first);
}

int severity_rank(Severity s) { return static_cast<int>(s); }

} // namespace

std::string DfeCover::text() const {
  return code + " (" + (loader ? "loader, " + field : std::string(name(match)) + ", " + plugin) + ")";
}

std::map<std::string, std::vector<DfeCover>> dfe_coverage(const PluginHost& host) {
  std::map<std::string, std::vector<DfeCover>> out;
  for (const auto& l : load::loader_dfe_rules())
    out[std::string(l.dfe_rule)].push_back(
        {std::string(l.input_rule), "core", DfeMatch::exact, true, std::string(l.field)});
  for (const RuleMeta* r : host.all_rules())
    for_each_dfe_rule(r->dfe_rule, [&](std::string_view id) {
      out[std::string(id)].push_back({r->code, r->plugin, r->dfe_match, false, {}});
    });
  return out;
}

void load_plugins(PluginHost& host, const std::vector<fs::path>& extra_dirs, bool default_dir) {
  if (default_dir) {
    const fs::path def = default_plugin_dir();
    if (fs::is_directory(def)) host.load_directory(def);
  }
  for (const auto& d : extra_dirs) {
    if (fs::is_regular_file(d))
      host.load_file(d);
    else
      host.load_directory(d);
  }
}

// A run is a short list of stages over one Run: prepare, load_inputs, check, decide, write_outputs,
// publish, record, finish (run_validate at the end of this file). Each stage reads what the earlier
// ones left in the Run and adds its own part; data flows one way, loaders -> dataset -> rules and
// metrics -> findings -> writers. A stage that cannot go on says why on stderr and returns the exit
// code to stop with; otherwise it returns go_on.
namespace {

using Stop = std::optional<int>;

constexpr Stop go_on = std::nullopt;

using Clock = std::chrono::steady_clock;

/// One run's state, filled stage by stage. The members are in the order the stages fill them (and so
/// are destroyed in reverse: the plugins' libraries are unloaded last).
struct Run {
  explicit Run(const RunOptions& options) : opt{options}, progress{options.quiet} {}
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  const RunOptions& opt;
  Progress progress;
  const Clock::time_point t0 = Clock::now();
  Clock::time_point t_loaded, t_checked;

  // prepare
  std::optional<report::OutputFolder> output; ///< OUT, locked for the whole run
  PluginHost host;
  fs::path config_path;
  LaConfig config;
  report::ProfileTemplate tpl;
  std::unique_ptr<store::Store> db;
  std::optional<load::CensusMap> census_map;
  std::optional<load::CodeSets> codes;
  std::optional<load::ApCensusMap> ap_census_map;

  // load_inputs
  load::LoadResult loaded;
  Dataset& data = loaded.data;
  RunInfo info; ///< the run's term, year, reference date and financial year end
  std::string la_code;
  std::string previous_from; ///< where the previous census came from: "previous/", a stored run or nothing
  /// The earlier censuses of the academic year in the store, and their suspensions (suspensions_year).
  std::vector<report::SuspensionRecord> earlier_suspensions;
  std::vector<report::CountedCensus> earlier_censuses;

  // check
  std::vector<BufferSink> sinks;     ///< one per plugin, host.plugins() order
  std::vector<std::string> failures; ///< one per plugin: empty, or why it failed
  std::vector<bool> isolated;        ///< one per plugin: whether it ran in a child process
  std::vector<Finding> all;          ///< the loaders' findings, then the plugins', then IN090
  report::RunSummary summary;
  bool plugin_failed = false;
  std::map<std::string, std::string> skipped; ///< rule code -> reason
  RuleSwitches rule_switches;                 ///< the rules censusqa.json turns off (prepare)

  // decide
  std::vector<report::IdentifiedFinding> identified;
  std::vector<store::ExplanationDecision> decisions;
  std::vector<report::ReportContext::PastTerm> history;
  report::ReportContext::Chase chase; ///< the store's profiles and replies, for the Returns sheet
  report::Metrics metrics;
  report::Comparators comparators;
  std::vector<std::string> profile_schools;
  std::map<std::string, report::RuleText> rule_texts;
  /// The key of this run's reply checks (report/reply_check.hpp): made from a secret no output shows,
  /// which the store records with the run (record).
  std::string reply_secret = report::new_reply_secret();
  std::optional<report::ReportContext> report; ///< what the writers lay out

  // write_outputs, publish
  std::vector<std::string> written;
  fs::path stage;
};

// The history store's failures, as every stage that uses it reports them.
Stop store_failed(const Run& r, const std::exception& e) {
  std::cerr << "censusqa: history store " << r.db->location().display << ": " << store::describe(e) << "\n";
  return exit_code::usage;
}

// prepare: the output folder (checked and locked: report/publish.hpp), the plugins, the LA
// configuration, the profile template, the history store and the census XML map. The output folder
// and the history store come first: a wrong --out or --db should fail before minutes of loading.
Stop prepare(Run& r) {
  const RunOptions& opt = r.opt;
  if (std::error_code ec; !fs::is_directory(opt.la_dir, ec)) { // ec: a symbolic link loop is "not a folder" too
    std::cerr << "censusqa: the LA folder " << opt.la_dir << " does not exist or is not a folder\n";
    return exit_code::usage;
  }
  try {
    r.output.emplace(opt.out);
    if (opt.db && store::is_sqlite(*opt.db)) r.output->refuse_inside(*opt.db, "--db"); // OUT is replaced whole
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }
  for (const auto& n : r.output->notes())
    r.progress.note("censusqa: " + n);

  load_plugins(r.host, opt.plugin_dirs, opt.default_plugins);
  for (const auto& e : r.host.errors())
    std::cerr << "censusqa: plugin refused: " << e.message << "\n";

  r.config_path = opt.config.value_or(opt.la_dir / "censusqa.json");
  try {                 // without a file too: the plugins' declared defaults are applied and checked
    std::error_code ec; // a symbolic link loop: read_config says
    const bool file = opt.config || fs::exists(fs::symlink_status(r.config_path, ec));
    r.config = read_config(file ? std::optional(r.config_path) : std::nullopt, r.host);
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }
  for (const auto& w : r.config.warnings)
    r.progress.note("censusqa: " + w);
  r.rule_switches = RuleSwitches(r.config.rules_off());

  try {
    r.tpl = report::read_profile_template(
        opt.profile_template.value_or(share_dir() / "templates" / "inclusion-profile.json"));
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }

  if (opt.db) {
    try {
      r.db = std::make_unique<store::Store>(*opt.db);
      if (opt.mode != Mode::profile) r.db->check_writable(); // run and validate record the run
    } catch (const std::exception& e) {
      std::cerr << "censusqa: " << e.what() << "\n";
      return exit_code::usage;
    }
  }

  try {
    r.census_map = load::CensusMap::from_file(share_dir() / "schemas" / "census-xml-map.json");
    r.codes = load::CodeSets::from_file(share_dir() / "schemas" / "census-codes.json");
    r.ap_census_map = load::ApCensusMap::from_file(share_dir() / "schemas" / "ap-census-xml-map.json");
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }
  return go_on;
}

// load_inputs: the LA folder, the run's term and dates, and (without previous/) the previous census
// from the history store.
Stop load_inputs(Run& r) {
  const RunOptions& opt = r.opt;
  load::LoadOptions lo;
  lo.la_dir = opt.la_dir;
  lo.census = opt.census;
  lo.schools = opt.schools;
  lo.sen2 = opt.sen2;
  lo.ehc_cases_from_csv = r.config.ehc_cases_from_csv;
  lo.ap_census = opt.ap_census;
  lo.ap_placements_from_csv = r.config.ap_placements_from_csv;
  lo.ap_census_map = &*r.ap_census_map;
  lo.csv_header = {r.config.run.term, r.config.run.year, r.config.run.reference_date};
  lo.la_code = r.config.run.la_code;
  lo.census_map = &*r.census_map;
  lo.codes = &*r.codes;
  lo.threads = std::max(1u, opt.jobs);
  lo.progress = [&](std::size_t d, std::size_t n) { r.progress.step("loading census files", d, n); };
  r.loaded = load::load_la_folder(lo);
  if (!r.loaded.fatal.empty()) {
    std::cerr << "censusqa: " << r.loaded.fatal << "\n";
    return exit_code::usage;
  }
  Dataset& data = r.data;
  if (!r.config.path.empty()) {
    InputFile f;
    f.path = fs::relative(r.config_path, opt.la_dir).generic_string();
    if (f.path.empty() || f.path.rfind("..", 0) == 0) f.path = r.config_path.string();
    f.kind = "config";
    f.sha256 = load::sha256_file(r.config_path);
    data.files.push_back(std::move(f));
  }
  r.info = r.config.run;
  r.info.financial_year_end = r.config.financial_year_end;
  fill_run_info(r.info, data);
  r.la_code = store::la_code_of(r.info, data);
  r.previous_from = data.previous ? "previous/" : "";
  if (!data.previous && r.db && r.info.reference_date) {
    // Without previous/, the store stands in: the previous spring's whole roll when its run kept it
    // (schema 7: pupil movement), else its needs (PN013), and earlier permanent exclusions (AP tracking).
    try {
      if (auto prev = store::previous_from_store(*r.db, r.la_code, *r.info.reference_date); prev.data) {
        data.previous = std::move(prev.data);
        data.previous_kind = prev.kind;
        data.available |= needs_previous;
        r.previous_from = prev.from;
        r.progress.note("previous census from the history store: " + r.previous_from);
      }
    } catch (const std::exception& e) {
      return store_failed(r, e);
    }
  }
  if (r.db)
    if (const auto year = report::suspension_year(r.info); year && r.info.reference_date) {
      // The academic year's earlier censuses in the store: their suspensions count with this census's.
      try {
        const auto stored = store::stored_suspensions(*r.db, r.la_code, year->from, *r.info.reference_date);
        for (const auto& row : stored.rows)
          if (const auto start = Date::parse(row.start_date))
            r.earlier_suspensions.push_back({row.laestab, row.upn, *start, parse_sen_provision(row.sen_provision)});
        for (const auto& [term, day] : stored.censuses)
          if (const auto t = parse_term(term); t && Date::parse(day))
            r.earlier_censuses.push_back({*t, *Date::parse(day)});
      } catch (const std::exception& e) {
        return store_failed(r, e);
      }
    }
  r.t_loaded = Clock::now();
  r.progress.note("loaded " + std::to_string(data.pupils.size()) + " pupils in " + std::to_string(data.returns.size()) +
                  " returns from " + std::to_string(data.files.size() - 1) + " files");
  return go_on;
}

// What a plugin's run left in its buffer that it may not: a finding for a rule it does not declare, a
// metric (a school's or the LA's) whose name it does not own. Why it fails, or empty.
std::string check_plugin_output(const PluginHost& host, const LoadedPlugin& p, const BufferSink& sink) {
  std::map<std::string, const RuleMeta*> rules;
  for (const auto& rule : p.rules)
    rules.emplace(rule.code, &rule);
  for (const auto& f : sink.findings) {
    const auto it = rules.find(f.rule);
    if (it == rules.end()) return "emitted a finding for rule '" + f.rule + "', which it does not declare";
    // SDK 6: a finding's DfE rule is one its rule's metadata names (RuleContext::for_dfe), or none.
    if (!f.dfe_rule.empty() && !names_dfe_rule(it->second->dfe_rule, f.dfe_rule))
      return "emitted a finding for rule '" + f.rule + "' naming DfE rule '" + load::valid_utf8(f.dfe_rule) +
             "', which its metadata does not name (" +
             (it->second->dfe_rule.empty() ? std::string("it names none") : "it names " + it->second->dfe_rule) + ")";
  }
  auto not_owned = [&](const std::string& name) {
    if (p.owns_metric(name)) return std::string();
    const std::string owner = host.metric_owner(name);
    std::string names;
    for (const auto& n : p.metric_names)
      names += (names.empty() ? "" : ", ") + n;
    return "wrote the metric '" + load::valid_utf8(name) + "', which " +
           (owner == "core" ? "belongs to the core"
            : owner.empty() ? "it does not own"
                            : "belongs to plugin '" + owner + "'") +
           "; a plugin writes only the names it declares (metric_names: " + names + ")";
  };
  for (const auto& [laestab, values] : sink.school_metrics)
    for (const auto& [name, v] : values)
      if (auto why = not_owned(name); !why.empty()) return why;
  for (const auto& [name, v] : sink.la_metrics)
    if (auto why = not_owned(name); !why.empty()) return why;
  return {};
}

// The run's isolation mode and an isolated plugin's time limit: the command line's, over the
// configuration's (censusqa.json "plugins"), else out-of-tree and 600 s.
Isolation isolation_mode(const Run& r) {
  return r.opt.isolate.value_or(r.config.plugins.isolate.value_or(Isolation::out_of_tree));
}
std::chrono::seconds plugin_time_limit(const Run& r) {
  const unsigned configured =
      r.config.plugins.timeout_seconds ? static_cast<unsigned>(*r.config.plugins.timeout_seconds) : 0;
  return std::chrono::seconds{r.opt.plugin_timeout.value_or(configured ? configured : default_plugin_timeout_seconds)};
}

// Whether a plugin runs in a child process: by default those not installed with censusqa (first-party
// plugins stay in-process: no fork, no copy of their results).
bool runs_isolated(const Run& r, const LoadedPlugin& p) {
  switch (isolation_mode(r)) {
  case Isolation::all: return true;
  case Isolation::none: return false;
  case Isolation::out_of_tree: break;
  }
  return !p.installed_with_censusqa();
}

// One plugin's run into its buffer, isolated or not; why it failed, or empty.
std::string run_plugin(Run& r, std::size_t i) {
  const auto& p = *r.host.plugins()[i];
  const auto it = r.config.sections.find(p.id);
  const PluginConfig pc(p.id, it == r.config.sections.end() ? ConfigValue{ConfigValue::Object{}} : it->second);
  try {
    auto body = [&](BufferSink& sink) {
      RunContext ctx{r.data, r.info, pc, sink, sink, sink, sink, r.rule_switches};
      p.plugin->run(ctx);
    };
    if (r.isolated[i]) {
      if (auto why = run_isolated(body, r.sinks[i], plugin_time_limit(r)); !why.empty()) return why;
    } else {
      body(r.sinks[i]);
    }
    return check_plugin_output(r.host, p, r.sinks[i]);
  } catch (const std::exception& e) {
    return std::string("threw: ") + e.what();
  } catch (...) {
    return "threw an exception that is not a std::exception";
  }
}

// check, 1/2: the plugins are independent, so they run on all threads, each into its own buffer. A
// plugin fails when it throws, crashes or runs out of time (isolated), or writes what it may not
// (check_plugin_output).
void run_plugins(Run& r) {
  const auto& plugins = r.host.plugins();
  r.sinks = std::vector<BufferSink>(plugins.size());
  r.failures = std::vector<std::string>(plugins.size());
  r.isolated.clear();
  for (const auto& p : plugins)
    r.isolated.push_back(runs_isolated(r, *p));
  // The isolated plugins first, one by one on this thread, before any other thread exists: fork() in a
  // process with other threads running copies whatever lock one of them holds (an allocator's, seen as
  // a child that never ended under AddressSanitizer), and the child would wait on it for ever. Then the
  // in-process plugins, on both cores.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < plugins.size(); ++i)
    if (r.isolated[i]) order.push_back(i);
  const std::size_t forked = order.size();
  for (std::size_t i = 0; i < plugins.size(); ++i)
    if (!r.isolated[i]) order.push_back(i);
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&](std::size_t until) {
    for (std::size_t k; (k = next.fetch_add(1)) < until;) {
      const std::size_t i = order[k];
      timed(("plugin " + plugins[i]->id).c_str(), [&] { r.failures[i] = run_plugin(r, i); });
      r.progress.step("running plugins", done.fetch_add(1) + 1, plugins.size());
    }
  };
  worker(forked);
  next = forked;
  std::vector<std::thread> pool;
  const unsigned n = std::min<unsigned>(std::max(1u, r.opt.jobs),
                                        static_cast<unsigned>(std::max<std::size_t>(1, plugins.size() - forked)));
  for (unsigned t = 1; t < n; ++t)
    pool.emplace_back(worker, plugins.size());
  worker(plugins.size());
  for (auto& t : pool)
    t.join();
}

} // namespace

// check, for every plugin finding: the DfE rule it carries. RuleContext fills it when the rule names
// one; a plugin that builds its Findings itself may leave it empty, and the host fills it the same way.
// One the metadata does not name cannot reach here (check_plugin_output fails its plugin); it is
// cleared all the same, so that no output can show a DfE number its rule does not declare.
void fill_dfe_rule(Finding& f, const RuleMeta& rule) {
  if (!f.dfe_rule.empty() && !names_dfe_rule(rule.dfe_rule, f.dfe_rule)) f.dfe_rule.clear();
  if (f.dfe_rule.empty() && !rule.dfe_rule.empty() && rule.dfe_match != DfeMatch::stricter &&
      rule.dfe_rule.find(',') == std::string::npos)
    f.dfe_rule = rule.dfe_rule;
}

namespace {

// collect_findings' last step, censusqa.json "rules" on every finding, loaders' and plugins' alike: a
// rule turned off has none (whether or not its plugin looked at RuleSwitches), a re-graded rule's carry
// the LA's severity. Recorded in the run summary (findings.json, the Run sheet).
void apply_rule_overrides(Run& r) {
  std::map<std::string, const LaConfig::RuleOverride*> by_rule;
  for (const auto& o : r.config.rule_overrides) {
    by_rule[o.rule] = &o;
    r.summary.rule_overrides.push_back({o.rule, std::string(name(o.declared)), o.setting, o.by});
  }
  if (by_rule.empty()) return;
  std::erase_if(r.all, [&](Finding& f) {
    const auto it = by_rule.find(f.rule);
    if (it == by_rule.end()) return false;
    if (it->second->setting == "off") return true;
    const auto s = std::find(severity_names.begin(), severity_names.end(), it->second->setting);
    f.severity = static_cast<Severity>(s - severity_names.begin());
    return false;
  });
}

// check, 2/2: the run summary's plugin list, the findings of the plugins that did not fail (severity and
// scope from the rule's metadata), and an IN090 finding for each rule a plugin skipped.
void collect_findings(Run& r) {
  const auto& plugins = r.host.plugins();
  r.all = std::move(r.loaded.findings);
  r.summary.started = utc_now();
  r.summary.run = r.info;
  for (const auto& e : r.host.errors())
    r.summary.plugin_load_errors.push_back(e.message);
  r.plugin_failed = !r.host.errors().empty();
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    const auto& p = *plugins[i];
    report::RunSummary::Plugin s{p.id, p.version, p.file.filename().string(), "ok", "", p.sdk_major, p.rules.size()};
    if (!r.failures[i].empty()) {
      r.plugin_failed = true;
      s.status = "failed";
      s.error = "plugin '" + p.id + "' " + r.failures[i] + "; its findings were discarded and its rules did not run";
      std::cerr << "censusqa: " << s.error << "\n";
    } else {
      for (auto& f : r.sinks[i].findings) {
        const RuleMeta* meta = r.host.find_rule(f.rule);
        f.plugin = p.id;
        f.severity = meta->severity; // severity and scope come from the metadata, declared once
        f.scope = meta->scope;
        fill_dfe_rule(f, *meta);
        r.all.push_back(std::move(f));
      }
      r.sinks[i].findings = {}; // moved from: their storage goes now, not at the end of the run
      r.skipped.insert(r.sinks[i].skipped.begin(), r.sinks[i].skipped.end());
    }
    r.summary.plugins.push_back(std::move(s));
  }
  for (const auto& code : r.config.rules_off())
    r.skipped.erase(code); // a rule turned off was not skipped for want of its inputs
  for (const auto& [code, reason] : r.skipped) {
    Finding f;
    f.rule = "IN090";
    f.severity = Severity::info;
    f.scope = Scope::la;
    f.plugin = "core";
    f.subject = code;
    f.message = "Rule " + code + " skipped: " + reason;
    f.values = {{"rule", code}, {"reason", reason}};
    r.all.push_back(std::move(f));
  }
  apply_rule_overrides(r);
}

// check, after the findings: each plugin's isolation and messages in the run summary (findings.json,
// the Run sheet), its messages printed: warnings on stderr, the others as progress (not with -q).
// A failed plugin's too: they may say why.
void report_plugin_runs(Run& r) {
  const auto& plugins = r.host.plugins();
  for (std::size_t i = 0; i < plugins.size() && i < r.summary.plugins.size(); ++i) {
    auto& s = r.summary.plugins[i];
    const BufferSink& sink = r.sinks[i];
    s.isolated = r.isolated[i];
    s.messages_dropped = sink.messages_dropped;
    for (const auto& m : sink.messages) {
      const bool warning = m.level == Log::Level::warning;
      s.messages.push_back({warning ? "warning" : "info", m.message});
      const std::string line = "censusqa: plugin " + plugins[i]->id + ": " + m.message;
      if (warning)
        std::cerr << line << "\n";
      else
        r.progress.note(line);
    }
    if (sink.messages_dropped)
      r.progress.note("censusqa: plugin " + plugins[i]->id + ": " + std::to_string(sink.messages_dropped) +
                      " more message(s) not kept (the first " + std::to_string(BufferSink::max_messages) + " are)");
  }
}

// check: run the rules.
Stop check(Run& r) {
  run_plugins(r);
  collect_findings(r);
  report_plugin_runs(r);
  return std::nullopt;
}

// decide, 1/7: sorted by school, severity, rule, subject (spec/outputs.md; the rest makes ties
// deterministic), each finding gets its id: RULE:LAESTAB:SUBJECT, with #N from the second of a kind.
void identify_findings(Run& r) {
  std::sort(r.all.begin(), r.all.end(), [](const Finding& a, const Finding& b) {
    auto key = [](const Finding& f) {
      return std::tie(f.laestab, f.severity, f.rule, f.subject, f.source.file, f.source.line, f.message);
    };
    return key(a) < key(b);
  });
  r.identified.reserve(r.all.size());
  std::map<std::string, int> seen_ids;
  for (auto& f : r.all) {
    std::string id = f.rule + ":" + f.laestab + ":" + f.subject;
    if (const int n = ++seen_ids[id]; n > 1) id += "#" + std::to_string(n);
    r.identified.push_back({std::move(id), std::move(f), std::nullopt});
  }
  r.all = {}; // moved from: a national run's 240,000 empty Findings held to the end otherwise
}

} // namespace

// decide, 2/7: one problem, one finding. A loader's IN003 or IN004 on a record's field (subject
// "UPN.SENtype", values field = SENtype) and a rule's finding on the same record that reports that field
// (PN003 on that UPN, SENtype among its values) are one problem for the school to fix once: the rule's
// finding stays (its title and how-to-fix are the specific ones), at the higher severity, with both
// messages, and takes the loader's as merged, whose id still finds stored explanations and replies.
namespace {
// The record a rule's finding is about, as the loader names it in its subject: a pupil with no UPN is
// "(line 12)" to a rule and "line12" to the loader.
std::string loader_record(const std::string& subject) {
  if (subject.size() > 7 && subject.rfind("(line ", 0) == 0 && subject.back() == ')')
    return "line" + subject.substr(6, subject.size() - 7);
  return subject;
}

// A field as both name it: the XML's element ("SENprovision", "DOB") and the CSV's column ("sen_provision",
// "dob") are one field.
std::string loader_field(std::string_view field) {
  std::string out;
  for (const char c : field)
    if (c != '_') out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  // The CSV's nc_year is the XML's NCyearActual (on roll) or NCyearLeaving (a leaver).
  if (out == "ncyearactual" || out == "ncyearleaving") out = "ncyear";
  return out;
}
} // namespace

void merge_same_problem(std::vector<report::IdentifiedFinding>& findings) {
  using Key = std::tuple<std::string, std::string, std::string>; // LAEstab, record, field
  std::map<Key, std::size_t> loader;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i].finding;
    if (f.plugin != "core" || (f.rule != "IN003" && f.rule != "IN004")) continue;
    const auto dot = f.subject.rfind('.');
    const auto field = std::find_if(f.values.begin(), f.values.end(), [](const auto& v) { return v.first == "field"; });
    if (dot == std::string::npos || field == f.values.end()) continue;
    loader.emplace(Key{f.laestab, f.subject.substr(0, dot), loader_field(field->second)}, i);
  }
  if (loader.empty()) return;
  std::vector<bool> merged(findings.size());
  for (auto& x : findings) {
    if (x.finding.plugin == "core") continue;
    const std::string subject_record = loader_record(x.finding.subject); // once per finding, not per value
    for (const auto& [key, value] : x.finding.values) {
      // A rule may name the field with its letter in the calculation: "budget_share (F)".
      const auto paren = key.find(" (");
      const std::string named = paren == std::string::npos ? key : key.substr(0, paren);
      const std::string field = loader_field(named);
      // A rule may name the record and the field ("A888100119001.EntryDate", CI011): the record is before.
      std::string record = subject_record;
      if (record.size() > named.size() + 1 && record.ends_with("." + named))
        record.resize(record.size() - named.size() - 1);
      const auto it = loader.find(Key{x.finding.laestab, record, field});
      if (it == loader.end() || merged[it->second]) continue;
      merged[it->second] = true;
      auto& from = findings[it->second];
      if (severity_rank(from.finding.severity) < severity_rank(x.finding.severity))
        x.finding.severity = from.finding.severity;
      std::string& m = x.finding.message;
      if (!m.empty() && m.back() != '.') m += '.';
      m += " " + from.finding.message;
      // The rule's DfE number stays; a rule that names none takes the loader's (the field's DfE rule).
      if (x.finding.dfe_rule.empty()) x.finding.dfe_rule = from.finding.dfe_rule;
      x.merged.push_back({from.id, std::move(from.finding)});
    }
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < findings.size(); ++i)
    if (!merged[i]) {
      if (kept != i) findings[kept] = std::move(findings[i]);
      ++kept;
    }
  findings.erase(findings.begin() + static_cast<std::ptrdiff_t>(kept), findings.end());
  // A raised severity keeps the order of spec/outputs.md: by school, then severity. The findings are
  // sorted through their indexes and then moved into place, cycle by cycle: sorting them directly took
  // a buffer of half of them (58 MB in a national run) while the census metrics were being made.
  const auto before = [&](std::uint32_t a, std::uint32_t b) {
    const Finding& x = findings[a].finding;
    const Finding& y = findings[b].finding;
    return std::tie(x.laestab, x.severity) < std::tie(y.laestab, y.severity);
  };
  std::vector<std::uint32_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0u);
  if (std::is_sorted(order.begin(), order.end(), before)) return;
  std::stable_sort(order.begin(), order.end(), before);
  std::vector<bool> placed(findings.size());
  for (std::size_t start = 0; start < findings.size(); ++start) {
    if (placed[start]) continue;
    // The cycle through start: position i takes the finding at order[i].
    report::IdentifiedFinding held = std::move(findings[start]);
    std::size_t i = start;
    for (;;) {
      placed[i] = true;
      const std::size_t from = order[i];
      if (from == start) break;
      findings[i] = std::move(findings[from]);
      i = from;
    }
    findings[i] = std::move(held);
  }
}

// decide, after the merge: what COLLECT will say of a finding, its DfE rule's severity in the catalogue
// (none when it has no DfE rule or the catalogue does not know it). Decided here once, so that the
// writers only lay it out.
std::optional<Severity> decide_collect(const Finding& f) {
  if (f.dfe_rule.empty()) return std::nullopt;
  const dfe::CatalogueEntry* e = dfe::find(f.dfe_rule);
  return e ? std::optional<Severity>(e->severity) : std::nullopt;
}

// decide, 3/7: who acts on a finding. A rule's findings go to the actor its metadata declares. A core
// input finding declared for the school goes to whoever owns the input it is about: the school for its
// census return, the LA's SEN team for ehcp_cases.csv and the SEN2 return, its AP team for ap_placements.csv and the AP
// census, its finance team for balances.csv and commitments.csv, and the LA data team for the register, the
// configuration, the reference data and anything LA-wide (a census file no school can be named for).
Actor decide_actor(const Finding& f, const RuleMeta* rule, const Dataset& data) {
  const Actor declared = rule ? rule->actor : Actor::la_data;
  if (f.plugin != "core" || declared != Actor::school) return declared;
  const std::string_view kind =
      f.source.file > 0 && f.source.file < data.files.size() ? std::string_view(data.files[f.source.file].kind) : "";
  if (kind.starts_with("census")) return f.laestab.empty() ? Actor::la_data : Actor::school;
  if (kind == "ehcp-cases" || kind == "sen2") return Actor::la_sen;
  if (kind == "ap_placements" || kind == "ap-census") return Actor::la_ap;
  if (kind == "balances" || kind == "commitments") return Actor::la_finance;
  return Actor::la_data;
}

// decide, 4/7: whom an LA-level finding about a pupil is shown to. A UPN on roll at several schools
// (CI005) is no one school's finding, but each of those schools must see it to sort it out: it is
// shown to every school the pupil is on roll at, and each school's profile names the others.
void decide_audience(std::vector<report::IdentifiedFinding>& findings, const Dataset& data) {
  for (auto& x : findings)
    if (x.finding.laestab.empty() && !x.finding.upn.empty()) {
      std::vector<std::string> list; // the dataset's UPN index: no pass over every pupil
      for (const std::uint32_t i : data.pupils_with_upn(x.finding.upn))
        list.push_back(data.return_of(data.pupils[i]).laestab);
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      std::erase_if(list, [](const std::string& l) { return !report::is_laestab(l); });
      x.shown_to = std::move(list);
    }
}

namespace {

// decide, 5/7: stored explanations, applied when the finding is unchanged, otherwise sent to review;
// and, for profiles, the previous terms' figures.
Stop apply_stored_explanations(Run& r) {
  if (!r.db) return go_on;
  try {
    // Which rules ran: those of the plugins that did not fail, less the skipped ones, and the
    // loaders' own input rules.
    const auto& plugins = r.host.plugins();
    std::set<std::string> ran;
    for (const RuleMeta* rule : r.host.all_rules())
      if (rule->plugin == "core") ran.insert(rule->code);
    for (std::size_t i = 0; i < plugins.size(); ++i)
      if (r.failures[i].empty())
        for (const auto& rule : plugins[i]->rules)
          if (!r.skipped.count(rule.code) && r.rule_switches.enabled(rule.code)) ran.insert(rule.code);
    auto applied = store::apply_explanations(*r.db, r.identified, r.info.reference_date,
                                             [&](std::string_view rule) { return ran.count(std::string(rule)) > 0; });
    r.decisions = std::move(applied.decisions);
    applied.history.previous_from = r.previous_from;
    r.summary.history = std::move(applied.history);
    if (r.opt.mode != Mode::validate && r.info.reference_date)
      for (auto& t : store::past_terms(*r.db, r.la_code, *r.info.reference_date, 3))
        r.history.push_back({t.label, std::move(t.schools)});
    if (r.opt.mode != Mode::profile)
      r.chase = store::chase_from_store(*r.db, r.la_code, r.info.reference_date ? r.info.reference_date->iso() : "");
  } catch (const std::exception& e) {
    return store_failed(r, e);
  }
  return go_on;
}

// decide, after the census's own metrics: the attendance modules and their sessions are most of a
// national run's records (about 450 MB of 9 million pupils'); nothing after those metrics reads them
// (no later metric, comparator or writer), so they go before the plugins' metrics and the comparators
// take their memory, which was the run's peak. Each pupil's count of them is set to none so that
// nothing can reach them afterwards.
void release_attendance(Dataset& d) {
  for (auto* list : {&d.pupils, &d.leavers})
    for (Pupil& p : *list)
      p.attendance_count = 0;
  std::vector<Attendance>().swap(d.attendance);
  std::vector<AbsenceSessions>().swap(d.absence_sessions);
}

// decide, 6/7 (its first part, beside 1-5): the census metrics, then the attendance freed (nothing
// else reads it), then the suspension year. They run on a thread of their own while the findings are
// identified, merged and given their audiences: a national run's decide stage is otherwise one thread on
// two cores. Steps 1-5 read the dataset (files, returns, pupils by UPN) and never its attendance; this
// thread writes only the pupils' attendance counts.
report::Metrics census_metrics(Run& r) {
  report::Metrics m = timed("census metrics", [&] { return report::compute_census_metrics(r.data); });
  release_attendance(r.data);
  timed("suspension year",
        [&] { report::add_suspension_year(m, r.data, r.info, r.earlier_suspensions, r.earlier_censuses); });
  return m;
}

// decide, 6/7: with the census metrics made, the plugins' metrics and profile sections, each school's
// findings by severity (the profile's data-quality indicators) and the comparators.
void compute_metrics(Run& r, report::Metrics&& census) {
  const auto& plugins = r.host.plugins();
  r.metrics = std::move(census);
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    if (!r.failures[i].empty()) continue;
    // Each value's node moves into the run's metrics, name and all: nothing is copied or allocated for
    // the plugins' school metrics (hundreds of thousands in a national run).
    for (auto& [laestab, values] : r.sinks[i].school_metrics) {
      auto& into = r.metrics.schools[laestab];
      while (!values.empty())
        if (auto put = into.insert(values.extract(values.begin())); !put.inserted)
          put.position->second = put.node.mapped();
    }
    r.sinks[i].school_metrics.clear();
    for (auto& [k, v] : r.sinks[i].la_metrics)
      r.metrics.la[k] = std::move(v);
    for (auto& [laestab, list] : r.sinks[i].sections)
      for (auto& section : list)
        r.metrics.sections[laestab].emplace_back(plugins[i]->id, std::move(section));
  }
  // findings.<severity> of each school. The findings come by school: the last school's three counters
  // are kept, and their names made once, not a string and two map searches per finding.
  std::array<std::string, severity_names.size()> names;
  for (std::size_t k = 0; k < names.size(); ++k)
    names[k] = std::string(report::core_metric::findings_prefix) + std::string(severity_names[k]);
  for (auto& [laestab, values] : r.metrics.schools)
    for (const auto& n : names)
      values[n] = 0;
  const std::string* last = nullptr;
  std::array<std::int64_t*, severity_names.size()> counters{};
  auto count = [&](const std::string& laestab, Severity s) {
    if (!last || *last != laestab) {
      last = &laestab;
      const auto it = r.metrics.schools.find(laestab);
      for (std::size_t k = 0; k < names.size(); ++k)
        counters[k] = it == r.metrics.schools.end() ? nullptr : &it->second[names[k]];
    }
    if (auto* c = counters[static_cast<std::size_t>(s)]) ++*c;
  };
  for (const auto& f : r.identified) {
    count(f.finding.laestab, f.finding.severity);
    for (const auto& l : f.shown_to)
      count(l, f.finding.severity);
  }
  timed("comparators",
        [&] { r.comparators = report::compute_comparators(r.data, r.metrics, r.tpl.similar_min_schools); });
  timed("comparator metrics", [&] { report::add_comparator_metrics(r.metrics, r.comparators); });
}

// decide, 7/7: which profiles: every school with a return, or those --schools names.
Stop choose_profiles(Run& r) {
  const RunOptions& opt = r.opt;
  if (opt.mode == Mode::validate) return go_on;
  // Only a school with a valid LAEstab gets a profile: its file is named after it. The loaders report
  // any other identifier, so nothing is lost without a finding.
  if (opt.schools_filter.empty())
    for (const auto& [laestab, values] : r.metrics.schools)
      if (report::is_laestab(laestab)) r.profile_schools.push_back(laestab);
  for (const auto& l : opt.schools_filter) {
    if (!report::is_laestab(l)) {
      std::cerr << "censusqa: --schools: '" << l << "' is not an LAEstab (7 digits, e.g. 8882001)\n";
      return exit_code::usage;
    }
    if (!r.metrics.schools.count(l)) {
      std::vector<std::string> known;
      for (const auto& [k, v] : r.metrics.schools)
        known.push_back(k);
      const std::string near = nearest(l, known);
      std::cerr << "censusqa: --schools: no census return for LAEstab " << l
                << (near.empty() ? "" : "; did you mean " + near + "?") << "\n";
      return exit_code::usage;
    }
    r.profile_schools.push_back(l);
  }
  return go_on;
}

// decide: everything about the findings is settled here (ids, explanations, metrics, which profiles),
// and the writers receive it as one report context to lay out.
Stop decide(Run& r) {
  // Beside steps 1-5 when the run may use more than one thread (--jobs), otherwise after them.
  auto census =
      std::async(r.opt.jobs > 1 ? std::launch::async : std::launch::deferred, [&r] { return census_metrics(r); });
  timed("identify findings", [&] { identify_findings(r); });
  timed("merge findings", [&] { merge_same_problem(r.identified); });
  timed("decide who acts", [&] {
    for (auto& f : r.identified) {
      f.actor = decide_actor(f.finding, r.host.find_rule(f.finding.rule), r.data);
      f.collect = decide_collect(f.finding);
    }
    decide_audience(r.identified, r.data);
  });
  if (const auto stop = apply_stored_explanations(r)) return stop; // `census` is waited for as it goes
  report::Metrics census_made = timed("wait for the census metrics", [&] { return census.get(); });
  timed("metrics", [&] { compute_metrics(r, std::move(census_made)); });
  std::vector<BufferSink>().swap(r.sinks); // their findings and metrics are the run's now
  if (const auto stop = choose_profiles(r)) return stop;

  for (const RuleMeta* rule : r.host.all_rules())
    r.rule_texts[rule->code] = {rule->title, rule->why, rule->how_to_fix, rule->plugin};
  r.report.emplace(report::ReportContext{
      r.data, r.summary, r.metrics, r.identified, r.rule_texts, r.comparators, r.tpl, CENSUSQA_VERSION_STRING, {}});
  r.report->history = std::move(r.history);
  r.report->chase = std::move(r.chase);
  r.report->reply_deadline = r.config.replies.deadline;
  r.report->reply_contact = r.config.replies.contact;
  std::vector<std::pair<std::string, std::string>> inputs;
  for (std::size_t i = 1; i < r.data.files.size(); ++i)
    inputs.emplace_back(r.data.files[i].path, r.data.files[i].sha256);
  r.report->reply_key = report::reply_key(r.reply_secret, inputs);
  timed("index findings by school", [&] { report::index_findings_by_school(*r.report); });
  r.t_checked = Clock::now();
  return go_on;
}

void write_la_workbook(const Run& r) {
  report::LaWorkbookOptions lw;
  lw.constant_memory_above = r.opt.table_limit;
  const auto ms_between = [](auto a, auto b) {
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
  };
  lw.timings_ms = {{"load", ms_between(r.t0, r.t_loaded)}, {"rules and metrics", ms_between(r.t_loaded, r.t_checked)}};
  lw.profile_schools = r.profile_schools;
  std::sort(lw.profile_schools.begin(), lw.profile_schools.end());
  const auto book = timed("build validation-report.xlsx", [&] { return report::build_la_workbook(*r.report, lw); });
  timed("write validation-report.xlsx", [&] { report::book::write_xlsx(book, r.stage / "validation-report.xlsx"); });
}

// Every output file is independent of the others: they are written on all threads, the largest
// first (the LA workbook of a national run takes longer than findings and metrics together), then
// listed in a fixed order.
void write_files(Run& r) {
  std::vector<std::function<void()>> tasks;
  if (r.opt.mode != Mode::profile) {
    tasks.emplace_back([&r] { write_la_workbook(r); });
    tasks.emplace_back([&r] {
      timed("write findings.json",
            [&] { report::write_findings_json(r.stage / "findings.json", r.summary, r.data, r.identified); });
    });
    tasks.emplace_back([&r] {
      timed("write findings.csv", [&] { report::write_findings_csv(r.stage / "findings.csv", r.data, r.identified); });
    });
    tasks.emplace_back([&r] {
      timed("write metrics.json", [&] { report::write_metrics_json(r.stage / "metrics.json", r.metrics); });
    });
  }
  const std::size_t first_profile = tasks.size();
  if (!r.profile_schools.empty()) fs::create_directories(r.stage / "profiles");
  for (const std::string& l : r.profile_schools)
    tasks.emplace_back([&r, &l] {
      report::book::write_xlsx(report::build_profile(*r.report, l),
                               r.stage / "profiles" / report::profile_file_name(r.data, l));
    });
  std::atomic<std::size_t> next{0}, profiles_done{0};
  std::mutex error_mu;
  std::string error;
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      try {
        tasks[i]();
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mu);
        if (error.empty()) error = e.what();
      }
      if (i >= first_profile)
        r.progress.step("writing profiles", profiles_done.fetch_add(1) + 1, r.profile_schools.size());
    }
  };
  std::vector<std::thread> pool;
  const unsigned n = std::min<unsigned>(std::max(1u, r.opt.jobs), static_cast<unsigned>(tasks.size()));
  for (unsigned t = 1; t < n; ++t)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool)
    t.join();
  if (!error.empty()) throw std::runtime_error(error);
  if (r.opt.mode != Mode::profile) r.written.insert(r.written.end(), {"findings.json", "findings.csv", "metrics.json"});
  if (!r.profile_schools.empty())
    r.written.push_back("profiles/ (" + std::to_string(r.profile_schools.size()) + " workbooks)");
  if (r.opt.mode != Mode::profile) r.written.push_back("validation-report.xlsx");
}

// write_outputs: everything is written into a staging folder beside OUT, swapped in (publish) only
// when all of it is complete: a run that fails or is killed leaves the previous outputs as they were.
Stop write_outputs(Run& r) {
  try {
    r.stage = r.output->stage();
    write_files(r);
  } catch (const std::exception& e) { // the staging folder goes with r.output
    std::cerr << "censusqa: cannot write outputs: " << e.what() << "\n";
    return exit_code::usage;
  }
  return go_on;
}

// publish: the staging folder replaces OUT in one rename, so OUT holds the previous outputs or this
// run's, never a mix; what this run no longer produces (a stale profile) goes with the previous ones.
Stop publish(Run& r) {
  try {
    const auto done = r.output->publish();
    if (!done.removed.empty()) r.progress.note(done.removed_summary());
    for (const auto& n : done.notes)
      std::cerr << "censusqa: " << n << "\n";
  } catch (const std::exception& e) {
    std::cerr << "censusqa: cannot publish the outputs: " << e.what() << "\n";
    return exit_code::usage;
  }
  return go_on;
}

// record: the run, its findings and figures in the history store (run and validate, with --db), and
// the stored explanations' new statuses. After publish: a run is recorded only once its outputs exist.
Stop record(Run& r) {
  if (!r.db || r.opt.mode == Mode::profile) return go_on;
  try {
    const auto t_record = Clock::now();
    std::vector<store::FindingRow> rows;
    rows.reserve(r.identified.size());
    for (const auto& f : r.identified) {
      rows.push_back(store::finding_row(f, r.data));
      // A merged finding keeps its row under its own id: `history diff` follows it across runs, and a
      // reply or explanation given for that id still finds it.
      for (const auto& m : f.merged)
        rows.push_back(store::finding_row(report::IdentifiedFinding{m.id, m.finding, std::nullopt, f.actor}, r.data));
    }
    const auto id =
        r.db->record_run(store::run_row(r.summary, r.data, r.la_code, r.identified, r.reply_secret), rows,
                         r.metrics.schools, store::pupil_need_rows(r.data), store::permanent_exclusion_rows(r.data),
                         store::roster_rows(r.data), store::suspension_rows(r.data));
    r.db->transaction([&] {
      for (const auto& d : r.decisions)
        r.db->set_explanation_status(d.explanation, d.status, d.reason, id);
    });
    std::vector<std::pair<std::string, std::string>> profiles;
    for (const auto& l : r.profile_schools)
      profiles.emplace_back(l, report::profile_file_name(r.data, l));
    r.db->record_profiles(id, profiles);
    const auto& h = *r.summary.history;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t_record);
    r.progress.note("recorded as run " + std::to_string(id) + " in the history store " + h.store + " (" +
                    std::to_string(ms.count()) + " ms); " + std::to_string(h.explained) + " finding(s) explained, " +
                    std::to_string(h.review.size()) + " explanation(s) to review (censusqa explain --list)");
  } catch (const std::exception& e) {
    std::cerr << "censusqa: the outputs were written, but the run could not be recorded in the history store "
              << r.db->location().display << ": " << store::describe(e) << "\n";
    return exit_code::usage;
  }
  return go_on;
}

// finish: the summary lines and the exit code: 3 when a plugin failed, else 1 when a finding not
// explained is at or above --fail-on, else 0.
int finish(Run& r) {
  const RunOptions& opt = r.opt;
  std::array<std::size_t, 3> counts{};
  bool over = false;
  for (const auto& f : r.identified) {
    ++counts[static_cast<std::size_t>(f.finding.severity)];
    // An explained query does not count towards --fail-on: it has been looked at.
    if (opt.fail_on && !f.explained && severity_rank(f.finding.severity) <= severity_rank(*opt.fail_on)) over = true;
  }
  const auto ms = [](auto a, auto b) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
  };
  r.progress.note("findings: " + std::to_string(counts[0]) + " errors, " + std::to_string(counts[1]) + " queries, " +
                  std::to_string(counts[2]) + " info (load " + ms(r.t0, r.t_loaded) + " ms, total " +
                  ms(r.t0, Clock::now()) + " ms)");
  std::string list;
  for (const auto& w : r.written)
    list += (list.empty() ? "" : ", ") + w;
  r.progress.note("outputs written to " + fs::absolute(opt.out).lexically_normal().string() + ": " + list);
  if (r.plugin_failed) return exit_code::plugin_failed;
  return over ? exit_code::findings : exit_code::ok;
}

// Times a run's stages (timings_on), with the memory in use after each and the peak so far.
class StageClock {
public:
  Stop time(const char* name, Stop (*stage)(Run&), Run& run) const {
    const auto t = Clock::now();
    const Stop stop = stage(run);
    if (on_)
      std::fprintf(
          stderr, "stage %s: %lld ms, %s\n", name,
          static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count()),
          memory_in_use().c_str());
    return stop;
  }

private:
  bool on_ = timings_on();
};

// RunOptions::exit_after: the run's records moved into a holder that is never freed. It stays reachable
// from a static, so a leak checker does not count it; a second run frees the first's.
void leave_records_to_exit(Run& r) {
  struct Records {
    load::LoadResult loaded;
    std::vector<Finding> all;
    std::vector<report::IdentifiedFinding> identified;
    report::Metrics metrics;
    report::Comparators comparators;
  };
  static Records* kept = nullptr;
  delete kept;
  kept = new Records{std::move(r.loaded), std::move(r.all), std::move(r.identified), std::move(r.metrics),
                     std::move(r.comparators)};
}

} // namespace

int run_validate(const RunOptions& options) {
  Run run(options);
  const StageClock clock;
  if (const auto stop = clock.time("prepare", prepare, run)) return *stop;
  if (const auto stop = clock.time("load", load_inputs, run)) return *stop;
  if (const auto stop = clock.time("check", check, run)) return *stop;
  if (const auto stop = clock.time("decide", decide, run)) return *stop;
  if (const auto stop = clock.time("write", write_outputs, run)) return *stop;
  if (const auto stop = clock.time("publish", publish, run)) return *stop;
  if (const auto stop = clock.time("record", record, run)) return *stop;
  const int code = finish(run);
  if (options.exit_after) leave_records_to_exit(run);
  return code;
}

} // namespace censusqa::engine
