// Reading censusqa.json with Poco::JSON into the SDK's ConfigValue tree; see config.hpp.
#include "config.hpp"

#include "load/csv_reader.hpp"
#include "load/text_encoding.hpp"
#include "report/findings_writer.hpp"

#include <censusqa/options.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace censusqa::engine {
namespace {

// A strict JSON reader (RFC 8259) for the files people edit: every error says the line and column and
// what was expected. A UTF-8 byte order mark is skipped; UTF-16 or UTF-32 is refused. Comments and
// trailing commas are not JSON and are refused with their place (so that the file still opens in every
// other JSON tool); a key given twice in one object is an error naming it and both lines, never a silent
// last-wins. Strings must be UTF-8 with no NUL and no lone surrogate. Nesting is bounded and the reader
// is iterative, so no input can exhaust the stack.
class StrictJson {
public:
  StrictJson(std::string_view text, const std::string& where) : t_{text}, where_{where} {}

  ConfigValue parse() {
    if (t_.size() >= 3 && t_.substr(0, 3) == "\xEF\xBB\xBF")
      i_ = 3;
    else if (t_.size() >= 2 && (t_.substr(0, 2) == "\xFF\xFE" || t_.substr(0, 2) == "\xFE\xFF"))
      fail(0, "the file is UTF-16 (it begins with a UTF-16 byte order mark); save it as UTF-8");
    else if (t_.size() >= 4 && t_.substr(0, 4) == std::string_view("\0\0\xFE\xFF", 4))
      fail(0, "the file is UTF-32; save it as UTF-8");
    std::vector<Frame> stack;
    for (;;) {
      // Expecting a value (at the top, after '[' or ',' in an array, after ':' in an object).
      skip_space();
      ConfigValue v;
      const std::size_t at = i_;
      if (i_ >= t_.size())
        fail(at, stack.empty() ? "the file is empty: expected a JSON object" : "the file ends here: expected a value");
      const char c = t_[i_];
      if (c == '{' || c == '[') {
        if (stack.size() >= max_depth) fail(at, "nested more than " + std::to_string(max_depth) + " levels deep");
        ++i_;
        stack.push_back(
            {c == '{', at, c == '{' ? ConfigValue(ConfigValue::Object{}) : ConfigValue(ConfigValue::Array{}), {}, {}});
        skip_space();
        const char close = c == '{' ? '}' : ']';
        if (i_ < t_.size() && t_[i_] == close) {
          ++i_;
          v = std::move(stack.back().value);
          stack.pop_back();
        } else if (c == '{') {
          read_key(stack.back());
          continue;
        } else {
          continue;
        }
      } else {
        v = scalar();
      }
      // A value is complete: it goes into its container, which may then close, and so on upwards.
      for (;;) {
        if (stack.empty()) {
          skip_space();
          if (i_ < t_.size()) fail(i_, "more text after the end of the JSON value (one object is expected)");
          return v;
        }
        Frame& f = stack.back();
        if (f.object)
          f.members.emplace(std::move(f.key), std::move(v));
        else
          f.items.push_back(std::move(v));
        skip_space();
        const char close = f.object ? '}' : ']';
        if (i_ >= t_.size())
          fail(i_, std::string("the file ends here: expected ',' or '") + close + "' to close the " +
                       (f.object ? "object" : "array") + " opened on line " + std::to_string(line_of(f.start)));
        if (t_[i_] == ',') {
          ++i_;
          skip_space();
          if (i_ < t_.size() && t_[i_] == close)
            fail(i_, std::string("expected ") + (f.object ? "a key in double quotes" : "a value") +
                         " after ',' (a trailing comma is not allowed in JSON)");
          if (f.object) read_key(f);
          break; // the next value
        }
        if (t_[i_] != close) fail(i_, std::string("expected ',' or '") + close + "'" + found());
        ++i_;
        v = f.object ? ConfigValue(std::move(f.members)) : ConfigValue(std::move(f.items));
        stack.pop_back();
      }
    }
  }

private:
  static constexpr std::size_t max_depth = 64;
  struct Frame {
    bool object;
    std::size_t start;
    ConfigValue value; // unused once filled: members and items hold the contents
    ConfigValue::Object members;
    ConfigValue::Array items;
    std::string key;
    std::map<std::string, std::size_t, std::less<>> key_at;
  };

  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    std::size_t line = 1, column = 1;
    for (std::size_t k = 0; k < at && k < t_.size(); ++k) {
      if (t_[k] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(t_[k]) & 0xC0) != 0x80) {
        ++column; // characters, not bytes
      }
    }
    throw ConfigFileError(where_ + ": not valid JSON: line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": " + what);
  }
  std::size_t line_of(std::size_t at) const {
    return 1 + static_cast<std::size_t>(
                   std::count(t_.begin(), t_.begin() + static_cast<std::ptrdiff_t>(std::min(at, t_.size())), '\n'));
  }
  std::string found() const {
    if (i_ >= t_.size()) return ", not the end of the file";
    const auto c = static_cast<unsigned char>(t_[i_]);
    if (c == '/' && i_ + 1 < t_.size() && (t_[i_ + 1] == '/' || t_[i_ + 1] == '*'))
      return ", not a comment (comments are not allowed in JSON)";
    if (c >= 0x20 && c < 0x7F) return std::string(", not '") + static_cast<char>(c) + "'";
    char b[8];
    std::snprintf(b, sizeof b, "0x%02X", c);
    return std::string(", not the byte ") + b;
  }
  void skip_space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
    if (i_ + 1 < t_.size() && t_[i_] == '/' && (t_[i_ + 1] == '/' || t_[i_ + 1] == '*'))
      fail(i_, "a comment is not allowed in JSON (remove it)");
  }
  void read_key(Frame& f) {
    skip_space();
    const std::size_t at = i_;
    if (i_ >= t_.size() || t_[i_] != '"') fail(i_, "expected a key in double quotes" + found());
    f.key = string();
    if (const auto it = f.key_at.find(f.key); it != f.key_at.end())
      fail(at, "the key \"" + f.key + "\" appears twice in this object (first on line " +
                   std::to_string(line_of(it->second)) + "); give each key once");
    f.key_at.emplace(f.key, at);
    skip_space();
    if (i_ >= t_.size() || t_[i_] != ':') fail(i_, "expected ':' after the key \"" + f.key + "\"" + found());
    ++i_;
  }
  ConfigValue scalar() {
    const char c = t_[i_];
    if (c == '"') return string();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    for (const auto& [word, value] :
         {std::pair{std::string_view("true"), ConfigValue(true)},
          std::pair{std::string_view("false"), ConfigValue(false)}, std::pair{std::string_view("null"), ConfigValue()}})
      if (t_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return value;
      }
    if (c == '\'') fail(i_, "strings are written in double quotes in JSON, not single");
    fail(i_, "expected a value (an object, array, string in double quotes, number, true, false or null)" + found());
  }
  ConfigValue number() {
    const std::size_t at = i_;
    if (t_[i_] == '-') ++i_;
    auto digits = [&] {
      const std::size_t from = i_;
      while (i_ < t_.size() && t_[i_] >= '0' && t_[i_] <= '9')
        ++i_;
      return i_ - from;
    };
    const std::size_t first = i_;
    const std::size_t whole = digits();
    if (whole == 0) fail(i_, "expected a digit" + found());
    if (whole > 1 && t_[first] == '0') fail(first, "a number may not begin with 0 (write 7, not 07)");
    bool integer = true;
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      integer = false;
      if (digits() == 0) fail(i_, "expected a digit after the decimal point" + found());
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      integer = false;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (digits() == 0) fail(i_, "expected a digit in the exponent" + found());
    }
    const char* b = t_.data() + at;
    const char* e = t_.data() + i_;
    if (integer) {
      std::int64_t n = 0;
      if (std::from_chars(b, e, n).ec != std::errc{})
        fail(at, "the number is too large (whole numbers run from -9223372036854775808 to 9223372036854775807)");
      return n;
    }
    double d = 0;
    const auto r = std::from_chars(b, e, d);
    if (r.ec != std::errc{} || !std::isfinite(d)) fail(at, "the number is too large");
    return d;
  }
  std::string string() {
    ++i_; // the opening quote
    std::string out;
    for (;;) {
      if (i_ >= t_.size()) fail(i_, "the file ends inside a string: expected its closing '\"'");
      const auto c = static_cast<unsigned char>(t_[i_]);
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c < 0x20)
        fail(i_, c == '\n' ? std::string("a string may not span lines: expected its closing '\"' before the line end")
                           : "a control character in a string must be written as an escape (\\t, \\n, \\u0001, ...)");
      if (c >= 0x80) {
        const std::size_t n = load::utf8_sequence(t_.substr(i_));
        if (n == 0) fail(i_, "the text is not UTF-8 here; save the file as UTF-8");
        out.append(t_.substr(i_, n));
        i_ += n;
        continue;
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++i_;
        continue;
      }
      const std::size_t at = i_;
      if (++i_ >= t_.size()) fail(i_, "the file ends inside a string");
      switch (t_[i_++]) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case '/': out.push_back('/'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        char32_t cp = hex4(at);
        if (cp >= 0xDC00 && cp <= 0xDFFF) fail(at, "a \\u escape of a low surrogate with no high surrogate before it");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (t_.substr(i_, 2) != "\\u")
            fail(at, "a \\u escape of a high surrogate must be followed by a \\u escape of a low surrogate");
          i_ += 2;
          const char32_t lo = hex4(i_ - 2);
          if (lo < 0xDC00 || lo > 0xDFFF)
            fail(at, "a \\u escape of a high surrogate must be followed by a \\u escape of a low surrogate");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp == 0) fail(at, "a NUL character (\\u0000) is not allowed in a string");
        encode(cp, out);
        break;
      }
      default:
        fail(at, "unknown escape: expected \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u followed by 4 hex digits");
      }
    }
  }
  char32_t hex4(std::size_t at) {
    char32_t v = 0;
    for (int k = 0; k < 4; ++k, ++i_) {
      if (i_ >= t_.size()) fail(at, "expected 4 hex digits after \\u");
      const char h = t_[i_];
      const int d = h >= '0' && h <= '9'   ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                           : -1;
      if (d < 0) fail(at, "expected 4 hex digits after \\u");
      v = v * 16 + static_cast<char32_t>(d);
    }
    return v;
  }
  static void encode(char32_t c, std::string& out) { load::append_utf8(out, c); }

  std::string_view t_;
  const std::string& where_;
  std::size_t i_ = 0;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (detail::upper(a[i - 1]) != detail::upper(b[j - 1]))});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string hint(std::string_view key, const std::vector<std::string>& valid) {
  const std::string near = nearest(key, valid);
  if (!near.empty()) return "; did you mean \"" + near + "\"?";
  if (valid.empty()) return "; this section takes no keys";
  std::string all;
  for (const auto& v : valid)
    all += (all.empty() ? "" : ", ") + v;
  return "; valid keys: " + all;
}

} // namespace

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(3, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const auto d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  return best;
}

