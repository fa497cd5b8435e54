// Reading schemas/census-xml-map.json; see census_map.hpp.
#include "census_map.hpp"

#include "census_codes.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <stdexcept>

namespace censusqa::load {
namespace {

struct FieldName {
  std::string_view name;
  CensusField field;
  RecordKind record; ///< the record kind whose section may use it
};
constexpr FieldName field_names[] = {
    {"collection", CensusField::collection, RecordKind::ret},
    {"term", CensusField::term, RecordKind::ret},
    {"year", CensusField::year, RecordKind::ret},
    {"reference_date", CensusField::reference_date, RecordKind::ret},
    {"lea", CensusField::lea, RecordKind::ret},
    {"estab", CensusField::estab, RecordKind::ret},
    {"urn", CensusField::urn, RecordKind::ret},
    {"serial_no", CensusField::serial_no, RecordKind::ret},
    {"date_time", CensusField::date_time, RecordKind::ret},
    {"software", CensusField::software, RecordKind::ret},
    {"release", CensusField::release, RecordKind::ret},
    {"phase", CensusField::phase, RecordKind::ret},
    {"lowest_nc_year", CensusField::lowest_nc_year, RecordKind::ret},
    {"highest_nc_year", CensusField::highest_nc_year, RecordKind::ret},
    {"upn", CensusField::upn, RecordKind::pupil},
    {"dob", CensusField::dob, RecordKind::pupil},
    {"sex", CensusField::sex, RecordKind::pupil},
    {"enrol_status", CensusField::enrol_status, RecordKind::pupil},
    {"nc_year", CensusField::nc_year, RecordKind::pupil},
    {"nc_year_leaving", CensusField::nc_year_leaving, RecordKind::pupil},
    {"entry_date", CensusField::entry_date, RecordKind::pupil},
    {"leaving_date", CensusField::leaving_date, RecordKind::pupil},
    {"part_time", CensusField::part_time, RecordKind::pupil},
    {"top_up_funding", CensusField::top_up_funding, RecordKind::pupil},
    {"sen_provision", CensusField::sen_provision, RecordKind::pupil},
    {"sen_unit", CensusField::sen_unit, RecordKind::pupil},
    {"resourced_provision", CensusField::resourced_provision, RecordKind::pupil},
    {"uln", CensusField::uln, RecordKind::pupil},
    {"former_upn", CensusField::former_upn, RecordKind::pupil},
    {"surname", CensusField::surname, RecordKind::pupil},
    {"forename", CensusField::forename, RecordKind::pupil},
    {"need_rank", CensusField::need_rank, RecordKind::need},
    {"need_type", CensusField::need_type, RecordKind::need},
    {"exclusion_category", CensusField::exclusion_category, RecordKind::exclusion},
    {"exclusion_reason", CensusField::exclusion_reason, RecordKind::exclusion},
    {"exclusion_start_date", CensusField::exclusion_start_date, RecordKind::exclusion},
    {"exclusion_sessions", CensusField::exclusion_sessions, RecordKind::exclusion},
    {"exclusion_sen_provision", CensusField::exclusion_sen_provision, RecordKind::exclusion},
    {"fsm_start_date", CensusField::fsm_start_date, RecordKind::fsm_period},
    {"fsm_end_date", CensusField::fsm_end_date, RecordKind::fsm_period},
    {"fsm_country", CensusField::fsm_country, RecordKind::fsm_period},
    {"sessions_possible", CensusField::sessions_possible, RecordKind::attendance},
    {"sessions_authorised", CensusField::sessions_authorised, RecordKind::attendance},
    {"sessions_unauthorised", CensusField::sessions_unauthorised, RecordKind::attendance},
    {"attendance_reason", CensusField::attendance_reason, RecordKind::absence_sessions},
    {"absence_sessions", CensusField::absence_sessions, RecordKind::absence_sessions},
    {"ap_urn", CensusField::ap_urn, RecordKind::school_ap},
    {"ap_ukprn", CensusField::ap_ukprn, RecordKind::school_ap},
    {"ap_entry_date", CensusField::ap_entry_date, RecordKind::school_ap},
    {"ap_leaving_date", CensusField::ap_leaving_date, RecordKind::school_ap},
    {"ap_sessions_per_week", CensusField::ap_sessions_per_week, RecordKind::school_ap},
    {"ap_setting_type", CensusField::ap_setting_type, RecordKind::school_ap},
    {"ap_reason", CensusField::ap_reason, RecordKind::school_ap},
    {"ap_sen_provision_entry", CensusField::ap_sen_provision_entry, RecordKind::school_ap},
    {"ap_sen_provision_leaving", CensusField::ap_sen_provision_leaving, RecordKind::school_ap},
    {"ap_attendance_pattern", CensusField::ap_attendance_pattern, RecordKind::school_ap},
};

std::vector<std::string> strings(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& where) {
  std::vector<std::string> out;
  if (!obj || !obj->has(key)) return out;
  const auto arr = obj->getArray(key);
  if (!arr) throw std::runtime_error(where + "." + key + " must be a list of names");
  for (unsigned i = 0; i < arr->size(); ++i)
    out.push_back(arr->getElement<std::string>(i));
  return out;
}

} // namespace

bool CensusMap::knows_name(std::string_view name) const {
  for (const auto& n : nodes_)
    if (n.name == name) return true;
  return false;
}

CensusMap CensusMap::from_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open the census element map " + path.string());
  const std::string where = path.filename().string();
  Poco::JSON::Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": not valid JSON: " + e.what());
  }
  if (!root->has("version") || root->getValue<int>("version") != 2)
    throw std::runtime_error(where + ": expected \"version\": 2 (the map of paths)");
  CensusMap map;
  if (const auto id = root->getObject("identify")) {
    if (id->has("census_root")) map.census_root_ = id->getValue<std::string>("census_root");
    map.collections_ = strings(id, "census_collections", where + ".identify");
    map.transfer_roots_ = strings(id, "transfer_roots", where + ".identify");
  }
  const auto records = root->getObject("records");
  if (!records) throw std::runtime_error(where + ": missing \"records\"");
  // One section root per record kind; a leaver's modules are a pupil's.
  for (std::size_t k = 1; k < record_kind_count; ++k)
    map.section_[k] = map.add(Node{std::string(record_kind_names[k]), Kind::container});
  map.section_[static_cast<std::size_t>(RecordKind::leaver)] =
      map.section_[static_cast<std::size_t>(RecordKind::pupil)];
  for (std::size_t k = 1; k < record_kind_count; ++k) {
    const auto kind = static_cast<RecordKind>(k);
    if (kind == RecordKind::leaver) continue;
    const std::string section_name(record_kind_names[k]);
    const auto section = records->getObject(section_name);
    if (!section) throw std::runtime_error(where + ": records." + section_name + " is missing");
    const RecordKind field_kind = kind == RecordKind::leaver ? RecordKind::pupil : kind;
    for (const auto& path : section->getNames()) {
      const std::string at = where + ": records." + section_name + "[\"" + path + "\"]";
      Node leaf;
      const auto value = section->get(path);
      std::string what;
      Poco::JSON::Object::Ptr spec;
      if (value.type() == typeid(std::string)) {
        what = value.extract<std::string>();
      } else if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        spec = value.extract<Poco::JSON::Object::Ptr>();
        if (spec->has("field"))
          what = spec->getValue<std::string>("field");
        else if (spec->has("record"))
          what = "record:" + spec->getValue<std::string>("record");
        else if (spec->has("ignored"))
          what = "ignored";
        else
          throw std::runtime_error(at + " needs \"field\", \"record\" or \"ignored\"");
        auto year = [&](const char* key, int& out) {
          if (!spec->has(key)) return;
          const auto y = parse_academic_year(spec->getValue<std::string>(key));
          if (!y) throw std::runtime_error(at + "." + key + " must be an academic year such as \"2022/23\"");
          out = *y;
        };
        year("from", leaf.from_year);
        year("until", leaf.until_year);
        leaf.dated = spec->has("from") || spec->has("until");
      } else {
        throw std::runtime_error(at + " must be a field name or an object");
      }
      if (what == "ignored") {
        leaf.kind = Kind::ignored;
      } else if (what.rfind("record:", 0) == 0) {
        const std::string r = what.substr(7);
        std::size_t rk = 0;
        for (std::size_t i = 1; i < record_kind_count; ++i)
          if (record_kind_names[i] == r) rk = i;
        if (!rk || rk == static_cast<std::size_t>(RecordKind::ret))
          throw std::runtime_error(at + ": unknown record kind \"" + r + "\"");
        leaf.kind = Kind::record;
        leaf.record = static_cast<RecordKind>(rk);
        if (leaf.record == RecordKind::exclusion && spec && spec->has("period")) {
          const auto period = parse_attendance_period(spec->getValue<std::string>("period"));
          if (!period || *period == AttendancePeriod::summer_half_term_2)
            throw std::runtime_error(at + ": an exclusion's \"period\" is termly or annual");
          leaf.period = *period;
        }
        if (leaf.record == RecordKind::attendance) {
          const auto period = spec && spec->has("period")
                                  ? parse_attendance_period(spec->getValue<std::string>("period"))
                                  : std::nullopt;
          if (!period) throw std::runtime_error(at + " needs \"period\": termly, summer_half_term_2 or annual");
          leaf.period = *period;
        }
      } else {
        const FieldName* f = nullptr;
        for (const auto& fn : field_names)
          if (fn.name == what) f = &fn;
        if (!f) throw std::runtime_error(at + ": unknown census field \"" + what + "\"");
        if (f->record != field_kind)
          throw std::runtime_error(at + ": the field \"" + what + "\" belongs to records." +
                                   std::string(record_kind_names[static_cast<std::size_t>(f->record)]));
        leaf.kind = Kind::field;
        leaf.field = f->field;
      }
      // Walk (or make) the containers down to the leaf.
      std::uint32_t parent = map.section_[k];
      std::size_t from = 0;
      while (true) {
        const auto slash = path.find('/', from);
        const std::string name = path.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
        if (name.empty()) throw std::runtime_error(at + ": empty element name in the path");
        std::optional<std::uint32_t> existing;
        for (const auto c : map.nodes_[parent].children)
          if (map.nodes_[c].name == name) existing = c;
        if (slash == std::string::npos) {
          if (existing) throw std::runtime_error(at + ": the path is listed twice");
          leaf.name = name;
          const auto idx = map.add(std::move(leaf));
          map.nodes_[parent].children.push_back(idx);
          break;
        }
        if (existing && map.nodes_[*existing].kind != Kind::container)
          throw std::runtime_error(at + ": " + name + " is already a field, record or ignored element");
        if (!existing) {
          const auto idx = map.add(Node{name, Kind::container});
          map.nodes_[parent].children.push_back(idx);
          existing = idx;
        }
        parent = *existing;
        from = slash + 1;
      }
    }
  }
  map.build_table();
  return map;
}

void CensusMap::build_table() {
  for (std::uint32_t i = 0; i < nodes_.size(); ++i)
    nodes_[i].owner = nodes_[i].kind == Kind::record ? section_[static_cast<std::size_t>(nodes_[i].record)] : i;
  std::size_t edges = 0;
  for (const auto& n : nodes_)
    edges += n.children.size();
  std::size_t size = 64;
  while (size < edges * 4)
    size *= 2;
  table_.assign(size, Edge{});
  for (std::uint32_t parent = 0; parent < nodes_.size(); ++parent)
    for (const std::uint32_t child : nodes_[parent].children) {
      const Node& n = nodes_[child];
      const NameKey key(n.name);
      std::size_t i = slot_of(parent, n.name.size(), key);
      while (table_[i].owner != 0)
        i = (i + 1) & (table_.size() - 1);
      table_[i] =
          Edge{parent + 1, child,   static_cast<std::uint32_t>(n.name.size()), n.owner, n.kind, n.dated, key.first,
               key.mid,    key.last};
    }
}

} // namespace censusqa::load
