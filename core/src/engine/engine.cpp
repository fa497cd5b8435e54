// Run orchestration; see engine.hpp.
#include "engine.hpp"

#include "../load/la_folder.hpp"
#include "../report/findings_writer.hpp"
#include "../report/metrics.hpp"
#include "../report/profile.hpp"
#include "../report/profile_template.hpp"
#include "../store/history.hpp"
#include "buffer_sink.hpp"
#include "config.hpp"
#include "isolate.hpp"
#include "progress.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <unistd.h>

namespace censusqa::engine {
namespace fs = std::filesystem;
std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// The run's term and reference date: the configuration's, else what most returns say.
void fill_run_info(RunInfo& run, const Dataset& data) {
  std::map<std::int32_t, std::size_t> dates;
  std::map<int, std::size_t> terms;
  for (const auto& r : data.returns) {
    if (r.reference_date) ++dates[r.reference_date->days_since_epoch()];
    if (r.term) ++terms[static_cast<int>(*r.term)];
  }
  auto most = [](const auto& m) {
    return std::max_element(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  };
  if (!run.reference_date && !dates.empty()) run.reference_date = Date{}.plus_days(most(dates)->first);
  if (!run.term && !terms.empty()) run.term = static_cast<Term>(most(terms)->first);
  if (!run.year && run.reference_date) run.year = run.reference_date->year();
  std::map<std::int32_t, std::size_t> year_ends;
  for (const auto& b : data.balances)
    if (b.financial_year_end) ++year_ends[b.financial_year_end->days_since_epoch()];
  if (!run.financial_year_end && !year_ends.empty()) run.financial_year_end = Date{}.plus_days(most(year_ends)->first);
}

int severity_rank(Severity s) { return static_cast<int>(s); }

constexpr const char* staging_prefix = ".censusqa-staging-";

// Moves every file of the staging folder (and of its profiles/) into OUT, then removes it. Each move
// is a rename within one file system, so the window in which OUT holds old and new files together is
// the few milliseconds of these renames.
void publish(const fs::path& stage, const fs::path& out) {
  for (const auto& e : fs::directory_iterator(stage)) {
    if (e.is_directory()) {
      fs::create_directories(out / e.path().filename());
      for (const auto& f : fs::directory_iterator(e.path()))
        fs::rename(f.path(), out / e.path().filename() / f.path().filename());
    } else
      fs::rename(e.path(), out / e.path().filename());
  }
  fs::remove_all(stage);
}

} // namespace

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

int run_validate(const RunOptions& opt) {
  Progress progress(opt.quiet);
  const auto t0 = std::chrono::steady_clock::now();
  if (!fs::is_directory(opt.la_dir)) {
    std::cerr << "censusqa: the LA folder " << opt.la_dir << " does not exist or is not a folder\n";
    return exit_code::usage;
  }

  PluginHost host;
  load_plugins(host, opt.plugin_dirs, opt.default_plugins);
  for (const auto& e : host.errors())
    std::cerr << "censusqa: plugin refused: " << e.message << "\n";

  LaConfig config;
  const fs::path config_path = opt.config.value_or(opt.la_dir / "censusqa.json");
  if (opt.config || fs::exists(config_path)) {
    try {
      config = read_config(config_path, host);
    } catch (const std::exception& e) {
      std::cerr << "censusqa: " << e.what() << "\n";
      return exit_code::usage;
    }
  }
  for (const auto& w : config.warnings)
    progress.note("censusqa: " + w);

  report::ProfileTemplate tpl;
  try {
    tpl = report::read_profile_template(
        opt.profile_template.value_or(share_dir() / "templates" / "inclusion-profile.json"));
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }

  // The history store is opened first: a wrong address should fail before minutes of loading.
  std::unique_ptr<store::Store> db;
  if (opt.db) {
    try {
      db = std::make_unique<store::Store>(*opt.db);
    } catch (const std::exception& e) {
      std::cerr << "censusqa: " << e.what() << "\n";
      return exit_code::usage;
    }
  }

  std::optional<load::CensusXmlMap> xml_map;
  try {
    xml_map = load::CensusXmlMap::from_file(share_dir() / "schemas" / "census-xml-map.json");
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }

  load::LoadOptions lo;
  lo.la_dir = opt.la_dir;
  lo.census = opt.census;
  lo.schools = opt.schools;
  lo.csv_header = {config.run.term, config.run.year, config.run.reference_date};
  lo.xml_map = &*xml_map;
  lo.threads = std::max(1u, opt.jobs);
  lo.progress = [&](std::size_t d, std::size_t n) { progress.step("loading census files", d, n); };
  load::LoadResult loaded = load::load_la_folder(lo);
  if (!loaded.fatal.empty()) {
    std::cerr << "censusqa: " << loaded.fatal << "\n";
    return exit_code::usage;
  }
  Dataset& data = loaded.data;
  if (!config.path.empty()) {
    InputFile f;
    f.path = fs::relative(config_path, opt.la_dir).generic_string();
    if (f.path.empty() || f.path.rfind("..", 0) == 0) f.path = config_path.string();
    f.kind = "config";
    f.sha256 = load::sha256_file(config_path);
    data.files.push_back(std::move(f));
  }
  RunInfo run = config.run;
  run.financial_year_end = config.financial_year_end;
  fill_run_info(run, data);
  const std::string la_code = store::la_code_of(run, data);
  std::string previous_from = data.previous ? "previous/" : "";
  if (!data.previous && db && run.reference_date) {
    // Without previous/, the store stands in: the previous spring's needs (PN013) and earlier
    // permanent exclusions (AP tracking).
    try {
      if (auto prev = store::previous_from_store(*db, la_code, *run.reference_date); prev.data) {
        data.previous = std::move(prev.data);
        data.available |= needs_previous;
        previous_from = prev.from;
        progress.note("previous census from the history store: " + previous_from);
      }
    } catch (const std::exception& e) {
      std::cerr << "censusqa: history store " << db->location().display << ": " << store::describe(e) << "\n";
      return exit_code::usage;
    }
  }
  const auto t_loaded = std::chrono::steady_clock::now();
  progress.note("loaded " + std::to_string(data.pupils.size()) + " pupils in " + std::to_string(data.returns.size()) +
                " returns from " + std::to_string(data.files.size() - 1) + " files");

  // Plugins are independent: run them on all threads, each into its own buffer.
  const auto& plugins = host.plugins();
  std::vector<BufferSink> sinks(plugins.size());
  std::vector<std::string> failures(plugins.size());
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < plugins.size();) {
      const auto& p = *plugins[i];
      const auto it = config.sections.find(p.id);
      const PluginConfig pc(p.id, it == config.sections.end() ? ConfigValue{ConfigValue::Object{}} : it->second);
      try {
        auto body = [&](BufferSink& sink) {
          RunContext ctx{data, run, pc, sink, sink, sink};
          p.plugin->run(ctx);
        };
        if (opt.isolate)
          failures[i] = run_isolated(body, sinks[i]);
        else
          body(sinks[i]);
        std::set<std::string> codes;
        for (const auto& r : p.rules)
          codes.insert(r.code);
        for (const auto& f : sinks[i].findings)
          if (failures[i].empty() && !codes.count(f.rule)) {
            failures[i] = "emitted a finding for rule '" + f.rule + "', which it does not declare";
            break;
          }
      } catch (const std::exception& e) {
        failures[i] = std::string("threw: ") + e.what();
      } catch (...) {
        failures[i] = "threw an exception that is not a std::exception";
      }
      progress.step("running plugins", done.fetch_add(1) + 1, plugins.size());
    }
  };
  {
    std::vector<std::thread> pool;
    const unsigned n =
        std::min<unsigned>(std::max(1u, opt.jobs), static_cast<unsigned>(std::max<std::size_t>(1, plugins.size())));
    for (unsigned t = 1; t < n; ++t)
      pool.emplace_back(worker);
    worker();
    for (auto& t : pool)
      t.join();
  }

  std::vector<Finding> all = std::move(loaded.findings);
  report::RunSummary summary;
  summary.started = utc_now();
  summary.run = run;
  for (const auto& e : host.errors())
    summary.plugin_load_errors.push_back(e.message);
  bool plugin_failed = !host.errors().empty();
  std::map<std::string, std::string> skipped;
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    const auto& p = *plugins[i];
    report::RunSummary::Plugin s{p.id, p.version, p.file.filename().string(), "ok", "", p.sdk_major, p.rules.size()};
    if (!failures[i].empty()) {
      plugin_failed = true;
      s.status = "failed";
      s.error = "plugin '" + p.id + "' " + failures[i] + "; its findings were discarded and its rules did not run";
      std::cerr << "censusqa: " << s.error << "\n";
    } else {
      for (auto& f : sinks[i].findings) {
        const RuleMeta* meta = host.find_rule(f.rule);
        f.plugin = p.id;
        f.severity = meta->severity; // severity and scope come from the metadata, declared once
        f.scope = meta->scope;
        all.push_back(std::move(f));
      }
      skipped.insert(sinks[i].skipped.begin(), sinks[i].skipped.end());
    }
    summary.plugins.push_back(std::move(s));
  }
  for (const auto& [code, reason] : skipped) {
    Finding f;
    f.rule = "IN090";
    f.severity = Severity::info;
    f.scope = Scope::la;
    f.plugin = "core";
    f.subject = code;
    f.message = "Rule " + code + " skipped: " + reason;
    f.values = {{"rule", code}, {"reason", reason}};
    all.push_back(std::move(f));
  }

  // Sorted by school, severity, rule, subject (spec/outputs.md); the rest makes ties deterministic.
  std::sort(all.begin(), all.end(), [](const Finding& a, const Finding& b) {
    auto key = [](const Finding& f) {
      return std::tie(f.laestab, f.severity, f.rule, f.subject, f.source.file, f.source.line, f.message);
    };
    return key(a) < key(b);
  });
  std::vector<report::IdentifiedFinding> identified;
  identified.reserve(all.size());
  std::map<std::string, int> seen_ids;
  for (auto& f : all) {
    std::string id = f.rule + ":" + f.laestab + ":" + f.subject;
    if (const int n = ++seen_ids[id]; n > 1) id += "#" + std::to_string(n);
    identified.push_back({std::move(id), std::move(f), std::nullopt});
  }

  // Stored explanations: applied when the finding is unchanged, otherwise sent to review.
  std::vector<store::ExplanationDecision> decisions;
  std::vector<report::ReportContext::PastTerm> history;
  if (db) {
    try {
      // Which rules ran: those of the plugins that did not fail, less the skipped ones, and the
      // loaders' own input rules.
      std::set<std::string> ran;
      for (const RuleMeta* r : host.all_rules())
        if (r->plugin == "core") ran.insert(r->code);
      for (std::size_t i = 0; i < plugins.size(); ++i)
        if (failures[i].empty())
          for (const auto& r : plugins[i]->rules)
            if (!skipped.count(r.code)) ran.insert(r.code);
      auto applied = store::apply_explanations(*db, identified, run.reference_date,
                                               [&](std::string_view rule) { return ran.count(std::string(rule)) > 0; });
      decisions = std::move(applied.decisions);
      applied.history.previous_from = previous_from;
      summary.history = std::move(applied.history);
      if (opt.mode != Mode::validate && run.reference_date)
        for (auto& t : store::past_terms(*db, la_code, *run.reference_date, 3))
          history.push_back({t.label, std::move(t.schools)});
    } catch (const std::exception& e) {
      std::cerr << "censusqa: history store " << db->location().display << ": " << store::describe(e) << "\n";
      return exit_code::usage;
    }
  }

  auto metrics = report::compute_census_metrics(data);
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    if (!failures[i].empty()) continue;
    for (auto& [laestab, values] : sinks[i].school_metrics)
      for (auto& [k, v] : values)
        metrics.schools[laestab][k] = v;
    for (auto& [k, v] : sinks[i].la_metrics)
      metrics.la[k] = std::move(v);
    for (auto& [laestab, list] : sinks[i].sections)
      for (auto& section : list)
        metrics.sections[laestab].emplace_back(plugins[i]->id, std::move(section));
  }
  // Each school's findings by severity: the profile's data-quality indicators.
  for (auto& [laestab, values] : metrics.schools)
    for (const auto sev : severity_names)
      values["findings." + std::string(sev)] = 0;
  for (const auto& f : identified)
    if (const auto it = metrics.schools.find(f.finding.laestab); it != metrics.schools.end())
      ++it->second["findings." + std::string(name(f.finding.severity))];
  const auto comparators = report::compute_comparators(data, metrics, tpl.similar_min_schools);
  report::add_comparator_metrics(metrics, comparators);

  // Which profiles: every school with a return, or those --schools names.
  std::vector<std::string> profile_schools;
  if (opt.mode != Mode::validate) {
    if (opt.schools_filter.empty())
      for (const auto& [laestab, values] : metrics.schools)
        profile_schools.push_back(laestab);
    for (const auto& l : opt.schools_filter) {
      if (!metrics.schools.count(l)) {
        std::vector<std::string> known;
        for (const auto& [k, v] : metrics.schools)
          known.push_back(k);
        const std::string near = nearest(l, known);
        std::cerr << "censusqa: --schools: no census return for LAEstab " << l
                  << (near.empty() ? "" : "; did you mean " + near + "?") << "\n";
        return exit_code::usage;
      }
      profile_schools.push_back(l);
    }
  }

  std::map<std::string, report::RuleText> rule_texts;
  for (const RuleMeta* r : host.all_rules())
    rule_texts[r->code] = {r->title, r->why, r->how_to_fix, r->plugin};
  report::ReportContext rc{data, summary, metrics, identified, rule_texts, comparators, tpl, CENSUSQA_VERSION_STRING,
                           {}};
  rc.history = std::move(history);
  report::index_findings_by_school(rc);
  const auto t_checked = std::chrono::steady_clock::now();
  std::vector<std::string> written;
  // Everything is written into a staging folder inside OUT and moved into place only when all of it is
  // complete: a run that fails or is killed leaves the previous outputs as they were (and its staging
  // folder, which the next run removes).
  const fs::path stage = opt.out / (std::string(staging_prefix) + std::to_string(::getpid()));
  try {
    fs::create_directories(opt.out);
    for (const auto& e : fs::directory_iterator(opt.out))
      if (e.path().filename().string().rfind(staging_prefix, 0) == 0) fs::remove_all(e.path());
    fs::create_directories(stage);
    if (opt.mode != Mode::profile) {
      report::write_findings_json(stage / "findings.json", summary, data, identified);
      report::write_findings_csv(stage / "findings.csv", data, identified);
      report::write_metrics_json(stage / "metrics.json", metrics);
      written.insert(written.end(), {"findings.json", "findings.csv", "metrics.json"});
    }
    if (!profile_schools.empty()) {
      const fs::path dir = stage / "profiles";
      fs::create_directories(dir);
      std::atomic<std::size_t> next_school{0}, done_schools{0};
      std::mutex error_mu;
      std::string error;
      auto write_one = [&] {
        for (std::size_t i; (i = next_school.fetch_add(1)) < profile_schools.size();) {
          try {
            const std::string& l = profile_schools[i];
            report::book::write_xlsx(report::build_profile(rc, l), dir / report::profile_file_name(data, l));
          } catch (const std::exception& e) {
            std::lock_guard lock(error_mu);
            if (error.empty()) error = e.what();
          }
          progress.step("writing profiles", done_schools.fetch_add(1) + 1, profile_schools.size());
        }
      };
      std::vector<std::thread> pool;
      const unsigned n = std::min<unsigned>(std::max(1u, opt.jobs), static_cast<unsigned>(profile_schools.size()));
      for (unsigned t = 1; t < n; ++t)
        pool.emplace_back(write_one);
      write_one();
      for (auto& t : pool)
        t.join();
      if (!error.empty()) throw std::runtime_error(error);
      written.push_back("profiles/ (" + std::to_string(profile_schools.size()) + " workbooks)");
    }
    if (opt.mode != Mode::profile) {
      report::LaWorkbookOptions lw;
      lw.constant_memory_above = opt.table_limit;
      const auto ms_between = [](auto a, auto b) {
        return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
      };
      lw.timings_ms = {
          {"load", ms_between(t0, t_loaded)},
          {"rules and metrics", ms_between(t_loaded, t_checked)},
          {"findings, metrics and profiles written", ms_between(t_checked, std::chrono::steady_clock::now())}};
      lw.profiles_written = !profile_schools.empty();
      report::book::write_xlsx(report::build_la_workbook(rc, lw), stage / "validation-report.xlsx");
      written.push_back("validation-report.xlsx");
    }
    publish(stage, opt.out);
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove_all(stage, ec);
    std::cerr << "censusqa: cannot write outputs: " << e.what() << "\n";
    return exit_code::usage;
  }

  if (db && opt.mode != Mode::profile) {
    try {
      const auto t_record = std::chrono::steady_clock::now();
      std::vector<store::FindingRow> rows;
      rows.reserve(identified.size());
      for (const auto& f : identified)
        rows.push_back(store::finding_row(f, data));
      const auto id = db->record_run(store::run_row(summary, data, la_code, identified), rows, metrics.schools,
                                     store::pupil_need_rows(data), store::permanent_exclusion_rows(data));
      db->transaction([&] {
        for (const auto& d : decisions)
          db->set_explanation_status(d.explanation, d.status, d.reason, id);
      });
      const auto& h = *summary.history;
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t_record);
      progress.note("recorded as run " + std::to_string(id) + " in the history store " + h.store + " (" +
                    std::to_string(ms.count()) + " ms); " + std::to_string(h.explained) + " finding(s) explained, " +
                    std::to_string(h.review.size()) + " explanation(s) to review (censusqa explain --list)");
    } catch (const std::exception& e) {
      std::cerr << "censusqa: the outputs were written, but the run could not be recorded in the history store "
                << db->location().display << ": " << store::describe(e) << "\n";
      return exit_code::usage;
    }
  }

  std::array<std::size_t, 3> counts{};
  bool over = false;
  for (const auto& f : identified) {
    ++counts[static_cast<std::size_t>(f.finding.severity)];
    // An explained query does not count towards --fail-on: it has been looked at.
    if (opt.fail_on && !f.explained && severity_rank(f.finding.severity) <= severity_rank(*opt.fail_on)) over = true;
  }
  const auto ms = [](auto a, auto b) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
  };
  progress.note("findings: " + std::to_string(counts[0]) + " errors, " + std::to_string(counts[1]) + " queries, " +
                std::to_string(counts[2]) + " info (load " + ms(t0, t_loaded) + " ms, total " +
                ms(t0, std::chrono::steady_clock::now()) + " ms)");
  std::string list;
  for (const auto& w : written)
    list += (list.empty() ? "" : ", ") + w;
  progress.note("outputs written to " + fs::absolute(opt.out).lexically_normal().string() + ": " + list);
  if (plugin_failed) return exit_code::plugin_failed;
  return over ? exit_code::findings : exit_code::ok;
}

} // namespace censusqa::engine
