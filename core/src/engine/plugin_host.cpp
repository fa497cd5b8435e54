// Plugin loading with Boost.DLL; see plugin_host.hpp.
#include "plugin_host.hpp"

#include "../load/csv_reader.hpp"
#include "../load/input_report.hpp"
#include "../report/metrics.hpp"

#include <censusqa/options.hpp>

#include <boost/dll/runtime_symbol_info.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace censusqa::engine {
namespace fs = std::filesystem;

RuleMeta RuleMeta::from(const RuleInfo& r, std::string plugin) {
  RuleMeta m;
  m.code = std::string(r.code);
  m.title = std::string(r.title);
  m.why = std::string(r.why);
  m.how_to_fix = std::string(r.how_to_fix);
  m.fields = std::string(r.fields);
  m.dfe_rule = std::string(r.dfe_rule);
  m.dfe_match = r.dfe_match;
  m.plugin = std::move(plugin);
  m.severity = r.severity;
  m.scope = r.scope;
  m.actor = r.actor;
  m.needs = r.needs;
  return m;
}

std::string_view isolation_name(Isolation mode) {
  static constexpr std::string_view names[] = {"out-of-tree", "all", "none"};
  return names[static_cast<int>(mode)];
}

std::optional<Isolation> parse_isolation(std::string_view word) {
  for (const Isolation m : {Isolation::out_of_tree, Isolation::all, Isolation::none})
    if (word == isolation_name(m)) return m;
  return std::nullopt;
}

fs::path default_plugin_dir() {
  return boost::dll::program_location().parent_path().parent_path() / "lib" / "censusqa" / "plugins";
}

fs::path share_dir() { return boost::dll::program_location().parent_path().parent_path() / "share" / "censusqa"; }

void PluginHost::ensure_core() {
  if (core_loaded_) return;
  core_loaded_ = true;
  for (const RuleInfo* r : load::input_rules())
    core_rules_.push_back(RuleMeta::from(*r, "core"));
}

namespace {

// "libstdc++ 12" -> {"libstdc++", 12}
std::pair<std::string, long> split_id(std::string_view id) {
  const auto space = id.rfind(' ');
  if (space == std::string_view::npos) return {std::string(id), 0};
  return {std::string(id.substr(0, space)), std::atol(std::string(id.substr(space + 1)).c_str())};
}

std::string text_of(const char* field, std::size_t n) { return std::string(field, strnlen(field, n)); }

// A code as a refusal shows it: valid UTF-8, at most 20 bytes.
std::string shown_code(std::string_view code) {
  return load::valid_utf8(code.substr(0, 20)) + (code.size() > 20 ? "..." : "");
}

} // namespace

std::string check_descriptor(const PluginDescriptor* d) {
  if (!d || d->magic != plugin_magic || d->size != sizeof(PluginDescriptor))
    return "has a plugin descriptor this censusqa cannot read (wrong magic number or size): it was not built with "
           "CENSUSQA_PLUGIN from SDK " +
           std::to_string(CENSUSQA_SDK_VERSION_MAJOR);
  const std::string compiler = text_of(d->compiler, sizeof d->compiler), stdlib = text_of(d->stdlib, sizeof d->stdlib);
  const std::string built =
      "SDK " + std::to_string(d->sdk_major) + "." + std::to_string(d->sdk_minor) + ", " + compiler + ", " + stdlib;
  const std::string major = std::to_string(CENSUSQA_SDK_VERSION_MAJOR);
  const std::string sdk_range = CENSUSQA_SDK_VERSION_MINOR == 0 ? "SDK " + major + ".0"
                                                                : "SDK " + major + ".0 to " + major + "." +
                                                                      std::to_string(CENSUSQA_SDK_VERSION_MINOR);
  const std::string expected = sdk_range + " and " + detail::stdlib_id + " or older (this censusqa " +
                               CENSUSQA_VERSION_STRING + " was built with " + detail::compiler_id + ")";
  std::string why;
  if (d->sdk_major != CENSUSQA_SDK_VERSION_MAJOR)
    why = "a different SDK major version";
  else if (d->sdk_minor > CENSUSQA_SDK_VERSION_MINOR)
    why = "a newer SDK than this censusqa provides";
  else {
    const auto [family, release] = split_id(stdlib);
    const auto [host_family, host_release] = split_id(detail::stdlib_id);
    if (family != host_family)
      why = "another C++ standard library";
    else if (release > host_release)
      why = "a newer C++ standard library than this censusqa runs with";
  }
  if (why.empty()) return {};
  return "was built with " + built + ": " + why + "; expected " + expected +
         ". Rebuild the plugin against this "
         "censusqa's SDK with the same compiler family.";
}

