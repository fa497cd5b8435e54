// The LA's AP census return, read by path from schemas/ap-census-xml-map.json; see ap_census_xml.hpp.
// Elements are matched by their path within their record (URN under Placement is the provider's), and
// order within a parent is not enforced. Names are read only to be discarded: a bad value that holds a
// name of the file's pupils is never shown.
#include "ap_census_xml.hpp"

#include "census_xml.hpp"
#include "csv_reader.hpp"
#include "loaders.hpp"
#include "text_encoding.hpp"
#include "xml_scan.hpp"
#include "xml_values.hpp"

#include <censusqa/upn.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <tuple>
#include <unordered_set>

namespace censusqa::load {

const RuleInfo IN015{
    "IN015",
    Severity::error,
    Scope::la,
    Actor::la_ap,
    "File in ap_census/ not read as an AP census return",
    "Only the LA's own alternative provision census is read from ap_census/: a school census, a SEN2 return, a "
    "transfer file, another LA's AP census or a file that is not XML would add placements that are not this LA's, so "
    "it is not read at all, and its placements are not checked.",
    "Move the file out of ap_census/, or replace it with the AP census return the LA submits to COLLECT.",
    0,
    "file"};
const RuleInfo IN016{
    "IN016",
    Severity::info,
    Scope::la,
    Actor::la_ap,
    "AP placements taken from one source",
    "The same placements described by the AP census return and by ap_placements.csv would be counted twice, so "
    "they are read from one: the AP census (unless the configuration says ap_placements_from: csv). The AP census "
    "carries no planned end, review or destination, so the rules that need them (AP002, AP004, AP006) do not run on "
    "its placements.",
    "Nothing, if that is the source meant; otherwise remove the file not wanted, or set ap_placements_from.",
    0,
    "file"};
const RuleInfo IN017{
    "IN017",
    Severity::error,
    Scope::pupil,
    Actor::la_ap,
    "AP census placement incomplete or contradictory",
    "The AP census identifies the provider by exactly one of URN, UKPRN or setting type (the DfE: \"if you record a "
    "URN, do not record the UKPRN or AP type of setting\"), and a placement without a pupil UPN or an entry date "
    "cannot be joined to the school census or counted; COLLECT rejects such a return.",
    "Correct the pupil's placement module in the LA's AP case system and export the return again.",
    0,
    "UPN, URN, UKPRN, APSettingType, EntryDate"};

const RuleInfo IN018{
    "IN018",
    Severity::query,
    Scope::pupil,
    Actor::la_ap,
    "AP census and ap_placements.csv disagree on a placement",
    "The AP census return goes to the DfE; ap_placements.csv is the LA's own record of the same placements. Where "
    "the two give one placement different dates, provider or reason, or the LA's record has no placement for a "
    "pupil the AP census returns, one of them is wrong, and the DfE's figures and the LA's disagree.",
    "Check the placement with the provider and correct the record that is wrong, in the case system that exports "
    "the AP census or in the LA's own placements list.",
    0,
    "EntryDate, LeavingDate, URN, PlacementReason; start_date, end_date, provider_urn, reason"};

namespace {

using Map = ApCensusMap;

Map::Rec record_of(const std::string& s, const std::string& where) {
  if (s == "pupil") return Map::Rec::pupil;
  if (s == "placement") return Map::Rec::placement;
  throw std::runtime_error(where + ": unknown record \"" + s + "\" (pupil or placement)");
}

Map::Item item_of(const std::string& s, const std::string& where) {
  static const std::pair<std::string_view, Map::Item> names[] = {{"ignored", Map::Item::none},
                                                                 {"collection", Map::Item::collection},
                                                                 {"year", Map::Item::year},
                                                                 {"reference_date", Map::Item::reference_date},
                                                                 {"lea", Map::Item::lea},
                                                                 {"serial_no", Map::Item::serial_no},
                                                                 {"date_time", Map::Item::date_time},
                                                                 {"upn", Map::Item::upn},
                                                                 {"uln", Map::Item::uln},
                                                                 {"name", Map::Item::name},
                                                                 {"dob", Map::Item::dob},
                                                                 {"sex", Map::Item::sex},
                                                                 {"urn", Map::Item::urn},
                                                                 {"ukprn", Map::Item::ukprn},
                                                                 {"setting_type", Map::Item::setting_type},
                                                                 {"reason", Map::Item::reason},
                                                                 {"entry_date", Map::Item::entry_date},
                                                                 {"leaving_date", Map::Item::leaving_date},
                                                                 {"sessions_per_week", Map::Item::sessions_per_week}};
  for (const auto& [n, i] : names)
    if (n == s) return i;
  throw std::runtime_error(where + ": unknown field \"" + s + "\"");
}

} // namespace

ApCensusMap ApCensusMap::from_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  const std::string file = path.string();
  Poco::JSON::Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::runtime_error(file + ": not valid JSON: " + e.what());
  }
  ApCensusMap m;
  const auto identify = root->getObject("identify");
  const auto records = root->getObject("records");
  const auto codes = root->getObject("codes");
  if (!identify || !records || !codes)
    throw std::runtime_error(file + ": needs \"identify\", \"records\" and \"codes\"");
  if (const auto list = identify->getArray("collections"))
    for (std::size_t i = 0; i < list->size(); ++i)
      m.collections_.push_back(upper(list->getElement<std::string>(static_cast<unsigned>(i))));
  for (std::string& c : m.collections_)
    std::erase_if(c, [](char ch) { return ch == ' ' || ch == '_' || ch == '-'; });
  static constexpr std::pair<const char*, Rec> kinds[] = {
      {"message", Rec::message}, {"pupil", Rec::pupil}, {"placement", Rec::placement}};
  for (const auto& [key, rec] : kinds) {
    const auto section = records->getObject(key);
    if (!section) throw std::runtime_error(file + ": records needs \"" + std::string(key) + "\"");
    auto& entries = m.entries_[static_cast<std::size_t>(rec)];
    auto& containers = m.containers_[static_cast<std::size_t>(rec)];
    for (const auto& [p, v] : *section) {
      const std::string where = file + ": records." + key + "." + p;
      Entry e;
      if (v.isString()) {
        if (v.extract<std::string>() != "ignored")
          throw std::runtime_error(where + ": a string value must be \"ignored\"");
        e.kind = Kind::ignored;
      } else {
        const auto o = v.extract<Poco::JSON::Object::Ptr>();
        if (o->has("record")) {
          e.kind = Kind::record;
          e.record = record_of(o->getValue<std::string>("record"), where);
        } else if (o->has("field")) {
          e.item = item_of(o->getValue<std::string>("field"), where);
          e.kind = e.item == Item::none ? Kind::ignored : Kind::field;
        } else {
          throw std::runtime_error(where + ": needs \"field\" or \"record\"");
        }
      }
      entries.emplace(p, e);
      for (std::size_t at = p.find('/'); at != std::string::npos; at = p.find('/', at + 1))
        containers.insert(p.substr(0, at));
    }
  }
  for (const auto& list : {"setting_type", "reason", "sex"}) {
    const auto o = codes->getObject(list);
    if (!o || !o->getObject("values")) throw std::runtime_error(file + ": codes needs \"" + std::string(list) + "\"");
    for (const auto& [code, meaning] : *o->getObject("values")) {
      const std::string means = meaning.extract<std::string>();
      if (std::string_view(list) == "reason" && !parse_ap_reason(means))
        throw std::runtime_error(file + ": codes.reason." + code + ": \"" + means + "\" is not a censusqa AP reason");
      m.codes_[list][upper(code)] = means;
    }
    m.code_sources_[list] = o->optValue<std::string>("source", "");
  }
  return m;
}

