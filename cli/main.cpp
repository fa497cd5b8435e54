// censusqa: the command line. Git-style subcommands, each with its own --help.
#include "commands.hpp"

#include "../core/src/dfe/catalogue.hpp"
#include "../core/src/engine/config.hpp"
#include "../core/src/engine/engine.hpp"
#include "../core/src/engine/plugin_host.hpp"
#include "../core/src/load/dfe_fields.hpp"
#include "../core/src/store/store.hpp"

#include <censusqa/version.hpp>

#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace censusqa;
using namespace censusqa::engine;

namespace {

constexpr const char* usage_text = R"(censusqa - quality-assure an English LA's school census and related LA records

Usage: censusqa <command> [options]

Commands:
  run       LA_FOLDER --out DIR   the main job: validate, then write the LA workbook and one
                                  inclusion profile per school
  validate  LA_FOLDER --out DIR   findings.json, findings.csv, metrics.json, validation-report.xlsx
  profile   LA_FOLDER --out DIR   the inclusion profiles only (DIR/profiles/*.xlsx)
  rules     [CODE]                list the rules of all loaded plugins, or explain one; --dfe:
                                  the DfE's COLLECT rules and the censusqa rules covering them
  plugins                         list loaded plugins: id, version, SDK, file, rule count
  config    --dump LA_FOLDER      print the effective configuration (censusqa.json with every
                                  plugin's defaults applied), or say what is wrong with it
  history   list|diff --db DB     runs in the history store, and what changed between two
  explain   FINDING_ID --db DB    keep a query's explanation for later terms (or --import
                                  returned workbooks, or --list)

Run 'censusqa <command> --help' for a command's options.
Exit codes: 0 done, no finding at or above --fail-on; 1 done, findings at or above --fail-on;
            2 usage error or a required input missing or unreadable; 3 a plugin failed to load, threw, crashed or ran out of time.
)";

po::options_description plugin_options() {
  po::options_description o("Plugin options");
  o.add_options()("plugins", po::value<std::vector<std::string>>()->composing(),
                  "also load the plugins in this folder (or this one .so file); repeatable")(
      "no-default-plugins", "do not load the plugins installed with censusqa");
  return o;
}

std::vector<fs::path> plugin_dirs(const po::variables_map& vm) {
  std::vector<fs::path> out;
  if (vm.count("plugins"))
    for (const auto& d : vm["plugins"].as<std::vector<std::string>>())
      out.emplace_back(d);
  return out;
}

// A --register that is given must be a file that can be read (the default, LA_FOLDER/schools.csv, may
// be absent: the rules that need the register are then skipped, IN090). Checked before any work: a
// misspelt name would otherwise cost a whole run whose register rules were skipped.
void check_register(const fs::path& file) {
  std::error_code ec;
  const auto st = fs::status(file, ec);
  std::string why;
  if (!fs::exists(st))
    why = ec && ec != std::errc::no_such_file_or_directory ? ec.message() : "no such file";
  else if (fs::is_directory(st))
    why = "it is a folder, not a file";
  else if (!fs::is_regular_file(st))
    why = "it is not a regular file";
  else if (std::ifstream in(file); !in)
    why = "it cannot be read";
  if (!why.empty())
    throw po::error("--register " + file.string() + ": " + why +
                    " (expected the establishment register, a CSV file: our columns or a GIAS extract)");
}

// A bare --isolate means all, as it did before it took a mode, and takes no value from the argument
// after it ("--isolate LA_FOLDER" keeps working): program_options would read that as the mode.
std::vector<std::string> bare_isolate_means_all(std::vector<std::string> args) {
  for (auto& a : args)
    if (a == "--isolate") a = "--isolate=all";
  return args;
}

int cmd_validate(const std::string& name, const std::vector<std::string>& given) {
  const std::vector<std::string> args = bare_isolate_means_all(given);
  po::options_description o("Options");
  o.add_options()("help,h", "show this help")("out,o", po::value<std::string>(),
                                              "output folder (created if needed); required")(
      "config,c", po::value<std::string>(), "LA configuration file (default: LA_FOLDER/censusqa.json if present)")(
      "fail-on", po::value<std::string>()->default_value("error"),
      "exit 1 when a finding at or above this severity exists: error, query, info, or none")(
      "census", po::value<std::string>(), "census folder or file (default: LA_FOLDER/census)")(
      "register", po::value<std::string>(), "establishment register (default: LA_FOLDER/schools.csv)")(
      "sen2", po::value<std::string>()->value_name("PATH"),
      "the LA's SEN2 return (an XML file, or a folder of them; default: LA_FOLDER/sen2): the EHC cases are read "
      "from it rather than from ehcp_cases.csv")(
      "ap-census", po::value<std::string>()->value_name("PATH"),
      "the LA's AP census return (an XML file, or a folder of them; default: LA_FOLDER/ap_census): the AP "
      "placements are read from it rather than from ap_placements.csv")(
      "jobs,j", po::value<int>()->default_value(2), "threads to use (1 or more)")("quiet,q", "no progress on stderr")(
      "isolate", po::value<std::string>()->implicit_value("all")->value_name("MODE"),
      "which plugins run in a child process, where a crash or a hang fails that plugin alone (exit 3), not "
      "the run: out-of-tree (the default: every plugin not installed with censusqa, i.e. those of "
      "--plugins), all (a bare --isolate), or none (every plugin in-process: a crash in any plugin ends the "
      "run with no outputs, a hang stalls it). Over censusqa.json plugins.isolate")(
      "plugin-timeout", po::value<std::string>()->value_name("SECONDS"),
      "an isolated plugin still running after SECONDS (default 600) is stopped and fails (exit 3); the "
      "others' findings are kept. Over censusqa.json plugins.timeout_seconds")(
      "db", po::value<std::string>(),
      "history store: an SQLite file (created on first use) or postgresql://user@host:port/dbname. run and "
      "validate record the run; stored explanations apply; without previous/, PN013 and AP tracking use earlier "
      "runs; profiles show the last three terms");
  if (name != "profile")
    o.add_options()("table-limit", po::value<std::size_t>()->default_value(50000),
                    "above this many findings, the LA workbook's Findings sheet is streamed (constant memory) "
                    "with filters but without an Excel table");
  if (name != "validate")
    o.add_options()("schools", po::value<std::vector<std::string>>()->composing(),
                    "profiles for these schools only: LAEstabs, comma-separated or repeated")(
        "template", po::value<std::string>(),
        "the inclusion profile template (default: the one installed with censusqa, "
        "templates/inclusion-profile.json)");
  o.add(plugin_options());
  po::options_description hidden;
  hidden.add_options()("la", po::value<std::string>())("extra", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("la", 1).add("extra", -1); // extras are named in the error, not "too many positional options"
  po::options_description all;
  all.add(o).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("extra") && !vm.count("help")) {
    std::string extra;
    for (const auto& e : vm["extra"].as<std::vector<std::string>>())
      extra += (extra.empty() ? "'" : ", '") + e + "'";
    throw po::error("takes one LA folder, so " + extra + " after '" + vm["la"].as<std::string>() +
                    "' is not understood (an option's value needs its option, as in --out DIR)");
  }
  if (vm.count("help")) {
    std::cout << "Usage: censusqa " << name << " LA_FOLDER --out DIR [options]\n\n"
              << (name == "run"       ? "The main job: validate an LA folder (see \"The LA folder\" in README.md,\n"
                                        "installed in share/doc/censusqa/) and write into DIR\n"
                                        "findings.json, findings.csv, metrics.json, the LA's validation-report.xlsx\n"
                                        "and one inclusion profile per school in DIR/profiles/.\n"
                  : name == "profile" ? "Write the inclusion profiles only: one workbook per school in DIR/profiles/\n"
                                        "(all the checks still run: a profile lists the school's findings).\n"
                                      : "Validate an LA folder (see \"The LA folder\" in README.md, installed in\n"
                                        "share/doc/censusqa/): findings.json, findings.csv,\n"
                                        "metrics.json and the LA's validation-report.xlsx in DIR.\n")
              << "\n"
              << o << "\nExample: censusqa " << name << " examples/sampleshire --out out\n";
    return exit_code::ok;
  }
  if (!vm.count("la")) throw po::error("the LA folder is required (censusqa " + name + " LA_FOLDER --out DIR)");
  if (!vm.count("out")) throw po::error("--out DIR is required");
  RunOptions ro;
  ro.la_dir = vm["la"].as<std::string>();
  ro.out = vm["out"].as<std::string>();
  if (vm.count("config")) ro.config = fs::path(vm["config"].as<std::string>());
  if (vm.count("census")) ro.census = fs::path(vm["census"].as<std::string>());
  if (vm.count("sen2")) {
    ro.sen2 = fs::path(vm["sen2"].as<std::string>());
    std::error_code ec;
    if (!fs::exists(*ro.sen2, ec)) throw po::error("--sen2 " + ro.sen2->string() + ": no such file or folder");
  }
  if (vm.count("ap-census")) {
    ro.ap_census = fs::path(vm["ap-census"].as<std::string>());
    std::error_code ec;
    if (!fs::exists(*ro.ap_census, ec))
      throw po::error("--ap-census " + ro.ap_census->string() + ": no such file or folder");
  }
  if (vm.count("register")) {
    ro.schools = fs::path(vm["register"].as<std::string>());
    check_register(*ro.schools);
  }
  ro.mode = name == "run" ? Mode::run : name == "profile" ? Mode::profile : Mode::validate;
  if (vm.count("schools"))
    for (const auto& arg : vm["schools"].as<std::vector<std::string>>()) {
      std::size_t start = 0;
      while (start <= arg.size()) {
        const std::size_t comma = std::min(arg.find(',', start), arg.size());
        std::string one = arg.substr(start, comma - start);
        one.erase(std::remove(one.begin(), one.end(), ' '), one.end());
        if (!one.empty()) ro.schools_filter.push_back(one);
        start = comma + 1;
      }
    }
  if (vm.count("table-limit")) ro.table_limit = vm["table-limit"].as<std::size_t>();
  if (vm.count("template")) ro.profile_template = fs::path(vm["template"].as<std::string>());
  const std::string fail_on = vm["fail-on"].as<std::string>();
  if (fail_on == "none")
    ro.fail_on.reset();
  else if (fail_on == "error")
    ro.fail_on = Severity::error;
  else if (fail_on == "query")
    ro.fail_on = Severity::query;
  else if (fail_on == "info")
    ro.fail_on = Severity::info;
  else
    throw po::error("--fail-on must be error, query, info or none, not '" + fail_on + "'");
  ro.plugin_dirs = plugin_dirs(vm);
  ro.default_plugins = !vm.count("no-default-plugins");
  ro.quiet = vm.count("quiet") > 0;
  if (vm.count("isolate")) {
    const std::string mode = vm["isolate"].as<std::string>();
    ro.isolate = parse_isolation(mode);
    if (!ro.isolate) throw po::error("--isolate must be out-of-tree, all or none, not '" + mode + "'");
  }
  if (vm.count("plugin-timeout")) {
    const std::string text = vm["plugin-timeout"].as<std::string>();
    unsigned seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size() || seconds < 1 || seconds > 86400)
      throw po::error("--plugin-timeout must be a whole number of seconds from 1 to 86400, not '" + text + "'");
    ro.plugin_timeout = seconds;
  }
  const int jobs = vm["jobs"].as<int>();
  if (jobs < 1) throw po::error("--jobs must be 1 or more, not " + std::to_string(jobs));
  ro.jobs = static_cast<unsigned>(jobs);
  if (vm.count("db")) ro.db = vm["db"].as<std::string>();
  ro.exit_after = true; // main returns the exit code straight after
  return run_validate(ro);
}

const LoadedPlugin* plugin_of(const PluginHost& host, const std::string& id) {
  for (const auto& p : host.plugins())
    if (p->id == id) return p.get();
  return nullptr;
}

// Who acts on a rule's findings, as `censusqa rules` and docs/rules.md say it. A core input rule
// declared for the school goes to whoever owns the input (the engine decides per finding).
std::string who_acts(const RuleMeta& r) {
  if (r.plugin == "core" && r.actor == Actor::school)
    return "whoever owns the input: the school for its census return, the LA SEN team for ehcp_cases.csv and the SEN2 "
           "return, the LA "
           "AP team for ap_placements.csv, the LA finance team for balances.csv and commitments.csv, the LA data "
           "team for the register and the configuration";
  return std::string(name(r.actor));
}

// The LA's setting of a rule (censusqa.json "rules"), or null when it keeps its declared severity.
const LaConfig::RuleOverride* la_setting(const std::vector<LaConfig::RuleOverride>& overrides, const RuleMeta& r) {
  const auto it = std::find_if(overrides.begin(), overrides.end(), [&](const auto& o) { return o.rule == r.code; });
  return it == overrides.end() ? nullptr : &*it;
}

// How a rule stands to the DfE's COLLECT rule it names, in words (RuleInfo::dfe_match).
std::string_view match_words(DfeMatch m) {
  switch (m) {
  case DfeMatch::exact: return "exact: the same condition and severity; COLLECT raises what this rule raises";
  case DfeMatch::stricter: return "stricter: it also raises records COLLECT accepts";
  case DfeMatch::partial: return "partial: it checks part of the DfE's condition; what it raises, COLLECT raises too";
  }
  return "";
}

// The DfE rule of a rule, as `censusqa rules CODE` and docs/rules.md say it: "2170 (exact)", "none: an
// LA-level check COLLECT does not make"; for a core input rule, the fields whose DfE rule it carries.
std::string dfe_of(const RuleMeta& r) {
  if (!r.dfe_rule.empty()) return r.dfe_rule + " (" + std::string(name(r.dfe_match)) + ")";
  std::string fields;
  for (const auto& l : load::loader_dfe_rules())
    if (l.input_rule == r.code)
      fields += (fields.empty() ? "" : ", ") + std::string(l.dfe_rule) + " (" + std::string(l.field) + ")";
  if (!fields.empty()) return "per field: " + fields;
  return r.plugin == "core" ? "none" : "none: an LA-level check COLLECT does not make";
}

void print_rule(const RuleMeta& r, const PluginHost& host, const LaConfig::RuleOverride* setting) {
  std::cout << r.code << "  " << r.title << "\n"
            << "  plugin:     " << r.plugin << "\n"
            << "  severity:   " << name(r.severity)
            << (setting ? "; this LA: " + setting->setting + " (\"rules\": \"" + setting->by + "\")" : "") << "\n"
            << "  scope:      " << name(r.scope) << "\n"
            << "  who acts:   " << who_acts(r) << "\n";
  if (!r.fields.empty()) std::cout << "  fields:     " << r.fields << "\n";
  std::cout << "  DfE rule:   " << dfe_of(r) << "\n";
  if (!r.dfe_rule.empty()) {
    std::cout << "  DfE match:  " << match_words(r.dfe_match) << "\n";
    for_each_dfe_rule(r.dfe_rule, [](std::string_view id) {
      if (const dfe::CatalogueEntry* e = dfe::find(id))
        std::cout << "  DfE " << id << ":" << std::string(id.size() < 6 ? 6 - id.size() : 1, ' ') << "COLLECT "
                  << name(e->severity) << ": " << e->meaning << "\n";
    });
  }
  std::cout << "  why:        " << r.why << "\n"
            << "  how to fix: " << r.how_to_fix << "\n";
  if (const LoadedPlugin* p = plugin_of(host, r.plugin); p && !p->options.empty()) {
    std::cout << "  options of plugin " << p->id << " (censusqa.json, section \"" << p->id << "\"):\n";
    for (const auto& o : p->options)
      std::cout << "    " << o.key << " (" << o.type << ", default " << o.default_value << "): " << o.description
                << "\n";
  }
}

// ---- censusqa rules --dfe: the DfE parity table (docs/dfe-parity.md) ---------------------------------

// DfE rule numbers that are known but not in the catalogue's scope, and why: the last part of
// docs/dfe-parity.md. The catalogue (core/src/dfe) holds the rules in scope.
constexpr std::pair<std::string_view, std::string_view> dfe_not_in_scope[] = {
    {"2360, 2361, 2365-2370, 2375-2377",
     "School-arranged AP rules that MIS suppliers list (Arbor's page on AP errors) but whose conditions were not "
     "found: for 2360 and 2361 only a supplier's one-line summary, for the others the number alone. Not in scope "
     "until the DfE's conditions are known."},
    {"2362, 2371, 2373, 2374, 2378-2392, 3131",
     "Numbers in the school-arranged AP range for which no rule text was found at all."},
    {"2485", "An attendance rule that a supplier's census note names (absence code E without a permanent exclusion), "
             "with no rule text."},
    {"4015, 4016", "Queries that no school-arranged AP placement was returned, from suppliers' pages; outside the "
                   "ranges this table covers."},
    {"other numbers of the DfE prototype",
     "Pupil-level rules about items censusqa does not read (docs/census-input.md says what it reads): "
     "ethnicity, language, address, boarding, early years funding and hours, learner support, post-16 learning "
     "aims and GCSE funding exemptions, school lunches, youth support services, class types and the pupil "
     "reconciliation; also 1882 (no new entry date for a move from nursery to reception, which needs the "
     "previous year group) and 2005 (the NC year on leaving, for pupils with learning aims)."},
};

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// Every catalogue entry by group: number, COLLECT's severity, meaning, and the censusqa rules that cover
// it (the loaded rules' dfe_rule and the loader's loader_dfe_rules()), or "not covered: <reason>".
void print_dfe(const PluginHost& host, bool markdown) {
  const auto cover = dfe_coverage(host);
  const auto entries = dfe::catalogue();
  std::size_t covered = 0;
  for (const auto& e : entries)
    covered += cover.count(std::string(e.id));
  const std::string summary =
      std::to_string(covered) + " of " + std::to_string(entries.size()) + " DfE rules in scope covered";
  auto covering = [&](const dfe::CatalogueEntry& e) {
    const auto it = cover.find(std::string(e.id));
    if (it == cover.end())
      return "not covered: " +
             std::string(e.uncovered.empty() ? "no loaded rule names it (is its plugin loaded?)" : e.uncovered);
    std::string out;
    for (const auto& c : it->second)
      out += (out.empty() ? "" : "; ") + c.text();
    return out;
  };
  std::vector<std::string> unknown; // named by a loaded rule, not in the catalogue: the catalogue test fails
  for (const auto& [id, list] : cover)
    if (!dfe::find(id)) {
      std::string by;
      for (const auto& c : list)
        by += (by.empty() ? "" : ", ") + c.code;
      unknown.push_back(id + " (named by " + by + ")");
    }

  if (!markdown) {
    for (const auto& g : dfe::groups()) {
      std::cout << g.title << "\n";
      for (const auto& e : entries)
        if (e.group == g.id)
          std::cout << "  " << e.id << std::string(e.id.size() < 7 ? 7 - e.id.size() : 1, ' ') << name(e.severity)
                    << std::string(7 - name(e.severity).size(), ' ') << e.meaning << "\n"
                    << std::string(16, ' ') << covering(e) << "\n";
      std::cout << "\n";
    }
    for (const auto& u : unknown)
      std::cout << "not in the catalogue: " << u << "\n";
    std::cout << summary << "\n";
    return;
  }

  std::cout
      << "# DfE rule parity: what COLLECT checks, and which censusqa rule checks it first\n\n"
         "Generated by `censusqa rules --dfe --markdown` from the DfE rule catalogue (`core/src/dfe/catalogue.cpp`) "
         "and the rules' own metadata (`RuleInfo::dfe_rule`); do not edit by hand.\n\n"
         "When a school sends its census return, the DfE's COLLECT system runs its numbered validation rules over "
         "it: an **error** must be fixed before the return is accepted, a **query** fixed or explained. This table "
         "lists every DfE rule about what censusqa reads, by group: its number, COLLECT's severity, what it checks "
         "(in our words), and the censusqa rule that raises the same records before the return is sent, or why "
         "none does. Each finding of such a rule carries the number (`dfe_rule` in findings.json and "
         "findings.csv, the DfE rule column of the workbooks), and the LA workbook's Summary counts, per school, "
         "the errors and queries COLLECT is expected to raise.\n\n"
         "How a censusqa rule stands to the DfE's: **exact**, the same condition and severity; **stricter**, it "
         "also raises records COLLECT accepts; **partial**, it checks part of the DfE's condition, and what it "
         "raises COLLECT raises too. **loader** means the check is made as the census is read: the loader's own "
         "finding (IN003, a value that cannot be read; IN004, a code not in the DfE's list) on that field carries "
         "the DfE number. A censusqa rule that names no DfE rule is an LA-level check COLLECT cannot make "
         "(duplicates across schools, the census against the LA's own records, changes since the last census).\n\n"
         "Sources: the rule numbers, severities and conditions are the DfE's, from its 2019 prototype of the data "
         "provider hub (`DFE-Digital/dfe-data-provider-hub`, `app/data/simulated-data/errors.js` and `queries.js`, "
         "whose numbers and texts agree with MIS suppliers' pages where they can be checked); MIS suppliers' "
         "support pages (Arbor, ScholarPack) for the school-arranged AP rules 2360-2377 and the attendance rules "
         "2491 and 2492; and the DfE's term-on-term queries (`TonT...`, in the same `queries.js`), which compare a "
         "return with the school's previous census. The meanings are written in our own words.\n\n"
      << "**" << summary << ".**\n";
  for (const auto& g : dfe::groups()) {
    std::cout << "\n## " << g.title
              << "\n\n| DfE rule | COLLECT | What COLLECT checks | censusqa |\n|---|---|---|---|\n";
    for (const auto& e : entries)
      if (e.group == g.id)
        std::cout << "| " << e.id << " | " << name(e.severity) << " | " << markdown_cell(e.meaning) << " | "
                  << markdown_cell(covering(e)) << " |\n";
  }
  if (!unknown.empty()) {
    std::cout << "\n## Named by a rule but not in the catalogue\n\n";
    for (const auto& u : unknown)
      std::cout << "- " << u << "\n";
  }
  std::cout << "\n## Numbers known but not in scope\n\n";
  for (const auto& [numbers, why] : dfe_not_in_scope)
    std::cout << "- **" << numbers << "**: " << why << "\n";
}

int cmd_rules(const std::vector<std::string>& args) {
  po::options_description o("Options");
  o.add_options()("help,h", "show this help")("markdown",
                                              "print the rule reference as Markdown (docs/rules.md); with --dfe, "
                                              "the DfE parity table (docs/dfe-parity.md)")(
      "dfe", "list every DfE COLLECT rule in scope, by group, with the censusqa rules that cover it or why none does")(
      "la", po::value<std::string>(), "mark the rules LA_FOLDER/censusqa.json turns off or re-grades")(
      "config", po::value<std::string>(), "the same from this configuration file");
  o.add(plugin_options());
  po::options_description hidden;
  hidden.add_options()("code", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("code", 1);
  po::options_description all;
  all.add(o).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << "Usage: censusqa rules [CODE] [options]\n\nWithout CODE, lists every rule of the core and the "
                 "loaded plugins; with CODE, explains that rule. With --dfe, lists the DfE's COLLECT rules in scope "
                 "and which censusqa rules cover them.\n\n"
              << o;
    return exit_code::ok;
  }
  PluginHost host;
  load_plugins(host, plugin_dirs(vm), !vm.count("no-default-plugins"));
  for (const auto& e : host.errors())
    std::cerr << "censusqa: plugin refused: " << e.message << "\n";
  std::vector<LaConfig::RuleOverride> overrides;
  if (vm.count("la") || vm.count("config")) {
    const fs::path file = vm.count("config") ? fs::path(vm["config"].as<std::string>())
                                             : fs::path(vm["la"].as<std::string>()) / "censusqa.json";
    try {
      overrides = read_config(file, host).rule_overrides;
    } catch (const std::exception& e) {
      std::cerr << "censusqa: " << e.what() << "\n";
      return exit_code::usage;
    }
  }
  if (vm.count("dfe")) {
    if (vm.count("code")) throw po::error("--dfe lists every DfE rule: give no rule code with it");
    print_dfe(host, vm.count("markdown") > 0);
    return host.errors().empty() ? exit_code::ok : exit_code::plugin_failed;
  }
  if (vm.count("code")) {
    const std::string code = vm["code"].as<std::string>();
    const RuleMeta* r = host.find_rule(code);
    if (!r) {
      std::vector<std::string> codes;
      for (const auto* m : host.all_rules())
        codes.push_back(m->code);
      const std::string near = nearest(code, codes);
      std::cerr << "censusqa: no rule '" << code << "'" << (near.empty() ? "" : "; did you mean " + near + "?") << "\n";
      return exit_code::usage;
    }
    print_rule(*r, host, la_setting(overrides, *r));
    return exit_code::ok;
  }
  if (vm.count("markdown")) {
    std::cout << "# Rule reference\n\nGenerated by `censusqa rules --markdown` from the rules' own metadata; "
                 "do not edit by hand.\n";
    std::string plugin;
    for (const auto* r : host.all_rules()) {
      if (r->plugin != plugin) {
        plugin = r->plugin;
        std::cout << "\n## " << (plugin == "core" ? "core (input findings)" : plugin) << "\n";
        if (const LoadedPlugin* p = plugin_of(host, plugin); p && !p->options.empty()) {
          std::cout << "\nOptions (`censusqa.json`, section `\"" << p->id << "\"`):\n\n"
                    << "| option | type | default | meaning |\n|---|---|---|---|\n";
          for (const auto& o : p->options)
            std::cout << "| `" << o.key << "` | " << o.type << " | " << o.default_value << " | " << o.description
                      << " |\n";
        }
      }
      std::cout << "\n### " << r->code << ": " << r->title << "\n\n"
                << "- severity: " << name(r->severity) << "; scope: " << name(r->scope) << "\n"
                << "- who acts: " << who_acts(*r) << "\n";
      if (!r->fields.empty()) std::cout << "- fields: " << r->fields << "\n";
      std::cout << "- DfE rule: " << dfe_of(*r) << "\n";
      std::cout << "- why: " << r->why << "\n- how to fix: " << r->how_to_fix << "\n";
    }
    return exit_code::ok;
  }
  for (const auto* r : host.all_rules())
    std::printf(
        "%-7s %-6s %-9s %-18s %-15s %s\n", r->code.c_str(),
        (la_setting(overrides, *r) ? la_setting(overrides, *r)->setting + "*" : std::string(name(r->severity))).c_str(),
        std::string(name(r->scope)).c_str(), r->plugin.c_str(),
        r->plugin == "core" && r->actor == Actor::school ? "input's owner" : std::string(name(r->actor)).c_str(),
        (r->title +
         (r->dfe_rule.empty() ? std::string() : "  [DfE " + r->dfe_rule + ", " + std::string(name(r->dfe_match)) + "]"))
            .c_str());
  if (!overrides.empty())
    std::printf(
        "\n* set by the LA's censusqa.json \"rules\" (censusqa rules CODE --la ... says the declared severity)\n");
  return host.errors().empty() ? exit_code::ok : exit_code::plugin_failed;
}

int cmd_plugins(const std::vector<std::string>& args) {
  po::options_description o("Options");
  o.add_options()("help,h", "show this help");
  o.add(plugin_options());
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(o).run(), vm);
  if (vm.count("help")) {
    std::cout << "Usage: censusqa plugins [options]\n\nLists the loaded plugins and any plugin that was refused.\n\n"
              << o;
    return exit_code::ok;
  }
  PluginHost host;
  load_plugins(host, plugin_dirs(vm), !vm.count("no-default-plugins"));
  std::printf("%-20s %-8s %-4s %-6s %-24s %s\n", "id", "version", "sdk", "rules", "built with", "file");
  for (const auto& p : host.plugins())
    std::printf("%-20s %-8s %-4d %-6zu %-24s %s\n", p->id.c_str(), p->version.c_str(), p->sdk_major, p->rules.size(),
                (p->compiler + ", " + p->stdlib).c_str(), p->file.string().c_str());
  for (const auto& e : host.errors())
    std::printf("refused: %s\n", e.message.c_str());
  return host.errors().empty() ? exit_code::ok : exit_code::plugin_failed;
}

int cmd_config(const std::vector<std::string>& args) {
  po::options_description o("Options");
  o.add_options()("help,h", "show this help")("dump", "print the effective configuration as JSON")(
      "config", po::value<std::string>(), "the configuration file (default: LA_FOLDER/censusqa.json)");
  o.add(plugin_options());
  po::options_description hidden;
  hidden.add_options()("la", po::value<std::string>());
  po::positional_options_description pos;
  pos.add("la", 1);
  po::options_description all;
  all.add(o).add(hidden);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  if (vm.count("help") || !vm.count("dump")) {
    std::cout << "Usage: censusqa config --dump LA_FOLDER [--config FILE] [options]\n\n"
                 "Checks the LA's configuration against the loaded plugins, as a run does before it reads any\n"
                 "input, and prints the configuration the run would use: the run keys, \"replies\", \"rules\" and\n"
                 "\"plugins\" as given, and every loaded plugin's section with its declared defaults applied. The\n"
                 "output is itself a valid censusqa.json. A configuration error is exit 2, with the file, the\n"
                 "key, what was given and what is expected; without a censusqa.json the defaults are printed.\n\n"
              << o;
    return vm.count("help") ? exit_code::ok : exit_code::usage;
  }
  if (!vm.count("la") && !vm.count("config")) throw po::error("give the LA folder (or --config FILE)");
  PluginHost host;
  load_plugins(host, plugin_dirs(vm), !vm.count("no-default-plugins"));
  for (const auto& e : host.errors())
    std::cerr << "censusqa: plugin refused: " << e.message << "\n";
  const fs::path file = vm.count("config") ? fs::path(vm["config"].as<std::string>())
                                           : fs::path(vm["la"].as<std::string>()) / "censusqa.json";
  std::error_code ec;
  const bool exists = vm.count("config") || fs::exists(fs::symlink_status(file, ec));
  LaConfig config;
  try {
    config = read_config(exists ? std::optional(file) : std::nullopt, host);
  } catch (const std::exception& e) {
    std::cerr << "censusqa: " << e.what() << "\n";
    return exit_code::usage;
  }
  for (const auto& w : config.warnings)
    std::cerr << "censusqa: " << w << "\n";
  std::cout << dump_config(config);
  return host.errors().empty() ? exit_code::ok : exit_code::plugin_failed;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage_text;
    return args.empty() ? exit_code::usage : exit_code::ok;
  }
  if (args[0] == "--version") {
    std::cout << "censusqa " << CENSUSQA_VERSION_STRING << " (plugin SDK " << CENSUSQA_SDK_VERSION_MAJOR << "."
              << CENSUSQA_SDK_VERSION_MINOR << ")\n";
    return exit_code::ok;
  }
  const std::string cmd = args[0];
  args.erase(args.begin());
  try {
    if (cmd == "run" || cmd == "validate" || cmd == "profile") return cmd_validate(cmd, args);
    if (cmd == "rules") return cmd_rules(args);
    if (cmd == "plugins") return cmd_plugins(args);
    if (cmd == "config") return cmd_config(args);
    if (cmd == "history") return cli::cmd_history(args);
    if (cmd == "explain") return cli::cmd_explain(args);
    std::cerr << "censusqa: unknown command '" << cmd << "'\n\n" << usage_text;
    return exit_code::usage;
  } catch (const po::error& e) {
    std::cerr << "censusqa " << cmd << ": " << e.what() << "\nRun 'censusqa " << cmd << " --help' for the options.\n";
    return exit_code::usage;
  } catch (const std::exception& e) {
    std::cerr << "censusqa " << cmd << ": " << store::describe(e) << "\n";
    return exit_code::usage;
  }
}
