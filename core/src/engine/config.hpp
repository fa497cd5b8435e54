// The LA configuration (censusqa.json): run-level settings and one section per plugin id.
#pragma once

#include "plugin_host.hpp"

#include <censusqa/config.hpp>
#include <censusqa/plugin.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace censusqa::engine {

struct LaConfig {
  std::string path; ///< empty when no file was read
  RunInfo run;
  std::optional<Date> financial_year_end;
  /// "ehc_cases_from": "csv" reads ehcp_cases.csv even when SEN2 returns are there (default "sen2").
  bool ehc_cases_from_csv = false;
  /// "ap_placements_from": "csv" reads ap_placements.csv even when AP census returns are there (default
  /// "ap_census").
  bool ap_placements_from_csv = false;
  /// "replies": what each school's profile says of replying to the LA.
  struct Replies {
    std::optional<Date> deadline; ///< the date by which the LA wants the profile back
    std::string contact;          ///< who to ask, as the LA writes it: "Census team, census@la.gov.uk"
  } replies;
  /// plugin id -> its effective section: for every loaded plugin, the declared defaults applied
  std::map<std::string, ConfigValue> sections;
  std::vector<std::string> warnings; ///< sections for plugins that are not loaded
  ConfigValue given;                 ///< the file as read (an empty object without one), for config --dump

  /// "rules": a rule the LA turned off or gave another severity than the one it declares.
  struct RuleOverride {
    std::string rule;
    Severity declared = Severity::error;
    std::string setting; ///< "off", "error", "query" or "info"
    std::string by;      ///< the key of "rules" that set it: the code or the pattern
  };
  std::vector<RuleOverride> rule_overrides; ///< in the order of `censusqa rules`
  std::vector<std::string> rules_off() const;

  /// "plugins": how the host runs plugins (unset: the command line's or the built-in choice).
  struct Plugins {
    std::optional<Isolation> isolate;
    std::optional<int> timeout_seconds; ///< 1 to 86400
  } plugins;
};

/// Thrown for a configuration that cannot be used; the message names the file and key.
class ConfigFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Reads and validates censusqa.json (none: `file` empty) against the loaded plugins' declared options
/// and rules: unknown keys are errors naming the nearest valid key; every loaded plugin's section gets
/// its declared defaults and passes its check_config.
LaConfig read_config(const std::optional<std::filesystem::path>& file, const PluginHost& host);

/// The "rules" section resolved against the loaded rules (core first): an exact code beats a pattern,
/// a pattern with more literal characters beats one with fewer. Throws ConfigFileError (naming `where`)
/// for an unknown code, a pattern matching nothing, a core input rule turned off, or two equally
/// specific patterns at odds.
std::vector<LaConfig::RuleOverride> resolve_rules(const ConfigValue& rules, const std::vector<const RuleMeta*>& all,
                                                  const std::string& where);

/// The effective configuration as a censusqa.json (`censusqa config --dump`): the run keys, "replies",
/// "rules" and "plugins" as given, and every loaded plugin's section with its defaults applied (the
/// sections of plugins that are not loaded as given).
std::string dump_config(const LaConfig& config);

/// The candidate nearest to `word` by edit distance (empty when none is close).
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

/// Converts a JSON text into a ConfigValue (throws ConfigFileError).
ConfigValue parse_json_value(const std::string& text, const std::string& where);

} // namespace censusqa::engine