const ApCensusMap::Entry* ApCensusMap::find(Rec r, std::string_view path) const {
  const auto& e = entries_[static_cast<std::size_t>(r)];
  const auto it = e.find(path);
  return it == e.end() ? nullptr : &it->second;
}

bool ApCensusMap::leads_somewhere(Rec r, std::string_view path) const {
  return containers_[static_cast<std::size_t>(r)].contains(path);
}

// Compared in upper case without spaces, '_' and '-': "AP census", "AP_CENSUS" and "APCensus" are one name.
bool ApCensusMap::is_collection(std::string_view value) const {
  std::string v;
  for (const char c : upper(value))
    if (c != ' ' && c != '_' && c != '-') v += c;
  return !v.empty() && std::find(collections_.begin(), collections_.end(), v) != collections_.end();
}

const std::map<std::string, std::string>& ApCensusMap::codes(std::string_view list) const {
  static const std::map<std::string, std::string> none;
  const auto it = codes_.find(std::string(list));
  return it == codes_.end() ? none : it->second;
}

std::string ApCensusMap::listed(std::string_view list) const {
  std::string out;
  for (const auto& [code, meaning] : codes(list))
    out += (out.empty() ? "" : ", ") + code;
  return out;
}

std::string ApCensusMap::code_source(std::string_view list) const {
  const auto it = code_sources_.find(std::string(list));
  return it == code_sources_.end() ? std::string() : it->second;
}

