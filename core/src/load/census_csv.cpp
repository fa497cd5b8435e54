// Census returns as pupil-level CSV: census/pupils*.csv (any mix of schools per file) and
// census/exclusions*.csv. Term, year and reference date come from census/census.json or the LA
// configuration, since a CSV extract has no header block.
#include "csv_reader.hpp"
#include "loaders.hpp"

#include <algorithm>
#include <fstream>
#include <map>

namespace censusqa::load {
namespace {

struct Column {
  const char* name;
  CensusField field;
  bool required;
};
const Column pupil_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::upn, true},
    {"surname", CensusField::ignored, false},
    {"forename", CensusField::ignored, false},
    {"dob", CensusField::dob, true},
    {"sex", CensusField::sex, false},
    {"enrol_status", CensusField::enrol_status, true},
    {"nc_year", CensusField::nc_year, true},
    {"entry_date", CensusField::entry_date, false},
    {"fsm_eligible", CensusField::fsm_eligible, false},
    {"sen_provision", CensusField::sen_provision, true},
    {"sen_need_1", CensusField::need_type, false},
    {"sen_need_2", CensusField::need_type, false},
    {"sessions_possible", CensusField::sessions_possible, false},
    {"sessions_authorised", CensusField::sessions_authorised, false},
    {"sessions_unauthorised", CensusField::sessions_unauthorised, false},
};
const Column exclusion_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::upn, true},
    {"category", CensusField::exclusion_category, true},
    {"reason", CensusField::exclusion_reason, false},
    {"start_date", CensusField::exclusion_start_date, true},
    {"sessions", CensusField::exclusion_sessions, false},
};

template <std::size_t N>
std::vector<int> map_header(const CsvHeader& header, const Column (&cols)[N], std::uint32_t file, InputReport& report) {
  std::vector<ColumnSpec> specs;
  for (const auto& c : cols)
    specs.push_back({c.name, c.required});
  return check_header(header, specs, file, report);
}

std::string_view cell(const std::vector<std::string>& f, int col) {
  return col >= 0 && static_cast<std::size_t>(col) < f.size() ? std::string_view{f[col]} : std::string_view{};
}

struct Record {
  std::uint32_t line;
  std::vector<std::string> fields;
};

} // namespace

std::string normalise_laestab(std::string_view text) {
  const std::string_view t = trim(text);
  std::string digits;
  for (char c : t) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != '/' && c != '-' && c != ' ')
      return std::string(t);
  }
  return digits.size() == 7 ? digits : std::string(t);
}

