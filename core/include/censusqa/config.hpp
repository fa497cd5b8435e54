// censusqa SDK: a plugin's configuration. The host reads censusqa.json, checks each plugin's
// section against the options the plugin declares (unknown keys are errors naming the nearest
// valid key) and hands the plugin its section as a small JSON-like value tree.
#pragma once

#include <censusqa/value.hpp>

#include <cstdint>
#include <optional>
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

/// One option a plugin accepts. The declaration is the single source of truth: the host checks every
/// configured value against it before any plugin runs (a bad value is a configuration error, exit 2),
/// applies the default where the LA gives none, and documents it (`censusqa rules`, `config --dump`).
/// Every member has a default, so a plugin names only what it needs:
///   {.key = "max_pct", .type = "number", .default_value = "25", .description = "...", .minimum = 0, .maximum = 100}
struct OptionInfo {
  std::string_view key{};
  std::string_view type{}; ///< "integer", "number", "string", "boolean", "date" (YYYY-MM-DD), "array", "object"
  std::string_view default_value{}; ///< as JSON text; empty: no default (the option is absent unless configured)
  std::string_view description{};
  std::optional<double> minimum{}; ///< integer and number: the smallest value allowed
  std::optional<double> maximum{}; ///< integer and number: the largest value allowed
  std::string_view allowed{}; ///< string, or an array of strings: the values allowed, comma-separated ("SPR,AUT,SUM")
  std::string_view items{};   ///< array: each item's type (as `type`); object: each member's type. Empty: any
};

/// Typed read access to a plugin's configuration section.
class PluginConfig {
public:
  PluginConfig() = default;
  PluginConfig(std::string plugin_id, ConfigValue section)
      : plugin_id_{std::move(plugin_id)}, section_{std::move(section)} {}

  const ConfigValue* find(std::string_view key) const { return section_.find(key); }
  const ConfigValue& section() const { return section_; }

  // The host has applied the declared defaults, so a plugin reads a declared option without a fallback;
  // the forms with a fallback are for options declared with no default.
  std::int64_t get_int(std::string_view key) const { return required(key), get_int(key, 0); }
  double get_number(std::string_view key) const { return required(key), get_number(key, 0); }
  std::string get_string(std::string_view key) const { return required(key), get_string(key, {}); }
  bool get_bool(std::string_view key) const { return required(key), get_bool(key, false); }

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
  void required(std::string_view key) const {
    const auto* v = find(key);
    if (!v) throw ConfigError(where(key) + " is not configured and the plugin declares no default for it");
  }
  std::string where(std::string_view key) const { return "configuration " + plugin_id_ + "." + std::string(key); }
  std::string plugin_id_;
  ConfigValue section_;
};

} // namespace censusqa