void PluginHost::load_directory(const fs::path& dir) {
  ensure_core();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    errors_.push_back({dir, "plugin folder " + dir.string() + " does not exist"});
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".so") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files)
    load_file(f);
}

void PluginHost::load_file(const fs::path& path) {
  ensure_core();
  const fs::path file = fs::absolute(path); // Boost.DLL looks a bare name up in the current directory
  auto lp = std::make_unique<LoadedPlugin>();
  lp->file = file;
  const std::string shown = file.lexically_normal().string(); // the full path: which copy was refused
  try {
    lp->library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    errors_.push_back({file, shown + " could not be loaded as a shared library: " + std::string(e.what())});
    return;
  }
  if (!lp->library.has("censusqa_plugin_descriptor") || !lp->library.has("censusqa_create_plugin")) {
    if (lp->library.has("censusqa_sdk_version"))
      errors_.push_back({file, shown + " was built against censusqa SDK " +
                                   std::to_string(lp->library.get<int()>("censusqa_sdk_version")()) +
                                   ", which had no plugin descriptor; this censusqa " + CENSUSQA_VERSION_STRING +
                                   " expects SDK " + std::to_string(CENSUSQA_SDK_VERSION_MAJOR) +
                                   ": rebuild the plugin against it"});
    else
      errors_.push_back({file, shown + " is not a censusqa plugin: it does not export censusqa_plugin_descriptor and "
                                       "censusqa_create_plugin (use CENSUSQA_PLUGIN in module.cpp)"});
    return;
  }
  // The descriptor is read and checked before any other code in the library runs.
  const PluginDescriptor* d = lp->library.get<const PluginDescriptor*()>("censusqa_plugin_descriptor")();
  if (const std::string why = check_descriptor(d); !why.empty()) {
    errors_.push_back({file, shown + " " + why});
    return;
  }
  const int sdk = d->sdk_major;
  lp->compiler = text_of(d->compiler, sizeof d->compiler);
  lp->stdlib = text_of(d->stdlib, sizeof d->stdlib);
  try {
    lp->plugin.reset(lp->library.get<RulePlugin*()>("censusqa_create_plugin")());
  } catch (const std::exception& e) {
    errors_.push_back({file, shown + ": the plugin factory threw: " + std::string(e.what())});
    return;
  }
  if (!lp->plugin) {
    errors_.push_back({file, shown + ": the plugin factory returned no plugin"});
    return;
  }
  const PluginInfo info = lp->plugin->info();
  if (info.id != text_of(d->plugin_id, sizeof d->plugin_id) ||
      info.version != text_of(d->plugin_version, sizeof d->plugin_version)) {
    errors_.push_back({file, shown + ": its descriptor says " + text_of(d->plugin_id, sizeof d->plugin_id) + " " +
                                 text_of(d->plugin_version, sizeof d->plugin_version) + " but the plugin says " +
                                 std::string(info.id) + " " + std::string(info.version) +
                                 "; give CENSUSQA_PLUGIN the same id and version"});
    return;
  }
  lp->id = std::string(info.id);
  lp->name = std::string(info.name);
  lp->version = std::string(info.version);
  lp->description = std::string(info.description);
  lp->sdk_major = sdk;
  for (const auto& p : plugins_)
    if (p->id == lp->id) {
      errors_.push_back(
          {file, shown + ": a plugin with id '" + lp->id + "' is already loaded from " + p->file.string()});
      return;
    }
  for (const RuleInfo& r : info.rules) {
    if (!is_valid_rule_code(r.code)) {
      errors_.push_back({file, shown + ": rule code '" + shown_code(r.code) +
                                   "' is not valid: a rule code is 2 to 4 capital letters and 3 or 4 digits, e.g. ATT003"});
      return;
    }
    bool dfe_ok = true;
    for_each_dfe_rule(r.dfe_rule, [&](std::string_view id) { dfe_ok = dfe_ok && is_valid_dfe_rule(id); });
    if (!dfe_ok) {
      errors_.push_back({file, shown + ": rule " + std::string(r.code) + " names DfE rule '" +
                                   shown_code(r.dfe_rule) +
                                   "', which is not one: a DfE rule is 3 or 4 digits (\"2170\") or a term-on-term "
                                   "query (\"TonT4B\"), several separated by \", \""});
      return;
    }
    if (std::any_of(lp->rules.begin(), lp->rules.end(), [&](const RuleMeta& m) { return m.code == r.code; })) {
      errors_.push_back({file, shown + ": rule code " + std::string(r.code) +
                                   " is listed twice in the plugin; each rule has its own code"});
      return;
    }
    if (const RuleMeta* other = find_rule(r.code)) {
      errors_.push_back({file, shown + ": rule code " + std::string(r.code) + " is already declared by plugin '" +
                                   other->plugin + "'; rule codes must be unique across plugins"});
      return;
    }
    if (r.title.empty() || r.why.empty() || r.how_to_fix.empty()) {
      errors_.push_back({file, shown + ": rule " + std::string(r.code) + " lacks a title, why or how-to-fix text"});
      return;
    }
    if (static_cast<std::size_t>(r.actor) >= actor_names.size()) {
      errors_.push_back({file, shown + ": rule " + std::string(r.code) + " names no known actor (who acts)"});
      return;
    }
    lp->rules.push_back(RuleMeta::from(r, lp->id));
  }
  if (const std::string why = take_metric_names(*lp, info); !why.empty()) {
    errors_.push_back({file, shown + ": " + why});
    return;
  }
  for (const OptionInfo& o : info.options)
    lp->options.push_back(
        {std::string(o.key), std::string(o.type), std::string(o.default_value), std::string(o.description)});
  try { // a declared default that does not meet its own declaration would refuse every LA's run
    check_option_declarations(info.options, info.id);
  } catch (const ConfigError& e) {
    errors_.push_back({file, shown + ": " + e.what()});
    return;
  }
  plugins_.push_back(std::move(lp));
}

