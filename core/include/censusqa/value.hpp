// censusqa SDK: a JSON-like value, for configuration sections and for the figures plugins publish
// into metrics.json.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace censusqa {

/// A JSON value: null, boolean, integer, number, string, array or object.
class Value {
public:
  using Array = std::vector<Value>;
  using Object = std::map<std::string, Value, std::less<>>;

  Value() = default;
  Value(bool b) : v_{b} {}
  Value(std::int64_t i) : v_{i} {}
  Value(int i) : v_{static_cast<std::int64_t>(i)} {}
  Value(std::size_t n) : v_{static_cast<std::int64_t>(n)} {}
  Value(double d) : v_{d} {}
  Value(std::string s) : v_{std::move(s)} {}
  Value(const char* s) : v_{std::string(s)} {}
  Value(Array a) : v_{std::move(a)} {}
  Value(Object o) : v_{std::move(o)} {}

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

  /// Sets member `key` of an object (a null value becomes an empty object first).
  Value& set(std::string key, Value v) {
    if (is_null()) v_ = Object{};
    std::get<Object>(v_)[std::move(key)] = std::move(v);
    return *this;
  }
  /// Appends to an array (a null value becomes an empty array first).
  Value& push_back(Value v) {
    if (is_null()) v_ = Array{};
    std::get<Array>(v_).push_back(std::move(v));
    return *this;
  }

  /// The member `key` of an object, or null when absent (or when this is not an object).
  const Value* find(std::string_view key) const {
    if (!is_object()) return nullptr;
    const auto& o = as_object();
    const auto it = o.find(key);
    return it == o.end() ? nullptr : &it->second;
  }

private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Array, Object> v_;
};

} // namespace censusqa
