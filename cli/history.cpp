// censusqa history and censusqa explain: the history store from the command line.
#include "commands.hpp"

#include "../core/src/engine/engine.hpp"
#include "../core/src/report/findings_writer.hpp"
#include "../core/src/report/profile_template.hpp"
#include "../core/src/store/history.hpp"
#include "../core/src/store/replies.hpp"

#include <censusqa/date.hpp>

#include <boost/program_options.hpp>

#include <iostream>
#include <set>

namespace censusqa::cli {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using engine::utc_now;
using engine::exit_code::ok;
using engine::exit_code::usage;

namespace {

std::string db_help() {
  return "the history store the runs were recorded in: an SQLite file or postgresql://user@host:port/dbname";
}

// history and explain read a store that runs have written: a mistyped file name should not quietly
// create an empty one.
store::Store open_existing(const std::string& db) {
  const auto where = store::parse_location(db);
  if (where.connector == "SQLite" && !fs::exists(where.connection))
    throw std::runtime_error("no history store at " + db +
                             ": it is created by the first 'censusqa run LA_FOLDER --out DIR --db " + db + "'");
  return store::Store(db);
}

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& o,
                        const po::options_description& hidden, const po::positional_options_description& pos) {
  po::options_description all;
  all.add(o).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  return vm;
}

std::int64_t run_id(const std::string& s) {
  try {
    std::size_t used = 0;
    const long long v = std::stoll(s, &used);
    if (used == s.size() && v > 0) return v;
  } catch (const std::exception&) {
  }
  throw po::error("a run is given by its number (see 'censusqa history list'), not '" + s + "'");
}

std::string counts(const store::RunRow& r) {
  return std::to_string(r.errors) + " errors, " + std::to_string(r.queries) + " queries, " + std::to_string(r.infos) +
         " info";
}

void print_finding(const store::FindingRow& f) {
  std::cout << "  " << f.id << "  [" << f.severity << "] " << f.message << "\n";
}

std::string opt_int(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }
std::string opt_json(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "null"; }

int history_list(store::Store& db, const po::variables_map& vm) {
  const auto runs = db.runs(vm.count("la") ? vm["la"].as<std::string>() : std::string{});
  if (vm.count("json")) {
    std::cout << "[";
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto& r = runs[i];
      std::cout << (i ? ",\n " : "\n ") << "{\"id\": " << r.id << ", \"started\": " << report::json_string(r.started)
                << ", \"la_code\": " << report::json_string(r.la_code) << ", \"term\": " << report::json_string(r.term)
                << ", \"reference_date\": " << report::json_string(r.reference_date)
                << ", \"version\": " << report::json_string(r.version) << ", \"errors\": " << r.errors
                << ", \"queries\": " << r.queries << ", \"info\": " << r.infos << ", \"inputs\": " << r.inputs << "}";
    }
    std::cout << (runs.empty() ? "]\n" : "\n]\n");
    return ok;
  }
  if (runs.empty()) {
    if (vm.count("la") && !db.runs({}).empty())
      std::cout << "No runs of LA " << vm["la"].as<std::string>() << " in " << db.location().display
                << " (it holds runs of other LAs: 'censusqa history list --db " << db.location().display
                << "' lists them).\n";
    else
      std::cout << "No runs in " << db.location().display
                << " yet: record one with 'censusqa run LA_FOLDER --out DIR --db " << db.location().display << "'.\n";
    return ok;
  }
  std::printf("%-5s %-21s %-4s %-14s %-11s %-8s %s\n", "run", "recorded (UTC)", "LA", "term", "reference", "version",
              "findings");
  for (const auto& r : runs)
    std::printf("%-5lld %-21s %-4s %-14s %-11s %-8s %s\n", static_cast<long long>(r.id), r.started.c_str(),
                r.la_code.c_str(), store::term_label(r).c_str(), r.reference_date.c_str(), r.version.c_str(),
                counts(r).c_str());
  return ok;
}

