// The run: configuration, plugins, loading, rules, findings and outputs, with the frozen exit
// codes of spec/outputs.md.
#pragma once

#include "plugin_host.hpp"

#include <censusqa/dataset.hpp>
#include <censusqa/finding.hpp>
#include <censusqa/rule.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::report {
struct IdentifiedFinding;
}

namespace censusqa::engine {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int findings = 1;
inline constexpr int usage = 2;
inline constexpr int plugin_failed = 3;
} // namespace exit_code

/// What a run writes: validate = findings.json/.csv, metrics.json and validation-report.xlsx;
/// profile = the inclusion profiles only; run = both.
enum class Mode { validate, profile, run };

struct RunOptions {
  Mode mode = Mode::validate;
  std::size_t table_limit = 50000;         ///< findings above which the LA workbook streams its Findings sheet
  std::vector<std::string> schools_filter; ///< profiles for these LAEstabs only (all when empty)
  std::optional<std::filesystem::path> profile_template; ///< default: <share>/templates/inclusion-profile.json
  std::filesystem::path la_dir;
  std::optional<std::filesystem::path> census, schools;
  std::optional<std::filesystem::path> sen2; ///< --sen2: a SEN2 return or a folder of them (default <la>/sen2)
  /// --ap-census: an AP census return or a folder of them (default <la>/ap_census)
  std::optional<std::filesystem::path> ap_census;
  std::filesystem::path out;
  std::optional<std::filesystem::path> config; ///< default: <la>/censusqa.json when present
  std::vector<std::filesystem::path> plugin_dirs;
  bool default_plugins = true;
  std::optional<Severity> fail_on = Severity::error; ///< nothing: never fail on findings
  bool quiet = false;
  /// --isolate and --plugin-timeout (seconds, for an isolated plugin), each over the configuration's
  /// plugins.isolate and plugins.timeout_seconds; without either, out_of_tree and 600 s.
  std::optional<Isolation> isolate;
  std::optional<unsigned> plugin_timeout;
  unsigned jobs = 2;
  /// The history store (--db): an SQLite file or a postgresql:// address. run and validate record
  /// the run; every mode applies stored explanations and, without previous/, takes the previous
  /// spring census from it; profiles show the previous terms' figures.
  std::optional<std::string> db;
  /// The caller exits as soon as run_validate returns (the CLI): the run's records (dataset, findings,
  /// metrics) are then left for the operating system to take back at exit, not freed one by one (1.75 s
  /// for a national run's 2 GB). The output folder, the history store and the plugins close as always.
  bool exit_after = false;
};

/// The time now, UTC, ISO 8601 to the second ("2025-01-20T09:14:03Z").
std::string utc_now();

/// Runs validation and writes what options.mode asks for into options.out.
/// Returns the exit code; explains any failure on stderr.
int run_validate(const RunOptions& options);

// The decide stage's decisions about findings, made once for every writer (engine.cpp).

/// Merges a loader's IN003/IN004 finding on a record's field into the rule finding on the same record
/// that reports that field: one finding per problem, at the higher severity, both codes shown.
void merge_same_problem(std::vector<report::IdentifiedFinding>& findings);
/// A plugin finding's DfE rule (SDK 6): the one its rule names when it names just one and the plugin
/// gave none; one the rule's metadata does not name is cleared (check_plugin_output fails the plugin
/// that emits it). A merged finding keeps the rule's DfE rule, or takes the loader's (merge_same_problem).
void fill_dfe_rule(Finding& f, const RuleMeta& rule);
/// COLLECT's severity for a finding: its DfE rule's in the catalogue (core/src/dfe), or none.
std::optional<Severity> decide_collect(const Finding& f);
/// Who acts on a finding: its rule's declared actor; for a core input finding declared for the
/// school, whoever owns the input (the file) it is about.
Actor decide_actor(const Finding& f, const RuleMeta* rule, const Dataset& data);
/// The schools an LA-level finding about a pupil is shown to: every school the UPN is on roll at.
void decide_audience(std::vector<report::IdentifiedFinding>& findings, const Dataset& data);

/// One censusqa rule that covers a DfE rule: a loaded rule whose metadata names it (RuleInfo::dfe_rule),
/// or a loader's own finding on a field (load::loader_dfe_rules(): `loader` set, `field` the census item).
struct DfeCover {
  std::string code;   ///< "CI001", "IN004"
  std::string plugin; ///< the rule's plugin; "core" for the loader
  DfeMatch match = DfeMatch::exact;
  bool loader = false;
  std::string field; ///< for the loader: the census item ("NCyearActual")
  /// As `censusqa rules --dfe` shows it: "CI001 (exact, census-integrity)", "IN004 (loader, NCyearActual)".
  std::string text() const;
};
/// Every DfE rule id the loaded rules and the loader name, each with the rules covering it (the loader's
/// first, then the rules in `rules` order). An id need not be in the catalogue (the caller checks).
std::map<std::string, std::vector<DfeCover>> dfe_coverage(const PluginHost& host);

/// Loads the default plugin folder and the given extra ones.
void load_plugins(PluginHost& host, const std::vector<std::filesystem::path>& extra_dirs, bool default_dir = true);

} // namespace censusqa::engine
