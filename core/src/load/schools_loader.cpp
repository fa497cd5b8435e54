// The establishment register: our schools.csv, or a GIAS "edubasealldata" extract as downloaded
// (detected by its URN / LA (code) / EstablishmentNumber header) mapped to the same fields.
#include "csv_reader.hpp"
#include "loaders.hpp"

#include <algorithm>
#include <fstream>
#include <unordered_set>

namespace censusqa::load {
namespace {

std::optional<bool> parse_yn(std::string_view s) {
  if (iequals(s, "Y") || iequals(s, "yes") || iequals(s, "true") || s == "1") return true;
  if (iequals(s, "N") || iequals(s, "no") || iequals(s, "false") || s == "0") return false;
  return std::nullopt;
}

struct Row {
  const std::vector<std::string>& fields;
  std::string_view get(int col) const {
    return col >= 0 && static_cast<std::size_t>(col) < fields.size() ? trim(fields[col]) : std::string_view{};
  }
};

// GIAS phase and type names -> our phase. Type wins for special schools and PRUs/AP, whose GIAS
// phase is usually "Not applicable".
std::optional<Phase> gias_phase(std::string_view phase, std::string_view type) {
  const std::string t = lower(type);
  if (t.find("special") != std::string::npos) return Phase::special;
  if (t.find("pupil referral") != std::string::npos || t.find("alternative provision") != std::string::npos)
    return Phase::pru;
  const std::string p = lower(phase);
  if (p == "nursery") return Phase::nursery;
  if (p == "primary") return Phase::primary;
  if (p.rfind("middle", 0) == 0) return Phase::middle;
  if (p == "secondary" || p == "16 plus") return Phase::secondary;
  if (p == "all-through" || p == "all through" || p == "allthrough") return Phase::all_through;
  return std::nullopt;
}

std::optional<Governance> gias_governance(std::string_view type, std::string_view group) {
  const std::string t = lower(type), g = lower(group);
  if (t.find("academy") != std::string::npos || t.find("free school") != std::string::npos || g == "academies" ||
      g == "free schools")
    return Governance::academy;
  if (g == "local authority maintained schools" || t.find("community") != std::string::npos ||
      t.find("foundation") != std::string::npos || t.find("voluntary") != std::string::npos ||
      t == "pupil referral unit" || t == "local authority nursery school" || t == "la maintained" ||
      t == "maintained special" || t == "maintained special school")
    return Governance::maintained;
  return std::nullopt;
}

} // namespace

Source load_schools(const std::filesystem::path& path, std::uint32_t file, Dataset& data, InputReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Source::unopenable;
  CsvInput csv(in, file, data.files[file].path, report);
  const CsvHeader* read = csv.header();
  if (!read) return Source::unusable;
  const CsvHeader& header = *read;
  const std::size_t first = data.schools.size();
  std::vector<std::string> fields;
  const bool gias = header.find("URN") >= 0 && header.find("LA (code)") >= 0 && header.find("EstablishmentNumber") >= 0;
  if (!gias) {
    static constexpr ColumnSpec ours[] = {{"laestab", true},    {"urn", false},
                                          {"name", true},       {"phase", true},
                                          {"governance", true}, {"conversion_date", false},
                                          {"sen_unit", false},  {"resourced_provision", false}};
    check_header(header, ours, file, report);
  } else {
    // A GIAS extract has 130-odd columns, most of no use here: only repeated names are reported.
    for (const auto& d : header.duplicates())
      report.add(IN091, {file, 1}, {}, {}, "column:" + d,
                 "Column '" + d + "' appears more than once; the first is used", {{"column", d}});
  }

  const int c_laestab = header.find("laestab"), c_la = header.find("LA (code)"),
            c_estab = header.find("EstablishmentNumber");
  const int c_urn = header.find("urn");
  const int c_name = gias ? header.find("EstablishmentName") : header.find("name");
  const int c_phase = gias ? header.find("PhaseOfEducation (name)") : header.find("phase");
  const int c_type = header.find("TypeOfEstablishment (name)");
  const int c_group = header.find("EstablishmentTypeGroup (name)");
  const int c_gov = header.find("governance");
  const int c_conv = gias ? header.find("OpenDate") : header.find("conversion_date");
  const int c_unit = header.find("sen_unit"), c_rp = header.find("resourced_provision");
  const int c_rp_type = header.find("TypeOfResourcedProvision (name)");

  csv.set_school_column(c_laestab);
  csv.keep_name_text();
  std::unordered_set<std::string> seen;
  for (const auto& existing : data.schools)
    seen.insert(existing.laestab);
  while (csv.next(fields)) {
    const Row row{fields};
    const SourceRef src{file, csv.record_line()};
    School s;
    s.source = src;
    std::string key = "line" + std::to_string(src.line);
    if (gias) {
      const std::string la(row.get(c_la)), estab(row.get(c_estab));
      s.laestab = la + estab;
      if (!is_digits(la, 3) || !is_digits(estab, 4)) {
        // Never used as an identifier (nor in a file name): the row names no school.
        report.unparseable(src, {}, {}, key, "LA (code)/EstablishmentNumber", la + "/" + estab,
                           "a 3-digit LA code and a 4-digit establishment number; the row is not used");
        continue;
      }
    } else {
      s.laestab = normalise_laestab(row.get(c_laestab));
      if (!s.laestab.empty() && !is_digits(s.laestab, 7)) {
        report.unparseable(src, {}, {}, key, "laestab", s.laestab,
                           "7 digits (LA number + establishment number); the row is not used");
        continue;
      }
    }
    if (!s.laestab.empty()) key = s.laestab;
    s.urn = std::string(row.get(c_urn));
    if (!s.urn.empty() && !is_digits(s.urn, 6)) report.unparseable(src, s.laestab, {}, key, "urn", s.urn, "6 digits");
    s.name = std::string(row.get(c_name));
    const std::string_view phase = row.get(c_phase), type = row.get(c_type);
    if (gias) {
      s.phase = gias_phase(phase, type);
      if (!s.phase)
        report.unknown_code(src, s.laestab, {}, key, "PhaseOfEducation (name)",
                            std::string(phase) + " / " + std::string(type),
                            "a GIAS phase (Nursery, Primary, Middle..., Secondary, All-through, 16 plus) or a special "
                            "school or PRU type");
      s.governance = gias_governance(type, row.get(c_group));
      if (!s.governance)
        report.unknown_code(src, s.laestab, {}, key, "TypeOfEstablishment (name)", type,
                            "an LA-maintained or academy establishment type");
    } else {
      if (!phase.empty() && !(s.phase = parse_phase(phase)) && !(s.phase = gias_phase(phase, phase)))
        report.unknown_code(src, s.laestab, {}, key, "phase", phase,
                            "nursery, primary, middle, secondary, all-through, special, pru");
      const std::string_view gov = row.get(c_gov);
      if (!gov.empty() && !(s.governance = parse_governance(gov)) && !(s.governance = gias_governance(gov, {})))
        report.unknown_code(src, s.laestab, {}, key, "governance", gov, "maintained, academy");
    }
    const std::string_view conv = row.get(c_conv);
    if (!conv.empty() && (!gias || s.governance == Governance::academy)) {
      s.conversion_date = Date::parse(conv);
      if (!s.conversion_date)
        report.unparseable(src, s.laestab, {}, key, gias ? "OpenDate" : "conversion_date", conv,
                           "a date as YYYY-MM-DD or DD/MM/YYYY");
      else if (s.conversion_date->year() <= 1900)
        s.conversion_date.reset(); // GIAS writes 01/01/1900 for "not recorded"
    }
    if (gias) {
      const std::string rp = lower(row.get(c_rp_type));
      s.sen_unit = rp.find("sen unit") != std::string::npos;
      s.resourced_provision = rp.find("resourced provision") != std::string::npos;
    } else {
      for (auto [col, out, label] : {std::tuple{c_unit, &s.sen_unit, "sen_unit"},
                                     std::tuple{c_rp, &s.resourced_provision, "resourced_provision"}}) {
        const std::string_view v = row.get(col);
        if (v.empty()) continue;
        if (const auto b = parse_yn(v))
          *out = *b;
        else
          report.unknown_code(src, s.laestab, {}, key, label, v, "Y, N");
      }
    }
    if (!s.laestab.empty() && !seen.insert(s.laestab).second) {
      report.add(IN003, src, s.laestab, {}, key + ".laestab",
                 "LAEstab " + s.laestab + " appears more than once in the register; the first row is used",
                 {{"field", "laestab"}, {"value", s.laestab}, {"expected", "each school once"}});
      continue;
    }
    if (s.laestab.empty())
      report.add(IN002, src, {}, {}, key + ".laestab", "The row has no LAEstab, so no school can be matched to it",
                 {{"field", "laestab"}, {"expected", "7 digits"}});
    data.schools.push_back(std::move(s));
    ++data.files[file].records;
  }
  if (!csv.usable("the rules that need the register")) {
    data.schools.resize(first);
    data.files[file].records = 0;
    return Source::unusable;
  }
  return Source::usable;
}

} // namespace censusqa::load
