// The run: configuration, plugins, loading, rules, findings and outputs, with the frozen exit
// codes of spec/outputs.md.
#pragma once

#include "plugin_host.hpp"

#include <censusqa/rule.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::engine {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int findings = 1;
inline constexpr int usage = 2;
inline constexpr int plugin_failed = 3;
} // namespace exit_code

struct RunOptions {
  std::filesystem::path la_dir;
  std::optional<std::filesystem::path> census, schools;
  std::filesystem::path out;
  std::optional<std::filesystem::path> config; ///< default: <la>/censusqa.json when present
  std::vector<std::filesystem::path> plugin_dirs;
  bool default_plugins = true;
  std::optional<Severity> fail_on = Severity::error; ///< nothing: never fail on findings
  bool quiet = false;
  unsigned jobs = 2;
};

/// Runs validation and writes findings.json, findings.csv and metrics.json into options.out.
/// Returns the exit code; explains any failure on stderr.
int run_validate(const RunOptions& options);

/// Loads the default plugin folder and the given extra ones.
void load_plugins(PluginHost& host, const std::vector<std::filesystem::path>& extra_dirs, bool default_dir = true);

} // namespace censusqa::engine
