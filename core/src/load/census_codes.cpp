// Reading schemas/census-codes.json; see census_codes.hpp.
#include "census_codes.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <stdexcept>

namespace censusqa::load {

std::optional<int> parse_academic_year(std::string_view t) {
  if (t.size() != 7 || t[4] != '/') return std::nullopt;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
    y = y * 10 + (t[i] - '0');
  }
  const int next = (t[5] - '0') * 10 + (t[6] - '0');
  if (t[5] < '0' || t[5] > '9' || t[6] < '0' || t[6] > '9' || next != (y + 1) % 100) return std::nullopt;
  return y;
}

std::string academic_year_label(int y) {
  const int next = (y + 1) % 100;
  return std::to_string(y) + "/" + (next < 10 ? "0" : "") + std::to_string(next);
}

CodeSets CodeSets::from_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open the census code lists " + path.string());
  const std::string where = path.filename().string();
  Poco::JSON::Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": not valid JSON: " + e.what());
  }
  const auto sets = root->getObject("sets");
  if (!sets) throw std::runtime_error(where + ": missing \"sets\"");
  CodeSets out;
  for (std::size_t s = 0; s < code_set_count; ++s) {
    const std::string name(code_set_names[s]);
    const auto set = sets->getObject(name);
    if (!set) throw std::runtime_error(where + ": missing the code set \"" + name + "\"");
    const auto codes = set->getArray("codes");
    if (!codes || codes->size() == 0) throw std::runtime_error(where + ": sets." + name + " has no codes");
    for (unsigned i = 0; i < codes->size(); ++i) {
      const auto c = codes->getObject(i);
      const std::string at = where + ": sets." + name + ".codes[" + std::to_string(i) + "]";
      if (!c || !c->has("code")) throw std::runtime_error(at + " has no \"code\"");
      CodeEntry e;
      const auto code = ShortCode::make(c->getValue<std::string>("code"));
      if (!code) throw std::runtime_error(at + ": a code has 1 to 4 characters");
      e.code = *code;
      auto date = [&](const char* key) -> std::optional<Date> {
        if (!c->has(key)) return std::nullopt;
        const auto d = Date::parse(c->getValue<std::string>(key));
        if (!d) throw std::runtime_error(at + "." + key + " is not a date as YYYY-MM-DD");
        return d;
      };
      e.from = date("from");
      e.until = date("until");
      if (c->has("category")) {
        const auto cat = parse_absence_category(c->getValue<std::string>("category"));
        if (!cat || *cat == AbsenceCategory::unknown)
          throw std::runtime_error(at + ".category must be authorised, unauthorised, attendance or not_counted");
        e.category = *cat;
      } else if (static_cast<CodeSetId>(s) == CodeSetId::attendance_reason) {
        throw std::runtime_error(at + ": an attendance reason needs a \"category\"");
      }
      if (c->has("retired")) e.retired = c->getValue<std::string>("retired");
      for (const auto& other : out.sets_[s])
        if (other.code == e.code && !(other.until && e.from && *other.until < *e.from) &&
            !(e.until && other.from && *e.until < *other.from))
          throw std::runtime_error(at + ": the code " + std::string(e.code.str()) + " is listed twice for one date");
      out.keys_[s].push_back(*key_of(e.code.str()));
      out.sets_[s].push_back(std::move(e));
    }
  }
  return out;
}

std::optional<std::uint32_t> CodeSets::key_of(std::string_view code) {
  if (code.empty() || code.size() > 4) return std::nullopt;
  std::uint32_t k = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i] >= 'a' && code[i] <= 'z' ? static_cast<char>(code[i] - 32) : code[i];
    k |= static_cast<std::uint32_t>(static_cast<unsigned char>(c)) << (8 * i);
  }
  return k;
}

const CodeEntry* CodeSets::find(CodeSetId set, std::string_view code) const {
  const auto c = ShortCode::make(code);
  if (!c) return nullptr;
  const CodeEntry* any = nullptr;
  for (const auto& e : sets_[static_cast<std::size_t>(set)])
    if (e.code == *c) any = &e;
  return any;
}

CodeCheck CodeSets::check(CodeSetId set, std::string_view code, std::optional<Date> on) const {
  CodeCheck r;
  const auto k = key_of(code);
  const CodeEntry* dated_out = nullptr;
  const auto& keys = keys_[static_cast<std::size_t>(set)];
  const auto& entries = sets_[static_cast<std::size_t>(set)];
  if (k)
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != *k) continue;
      const CodeEntry& e = entries[i];
      if (!on || ((!e.from || *e.from <= *on) && (!e.until || *on <= *e.until))) {
        r.entry = &e;
        return r;
      }
      dated_out = &e;
    }
  r.entry = dated_out;
  if (dated_out) {
    if (!dated_out->retired.empty() && dated_out->until && *on > *dated_out->until)
      r.problem = dated_out->retired;
    else if (dated_out->from && *on < *dated_out->from)
      r.problem = std::string(dated_out->code.str()) + " is valid only from " + dated_out->from->iso();
    else
      r.problem = std::string(dated_out->code.str()) + " is not valid on " + on->iso();
    r.problem += " (expected one of " + expected(set, on) + ")";
  } else {
    r.problem = "expected one of " + expected(set, on);
  }
  return r;
}

std::string CodeSets::expected(CodeSetId set, std::optional<Date> on) const {
  std::string out;
  for (const auto& e : sets_[static_cast<std::size_t>(set)]) {
    if (on && ((e.from && *on < *e.from) || (e.until && *e.until < *on))) continue;
    if (!out.empty()) out += ", ";
    out += e.code.str();
  }
  return out;
}

} // namespace censusqa::load
