// findings.json and findings.csv (spec/outputs.md). Writers know nothing of rules.
#pragma once

#include <censusqa/dataset.hpp>
#include <censusqa/finding.hpp>
#include <censusqa/plugin.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::report {

/// A finding with the id the engine gave it.
/// An explanation from the history store that applies to a finding in this run.
struct Explained {
  std::int64_t id = 0;
  std::string text, by, given, until;
  /// "text (by, date given)", as the CSV and the LA workbook show it.
  std::string summary() const { return text + " (" + by + ", " + given.substr(0, 10) + ")"; }
};

struct IdentifiedFinding {
  std::string id;
  Finding finding;
  std::optional<Explained> explained; ///< set when a stored explanation applies (queries and info only)
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
  /// The history store, when the run used one (--db).
  struct History {
    std::string store;         ///< where it is (no password)
    std::string previous_from; ///< "previous/", "run N (SPR 2024-01-18)" or empty: where PN013 looked
    std::size_t explained = 0; ///< findings an explanation applies to
    struct Review {
      std::int64_t explanation = 0;
      std::string finding_id, status, reason;
    };
    std::vector<Review> review; ///< explanations not applied: values changed, finding gone, expired
  };
  std::optional<History> history;
};

/// A finding's values as a JSON object in their order ({"field": "value", ...}): how findings.json
/// writes them and how the history store compares them.
std::string values_json(const Finding& f);

void write_findings_json(const std::filesystem::path& path, const RunSummary& run, const Dataset& data,
                         const std::vector<IdentifiedFinding>& findings);
void write_findings_csv(const std::filesystem::path& path, const Dataset& data,
                        const std::vector<IdentifiedFinding>& findings);

/// A JSON string literal (quoted and escaped).
std::string json_string(std::string_view s);
/// One cell of findings.csv: quoted when it must be, and never a live formula (text that begins with
/// = + - @ tab or CR gets a leading apostrophe, the OWASP rule for CSV injection).
std::string csv_cell(std::string_view s);

} // namespace censusqa::report
