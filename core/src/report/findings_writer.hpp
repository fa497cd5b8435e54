// findings.json and findings.csv (spec/outputs.md). Writers know nothing of rules.
#pragma once

#include <censusqa/dataset.hpp>
#include <censusqa/finding.hpp>
#include <censusqa/plugin.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace censusqa::report {

/// A finding with the id the engine gave it.
struct IdentifiedFinding {
  std::string id;
  Finding finding;
};

/// What the run did, for the "run" block.
struct RunSummary {
  std::string started; ///< UTC, ISO 8601
  RunInfo run;
  struct Plugin {
    std::string id, version, file, status, error; ///< status: "ok" or "failed" (did not run)
    int sdk = 0;
    std::size_t rules = 0;
  };
  std::vector<Plugin> plugins;
  std::vector<std::string> plugin_load_errors;
};

void write_findings_json(const std::filesystem::path& path, const RunSummary& run, const Dataset& data,
                         const std::vector<IdentifiedFinding>& findings);
void write_findings_csv(const std::filesystem::path& path, const Dataset& data,
                        const std::vector<IdentifiedFinding>& findings);

/// A JSON string literal (quoted and escaped).
std::string json_string(std::string_view s);

} // namespace censusqa::report