namespace {

bool all_digits(std::string_view s, std::size_t lo, std::size_t hi) {
  return s.size() >= lo && s.size() <= hi &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A problem in a pupil's record, reported when the pupil ends (the UPN may come after the bad field).
struct Problem {
  std::uint32_t line;
  const RuleInfo* rule;
  std::string field, value, expected, message; ///< message empty: made from field, value, expected
};

class Reader {
public:
  Reader(ApCensusFile& out, std::uint32_t file, std::string_view shown, const Map& map, std::string_view doc)
      : out_{out}, file_{file}, shown_{shown}, map_{map}, lines_{doc} {}

  bool start(std::string_view name, std::string_view /*local*/, std::size_t offset) {
    if (skip_) {
      ++skip_;
      return true;
    }
    if (frames_.empty()) return start_root(name, offset);
    Frame& f = frames_.back();
    if (f.rec == Map::Rec::message && f.path.empty() && name != "Header" && !decided_ && !decide(name)) return false;
    const std::size_t before = f.path.size();
    if (!f.path.empty()) f.path += '/';
    f.path += name;
    lengths_.push_back(before);
    const Map::Entry* e = map_.find(f.rec, f.path);
    if (!e) {
      if (!map_.leads_somewhere(f.rec, f.path)) {
        unknown(f, offset);
        skip_ = 1;
        f.path.resize(before);
        lengths_.pop_back();
      }
      return true;
    }
    switch (e->kind) {
    case Map::Kind::ignored:
      skip_ = 1;
      f.path.resize(before);
      lengths_.pop_back();
      return true;
    case Map::Kind::record:
      frames_.push_back({e->record, {}});
      open(e->record, offset);
      return true;
    case Map::Kind::field:
      field_ = e->item;
      field_line_ = line_at(offset);
      text_.clear();
      return true;
    }
    return true;
  }

  void end() {
    if (skip_) {
      --skip_;
      return;
    }
    if (frames_.empty()) return;
    Frame& f = frames_.back();
    if (f.path.empty()) { // the record's own element ends
      const Map::Rec r = f.rec;
      frames_.pop_back();
      close(r);
      if (!frames_.empty()) { // the step into the record
        frames_.back().path.resize(lengths_.back());
        lengths_.pop_back();
      }
      return;
    }
    if (field_ != Map::Item::none) set(field_, trim(text_));
    field_ = Map::Item::none;
    f.path.resize(lengths_.back());
    lengths_.pop_back();
  }

  void text(std::string_view raw, bool has_reference) {
    if (has_reference)
      xml::append_char_data(text_, raw);
    else
      text_.append(raw);
  }
  void cdata(std::string_view content) { text_.append(content); }
  bool wants_text() const { return field_ != Map::Item::none && skip_ == 0; }

  std::uint32_t line_at(std::size_t offset) { return lines_.line_at(offset); }
  bool pupil_open() const { return pupil_open_; }
  bool decided() const { return decided_; }
  bool root_message() const { return root_message_; }

  /// After the scan: a value shown in a finding that holds a name of any pupil of the file is hidden.
  void mask_names() {
    hide_name_values(out_.report.findings(), names_, "(a value holding a pupil's name, not shown)");
    names_.clear();
  }

private:
  struct Frame {
    Map::Rec rec;
    std::string path; ///< relative to the record's element
  };

  bool start_root(std::string_view name, std::size_t /*offset*/) {
    if (name == "CTfile" || name == "ATfile") {
      out_.kind = ApCensusFile::Kind::transfer;
      return false;
    }
    if (name != "Message") {
      out_.kind = ApCensusFile::Kind::other;
      return false;
    }
    root_message_ = true;
    frames_.push_back({Map::Rec::message, {}});
    return true;
  }

  // What the message is, decided at its first element after the header: the AP census by its
  // Collection (or, with none, by a Pupils list); a school census or SEN2 by theirs or their modules.
  bool decide(std::string_view name) {
    decided_ = true;
    const std::string c = upper(out_.header.collection);
    if (map_.is_collection(c) || (c.empty() && name == "Pupils")) {
      out_.kind = ApCensusFile::Kind::ap_census;
      return true;
    }
    if (c == "SEN2" || (c.empty() && name == "Persons"))
      out_.kind = ApCensusFile::Kind::sen2;
    else if (c == "SC" || (c.empty() && (name == "School" || name == "SchoolInformation")))
      out_.kind = ApCensusFile::Kind::census;
    else
      out_.kind = ApCensusFile::Kind::other;
    return false;
  }

  static std::string_view record_name(Map::Rec r) {
    return r == Map::Rec::pupil ? "Pupil" : r == Map::Rec::placement ? "Placement" : "Message";
  }

  void unknown(const Frame& f, std::size_t offset) {
    const std::string key = std::string(record_name(f.rec)) + "/" + f.path;
    if (!unknown_seen_.insert(key).second) return;
    const std::size_t slash = f.path.rfind('/');
    const std::string name = slash == std::string::npos ? f.path : f.path.substr(slash + 1);
    out_.report.unknown_name({file_, line_at(offset)}, "element", quoted_text(name), quoted_text(key, 120),
                             "Element not in schemas/ap-census-xml-map.json");
  }

  void open(Map::Rec r, std::size_t offset) {
    if (r == Map::Rec::pupil) {
      ++out_.pupils;
      pupil_open_ = true;
      pupil_ = {};
      pupil_.line = line_at(offset);
      pupil_.first = out_.placements.size();
    } else if (r == Map::Rec::placement) {
      ApPlacement p;
      p.origin = ApOrigin::ap_census;
      p.source = {file_, line_at(offset)};
      out_.placements.push_back(std::move(p));
      ++pupil_.placements;
    }
  }

  void close(Map::Rec r) {
    if (r == Map::Rec::placement) return close_placement();
    if (r == Map::Rec::pupil) return close_pupil();
  }

  ApPlacement* placement() {
    return pupil_.placements > 0 && frames_.back().rec == Map::Rec::placement ? &out_.placements.back() : nullptr;
  }

  void problem(const RuleInfo& rule, std::string field, std::string_view value, std::string expected,
               std::string message = {}) {
    pupil_.problems.push_back(
        {field_line_, &rule, std::move(field), quoted_text(value), std::move(expected), std::move(message)});
  }

  void set(Map::Item item, std::string_view v) {
    if (v.empty()) return;
    ApPlacement* p = placement();
    switch (item) {
    case Map::Item::none: break;
    case Map::Item::collection: out_.header.collection = quoted_text(v); break;
    case Map::Item::year:
      if (all_digits(v, 4, 4)) std::from_chars(v.data(), v.data() + v.size(), out_.header.year);
      break;
    case Map::Item::reference_date: out_.header.reference_date = xs_date(v); break;
    case Map::Item::lea:
      if (all_digits(v, 3, 3))
        out_.header.lea = std::string(v);
      else
        header_problem("LEA", v, "the LA's 3-digit number");
      break;
    case Map::Item::serial_no:
      if (all_digits(v, 1, 9)) std::from_chars(v.data(), v.data() + v.size(), out_.header.serial_no);
      break;
    case Map::Item::date_time: out_.header.date_time = quoted_text(v); break;
    case Map::Item::upn:
      if (v.size() <= 64)
        pupil_.upn = upper(v);
      else
        problem(IN003, "UPN", v.substr(0, 64), "a 13-character UPN");
      break;
    case Map::Item::uln: break; // read only to know it is there; the join is by UPN
    case Map::Item::name: names_.emplace_back(v); break;
    case Map::Item::dob:
      if (!xs_date(v)) problem(IN003, "DOB", v, "a date as YYYY-MM-DD");
      break;
    case Map::Item::sex:
      if (!map_.codes("sex").count(upper(v))) problem(IN004, "Sex", v, map_.listed("sex"));
      break;
    case Map::Item::urn:
    case Map::Item::ukprn:
    case Map::Item::setting_type:
    case Map::Item::reason:
    case Map::Item::entry_date:
    case Map::Item::leaving_date:
    case Map::Item::sessions_per_week:
      if (p) set_placement(*p, item, v);
      break;
    }
  }

  void header_problem(std::string field, std::string_view v, std::string expected) {
    out_.report.unparseable({file_, field_line_}, {}, {}, std::string(shown_) + ".header", field, quoted_text(v),
                            expected);
  }

  void set_placement(ApPlacement& p, Map::Item item, std::string_view v) {
    switch (item) {
    case Map::Item::urn:
      if (all_digits(v, 6, 7))
        p.provider_urn = std::string(v);
      else
        problem(IN003, "URN", v, "the provider's 6-digit URN");
      break;
    case Map::Item::ukprn:
      if (all_digits(v, 8, 8))
        p.provider_ukprn = std::string(v);
      else
        problem(IN003, "UKPRN", v, "the provider's 8-digit UKPRN");
      break;
    case Map::Item::setting_type:
      if (map_.codes("setting_type").count(upper(v)))
        p.provider_type = upper(v);
      else
        problem(IN004, "APSettingType", v, map_.listed("setting_type"));
      break;
    case Map::Item::reason: {
      const auto& reasons = map_.codes("reason");
      if (const auto it = reasons.find(upper(v)); it != reasons.end()) {
        p.reason_code = it->first;
        p.reason = parse_ap_reason(it->second);
      } else {
        problem(IN004, "PlacementReason", v,
                map_.listed("reason") + " (" +
                    (map_.code_source("reason") == "inferred" ? "an unverified list: " : "") +
                    "schemas/ap-census-xml-map.json)");
      }
      break;
    }
    case Map::Item::entry_date:
      if (!(p.start_date = xs_date(v))) problem(IN003, "EntryDate", v, "a date as YYYY-MM-DD");
      break;
    case Map::Item::leaving_date:
      if (!(p.end_date = xs_date(v))) problem(IN003, "LeavingDate", v, "a date as YYYY-MM-DD");
      break;
    case Map::Item::sessions_per_week: {
      int n = -1;
      if (all_digits(v, 1, 2)) std::from_chars(v.data(), v.data() + v.size(), n);
      if (n >= 0 && n <= 10)
        p.sessions_per_week = n;
      else
        problem(IN003, "SessionsPerWeek", v, "a whole number of sessions from 0 to 10 (a week has ten)");
      break;
    }
    default: break;
    }
  }

  void close_placement() {
    ApPlacement& p = out_.placements.back();
    const int named = !p.provider_urn.empty() + !p.provider_ukprn.empty() + !p.provider_type.empty();
    const std::uint32_t line = p.source.line;
    auto add = [&](std::string what) {
      pupil_.problems.push_back({line, &IN017, "Placement", {}, {}, std::move(what)});
    };
    if (named == 0) add("names its provider by none of URN, UKPRN or APSettingType: exactly one is required");
    if (named > 1) add("names its provider by more than one of URN, UKPRN and APSettingType: exactly one is allowed");
    // An EntryDate that could not be read is reported as such, not again as missing.
    const bool unreadable = std::any_of(pupil_.problems.begin(), pupil_.problems.end(),
                                        [&](const Problem& pr) { return pr.field == "EntryDate" && pr.line >= line; });
    if (!p.start_date && !unreadable) add("has no EntryDate");
  }

  void close_pupil() {
    pupil_open_ = false;
    const std::string& upn = pupil_.upn;
    if (upn.empty())
      pupil_.problems.push_back({pupil_.line, &IN017, "UPN", {}, {}, "The pupil has no UPN"});
    else if (!upn_valid(upn))
      pupil_.problems.push_back(
          {pupil_.line, &IN017, "UPN", quoted_text(upn), {}, "UPN '" + quoted_text(upn) + "' is not a valid UPN"});
    if (pupil_.placements == 0)
      pupil_.problems.push_back({pupil_.line, &IN017, "Placement", {}, {}, "The pupil has no placement module"});
    const std::string who = upn.empty() ? "pupil at line " + std::to_string(pupil_.line) : upn;
    for (std::size_t i = pupil_.first; i < out_.placements.size(); ++i) {
      ApPlacement& p = out_.placements[i];
      p.upn = upn;
      p.placement_id = "APC " + (upn.empty() ? "line" + std::to_string(p.source.line) : upn) + " " +
                       (p.start_date ? p.start_date->iso() : "line" + std::to_string(p.source.line));
    }
    for (Problem& pr : pupil_.problems) {
      const SourceRef src{file_, pr.line};
      const std::string record = std::string(shown_) + ":" + who;
      if (pr.rule == &IN017) {
        std::string message = pr.message;
        if (message.rfind("The pupil", 0) != 0 && message.rfind("UPN", 0) != 0)
          message = "The placement at line " + std::to_string(pr.line) + " " + message;
        out_.report.add(IN017, src, {}, upn, record + "." + pr.field + "." + std::to_string(pr.line), message,
                        {{"field", pr.field}});
      } else if (pr.rule == &IN004) {
        out_.report.unknown_code(src, {}, upn, record, pr.field, pr.value, pr.expected);
      } else {
        out_.report.unparseable(src, {}, upn, record, pr.field, pr.value, pr.expected);
      }
    }
  }

  ApCensusFile& out_;
  std::uint32_t file_;
  std::string_view shown_;
  const Map& map_;
  LineCounter lines_;
  std::vector<Frame> frames_;
  std::vector<std::size_t> lengths_; ///< each open element's parent path length
  std::size_t skip_ = 0;
  Map::Item field_ = Map::Item::none;
  std::uint32_t field_line_ = 0;
  std::string text_;
  bool decided_ = false, root_message_ = false, pupil_open_ = false;
  struct PupilState {
    std::uint32_t line = 0;
    std::string upn;
    std::size_t first = 0, placements = 0;
    std::vector<Problem> problems;
  } pupil_;
  std::vector<std::string> names_;
  std::unordered_set<std::string> unknown_seen_;
};

} // namespace

ApCensusFile read_ap_census_xml(std::string_view bytes, std::uint32_t file, std::string_view shown,
                                const ApCensusMap& map) {
  ApCensusFile out;
  out.file = file;
  std::string converted, encoding;
  std::optional<xml::ScanError> text_error;
  const std::string_view doc = xml::prepare_xml_text(bytes, converted, encoding, text_error);
  Reader reader{out, file, shown, map, doc};
  std::optional<xml::ScanError> error = xml::scan_prepared(doc, text_error, reader);
  // A message whose header ends the file (no pupils): the AP census by its header, or not.
  if (!error && !reader.decided() && reader.root_message() && map.is_collection(out.header.collection))
    out.kind = ApCensusFile::Kind::ap_census;
  reader.mask_names();
  if (out.kind != ApCensusFile::Kind::ap_census) {
    const std::string what = out.kind == ApCensusFile::Kind::census     ? "a school census return"
                             : out.kind == ApCensusFile::Kind::sen2     ? "a SEN2 return"
                             : out.kind == ApCensusFile::Kind::transfer ? "a transfer file (CTF or ATF)"
                             : error                                    ? "not well-formed XML (" + error->message + ")"
                                                                        : "not an AP census message";
    if (error && out.kind == ApCensusFile::Kind::other) out.kind = ApCensusFile::Kind::broken;
    out.placements.clear();
    out.report = {};
    const std::uint32_t line = error ? reader.line_at(error->offset) : 1;
    out.report.add(IN015, {file, line}, {}, {}, std::string(shown) + ".kind",
                   std::string(shown) + " is " + what +
                       (out.header.collection.empty() ? std::string()
                                                      : " (Collection '" + quoted_text(out.header.collection) + "')") +
                       ": it is not read as the AP census",
                   {{"file", std::string(shown)}});
    return out;
  }
  if (error) {
    // Reading stopped: the pupil open then is not half kept.
    if (reader.pupil_open()) {
      std::size_t keep = out.placements.size();
      while (keep > 0 && out.placements[keep - 1].placement_id.empty())
        --keep;
      out.placements.resize(keep);
    }
    const std::uint32_t line = reader.line_at(error->offset);
    out.report.add(IN001, {file, line}, {}, {}, std::string(shown) + ".file",
                   std::string(shown) + " is not well-formed XML at line " + std::to_string(line) + ": " +
                       error->message + ". Reading stopped there; the " + std::to_string(out.placements.size()) +
                       " placements of complete pupils before it were kept" +
                       (reader.pupil_open() ? " and the pupil being read was not" : ""),
                   {{"error", error->message}});
    if (out.placements.empty()) out.kind = ApCensusFile::Kind::broken;
  }
  return out;
}

std::size_t add_ap_census_placements(std::vector<ApCensusFile>& files, const std::vector<std::string>& shown,
                                     const std::string& la_number, std::optional<Date> reference_date, Dataset& data,
                                     InputReport& report) {
  // Which files are read: this LA's, of this census (its ReferenceDate within 200 days of the run's).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < files.size(); ++i) {
    ApCensusFile& f = files[i];
    if (f.kind == ApCensusFile::Kind::ap_census && !la_number.empty() && !f.header.lea.empty() &&
        f.header.lea != la_number) {
      report.add(IN015, {f.file, 1}, {}, {}, shown[i] + ".lea",
                 shown[i] + " is the AP census of LA " + f.header.lea + ", not of this LA (" + la_number +
                     "): it is not read",
                 {{"file", shown[i]}, {"LEA", f.header.lea}});
      f.kind = ApCensusFile::Kind::other;
      continue;
    }
    if (f.kind == ApCensusFile::Kind::ap_census && reference_date && f.header.reference_date &&
        std::abs(f.header.reference_date->days_since(*reference_date)) > 200) {
      report.add(IN015, {f.file, 1}, {}, {}, shown[i] + ".reference_date",
                 shown[i] + " is the AP census of " + f.header.reference_date->iso() + ", not of this census (" +
                     reference_date->iso() + "): it is not read",
                 {{"file", shown[i]}, {"ReferenceDate", f.header.reference_date->iso()}});
      f.kind = ApCensusFile::Kind::other;
      continue;
    }
    for (auto& finding : f.report.findings())
      report.findings().push_back(std::move(finding));
    if (f.kind == ApCensusFile::Kind::ap_census) order.push_back(i);
  }
  // One placement (pupil and entry date) once: from the latest return (header DateTime, then SerialNo,
  // then file name) when several returns hold it, and once when a return holds it twice.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const ApCensusHeader &x = files[a].header, &y = files[b].header;
    return std::tie(y.date_time, y.serial_no, shown[b]) < std::tie(x.date_time, x.serial_no, shown[a]);
  });
  // The home school: the census school with the pupil on roll (a main or subsidiary registration there
  // is a dual registration), else one the pupil left; a school that is itself the placement's provider
  // (a PRU the pupil is on roll at for the placement) only when there is no other. Looked up for the
  // placements' pupils only: a run without an AP census pays nothing for it (9 million pupils nationally).
  struct Home {
    std::string laestab, urn;
    std::optional<bool> dual;
  };
  std::unordered_map<std::string, std::vector<Home>> homes;
  for (const std::size_t i : order)
    for (const ApPlacement& p : files[i].placements)
      if (!p.upn.empty()) homes.try_emplace(p.upn);
  const auto urn_of = [&](const CensusReturn& r) {
    if (!r.urn.empty()) return r.urn;
    const School* s = data.find_school(r.laestab);
    return s ? s->urn : std::string();
  };
  if (!homes.empty())
    for (const auto* list : {&data.pupils, &data.leavers})
      for (const Pupil& p : *list) {
        if (p.upn.empty() || p.census_return >= data.returns.size()) continue;
        const auto it = homes.find(p.upn);
        if (it == homes.end()) continue;
        const CensusReturn& r = data.returns[p.census_return];
        Home h{r.laestab, urn_of(r), std::nullopt};
        if (p.enrol_status && !p.leaver)
          h.dual = *p.enrol_status == EnrolStatus::M || *p.enrol_status == EnrolStatus::S;
        it->second.push_back(std::move(h));
      }
  const auto home_of = [&](const ApPlacement& p) -> const Home* {
    const auto it = homes.find(p.upn);
    if (p.upn.empty() || it == homes.end() || it->second.empty()) return nullptr;
    for (const Home& h : it->second)
      if (h.urn.empty() || h.urn != p.provider_urn) return &h;
    return &it->second.front();
  };
  std::unordered_map<std::string, std::size_t> taken; // placement id -> the file it was read from
  std::size_t added = 0;
  for (const std::size_t i : order) {
    ApCensusFile& f = files[i];
    std::map<std::size_t, std::size_t> superseded; // by file: placements already read from it
    std::uint32_t kept = 0;
    for (ApPlacement& p : f.placements) {
      const auto [it, fresh] = taken.emplace(p.placement_id, i);
      if (!fresh) {
        if (it->second != i) {
          ++superseded[it->second];
        } else {
          report.add(IN017, p.source, {}, p.upn, p.placement_id + ".twice",
                     "The pupil's placement entered on " + (p.start_date ? p.start_date->iso() : "no date") +
                         " is in " + shown[i] + " twice: it is read once, from its first module",
                     {{"placement_id", p.placement_id}});
        }
        continue;
      }
      if (const Home* h = home_of(p)) {
        p.home_laestab = h->laestab;
        p.dual_registered = h->dual;
      }
      data.ap_placements.push_back(std::move(p));
      ++added, ++kept;
    }
    for (const auto& [later, n] : superseded)
      report.add(IN016, {f.file, 1}, {}, {}, shown[i] + ".superseded",
                 std::to_string(n) + " placements of " + shown[i] + " are also in the later return " + shown[later] +
                     ": they are read from " + shown[later] + " only",
                 {{"file", shown[i]}, {"read from", shown[later]}});
    data.files[f.file].records = kept;
  }
  return added;
}

