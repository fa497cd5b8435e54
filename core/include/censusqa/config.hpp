// censusqa SDK: a plugin's configuration. The host reads censusqa.json, checks each plugin's
// section against the options the plugin declares (unknown keys are errors naming the nearest
// valid key) and hands the plugin its section as a small JSON-like value tree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace censusqa {

/// A JSON value: null, boolean, integer, number, string, array or object.
class ConfigValue {
public:
  using Array = std::vector<ConfigValue>;
  using Object = std::map<std::string, ConfigValue, std::less<>>;

  ConfigValue() = default;
  ConfigValue(bool b) : v_{b} {}
  ConfigValue(std::int64_t i) : v_{i} {}
  ConfigValue(int i) : v_{static_cast<std::int64_t>(i)} {}
  ConfigValue(double d) : v_{d} {}
  ConfigValue(std::string s) : v_{std::move(s)} {}
  ConfigValue(const char* s) : v_{std::string(s)} {}
  ConfigValue(Array a) : v_{std::move(a)} {}
  ConfigValue(Object o) : v_{std::move(o)} {}

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_int() const { return std::holds_alternative<std::int64_t>(v_); }
  bool is_number() const { return is_int() || std::holds_alternative<double>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_array() const { return std::holds_alternative<Array>(v_); }
  bool is_object() const { return std::holds_alternative<Object>(v_); }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  double as_number() const { return is_int() ? static_cast<double>(std::get<std::int64_t>(v_)) : std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }

  /// The member `key` of an object, or null when absent (or when this is not an object).
  const ConfigValue* find(std::string_view key) const {
    if (!is_object()) return nullptr;
    const auto& o = as_object();
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &it->second;
  }

private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v_;
};

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
