// censusqa SDK: a plugin's declared options applied to the LA's configuration section. One definition
// for the host (which refuses a bad value before any plugin runs, exit 2) and for the testkit, so a
// plugin's own tests see what a run sees. Header-only and free of third-party libraries.
#pragma once

#include <censusqa/config.hpp>
#include <censusqa/date.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa {

namespace option_detail {

inline constexpr std::string_view known_types[] = {"integer", "number", "string", "boolean", "date", "array", "object"};
inline bool known_type(std::string_view t) {
  return std::find(std::begin(known_types), std::end(known_types), t) != std::end(known_types);
}

/// A small JSON reader for declared default texts: plugin text, trusted but still checked; bounded depth.
class DefaultJson {
public:
  explicit DefaultJson(std::string_view t) : t_{t} {}
  ConfigValue parse() {
    ConfigValue v = value(0);
    space();
    if (i_ != t_.size()) fail("more text after the value");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ConfigError("not valid JSON at character " + std::to_string(i_ + 1) + ": " + what);
  }
  void space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
  }
  bool eat(char c) {
    space();
    if (i_ < t_.size() && t_[i_] == c) return ++i_, true;
    return false;
  }
  ConfigValue value(int depth) {
    if (depth > 16) fail("nested too deeply");
    space();
    if (i_ >= t_.size()) fail("expected a value");
    const char c = t_[i_];
    if (c == '{') {
      ++i_;
      ConfigValue o{ConfigValue::Object{}};
      if (eat('}')) return o;
      do {
        space();
        if (i_ >= t_.size() || t_[i_] != '"') fail("expected a key in double quotes");
        std::string k = string();
        if (o.find(k)) fail("the key \"" + k + "\" appears twice");
        if (!eat(':')) fail("expected ':'");
        o.set(std::move(k), value(depth + 1));
      } while (eat(','));
      if (!eat('}')) fail("expected ',' or '}'");
      return o;
    }
    if (c == '[') {
      ++i_;
      ConfigValue a{ConfigValue::Array{}};
      if (eat(']')) return a;
      do
        a.push_back(value(depth + 1));
      while (eat(','));
      if (!eat(']')) fail("expected ',' or ']'");
      return a;
    }
    if (c == '"') return string();
    for (const auto& [word, v] :
         {std::pair{std::string_view("true"), ConfigValue(true)},
          std::pair{std::string_view("false"), ConfigValue(false)}, std::pair{std::string_view("null"), ConfigValue()}})
      if (t_.substr(i_, word.size()) == word) return i_ += word.size(), v;
    return number();
  }
  ConfigValue number() {
    const std::size_t at = i_;
    if (i_ < t_.size() && t_[i_] == '-') ++i_;
    bool integer = true;
    const std::size_t digits_at = i_;
    while (i_ < t_.size() &&
           ((t_[i_] >= '0' && t_[i_] <= '9') || t_[i_] == '.' || t_[i_] == 'e' || t_[i_] == 'E' ||
            ((t_[i_] == '+' || t_[i_] == '-') && i_ > digits_at && (t_[i_ - 1] == 'e' || t_[i_ - 1] == 'E')))) {
      if (t_[i_] < '0' || t_[i_] > '9') integer = false;
      ++i_;
    }
    if (i_ == digits_at || t_[digits_at] < '0' || t_[digits_at] > '9') fail("expected a value");
    const char* b = t_.data() + at;
    const char* e = t_.data() + i_;
    if (integer) {
      std::int64_t n = 0;
      if (const auto r = std::from_chars(b, e, n); r.ec != std::errc{} || r.ptr != e) fail("a number out of range");
      return n;
    }
    double d = 0;
    if (const auto r = std::from_chars(b, e, d); r.ec != std::errc{} || r.ptr != e || !std::isfinite(d))
      fail("not a number");
    return d;
  }
  std::string string() {
    ++i_;
    std::string out;
    while (i_ < t_.size() && t_[i_] != '"') {
      char c = t_[i_++];
      if (static_cast<unsigned char>(c) < 0x20) fail("a control character in a string");
      if (c == '\\') {
        if (i_ >= t_.size()) break;
        switch (c = t_[i_++]) {
        case '"':
        case '\\':
        case '/': break;
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        default: fail("an escape other than \\\", \\\\, \\/, \\n or \\t");
        }
      }
      out.push_back(c);
    }
    if (i_ >= t_.size()) fail("the text ends inside a string");
    ++i_;
    return out;
  }
  std::string_view t_;
  std::size_t i_ = 0;
};