bool load_census_csv(const std::vector<std::pair<std::filesystem::path, std::uint32_t>>& pupil_files,
                     const std::vector<std::pair<std::filesystem::path, std::uint32_t>>& exclusion_files,
                     const CsvCensusHeader& hdr, Dataset& data, std::vector<Finding>& findings,
                     std::set<std::string>& unknown_names_seen, std::string& error) {
  const auto first_csv_pupil = static_cast<std::uint32_t>(data.pupils.size());
  for (const auto& [path, file] : pupil_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot open " + path.string();
      return false;
    }
    CensusPart part;
    CsvReader csv(in);
    const auto header = read_header(csv, file, part.report);
    if (!header) {
      merge_part(std::move(part), data, findings, unknown_names_seen);
      continue;
    }
    const auto cols = map_header(*header, pupil_columns, file, part.report);
    std::vector<std::string> fields;
    // A return is one school's rows in this file; group rows by LAEstab in order of first appearance.
    std::vector<std::string> order;
    std::map<std::string, std::vector<Record>> by_school;
    while (csv.next(fields)) {
      if (!csv.defect().empty())
        part.report.add(IN001, {file, csv.record_line()}, {}, {}, "file",
                        "The record starting here is damaged: " + csv.defect());
      std::string laestab = normalise_laestab(cell(fields, cols[0]));
      auto [it, fresh] = by_school.try_emplace(laestab);
      if (fresh) order.push_back(laestab);
      it->second.push_back({csv.record_line(), std::move(fields)});
      fields = {};
    }
    for (const auto& laestab : order) {
      CensusReturn ret;
      ret.laestab = laestab;
      ret.lea = laestab.substr(0, 3);
      ret.term = hdr.term;
      ret.year = hdr.year;
      ret.reference_date = hdr.reference_date;
      const auto& rows = by_school[laestab];
      ret.source = {file, rows.front().line};
      ret.first_pupil = static_cast<std::uint32_t>(part.pupils.size());
      ret.pupil_count = static_cast<std::uint32_t>(rows.size());
      const auto ret_index = static_cast<std::uint32_t>(part.returns.size());
      part.returns.push_back(ret);
      if (laestab.size() != 7 || laestab.find_first_not_of("0123456789") != std::string::npos)
        part.report.unparseable(ret.source, laestab, {}, "line" + std::to_string(ret.source.line), "laestab", laestab,
                                "7 digits (LA number + establishment number)");
      for (const auto& rec : rows) {
        const SourceRef src{file, rec.line};
        Pupil p;
        p.census_return = ret_index;
        p.source = src;
        p.first_need = static_cast<std::uint32_t>(part.needs.size());
        const auto idx = static_cast<std::uint32_t>(part.pupils.size());
        part.pupils.push_back(p);
        for (std::size_t c = 1; c < std::size(pupil_columns); ++c) {
          const auto& col = pupil_columns[c];
          if (col.field == CensusField::need_type) {
            const std::string_view v = trim(cell(rec.fields, cols[c]));
            if (v.empty()) continue;
            SenNeed n;
            n.rank = col.name[9] == '1' ? 1 : 2;
            n.source = src;
            part.needs.push_back(n);
            ++part.pupils[idx].need_count;
            part.set_need_field(static_cast<std::uint32_t>(part.needs.size() - 1), idx, CensusField::need_type, v, src,
                                col.name);
          } else {
            part.set_pupil_field(idx, col.field, cell(rec.fields, cols[c]), src, col.name);
          }
        }
        ++part.records;
      }
    }
    data.files[file].records = part.records;
    merge_part(std::move(part), data, findings, unknown_names_seen);
  }

  if (exclusion_files.empty()) return true;
  // Exclusions attach to pupils by (LAEstab, UPN); a pupil's exclusions must be contiguous, so all
  // rows are read first and appended in pupil order.
  std::map<std::pair<std::string, std::string>, std::uint32_t> pupil_at;
  for (std::uint32_t i = first_csv_pupil; i < data.pupils.size(); ++i)
    pupil_at.emplace(std::pair{data.return_of(data.pupils[i]).laestab, data.pupils[i].upn}, i);
  std::vector<std::pair<std::uint32_t, Exclusion>> rows;
  std::vector<RawValue> raws; // indexes are positions in `rows` until sorted
  for (const auto& [path, file] : exclusion_files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot open " + path.string();
      return false;
    }
    CensusPart scratch; // borrows the field parser; its pupil/exclusion vectors are scratch space
    CsvReader csv(in);
    std::vector<std::string> fields;
    if (const auto header = read_header(csv, file, scratch.report)) {
      const auto cols = map_header(*header, exclusion_columns, file, scratch.report);
      while (csv.next(fields)) {
        const SourceRef src{file, csv.record_line()};
        ++data.files[file].records;
        const std::string laestab = normalise_laestab(cell(fields, cols[0]));
        const std::string upn = upper(trim(cell(fields, cols[1])));
        const auto it = pupil_at.find({laestab, upn});
        if (it == pupil_at.end()) {
          scratch.report.add(IN006, src, laestab, upn, upn + ".exclusion",
                             "Exclusion row for UPN " + upn + " at " + laestab +
                                 " matches no pupil on that school's census rows; it is not counted",
                             {{"laestab", laestab}, {"upn", upn}});
          continue;
        }
        // Parse through a one-pupil scratch part so messages and raw values are uniform.
        scratch.returns.assign(1, CensusReturn{});
        scratch.returns[0].laestab = laestab;
        scratch.pupils.assign(1, Pupil{});
        scratch.pupils[0].upn = upn;
        scratch.pupils[0].source = src;
        scratch.exclusions.assign(1, Exclusion{});
        scratch.exclusions[0].source = src;
        scratch.raws.clear();
        for (std::size_t c = 2; c < std::size(exclusion_columns); ++c)
          scratch.set_exclusion_field(0, 0, exclusion_columns[c].field, cell(fields, cols[c]), src,
                                      exclusion_columns[c].name);
        for (auto& r : scratch.raws)
          raws.push_back({r.entity, static_cast<std::uint32_t>(rows.size()), r.field, r.text});
        rows.emplace_back(it->second, std::move(scratch.exclusions[0]));
      }
    }
    for (auto& f : scratch.report.findings()) {
      if (f.rule == "IN091" && !unknown_names_seen.insert(f.subject).second) continue;
      findings.push_back(std::move(f));
    }
  }
  std::vector<std::uint32_t> order(rows.size());
  for (std::uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return rows[a].first < rows[b].first; });
  std::vector<std::uint32_t> new_pos(rows.size());
  for (std::uint32_t k = 0; k < order.size(); ++k) {
    const auto& [pupil, excl] = rows[order[k]];
    Pupil& p = data.pupils[pupil];
    const auto pos = static_cast<std::uint32_t>(data.exclusions.size());
    if (p.exclusion_count == 0) p.first_exclusion = pos;
    ++p.exclusion_count;
    new_pos[order[k]] = pos;
    data.exclusions.push_back(excl);
  }
  for (auto& r : raws)
    data.set_raw_value(r.entity, new_pos[r.index], r.field, std::move(r.text));
  return true;
}

} // namespace censusqa::load
