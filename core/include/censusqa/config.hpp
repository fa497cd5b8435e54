// censusqa SDK: a plugin's configuration. The host reads censusqa.json, checks each plugin's
// section against the options the plugin declares (unknown keys are errors naming the nearest
// valid key) and hands the plugin its section as a small JSON-like value tree.
#pragma once

#include <censusqa/value.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace censusqa {

/// Configuration values are JSON values.
using ConfigValue = Value;

/// Thrown when a configured value has the wrong type; the message names the key.
class ConfigError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One option a plugin accepts, declared for validation and documentation.
struct OptionInfo {
  std::string_view key;
  std::string_view type;          ///< "integer", "number", "string", "object", "array", "boolean"
  std::string_view default_value; ///< as JSON text
  std::string_view description;
};

/// Typed read access to a plugin's configuration section.
class PluginConfig {
public:
  PluginConfig() = default;
  PluginConfig(std::string plugin_id, ConfigValue section)
      : plugin_id_{std::move(plugin_id)}, section_{std::move(section)} {}

  const ConfigValue* find(std::string_view key) const { return section_.find(key); }
  const ConfigValue& section() const { return section_; }

  std::int64_t get_int(std::string_view key, std::int64_t fallback) const {
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_int()) throw ConfigError(where(key) + " must be a whole number");
    return v->as_int();
  }
  double get_number(std::string_view key, double fallback) const {
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_number()) throw ConfigError(where(key) + " must be a number");
    return v->as_number();
  }
  std::string get_string(std::string_view key, std::string fallback) const {
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) throw ConfigError(where(key) + " must be a string");
    return v->as_string();
  }
  bool get_bool(std::string_view key, bool fallback) const {
    const auto* v = find(key);
    if (!v) return fallback;
    if (!v->is_bool()) throw ConfigError(where(key) + " must be true or false");
    return v->as_bool();
  }

private:
  std::string where(std::string_view key) const { return "configuration " + plugin_id_ + "." + std::string(key); }
  std::string plugin_id_;
  ConfigValue section_;
};

} // namespace censusqa