int history_diff(store::Store& db, const po::variables_map& vm) {
  if (!vm.count("runs") || vm["runs"].as<std::vector<std::string>>().size() != 2)
    throw po::error("history diff takes two run numbers: censusqa history diff RUN_A RUN_B --db DB");
  const auto& ids = vm["runs"].as<std::vector<std::string>>();
  auto d = store::diff_runs(db, run_id(ids[0]), run_id(ids[1]));
  if (vm.count("school")) {
    const std::string s = vm["school"].as<std::string>();
    auto keep = [&](std::vector<store::FindingRow>& v) {
      std::erase_if(v, [&](const store::FindingRow& f) { return f.laestab != s; });
    };
    keep(d.introduced), keep(d.resolved), keep(d.persisting);
    std::erase_if(d.changed, [&](const auto& p) { return p.second.laestab != s; });
    std::erase_if(d.metrics, [&](const auto& m) { return m.laestab != s; });
  }
  if (vm.count("json")) {
    auto ids_of = [](const std::vector<store::FindingRow>& v) {
      std::string o = "[";
      for (std::size_t i = 0; i < v.size(); ++i)
        o += (i ? ", " : "") + report::json_string(v[i].id);
      return o + "]";
    };
    std::cout << "{\"a\": " << d.a.id << ", \"b\": " << d.b.id << ",\n \"introduced\": " << ids_of(d.introduced)
              << ",\n \"resolved\": " << ids_of(d.resolved) << ",\n \"persisting\": " << ids_of(d.persisting)
              << ",\n \"changed\": [";
    for (std::size_t i = 0; i < d.changed.size(); ++i)
      std::cout << (i ? ", " : "") << "{\"id\": " << report::json_string(d.changed[i].second.id)
                << ", \"before\": " << d.changed[i].first.values << ", \"after\": " << d.changed[i].second.values
                << "}";
    std::cout << "],\n \"metrics\": [";
    for (std::size_t i = 0; i < d.metrics.size(); ++i)
      std::cout << (i ? ",\n   " : "\n   ") << "{\"laestab\": " << report::json_string(d.metrics[i].laestab)
                << ", \"metric\": " << report::json_string(d.metrics[i].metric)
                << ", \"before\": " << opt_json(d.metrics[i].before) << ", \"after\": " << opt_json(d.metrics[i].after)
                << "}";
    std::cout << "]}\n";
    return ok;
  }
  std::cout << "From run " << d.a.id << " (" << store::term_label(d.a) << ", " << d.a.reference_date << ") to run "
            << d.b.id << " (" << store::term_label(d.b) << ", " << d.b.reference_date << ")"
            << (vm.count("school") ? ", school " + vm["school"].as<std::string>() : std::string{}) << "\n";
  if (d.a.la_code != d.b.la_code)
    std::cout << "Note: run " << d.a.id << " is of LA " << d.a.la_code << " and run " << d.b.id << " of LA "
              << d.b.la_code << ": every finding of one is 'resolved' or 'introduced' in the other.\n";
  std::cout << "Findings: " << d.introduced.size() << " introduced, " << d.resolved.size() << " resolved (fixed or "
            << "gone), " << d.persisting.size() << " persisting (" << d.changed.size() << " with changed values)\n";
  std::cout << "\nIntroduced (" << d.introduced.size() << "):\n";
  for (const auto& f : d.introduced)
    print_finding(f);
  std::cout << "\nResolved (" << d.resolved.size() << "):\n";
  for (const auto& f : d.resolved)
    print_finding(f);
  if (!d.changed.empty()) {
    std::cout << "\nPersisting with changed values (" << d.changed.size() << "):\n";
    for (const auto& [a, b] : d.changed)
      std::cout << "  " << b.id << ": " << a.values << " -> " << b.values << "\n";
  }
  std::set<std::string> schools;
  for (const auto& m : d.metrics)
    schools.insert(m.laestab);
  std::cout << "\nMetric changes (" << d.metrics.size() << " in " << schools.size() << " schools):\n";
  std::string last;
  for (const auto& m : d.metrics) {
    if (m.laestab != last) std::cout << "  " << (last = m.laestab) << "\n";
    std::cout << "    " << m.metric << ": " << opt_int(m.before) << " -> " << opt_int(m.after) << "\n";
  }
  return ok;
}

} // namespace