namespace {

std::string iso_or_none(const std::optional<Date>& d) { return d ? d->iso() : std::string("none"); }

// Both run over a common day (an open end runs on; a placement with no start runs over every day).
bool overlap(const ApPlacement& a, const ApPlacement& b) {
  if (!a.start_date || !b.start_date) return true;
  return !(a.end_date && *a.end_date < *b.start_date) && !(b.end_date && *b.end_date < *a.start_date);
}

} // namespace

std::size_t compare_ap_sources(const Dataset& data, const std::vector<ApPlacement>& csv, std::string_view csv_file,
                               InputReport& report) {
  std::unordered_map<std::string, std::vector<const ApPlacement*>> by_upn;
  for (const ApPlacement& c : csv)
    if (!c.upn.empty()) by_upn[c.upn].push_back(&c);
  std::size_t disagree = 0;
  const std::string file(csv_file);
  for (const ApPlacement& p : data.ap_placements) {
    if (p.origin != ApOrigin::ap_census || p.upn.empty()) continue;
    const auto it = by_upn.find(p.upn);
    const ApPlacement* match = nullptr;
    if (it != by_upn.end())
      for (const ApPlacement* c : it->second) {
        if (!overlap(p, *c)) continue;
        const auto gap = [&](const ApPlacement* x) {
          return x->start_date && p.start_date ? std::abs(x->start_date->days_since(*p.start_date)) : 1 << 30;
        };
        if (!match || gap(c) < gap(match)) match = c;
      }
    std::vector<std::string> how;
    if (!match) {
      how.push_back(file + " has no placement of this pupil " +
                    (it == by_upn.end() ? std::string("at all")
                                        : "over the same time (it has " + std::to_string(it->second.size()) + ")"));
    } else {
      const auto differ = [&](std::string what, const std::string& here, const std::string& there) {
        if (here != there) how.push_back(what + " " + here + " in the AP census, " + there + " in " + file);
      };
      differ("entry", iso_or_none(p.start_date), iso_or_none(match->start_date));
      differ("leaving", iso_or_none(p.end_date), iso_or_none(match->end_date));
      if (!p.provider_urn.empty() && !match->provider_urn.empty())
        differ("provider URN", p.provider_urn, match->provider_urn);
      if (p.reason && match->reason && *p.reason != *match->reason)
        how.push_back("reason " + std::string(name(*p.reason)) + " (" + p.reason_code + ") in the AP census, " +
                      std::string(name(*match->reason)) + " in " + file);
    }
    if (how.empty()) continue;
    ++disagree;
    std::string text;
    for (std::size_t k = 0; k < how.size(); ++k)
      text += (k ? "; " : "") + how[k];
    const std::string where =
        match ? " (" + file + " line " + std::to_string(match->source.line) + ", " + match->placement_id + ")" : "";
    report.add(IN018, p.source, p.home_laestab, p.upn, p.placement_id + ".sources",
               "The AP census and " + file + " describe pupil " + p.upn + "'s placement differently" + where + ": " +
                   text,
               {{"placement_id", p.placement_id},
                {"csv_placement_id", match ? match->placement_id : std::string()},
                {"differences", text}});
  }
  return disagree;
}

} // namespace censusqa::load
