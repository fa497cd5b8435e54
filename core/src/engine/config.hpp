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
  /// "replies": what each school's profile says of replying to the LA.
  struct Replies {
    std::optional<Date> deadline; ///< the date by which the LA wants the profile back
    std::string contact;          ///< who to ask, as the LA writes it: "Census team, census@la.gov.uk"
  } replies;
  std::map<std::string, ConfigValue> sections; ///< plugin id -> its section
  std::vector<std::string> warnings;           ///< sections for plugins that are not loaded
};

/// Thrown for a configuration that cannot be used; the message names the file and key.
class ConfigFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Reads and validates censusqa.json against the loaded plugins' declared options. Unknown keys
/// are errors naming the nearest valid key.
LaConfig read_config(const std::filesystem::path& path, const PluginHost& host);

/// The candidate nearest to `word` by edit distance (empty when none is close).
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

/// Converts a JSON text into a ConfigValue (throws ConfigFileError).
ConfigValue parse_json_value(const std::string& text, const std::string& where);

} // namespace censusqa::engine