inline std::string number_text(double d) {
  char b[32];
  const auto r = std::to_chars(b, b + sizeof b, d);
  return std::string(b, r.ptr);
}

/// A value as the LA wrote it, compact and cut short: "ten", 2.5, [1, 2], {"a": 1}.
inline std::string show(const ConfigValue& v, std::size_t room = 60) {
  std::string s;
  if (v.is_null())
    s = "null";
  else if (v.is_bool())
    s = v.as_bool() ? "true" : "false";
  else if (v.is_int())
    s = std::to_string(v.as_int());
  else if (v.is_number())
    s = number_text(v.as_number());
  else if (v.is_string()) {
    // Appended piece by piece: GCC 12 at -O3 reports 'literal + string' chains as -Wrestrict (bug 105329).
    s.push_back('"');
    s.append(v.as_string());
    s.push_back('"');
  } else if (v.is_array()) {
    s.push_back('[');
    for (const auto& x : v.as_array()) {
      if (s.size() > room) break;
      if (s.size() > 1) s.append(", ");
      s.append(show(x, room));
    }
    s.push_back(']');
  } else {
    s.push_back('{');
    for (const auto& [k, x] : v.as_object()) {
      if (s.size() > room) break;
      if (s.size() > 1) s.append(", ");
      s.push_back('"');
      s.append(k);
      s.append("\": ");
      s.append(show(x, room));
    }
    s.push_back('}');
  }
  if (s.size() > room + 3) {
    s.resize(room);
    s.append("...");
  }
  return s;
}

inline std::vector<std::string> split_allowed(std::string_view allowed) {
  std::vector<std::string> out;
  while (!allowed.empty()) {
    const auto comma = allowed.find(',');
    std::string_view part = allowed.substr(0, comma);
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ')
      part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    allowed.remove_prefix(comma + 1);
  }
  return out;
}

inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// "; did you mean "x"?" for the nearest of `names`, else "; expected one of a, b, c" (or nothing).
inline std::string hint(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(3, word.size() / 3) + 1;
  for (const auto& n : names)
    if (const auto d = edit_distance(word, n); d < best_d) best_d = d, best = n;
  if (!best.empty()) return "; did you mean \"" + best + "\"?";
  if (names.empty()) return "";
  std::string all;
  for (const auto& n : names)
    all += (all.empty() ? "" : ", ") + n;
  return "; expected one of " + all;
}

/// "; did you mean "x"?" when one of `names` is within two edits of a short `word`, else nothing.
inline std::string near_hint(std::string_view word, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (const auto d = edit_distance(word, n); d <= 2 && d < word.size()) return "; did you mean \"" + n + "\"?";
  return "";
}

/// What one value (an option, an array's item or an object's member) must be.
struct Shape {
  std::string_view type, items;
  std::optional<double> minimum, maximum;
  std::string_view allowed;
  const ConfigValue* named = nullptr; ///< object: the default's members, the only ones allowed
  Shape item() const { return {items, {}, minimum, maximum, allowed, nullptr}; }
};

inline std::string plural(std::string_view type) {
  if (type == "integer") return "whole numbers";
  if (type == "number") return "numbers";
  if (type == "string") return "strings";
  if (type == "boolean") return "true or false values";
  if (type == "date") return "dates as YYYY-MM-DD";
  return std::string(type) + "s";
}

inline std::string range(const Shape& s) {
  if (s.minimum && s.maximum) return " from " + number_text(*s.minimum) + " to " + number_text(*s.maximum);
  if (s.minimum) return " of at least " + number_text(*s.minimum);
  if (s.maximum) return " of at most " + number_text(*s.maximum);
  return "";
}