int cmd_history(const std::vector<std::string>& args) {
  po::options_description o("Options");
  o.add_options()("help,h", "show this help")("db", po::value<std::string>(), db_help().c_str())(
      "json", "print JSON instead of text")("la", po::value<std::string>(), "list: only this LA's runs (3-digit code)")(
      "school", po::value<std::string>(), "diff: only this school's findings and metrics (LAEstab)");
  po::options_description hidden;
  hidden.add_options()("action", po::value<std::string>())("runs", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("action", 1).add("runs", -1);
  const auto vm = parse(args, o, hidden, pos);
  if (vm.count("help") || !vm.count("action")) {
    std::cout << "Usage: censusqa history list --db DB [--la CODE] [--json]\n"
                 "       censusqa history diff RUN_A RUN_B --db DB [--school LAESTAB] [--json]\n\n"
                 "The runs recorded by 'censusqa run --db DB' (and validate), and what changed between two:\n"
                 "findings introduced, resolved and persisting (matched by finding id), and each school's\n"
                 "metrics that changed.\n\n"
              << o;
    return vm.count("help") ? ok : usage;
  }
  if (!vm.count("db")) throw po::error("--db DB is required");
  store::Store db = open_existing(vm["db"].as<std::string>());
  const std::string action = vm["action"].as<std::string>();
  if (action == "list") return history_list(db, vm);
  if (action == "diff") return history_diff(db, vm);
  throw po::error("unknown action '" + action + "': use list or diff");
}

namespace {

// The finding as last recorded: an explanation is tied to its values then.
std::pair<std::int64_t, store::FindingRow> recorded_finding(store::Store& db, const std::string& id) {
  const auto f = db.latest_finding(id);
  if (!f)
    throw std::runtime_error("no finding '" + id +
                             "' in any run of the history store: record the run first (censusqa run ... --db), and "
                             "copy the id from findings.json or the workbook's 'Finding id' column");
  return *f;
}

int explain_one(store::Store& db, const po::variables_map& vm) {
  const std::string id = vm["finding"].as<std::string>();
  if (!vm.count("text") || vm["text"].as<std::string>().empty()) throw po::error("--text \"...\" is required");
  if (!vm.count("by") || vm["by"].as<std::string>().empty()) throw po::error("--by NAME is required");
  store::ExplanationRow e;
  if (vm.count("until")) {
    const auto d = Date::parse(vm["until"].as<std::string>());
    if (!d) throw po::error("--until must be a date as YYYY-MM-DD, not '" + vm["until"].as<std::string>() + "'");
    e.until = d->iso();
  }
  const auto [run, f] = recorded_finding(db, id);
  if (f.severity == "error")
    throw std::runtime_error("finding " + id + " is an error: errors must be fixed in the MIS, not explained");
  e.finding_id = id;
  e.text = vm["text"].as<std::string>();
  e.by = vm["by"].as<std::string>();
  e.given = utc_now();
  e.values = f.values;
  e.source = "command line";
  e.run_id = run;
  const auto n = db.add_explanation(e);
  std::cout << "explanation " << n << " recorded for " << id << " (as in run " << run << ": " << f.message << ")\n"
            << "It applies while the finding's values stay " << f.values
            << (e.until.empty() ? "" : " and until " + e.until) << ".\n";
  return ok;
}

int explain_import(store::Store& db, const po::variables_map& vm) {
  std::vector<fs::path> files;
  for (const auto& p : vm["import"].as<std::vector<std::string>>()) {
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".xlsx" && e.path().filename().string()[0] != '~')
          files.push_back(e.path());
    } else if (fs::is_regular_file(p)) {
      files.emplace_back(p);
    } else {
      throw std::runtime_error("--import: " + store::clean_text(p, 200) + " is neither a workbook nor a folder");
    }
  }
  std::sort(files.begin(), files.end());
  store::ImportOptions opt;
  if (vm.count("by")) opt.by = store::clean_text(vm["by"].as<std::string>(), 200);
  if (vm.count("school")) opt.school = vm["school"].as<std::string>();
  opt.given = utc_now();
  store::ImportResult res;
  try {
    res = store::import_replies(db, files, opt);
  } catch (const std::invalid_argument& e) {
    throw po::error(e.what());
  }
  // Everything below comes from the workbooks: cleaned text (no control characters) by the reader.
  for (const auto& f : res.refused_files)
    std::cerr << "censusqa explain: " << f.why << "\n";
  for (const auto& r : res.refused_rows)
    std::cerr << "censusqa explain: " << r.file << ", sheet '" << r.sheet << "' row " << r.row << " ("
              << (r.finding_id.empty() ? "no id" : r.finding_id) << "): refused: " << r.why << "\n";
  for (const auto& n : res.notes)
    std::cerr << "censusqa explain: " << n << "\n";
  std::cout << "read " << res.files << " workbook(s): " << res.added << " explanation(s) recorded, " << res.disputed
            << " dispute(s) for the LA to review, " << res.same << " already recorded, " << res.fixed
            << " marked fixed (the next run will show), " << res.refused_rows.size() << " row(s) refused, "
            << res.refused_files.size() << " workbook(s) refused\n";
  for (const auto& [file, school] : res.schools)
    std::cout << "  " << file << ": school " << school << "\n";
  if (!res.refused_rows.empty()) {
    std::cout << "Refused rows (also on stderr):\n";
    for (const auto& r : res.refused_rows)
      std::cout << "  " << r.file << ", sheet '" << r.sheet << "' row " << r.row << " ("
                << (r.finding_id.empty() ? "no id" : r.finding_id) << "): " << r.why << "\n";
  }
  if (!res.refused_files.empty()) {
    std::cout << "Refused workbooks (nothing read from them; also on stderr):\n";
    for (const auto& f : res.refused_files)
      std::cout << "  " << f.file << ": " << f.why << "\n";
  }
  if (!res.refused_files.empty()) return usage;
  return res.refused_rows.empty() ? ok : engine::exit_code::findings;
}

