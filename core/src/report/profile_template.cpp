// Reading templates/inclusion-profile.json; see profile_template.hpp.
#include "profile_template.hpp"

#include "../engine/config.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace censusqa::report {
namespace {

class Reader {
public:
  explicit Reader(std::string file) : file_{std::move(file)} {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw std::runtime_error(file_ + ": " + where + ": " + what);
  }
  void keys(const Value& obj, const std::string& where, const std::vector<std::string>& valid) const {
    if (!obj.is_object()) fail(where, "expected an object");
    for (const auto& [k, v] : obj.as_object()) {
      if (std::find(valid.begin(), valid.end(), k) != valid.end()) continue;
      const std::string near = engine::nearest(k, valid);
      fail(where, "unknown key \"" + k + "\"" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    }
  }
  std::string text(const Value& obj, const std::string& key, const std::string& where, std::string def) const {
    const Value* v = obj.find(key);
    if (!v) return def;
    if (!v->is_string()) fail(where + "." + key, "expected a string");
    return v->as_string();
  }
  std::vector<std::string> list(const Value& obj, const std::string& key, const std::string& where) const {
    std::vector<std::string> out;
    const Value* v = obj.find(key);
    if (!v) return out;
    if (!v->is_array()) fail(where + "." + key, "expected a list of strings");
    for (const auto& item : v->as_array()) {
      if (!item.is_string() || item.as_string().empty()) fail(where + "." + key, "expected a list of strings");
      out.push_back(item.as_string());
    }
    return out;
  }

private:
  std::string file_;
};

bool is_colour(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  return s.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
}

} // namespace

bool ProfileTemplate::has(std::string_view id) const {
  for (const auto& s : sheets)
    if (s.id == id) return true;
  return false;
}

std::string ProfileTemplate::title_of(std::string_view id) const {
  for (const auto& s : sheets)
    if (s.id == id) return s.title;
  return std::string(id);
}

ProfileTemplate read_profile_template(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the profile template " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  const Value root = engine::parse_json_value(ss.str(), path.string());
  const Reader r(path.string());
  ProfileTemplate t;
  t.path = path.string();
  r.keys(root, "template", {"title", "logo_text", "colours", "comparators", "sheets", "responses", "indicators"});
  t.title = r.text(root, "title", "template", t.title);
  t.logo_text = r.text(root, "logo_text", "template", "");

  if (const Value* c = root.find("colours")) {
    std::vector<std::string> valid{"header_fill", "header_text", "title_text"};
    for (const auto& [k, v] : t.style.flag_fill)
      valid.push_back(k);
    for (const auto& [k, v] : t.style.severity_fill)
      valid.push_back(k);
    r.keys(*c, "colours", valid);
    for (const auto& [k, v] : c->as_object()) {
      if (!v.is_string() || !is_colour(v.as_string())) r.fail("colours." + k, "expected a colour such as \"#1F4E79\"");
      const std::string& hex = v.as_string();
      if (k == "header_fill")
        t.style.header_fill = hex;
      else if (k == "header_text")
        t.style.header_text = hex;
      else if (k == "title_text")
        t.style.title_text = hex;
      else if (t.style.flag_fill.count(k))
        t.style.flag_fill[k] = hex;
      else
        t.style.severity_fill[k] = hex;
    }
  }
  if (const Value* c = root.find("comparators")) {
    r.keys(*c, "comparators", {"la", "similar", "england", "similar_min_schools"});
    t.la_label = r.text(*c, "la", "comparators", t.la_label);
    t.similar_label = r.text(*c, "similar", "comparators", t.similar_label);
    t.england_label = r.text(*c, "england", "comparators", t.england_label);
    if (const Value* m = c->find("similar_min_schools")) {
      if (!m->is_int() || m->as_int() < 1 || m->as_int() > 1000)
        r.fail("comparators.similar_min_schools", "expected a whole number from 1 to 1000");
      t.similar_min_schools = static_cast<int>(m->as_int());
    }
  }
  const Value* sheets = root.find("sheets");
  if (!sheets || !sheets->is_array() || sheets->as_array().empty()) r.fail("sheets", "expected a list of sheets");
  const std::vector<std::string> ids(std::begin(profile_sheet_ids), std::end(profile_sheet_ids));
  for (std::size_t i = 0; i < sheets->as_array().size(); ++i) {
    const Value& s = sheets->as_array()[i];
    const std::string where = "sheets[" + std::to_string(i) + "]";
    r.keys(s, where, {"id", "title"});
    ProfileTemplate::SheetSpec spec{r.text(s, "id", where, ""), r.text(s, "title", where, "")};
    if (std::find(ids.begin(), ids.end(), spec.id) == ids.end()) {
      const std::string near = engine::nearest(spec.id, ids);
      r.fail(where + ".id",
             "\"" + spec.id + "\" is not a sheet" + (near.empty() ? "" : "; did you mean \"" + near + "\"?"));
    }
    if (t.has(spec.id)) r.fail(where + ".id", "\"" + spec.id + "\" is listed twice");
    if (spec.title.empty()) r.fail(where + ".title", "expected the sheet's title");
    spec.title = book::sheet_name(spec.title);
    t.sheets.push_back(std::move(spec));
  }
  if (root.find("responses")) {
    t.responses = r.list(root, "responses", "template");
    for (const auto& item : t.responses)
      for (const unsigned char ch : item)
        if (ch >= 0x80) r.fail("responses", "\"" + item + "\": drop-down choices must be plain ASCII");
  }
  if (const Value* list = root.find("indicators")) {
    if (!list->is_array()) r.fail("indicators", "expected a list");
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      const Value& v = list->as_array()[i];
      const std::string where = "indicators[" + std::to_string(i) + "]";
      r.keys(v, where, {"label", "kind", "value", "numerator", "denominator", "flag"});
      Indicator ind;
      ind.label = r.text(v, "label", where, "");
      if (ind.label.empty()) r.fail(where + ".label", "expected the indicator's label");
      const std::string kind = r.text(v, "kind", where, "percent");
      if (kind == "count")
        ind.kind = Indicator::Kind::count;
      else if (kind == "percent")
        ind.kind = Indicator::Kind::percent;
      else if (kind == "rate")
        ind.kind = Indicator::Kind::rate;
      else
        r.fail(where + ".kind", "\"" + kind + "\" is not one of count, percent, rate");
      ind.value = r.list(v, "value", where);
      ind.numerator = r.list(v, "numerator", where);
      ind.denominator = r.list(v, "denominator", where);
      if (ind.kind == Indicator::Kind::count && ind.value.empty())
        r.fail(where + ".value", "a count needs the metric names to add up");
      if (ind.kind != Indicator::Kind::count && (ind.numerator.empty() || ind.denominator.empty()))
        r.fail(where, "a " + kind + " needs a numerator and a denominator");
      if (const Value* f = v.find("flag")) {
        if (!f->is_bool()) r.fail(where + ".flag", "expected true or false");
        ind.flag = f->as_bool();
      }
      t.indicators.push_back(std::move(ind));
    }
  }
  return t;
}

} // namespace censusqa::report