inline std::string one_of(std::string_view allowed) {
  std::string out;
  for (const auto& a : split_allowed(allowed))
    out += (out.empty() ? "\"" : ", \"") + a + "\"";
  return "one of " + out;
}

/// "a number from 0 to 1", "one of "SPR", "AUT"", "an array of dates as YYYY-MM-DD".
inline std::string expected(const Shape& s) {
  if (s.type == "integer") return "a whole number" + range(s);
  if (s.type == "number") return "a number" + range(s);
  if (s.type == "string") return s.allowed.empty() ? "a string" : one_of(s.allowed);
  if (s.type == "boolean") return "true or false";
  if (s.type == "date") return "a date as YYYY-MM-DD";
  std::string out = s.type == "array" ? "an array" : "an object";
  if (!s.items.empty()) {
    out += " of " + plural(s.items);
    const Shape i = s.item();
    if (i.type == "integer" || i.type == "number") out += range(i);
    if (i.type == "string" && !i.allowed.empty()) out += ", each " + one_of(i.allowed);
  }
  return out;
}

/// Checks `v` against `s` and returns it as the plugin reads it (a whole number written 12.0 becomes
/// 12; an object with named members is merged over its default); throws ConfigError naming `where`.
inline ConfigValue check(const Shape& s, const ConfigValue& v, const std::string& where) {
  auto bad = [&]() -> ConfigError {
    return ConfigError(where + ": " + show(v) + " was given; expected " + expected(s));
  };
  auto in_range = [&](double d) { return (!s.minimum || d >= *s.minimum) && (!s.maximum || d <= *s.maximum); };
  if (s.type == "integer") {
    if (v.is_int()) {
      if (!in_range(static_cast<double>(v.as_int()))) throw bad();
      return v;
    }
    if (!v.is_number()) throw bad();
    const double d = v.as_number();
    if (d != std::floor(d) || std::fabs(d) > 9.0e15 || !in_range(d)) throw bad();
    return static_cast<std::int64_t>(d);
  }
  if (s.type == "number") {
    if (!v.is_number() || !in_range(v.as_number())) throw bad();
    return v;
  }
  if (s.type == "string") {
    if (!v.is_string()) throw bad();
    if (!s.allowed.empty()) {
      const auto ok = split_allowed(s.allowed);
      if (std::find(ok.begin(), ok.end(), v.as_string()) == ok.end())
        throw ConfigError(where + ": " + show(v) + " was given; expected " + expected(s) +
                          near_hint(v.as_string(), ok));
    }
    return v;
  }
  if (s.type == "boolean") {
    if (!v.is_bool()) throw bad();
    return v;
  }
  if (s.type == "date") {
    if (!v.is_string() || v.as_string().size() != 10 || v.as_string()[4] != '-' || !Date::parse(v.as_string()))
      throw bad();
    return v;
  }
  if (s.type == "array") {
    if (!v.is_array()) throw bad();
    if (s.items.empty()) return v;
    ConfigValue out{ConfigValue::Array{}};
    const auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i)
      out.push_back(check(s.item(), a[i], where + "[" + std::to_string(i) + "]"));
    return out;
  }
  if (s.type == "object") {
    if (!v.is_object()) throw bad();
    ConfigValue out = s.named ? *s.named : ConfigValue{ConfigValue::Object{}};
    std::vector<std::string> names;
    if (s.named)
      for (const auto& [k, x] : s.named->as_object())
        names.push_back(k);
    for (const auto& [k, x] : v.as_object()) {
      if (s.named && !s.named->find(k)) throw ConfigError(where + ": unknown member \"" + k + "\"" + hint(k, names));
      out.set(k, s.items.empty() ? x : check(s.item(), x, where + "." + k));
    }
    return out;
  }
  throw ConfigError(where + ": the plugin declares the unknown type \"" + std::string(s.type) + "\"");
}

