// The plugin host: finds plugin libraries, checks each one's SDK version before calling its
// factory, and keeps every library loaded for longer than any object it made.
#pragma once

#include <censusqa/plugin.hpp>

#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::engine {

/// Which plugins run in a child process (isolate.hpp), where a crash or a hang fails that plugin alone
/// (exit 3) instead of the run: out_of_tree, those not installed with censusqa (--plugins); all; none.
enum class Isolation { out_of_tree, all, none };
/// "out-of-tree", "all", "none": the words of --isolate=MODE and censusqa.json plugins.isolate.
std::string_view isolation_name(Isolation mode);
std::optional<Isolation> parse_isolation(std::string_view word);
inline constexpr unsigned default_plugin_timeout_seconds = 600;

/// A rule's metadata copied into host-owned strings.
struct RuleMeta {
  std::string code, title, why, how_to_fix, fields, plugin;
  std::string dfe_rule; ///< the DfE rules it corresponds to, ", "-separated; empty: an LA-level check
  DfeMatch dfe_match = DfeMatch::exact;
  Severity severity = Severity::error;
  Scope scope = Scope::pupil;
  Actor actor = Actor::school;
  unsigned needs = 0;
  static RuleMeta from(const RuleInfo& r, std::string plugin);
};

struct OptionMeta {
  std::string key, type, default_value, description;
};

/// One loaded plugin. Member order matters: the library is declared first so that it is
/// destroyed last, after the plugin object whose code lives in it.
struct LoadedPlugin {
  boost::dll::shared_library library;
  std::unique_ptr<RulePlugin> plugin;
  std::filesystem::path file;
  std::string id, name, version, description;
  int sdk_major = 0;
  std::string compiler, stdlib; ///< from its descriptor
  std::vector<RuleMeta> rules;
  std::vector<OptionMeta> options;
  /// The metric names it owns (PluginInfo::metric_names; "<id>." when it declares none): a name ending
  /// in '.' is a prefix. It may write no other.
  std::vector<std::string> metric_names;
  bool owns_metric(std::string_view name) const;
  /// Whether it was loaded from default_plugin_dir(): installed with censusqa (first-party).
  bool installed_with_censusqa() const;
};

/// A plugin that could not be loaded, and why.
struct PluginLoadError {
  std::filesystem::path file;
  std::string message;
};

class PluginHost {
public:
  PluginHost() { ensure_core(); }
  /// Loads every plugin library (*.so) in `dir`, in name order.
  void load_directory(const std::filesystem::path& dir);
  /// Loads one library. Refusals (not a plugin, wrong SDK, duplicate id or rule code) are
  /// recorded in errors() and the library is unloaded.
  void load_file(const std::filesystem::path& file);

  const std::vector<std::unique_ptr<LoadedPlugin>>& plugins() const { return plugins_; }
  const std::vector<PluginLoadError>& errors() const { return errors_; }
  /// The metadata of a rule code across core and all loaded plugins, or null.
  const RuleMeta* find_rule(std::string_view code) const;
  /// Who owns a metric name: "core", a loaded plugin's id, or empty (no one).
  std::string metric_owner(std::string_view name) const;
  /// Core input rules followed by every plugin's rules.
  std::vector<const RuleMeta*> all_rules() const;

private:
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  std::vector<PluginLoadError> errors_;
  std::vector<RuleMeta> core_rules_;
  bool core_loaded_ = false;
  void ensure_core();
  /// Copies the metric names `info` declares into `lp`; why they are refused, or empty.
  std::string take_metric_names(LoadedPlugin& lp, const PluginInfo& info) const;
};

/// Why the host cannot load a plugin with this descriptor (empty when it can): names what the
/// plugin was built with and what this censusqa expects.
std::string check_descriptor(const PluginDescriptor* d);

/// The folder the host looks in by default: <exe>/../lib/censusqa/plugins.
std::filesystem::path default_plugin_dir();
/// The folder of run-time data: <exe>/../share/censusqa.
std::filesystem::path share_dir();

} // namespace censusqa::engine