std::string PluginHost::take_metric_names(LoadedPlugin& lp, const PluginInfo& info) const {
  for (const std::string_view n : info.metric_names) {
    if (n.empty() || n == "." || !load::is_valid_utf8(n))
      return "a metric name it declares is empty or not UTF-8 text (metric_names)";
    lp.metric_names.emplace_back(n);
  }
  if (lp.metric_names.empty()) lp.metric_names.push_back(lp.id + ".");
  for (const std::string& n : lp.metric_names) {
    const std::string what = n.ends_with('.') ? "the metric prefix '" + n + "'" : "the metric name '" + n + "'";
    if (const std::string_view core = report::core_metric_overlap(n); !core.empty())
      return what + " overlaps the core's '" + std::string(core) +
             "': the core's metrics (docs/metrics.md) are not a plugin's to write; declare names of your own "
             "(metric_names, e.g. \"" +
             lp.id + ".\")";
    for (const auto& p : plugins_)
      for (const std::string& theirs : p->metric_names)
        if (report::metric_names_overlap(n, theirs))
          return what + " overlaps '" + theirs + "' of plugin '" + p->id + "' (" + p->file.string() +
                 "); each metric has one owner";
  }
  return {};
}

bool LoadedPlugin::owns_metric(std::string_view name) const {
  return std::any_of(metric_names.begin(), metric_names.end(),
                     [&](const std::string& n) { return report::metric_name_covers(n, name); });
}

bool LoadedPlugin::installed_with_censusqa() const {
  std::error_code ec;
  return fs::equivalent(file.parent_path(), default_plugin_dir(), ec);
}

std::string PluginHost::metric_owner(std::string_view name) const {
  if (report::is_core_metric(name)) return "core";
  for (const auto& p : plugins_)
    if (p->owns_metric(name)) return p->id;
  return {};
}

const RuleMeta* PluginHost::find_rule(std::string_view code) const {
  for (const auto& r : core_rules_)
    if (iequals(r.code, code)) return &r;
  for (const auto& p : plugins_)
    for (const auto& r : p->rules)
      if (iequals(r.code, code)) return &r;
  return nullptr;
}

std::vector<const RuleMeta*> PluginHost::all_rules() const {
  std::vector<const RuleMeta*> out;
  for (const auto& r : core_rules_)
    out.push_back(&r);
  for (const auto& p : plugins_)
    for (const auto& r : p->rules)
      out.push_back(&r);
  return out;
}

} // namespace censusqa::engine