inline Shape shape_of(const OptionInfo& o) { return {o.type, o.items, o.minimum, o.maximum, o.allowed, nullptr}; }

} // namespace option_detail

/// A configured value as a message shows what was given: "ten", 2.5, ["2025-01-05"] (cut short when
/// long). For a plugin's check_config: `key + ": " + config_text(v) + " was given; expected ..."`.
inline std::string config_text(const ConfigValue& v) { return option_detail::show(v); }

/// Checks a plugin's option declarations themselves: each key given once, a known type (and item
/// type), minimum not above maximum, and a default that is JSON meeting its own declaration. The host
/// refuses to load a plugin whose declarations fail (ConfigError says which option and why).
inline void check_option_declarations(std::span<const OptionInfo> options, std::string_view plugin_id) {
  using namespace option_detail;
  const std::string id(plugin_id);
  std::vector<std::string_view> seen;
  for (const OptionInfo& o : options) {
    const std::string name = "option \"" + std::string(o.key) + "\"";
    if (o.key.empty()) throw ConfigError("an option has no key");
    if (std::find(seen.begin(), seen.end(), o.key) != seen.end())
      throw ConfigError(name + " is declared twice; declare each option once");
    seen.push_back(o.key);
    if (!known_type(o.type))
      throw ConfigError(name + " has the unknown type \"" + std::string(o.type) +
                        "\"; expected integer, number, string, boolean, date, array or object");
    if (!o.items.empty() && (o.type != "array" && o.type != "object"))
      throw ConfigError(name + " gives items, which only an array or an object has");
    if (!o.items.empty() && !known_type(o.items))
      throw ConfigError(name + " has the unknown item type \"" + std::string(o.items) + "\"");
    if (o.minimum && o.maximum && *o.minimum > *o.maximum) throw ConfigError(name + " has a minimum above its maximum");
    if (o.default_value.empty()) continue;
    ConfigValue def;
    try {
      def = DefaultJson(o.default_value).parse();
    } catch (const ConfigError& e) {
      throw ConfigError(name + ": its default " + std::string(o.default_value) + " is " + e.what());
    }
    try {
      (void)check(shape_of(o), def, id + "." + std::string(o.key));
    } catch (const ConfigError& e) {
      throw ConfigError(name + ": its default does not meet its own declaration: " + e.what());
    }
  }
}

/// The effective configuration section a plugin runs with: every value the LA configured checked
/// against its declaration (unknown keys refused with the nearest key), and the declared default for
/// every option the LA did not give. An object option whose default names members takes only those
/// members, merged over the default. Throws ConfigError: `primary-need.alpha: "ten" was given;
/// expected a number from 0 to 1`.
inline ConfigValue effective_options(std::span<const OptionInfo> options, const ConfigValue& section,
                                     std::string_view plugin_id) {
  using namespace option_detail;
  const std::string id(plugin_id);
  if (!section.is_null() && !section.is_object())
    throw ConfigError(id + ": " + show(section) + " was given; expected an object holding the " + id +
                      " plugin's settings");
  std::vector<std::string> keys;
  for (const OptionInfo& o : options)
    keys.emplace_back(o.key);
  ConfigValue out{ConfigValue::Object{}};
  if (section.is_object())
    for (const auto& [k, v] : section.as_object())
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        throw ConfigError("unknown key \"" + id + "." + k + "\"" +
                          (keys.empty() ? std::string("; the plugin takes no options") : hint(k, keys)));
  for (const OptionInfo& o : options) {
    const std::string where = id + "." + std::string(o.key);
    std::optional<ConfigValue> def;
    if (!o.default_value.empty()) def = DefaultJson(o.default_value).parse();
    Shape s = shape_of(o);
    if (def && def->is_object() && !def->as_object().empty()) s.named = &*def;
    if (const ConfigValue* given = section.find(o.key))
      out.set(std::string(o.key), check(s, *given, where));
    else if (def)
      out.set(std::string(o.key), check(shape_of(o), *def, where));
  }
  return out;
}

} // namespace censusqa
