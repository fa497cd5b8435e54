// Reading censusqa.json with Poco::JSON into the SDK's ConfigValue tree; see config.hpp.
#include "config.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace censusqa::engine {
namespace {

ConfigValue convert(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return {};
  if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
    ConfigValue::Object o;
    const auto obj = v.extract<Poco::JSON::Object::Ptr>();
    for (const auto& key : obj->getNames())
      o.emplace(key, convert(obj->get(key)));
    return o;
  }
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    ConfigValue::Array a;
    const auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < arr->size(); ++i)
      a.push_back(convert(arr->get(static_cast<unsigned>(i))));
    return a;
  }
  if (v.isBoolean()) return v.convert<bool>();
  if (v.isInteger()) return static_cast<std::int64_t>(v.convert<Poco::Int64>());
  if (v.isNumeric()) return v.convert<double>();
  return v.convert<std::string>();
}

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
  try {
    return convert(Poco::JSON::Parser().parse(text));
  } catch (const Poco::Exception& e) {
    throw ConfigFileError(where + ": not valid JSON: " + e.displayText());
  }
}

LaConfig read_config(const std::filesystem::path& path, const PluginHost& host) {
  LaConfig cfg;
  cfg.path = path.string();
  std::ifstream in(path);
  if (!in) throw ConfigFileError("cannot open the configuration file " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const ConfigValue root = parse_json_value(ss.str(), path.string());
  if (!root.is_object()) throw ConfigFileError(path.string() + ": the configuration must be a JSON object");

  const std::vector<std::string> run_keys{"la_code", "la_name", "reference_date", "term", "financial_year_end",
                                          "$schema"};
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
      std::vector<std::string> option_keys;
      for (const auto& o : (*it)->options)
        option_keys.push_back(o.key);
      for (const auto& [k, v] : value.as_object())
        if (std::find(option_keys.begin(), option_keys.end(), k) == option_keys.end())
          throw ConfigFileError(path.string() + ": unknown key \"" + key + "." + k + "\"" + hint(k, option_keys));
      cfg.sections[key] = value;
    }
  }
  if (cfg.run.reference_date) cfg.run.year = cfg.run.reference_date->year();
  return cfg;
}

} // namespace censusqa::engine