int explain_list(store::Store& db, const po::variables_map& vm) {
  if (vm.count("status")) {
    const std::string st = vm["status"].as<std::string>();
    if (st != store::status::active && st != store::status::review && st != store::status::expired)
      throw po::error("--status must be active, review or expired, not '" + st + "'");
  }
  const auto list = db.explanations(vm.count("status") ? vm["status"].as<std::string>() : std::string{});
  if (list.empty()) {
    std::cout << "No explanations" << (vm.count("status") ? " with status " + vm["status"].as<std::string>() : "")
              << " in " << db.location().display << ".\n";
    return ok;
  }
  for (const auto& e : list) {
    std::cout << e.id << "  " << e.status << "  " << e.finding_id << "\n    \"" << e.text << "\" - " << e.by << ", "
              << e.given.substr(0, 10) << (e.until.empty() ? "" : ", until " + e.until) << " (" << e.source << ")\n";
    if (!e.note.empty()) std::cout << "    " << e.note << "\n";
  }
  return ok;
}

} // namespace

int cmd_explain(const std::vector<std::string>& args) {
  po::options_description o("Options");
  o.add_options()("help,h", "show this help")("db", po::value<std::string>(), db_help().c_str())(
      "text", po::value<std::string>(), "the explanation, in words the school and the LA will recognise next term")(
      "by", po::value<std::string>(), "who gives it (a name or role); with --import, instead of 'school LAESTAB'")(
      "school", po::value<std::string>(),
      "with --import of one workbook: the LAEstab of the school that sent it (for a profile without a reply check)")(
      "until", po::value<std::string>(), "YYYY-MM-DD: stop applying it to censuses after this date")(
      "import", po::value<std::vector<std::string>>()->multitoken(),
      "read the Response and Comment columns of returned inclusion profiles (.xlsx files or folders)")(
      "list", "list the explanations and their status")("status", po::value<std::string>(),
                                                        "with --list: only active, review or expired");
  po::options_description hidden;
  hidden.add_options()("finding", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("finding", 1);
  const auto vm = parse(args, o, hidden, pos);
  if (vm.count("help") || (!vm.count("finding") && !vm.count("import") && !vm.count("list"))) {
    std::cout << "Usage: censusqa explain FINDING_ID --text \"...\" --by NAME [--until DATE] --db DB\n"
                 "       censusqa explain --import RETURNED_WORKBOOKS... [--school LAESTAB] --db DB\n"
                 "       censusqa explain --list [--status review] --db DB\n\n"
                 "Keeps a query's explanation in the history store so that it carries over to later terms: an\n"
                 "explained query shows as explained in the workbooks and does not count for --fail-on. If the\n"
                 "finding disappears, its values change, or --until passes, the explanation is flagged for\n"
                 "review instead of being reused. Errors cannot be explained: they must be fixed.\n"
                 "--import reads each returned profile's Data to fix sheet: 'Explained' with a Comment becomes\n"
                 "an explanation, 'Disputed' goes to review for the LA. A workbook's school is its reply check\n"
                 "(the line 'Reply check (keep this line): ...'); only that school's queries are kept, and every\n"
                 "row or workbook refused is listed with the reason. Exit 1: some rows refused; 2: a workbook\n"
                 "refused whole (unreadable, too large, or its school not established).\n\n"
              << o;
    return vm.count("help") ? ok : usage;
  }
  if (!vm.count("db")) throw po::error("--db DB is required");
  store::Store db = open_existing(vm["db"].as<std::string>());
  if (vm.count("list")) return explain_list(db, vm);
  if (vm.count("import")) return explain_import(db, vm);
  return explain_one(db, vm);
}

} // namespace censusqa::cli
