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

/// An explanation from the history store that applies to a finding in this run.
struct Explained {
  std::int64_t id = 0;
  std::string text, by, given, until;
  /// "text (by, date given)", as the CSV and the LA workbook show it.
  std::string summary() const { return text + " (" + by + ", " + given.substr(0, 10) + ")"; }
};

/// A finding with the id the engine gave it, and what the engine's decide stage settled about it:
/// who acts, the findings of the same problem merged into it, and the schools it is shown to.
struct IdentifiedFinding {
  std::string id;
  Finding finding;
  std::optional<Explained> explained; ///< set when a stored explanation applies (queries and info only)
  Actor actor = Actor::school;        ///< who acts on it: the school, or which LA team
  /// A finding of the same problem merged into this one (a loader's IN003/IN004 on the field a rule
  /// also reports), with its id: explanations and replies given for that id still apply.
  struct Merged {
    std::string id;
    Finding finding;
  };
  std::vector<Merged> merged;
  /// The schools an LA-level finding about a pupil is shown to (every school it is on roll at, CI005),
  /// sorted; empty for a school's own finding, which goes to `finding.laestab` alone.
  std::vector<std::string> shown_to;
  /// What the DfE's COLLECT will say of it: the severity the catalogue gives its DfE rule
  /// (finding.dfe_rule), error or query; none when it has no DfE rule or the catalogue does not know it.
  /// Decided by the engine (decide_collect); the writers only lay it out.
  std::optional<Severity> collect;

  /// "DfE 1520 (error)", "DfE 1520" (a number the catalogue does not know), or empty: how the
  /// workbooks say that COLLECT raises it too.
  std::string collect_text() const {
    if (finding.dfe_rule.empty()) return {};
    return "DfE " + finding.dfe_rule + (collect ? " (" + std::string(name(*collect)) + ")" : std::string());
  }

  /// The rule codes shown for it: the loaders' first, "IN004, CI008".
  std::string codes() const {
    std::string out;
    for (const auto& m : merged)
      out += m.finding.rule + ", ";
    return out + finding.rule;
  }
  /// Whether `other` is its id or a merged finding's.
  bool has_id(std::string_view other) const {
    if (id == other) return true;
    for (const auto& m : merged)
      if (m.id == other) return true;
    return false;
  }
  /// The merged finding ids, "; "-separated (findings.csv).
  std::string merged_ids() const {
    std::string out;
    for (const auto& m : merged)
      out += (out.empty() ? "" : "; ") + m.id;
    return out;
  }
};

/// What the run did, for the "run" block.
struct RunSummary {
  std::string started; ///< UTC, ISO 8601
  RunInfo run;
  struct Plugin {
    std::string id, version, file, status, error; ///< status: "ok" or "failed" (did not run)
    int sdk = 0;
    std::size_t rules = 0;
    bool isolated = false; ///< ran in a child process (a crash or a hang failed it alone)
    struct Message {
      std::string level, message; ///< level: "info" or "warning"
    };
    std::vector<Message> messages;    ///< what it logged (censusqa::Log), the first ones
    std::size_t messages_dropped = 0; ///< messages beyond those kept
  };
  std::vector<Plugin> plugins;
  std::vector<std::string> plugin_load_errors;
  /// censusqa.json "rules": a rule turned off or given another severity than the one it declares.
  struct RuleOverride {
    std::string rule, declared, setting, by; ///< setting: off, error, query or info; by: the key that set it
  };
  std::vector<RuleOverride> rule_overrides;
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