ConfigValue parse_json_value(const std::string& text, const std::string& where) {
  return StrictJson(text, where).parse();
}

namespace {

constexpr std::string_view rule_settings[] = {"off", "error", "query", "info"};

// A glob over rule codes: * any run of characters, ? one character.
bool glob_match(std::string_view pattern, std::string_view code) {
  std::size_t p = 0, c = 0, star = std::string_view::npos, mark = 0;
  while (c < code.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == code[c])) {
      ++p, ++c;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++, mark = c;
    } else if (star != std::string_view::npos) {
      p = star + 1, c = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool is_pattern(std::string_view key) { return key.find_first_of("*?") != std::string_view::npos; }

// How specific a key is: an exact code beats every pattern; a pattern with more literal characters
// beats one with fewer.
std::size_t specificity(std::string_view key) {
  if (!is_pattern(key)) return std::string_view::npos;
  return static_cast<std::size_t>(std::count_if(key.begin(), key.end(), [](char c) { return c != '*' && c != '?'; }));
}

} // namespace

std::vector<LaConfig::RuleOverride> resolve_rules(const ConfigValue& rules, const std::vector<const RuleMeta*>& all,
                                                  const std::string& where) {
  auto fail = [&](const std::string& what) -> ConfigFileError { return ConfigFileError(where + ": " + what); };
  if (!rules.is_object())
    throw fail("rules: " + option_detail::show(rules) +
               " was given; expected an object of rule codes or patterns, each \"off\", \"error\", \"query\" or "
               "\"info\" ({\"PN010\": \"off\", \"CI01*\": \"info\"})");
  std::vector<std::string> codes;
  for (const RuleMeta* r : all)
    codes.push_back(r->code);
  struct Choice {
    std::string key, setting;
    std::size_t rank = 0;
  };
  std::map<std::string, Choice> chosen; // rule code -> the most specific key naming it
  for (const auto& [key, value] : rules.as_object()) {
    const std::string at = "rules." + key;
    if (!value.is_string() ||
        std::find(std::begin(rule_settings), std::end(rule_settings), value.as_string()) == std::end(rule_settings))
      throw fail(at + ": " + option_detail::show(value) +
                 " was given; expected one of \"off\", \"error\", \"query\", \"info\"");
    const std::string& setting = value.as_string();
    std::size_t matched = 0;
    for (const RuleMeta* r : all) {
      if (is_pattern(key) ? !glob_match(key, r->code) : key != r->code) continue;
      ++matched;
      if (setting == "off" && r->plugin == "core")
        throw fail(at + ": \"off\" was given, but " + r->code +
                   " is a core input rule and cannot be turned off: it reports data that was not read, so every "
                   "finding after it could be wrong; give it \"error\", \"query\" or \"info\"" +
                   (is_pattern(key) ? " (or make the pattern leave out the IN rules)" : ""));
      const std::size_t rank = specificity(key);
      auto [it, fresh] = chosen.try_emplace(r->code, Choice{key, setting, rank});
      if (fresh || rank > it->second.rank) {
        it->second = {key, setting, rank};
      } else if (rank == it->second.rank && setting != it->second.setting) {
        throw fail("rules: \"" + it->second.key + "\": \"" + it->second.setting + "\" and \"" + key + "\": \"" +
                   setting + "\" both set " + r->code +
                   " and neither is more specific; give the rule its own entry or make one pattern longer");
      }
    }
    if (matched == 0) {
      const std::string near = nearest(key, codes);
      throw fail(at + ": " +
                 (is_pattern(key) ? "the pattern \"" + key + "\" matches no loaded rule"
                                  : "unknown rule \"" + key + "\" (no loaded plugin declares it)") +
                 (near.empty() ? "; `censusqa rules` lists the rules" : "; did you mean \"" + near + "\"?"));
    }
  }
  std::vector<LaConfig::RuleOverride> out;
  for (const RuleMeta* r : all)
    if (const auto it = chosen.find(r->code); it != chosen.end() && it->second.setting != name(r->severity))
      out.push_back({r->code, r->severity, it->second.setting, it->second.key});
  return out;
}

namespace {

LaConfig::Plugins read_plugins_key(const ConfigValue& v, const std::string& where) {
  auto fail = [&](const std::string& what) -> ConfigFileError { return ConfigFileError(where + ": " + what); };
  if (!v.is_object())
    throw fail("plugins: " + option_detail::show(v) +
               " was given; expected an object: {\"isolate\": \"out-of-tree\", \"timeout_seconds\": 600}");
  LaConfig::Plugins out;
  for (const auto& [k, x] : v.as_object()) {
    if (k == "isolate") {
      out.isolate = x.is_string() ? parse_isolation(x.as_string()) : std::nullopt;
      if (!out.isolate)
        throw fail("plugins.isolate: " + option_detail::show(x) +
                   " was given; expected one of \"out-of-tree\", \"all\", \"none\"");
    } else if (k == "timeout_seconds") {
      if (!x.is_int() || x.as_int() < 1 || x.as_int() > 86400)
        throw fail("plugins.timeout_seconds: " + option_detail::show(x) +
                   " was given; expected a whole number from 1 to 86400");
      out.timeout_seconds = static_cast<int>(x.as_int());
    } else {
      throw fail("unknown key \"plugins." + k + "\"" + hint(k, {"isolate", "timeout_seconds"}));
    }
  }
  return out;
}

// Every loaded plugin's effective section (its declared defaults applied, also with no section and
// no file), then the plugin's own check_config: a bad value is a configuration error, before any
// input is read or any plugin runs.
void apply_plugin_options(LaConfig& cfg, const PluginHost& host, const std::string& where) {
  for (const auto& p : host.plugins()) {
    const auto it = cfg.sections.find(p->id);
    const ConfigValue given = it == cfg.sections.end() ? ConfigValue{} : it->second;
    try {
      cfg.sections[p->id] = effective_options(p->plugin->info().options, given, p->id);
      p->plugin->check_config(PluginConfig(p->id, cfg.sections[p->id]));
    } catch (const ConfigError& e) {
      throw ConfigFileError(where + ": " + e.what());
    }
  }
}

ConfigValue read_root(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigFileError("cannot open the configuration file " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  ConfigValue root = parse_json_value(ss.str(), path.string());
  if (!root.is_object()) throw ConfigFileError(path.string() + ": the configuration must be a JSON object");
  return root;
}

} // namespace

std::vector<std::string> LaConfig::rules_off() const {
  std::vector<std::string> out;
  for (const auto& o : rule_overrides)
    if (o.setting == "off") out.push_back(o.rule);
  return out;
}

namespace {

bool scalar(const ConfigValue& v) { return !v.is_array() && !v.is_object(); }
bool flat(const ConfigValue& v) {
  if (scalar(v)) return true;
  if (v.is_array()) return std::all_of(v.as_array().begin(), v.as_array().end(), scalar);
  return false;
}

// Pretty JSON: objects one member a line; arrays of scalars on one line; arrays of those one a line.
void write_json(std::string& o, const ConfigValue& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  if (v.is_null()) {
    o += "null";
  } else if (v.is_bool()) {
    o += v.as_bool() ? "true" : "false";
  } else if (v.is_int()) {
    o += std::to_string(v.as_int());
  } else if (v.is_number()) {
    char b[32];
    const auto r = std::to_chars(b, b + sizeof b, v.as_number());
    std::string n(b, r.ptr);
    if (n.find_first_of(".eE") == std::string::npos) n += ".0";
    o += n;
  } else if (v.is_string()) {
    o += report::json_string(v.as_string());
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    const bool inline_items = flat(v);
    o += "[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      o += i ? (inline_items ? ", " : ",\n" + pad) : (inline_items ? "" : "\n" + pad);
      write_json(o, a[i], indent + 2);
    }
    if (!inline_items && !a.empty()) o += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
    o += "]";
  } else {
    const auto& m = v.as_object();
    o += "{";
    bool first = true;
    for (const auto& [k, x] : m) {
      o += (first ? "\n" : ",\n") + pad + report::json_string(k) + ": ";
      write_json(o, x, indent + 2);
      first = false;
    }
    if (!m.empty()) o += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
    o += "}";
  }
}

} // namespace

std::string dump_config(const LaConfig& config) {
  std::vector<std::pair<std::string, ConfigValue>> out;
  for (const char* key : {"$schema", "la_code", "la_name", "reference_date", "term", "financial_year_end",
                          "ehc_cases_from", "ap_placements_from", "replies", "rules", "plugins"})
    if (std::string_view(key) == "plugins") {
      // The host's own settings, effective: what the file gives, else the defaults (the command line's
      // --isolate and --plugin-timeout, when given, win over both).
      ConfigValue plugins = ConfigValue::Object{};
      plugins.set("isolate", std::string(isolation_name(config.plugins.isolate.value_or(Isolation::out_of_tree))));
      plugins.set("timeout_seconds",
                  static_cast<std::int64_t>(config.plugins.timeout_seconds.value_or(default_plugin_timeout_seconds)));
      out.emplace_back(key, std::move(plugins));
    } else if (const ConfigValue* v = config.given.find(key)) {
      out.emplace_back(key, *v);
    }
  for (const auto& [id, section] : config.sections)
    out.emplace_back(id, section);
  if (config.given.is_object())
    for (const auto& [key, v] : config.given.as_object())
      if (std::none_of(out.begin(), out.end(), [&](const auto& e) { return e.first == key; })) out.emplace_back(key, v);
  std::string o = "{";
  for (std::size_t i = 0; i < out.size(); ++i) {
    o += (i ? ",\n  " : "\n  ") + report::json_string(out[i].first) + ": ";
    write_json(o, out[i].second, 2);
  }
  return o + (out.empty() ? "}\n" : "\n}\n");
}

LaConfig read_config(const std::optional<std::filesystem::path>& file, const PluginHost& host) {
  LaConfig cfg;
  const std::filesystem::path path = file.value_or("censusqa.json");
  const std::string where = file ? path.string() : "the configuration (no censusqa.json)";
  const ConfigValue root = file ? read_root(path) : ConfigValue{ConfigValue::Object{}};
  if (file) cfg.path = path.string();
  cfg.given = root;

  const std::vector<std::string> run_keys{
      "la_code", "la_name", "reference_date", "term",           "financial_year_end", "replies",
      "rules",   "plugins", "$schema",        "ehc_cases_from", "ap_placements_from"};
  std::vector<std::string> valid = run_keys;
  for (const auto& p : host.plugins())
    valid.push_back(p->id);
  auto fail = [&](const std::string& key, const std::string& what) {
    throw ConfigFileError(path.string() + ": " + key + " " + what);
  };
  auto get_string = [&](const std::string& key, const ConfigValue& v) {
    if (!v.is_string()) fail(key, "must be a string");
    return v.as_string();
  };
  auto get_date = [&](const std::string& key, const ConfigValue& v) {
    const auto d = Date::parse(get_string(key, v));
    if (!d) fail(key, "must be a date as YYYY-MM-DD, not \"" + v.as_string() + "\"");
    return *d;
  };
  for (const auto& [key, value] : root.as_object()) {
    if (key == "la_code") {
      cfg.run.la_code = get_string(key, value);
      if (cfg.run.la_code.size() != 3 || cfg.run.la_code.find_first_not_of("0123456789") != std::string::npos)
        fail(key, "must be the 3-digit LA number, not \"" + cfg.run.la_code + "\"");
    } else if (key == "la_name") {
      cfg.run.la_name = get_string(key, value);
    } else if (key == "reference_date") {
      cfg.run.reference_date = get_date(key, value);
      cfg.run.reference_date_configured = true;
    } else if (key == "term") {
      const auto t = parse_term(get_string(key, value));
      if (!t) fail(key, "must be AUT, SPR or SUM, not \"" + value.as_string() + "\"");
      cfg.run.term = t;
    } else if (key == "financial_year_end") {
      cfg.financial_year_end = get_date(key, value);
    } else if (key == "ehc_cases_from") {
      const std::string from = get_string(key, value);
      if (from != "sen2" && from != "csv") fail(key, "must be \"sen2\" or \"csv\", not \"" + from + "\"");
      cfg.ehc_cases_from_csv = from == "csv";
    } else if (key == "ap_placements_from") {
      const std::string from = get_string(key, value);
      if (from != "ap_census" && from != "csv") fail(key, "must be \"ap_census\" or \"csv\", not \"" + from + "\"");
      cfg.ap_placements_from_csv = from == "csv";
    } else if (key == "replies") {
      if (!value.is_object()) fail(key, "must be an object: {\"deadline\": \"YYYY-MM-DD\", \"contact\": \"...\"}");
      const std::vector<std::string> reply_keys{"deadline", "contact"};
      for (const auto& [k, v] : value.as_object()) {
        if (k == "deadline") {
          cfg.replies.deadline = get_date("replies.deadline", v);
        } else if (k == "contact") {
          cfg.replies.contact = get_string("replies.contact", v);
          if (cfg.replies.contact.size() > 200) fail("replies.contact", "must be at most 200 characters");
        } else {
          throw ConfigFileError(path.string() + ": unknown key \"replies." + k + "\"" + hint(k, reply_keys));
        }
      }
    } else if (key == "rules") {
      cfg.rule_overrides = resolve_rules(value, host.all_rules(), path.string());
    } else if (key == "plugins") {
      cfg.plugins = read_plugins_key(value, path.string());
    } else if (key == "$schema") {
      // editors' schema hint
    } else {
      const std::string& id = key; // clang 14 cannot capture a structured binding
      const auto it =
          std::find_if(host.plugins().begin(), host.plugins().end(), [&](const auto& p) { return p->id == id; });
      if (it == host.plugins().end()) {
        // A section for a plugin that is not installed is kept aside, not an error: the same LA
        // configuration serves installations with and without optional plugins.
        if (value.is_object()) {
          cfg.warnings.push_back("configuration section \"" + key + "\" is for a plugin that is not loaded; ignored");
          continue;
        }
        throw ConfigFileError(path.string() + ": unknown key \"" + key + "\"" + hint(key, valid));
      }
      if (!value.is_object()) fail(key, "must be an object holding the " + key + " plugin's settings");
      cfg.sections[key] = value; // checked against the declared options below, with the others
    }
  }
  if (cfg.run.reference_date) cfg.run.year = cfg.run.reference_date->year();
  apply_plugin_options(cfg, host, where);
  return cfg;
}

} // namespace censusqa::engine
