// Census returns as pupil-level CSV, laid out as COLLECT's downloads are (one table per module, rows
// joined by school and UPN): census/pupils*.csv (pupils on roll and leavers, any mix of schools per
// file) and, beside it, exclusions*, fsm_periods*, attendance*, session_details* and
// school_arranged_ap*.csv. Term, year and reference date come from census/census.json or the LA
// configuration, since a CSV extract has no header block. Every file's rows go into one part, parsed by
// the same field code as the XML, so that a value means the same whichever way it came.
#include "csv_reader.hpp"
#include "loaders.hpp"
#include "personal_text.hpp"

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
constexpr Column pupil_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::upn, true},
    {"surname", CensusField::surname, false},   // only whether it is given is kept (never the text)
    {"forename", CensusField::forename, false}, // the same
    {"uln", CensusField::uln, false},
    {"former_upn", CensusField::former_upn, false},
    {"dob", CensusField::dob, true},
    {"sex", CensusField::sex, false},
    {"enrol_status", CensusField::enrol_status, true},
    {"nc_year", CensusField::nc_year, true},
    {"entry_date", CensusField::entry_date, false},
    {"leaving_date", CensusField::leaving_date, false},
    {"fsm_eligible", CensusField::fsm_eligible, false},
    {"sen_provision", CensusField::sen_provision, true},
    {"sen_need_1", CensusField::need_type, false},
    {"sen_need_2", CensusField::need_type, false},
    {"sen_unit", CensusField::sen_unit, false},
    {"resourced_provision", CensusField::resourced_provision, false},
    {"top_up_funding", CensusField::top_up_funding, false},
    {"part_time", CensusField::part_time, false},
    {"boarder", CensusField::ignored, false},
    {"sessions_possible", CensusField::sessions_possible, false},
    {"sessions_authorised", CensusField::sessions_authorised, false},
    {"sessions_unauthorised", CensusField::sessions_unauthorised, false},
};
// A pupils column's place in pupil_columns (and so in map_header's result).
constexpr int pupil_column(std::string_view name) {
  for (std::size_t i = 0; i < std::size(pupil_columns); ++i)
    if (pupil_columns[i].name == name) return static_cast<int>(i);
  return -1;
}
// The IN003s that CsvInput made on this row for a name typed into a data column ("sex holds the text of
// forename") named as the pupil's record, as CensusPart names its own findings (the UPN, or "lineN" when
// the row gives none that is kept): the rule that finds the emptied field missing (CI011, CI006, ...)
// then merges with it into one finding, at the pupil's school.
void name_row_findings(std::vector<Finding>& findings, std::size_t from, const std::string& laestab,
                       std::string_view upn_cell, std::uint32_t line) {
  const std::optional<std::string> upn = kept_upn(trim(upn_cell));
  for (std::size_t k = from; k < findings.size(); ++k) {
    Finding& f = findings[k];
    const auto field = std::find_if(f.values.begin(), f.values.end(), [](const auto& v) { return v.first == "field"; });
    if (f.rule != "IN003" || !f.laestab.empty() || field == f.values.end()) continue;
    f.laestab = is_laestab(laestab) ? laestab : std::string();
    f.upn = upn.value_or(std::string());
    f.subject = (upn ? *upn : "line" + std::to_string(line)) + "." + field->second;
  }
}

const Column exclusion_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::ignored, true},
    {"category", CensusField::exclusion_category, true},
    {"reason", CensusField::exclusion_reason, false},
    {"reason_2", CensusField::exclusion_reason, false},
    {"reason_3", CensusField::exclusion_reason, false},
    {"start_date", CensusField::exclusion_start_date, true},
    {"sessions", CensusField::exclusion_sessions, false},
    {"sen_provision", CensusField::exclusion_sen_provision, false},
};
const Column fsm_columns[] = {
    {"laestab", CensusField::ignored, true},           {"upn", CensusField::ignored, true},
    {"start_date", CensusField::fsm_start_date, true}, {"end_date", CensusField::fsm_end_date, false},
    {"country", CensusField::fsm_country, false},
};
const Column attendance_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::ignored, true},
    {"module", CensusField::ignored, true},
    {"sessions_possible", CensusField::sessions_possible, true},
    {"sessions_authorised", CensusField::sessions_authorised, false},
    {"sessions_unauthorised", CensusField::sessions_unauthorised, false},
};
const Column detail_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::ignored, true},
    {"module", CensusField::ignored, true},
    {"reason", CensusField::attendance_reason, true},
    {"sessions", CensusField::absence_sessions, true},
};
const Column ap_columns[] = {
    {"laestab", CensusField::ignored, true},
    {"upn", CensusField::ignored, true},
    {"urn", CensusField::ap_urn, false},
    {"ukprn", CensusField::ap_ukprn, false},
    {"entry_date", CensusField::ap_entry_date, true},
    {"leaving_date", CensusField::ap_leaving_date, false},
    {"sessions_per_week", CensusField::ap_sessions_per_week, false},
    {"setting_type", CensusField::ap_setting_type, false},
    {"reason", CensusField::ap_reason, false},
    {"sen_provision_entry", CensusField::ap_sen_provision_entry, false},
    {"sen_provision_leaving", CensusField::ap_sen_provision_leaving, false},
    {"attendance_pattern", CensusField::ap_attendance_pattern, false},
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
  SourceRef src;
  std::vector<std::string> fields;
  std::vector<int> cols; ///< the file's column of each of its table's columns
  PupilRef pupil;
};

// Reads one table's files; each row is kept with the pupil it belongs to (by school and UPN: a pupil
// on roll first, else a leaver), or reported when it belongs to none.
template <std::size_t N>
bool read_rows(const std::vector<std::pair<std::filesystem::path, std::uint32_t>>& files, const Column (&cols)[N],
               std::string_view table, const std::map<std::pair<std::string, std::string>, PupilRef>& pupil_at,
               Dataset& data, CensusPart& part, std::vector<Record>& rows, std::string& error) {
  for (const auto& [path, file] : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot open " + path.string();
      return false;
    }
    CsvInput csv(in, file, data.files[file].path, part.report);
    std::vector<std::string> fields;
    const CsvHeader* header = csv.header();
    if (!header) continue;
    const auto index = map_header(*header, cols, file, part.report);
    csv.set_school_column(index[0]);
    while (csv.next(fields)) {
      const SourceRef src{file, csv.record_line()};
      ++data.files[file].records;
      for (const int c : csv.name_columns())
        fields[c].clear();
      const std::string laestab = normalise_laestab(cell(fields, index[0]));
      const std::string upn = upper(trim(cell(fields, index[1])));
      const auto it = pupil_at.find({laestab, upn});
      if (it == pupil_at.end()) {
        const bool valid = is_laestab(laestab);
        // Neither is a pupil's: a surname in the UPN column is never shown (or made the record's name).
        const bool named = !may_be_personal(upn);
        const std::string shown_upn(named ? std::string_view(upn) : shown_value(upn)),
            shown_laestab(shown_value(laestab));
        part.report.add(IN006, src, valid ? laestab : std::string(), named ? upn : std::string(),
                        (named ? upn : "line" + std::to_string(src.line)) + "." + std::string(table),
                        std::string(table) + " row for UPN " + shown_upn + " at " + shown_laestab +
                            " matches no pupil on that school's census rows; it is not counted",
                        {{"laestab", shown_laestab}, {"upn", shown_upn}, {"table", std::string(table)}});
        continue;
      }
      rows.push_back({src, std::move(fields), index, it->second});
      fields = {};
    }
  }
  // Each pupil's records must be contiguous: in pupil order (stable: file order within a pupil).
  std::stable_sort(rows.begin(), rows.end(), [](const Record& a, const Record& b) {
    return std::tie(a.pupil.leaver, a.pupil.index) < std::tie(b.pupil.leaver, b.pupil.index);
  });
  return true;
}

std::optional<AttendancePeriod> module_of(std::string_view text) {
  const std::string t = lower(trim(text));
  if (t == "termly" || t == "termlyattendance") return AttendancePeriod::termly;
  if (t == "summer_half_term_2" || t == "summerhalfterm2attendance") return AttendancePeriod::summer_half_term_2;
  if (t == "annual" || t == "annualattendance") return AttendancePeriod::annual;
  return std::nullopt;
}

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

std::string read_laestab(std::string_view text, SourceRef source, std::string_view record, std::string_view column,
                         InputReport& report, bool row_not_used) {
  std::string l = normalise_laestab(text);
  if (l.empty() || is_laestab(l)) return l;
  report.unparseable(source, {}, {}, record, column, l,
                     row_not_used ? "7 digits (LA number + establishment number); the row is not used"
                                  : "7 digits (LA number + establishment number)");
  return {};
}

bool load_census_csv(const CsvCensusFiles& files, const CsvCensusHeader& hdr, const CodeSets& codes, Dataset& data,
                     std::vector<Finding>& findings, std::string& error) {
  CensusPart part;
  part.codes = &codes;
  part.dates.census_day = hdr.reference_date;
  if (hdr.reference_date) {
    const int start = hdr.reference_date->month() >= 8 ? hdr.reference_date->year() : hdr.reference_date->year() - 1;
    const Term term = hdr.term.value_or(hdr.reference_date->month() >= 8 ? Term::AUT : Term::SPR);
    part.dates.census_year = academic_year_start(start);
    part.dates.sessions = academic_year_start(term == Term::AUT ? start - 1 : start);
    part.dates.exclusions = exclusions_period(term, *hdr.reference_date).to;
  }
  // Termly totals given on the pupils rows, made into modules once every pupil is known.
  struct Totals {
    PupilRef pupil;
    SourceRef src;
    std::string possible, authorised, unauthorised;
  };
  std::vector<Totals> totals;
  for (const auto& [path, file] : files.pupils) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot open " + path.string();
      return false;
    }
    CsvInput csv(in, file, data.files[file].path, part.report);
    const CsvHeader* header = csv.header();
    if (!header) continue;
    const auto cols = map_header(*header, pupil_columns, file, part.report);
    csv.set_school_column(cols[0]);
    std::vector<std::string> fields;
    // A return is one school's rows in this file; rows grouped by LAEstab in order of first appearance.
    // A surname (forename) column, when the file has one, says whether each pupil has a name (DfE
    // rules 1580, 1590); without the column nothing is known, and the flag stays false.
    const int c_surname = cols[pupil_column("surname")], c_forename = cols[pupil_column("forename")];
    struct Row {
      std::uint32_t line;
      bool no_surname, no_forename;
      std::vector<std::string> fields;
    };
    std::vector<std::string> order;
    std::map<std::string, std::vector<Row>> by_school;
    for (std::size_t before = part.report.findings().size(); csv.next(fields); before = part.report.findings().size()) {
      const bool no_surname = c_surname >= 0 && trim(cell(fields, c_surname)).empty();
      const bool no_forename = c_forename >= 0 && trim(cell(fields, c_forename)).empty();
      for (const int c : csv.name_columns()) // never kept: names are read only to be dropped
        fields[c].clear();
      std::string laestab = normalise_laestab(cell(fields, cols[0]));
      name_row_findings(part.report.findings(), before, laestab, cell(fields, cols[pupil_column("upn")]),
                        csv.record_line());
      auto [it, fresh] = by_school.try_emplace(laestab);
      if (fresh) order.push_back(laestab);
      it->second.push_back({csv.record_line(), no_surname, no_forename, std::move(fields)});
      fields = {};
    }
    for (const auto& laestab : order) {
      const bool valid = is_laestab(laestab);
      CensusReturn ret;
      ret.laestab = valid ? laestab : std::string();
      ret.lea = valid ? laestab.substr(0, 3) : std::string();
      ret.estab = valid ? laestab.substr(3) : std::string();
      ret.term = hdr.term;
      ret.year = hdr.year;
      ret.reference_date = hdr.reference_date;
      const auto& rows = by_school[laestab];
      ret.source = {file, rows.front().line};
      ret.first_pupil = static_cast<std::uint32_t>(part.pupils.size());
      ret.first_leaver = static_cast<std::uint32_t>(part.leavers.size());
      const auto ret_index = static_cast<std::uint32_t>(part.returns.size());
      if (!valid)
        part.report.unparseable(ret.source, {}, {}, "line" + std::to_string(ret.source.line), "laestab", laestab,
                                "7 digits (LA number + establishment number)");
      part.returns.push_back(ret);
      // A return's pupils on roll come first, then its leavers, each contiguous.
      for (const bool leavers : {false, true})
        for (const auto& [line, no_surname, no_forename, row] : rows) {
          const int c_leaving = cols[pupil_column("leaving_date")];
          if (trim(cell(row, c_leaving)).empty() == leavers) continue;
          const SourceRef src{file, line};
          Pupil p;
          p.census_return = ret_index;
          p.source = src;
          p.leaver = leavers;
          p.surname_missing = no_surname;
          p.forename_missing = no_forename;
          auto& list = leavers ? part.leavers : part.pupils;
          list.push_back(p);
          const PupilRef ref{leavers, static_cast<std::uint32_t>(list.size() - 1)};
          for (std::size_t c = 1; c < std::size(pupil_columns); ++c) {
            const auto& col = pupil_columns[c];
            const std::string_view v = cell(row, cols[c]);
            if (col.field == CensusField::need_type) {
              if (trim(v).empty()) continue;
              const auto n = part.add_need(ref, src);
              part.needs[n].rank = col.name[9] == '1' ? 1 : 2;
              part.set_need_field(n, ref, CensusField::need_type, v, src, col.name);
            } else if (col.field == CensusField::sessions_possible) {
              if (!trim(v).empty() || !trim(cell(row, cols[c + 1])).empty() || !trim(cell(row, cols[c + 2])).empty())
                totals.push_back({ref, src, std::string(v), std::string(cell(row, cols[c + 1])),
                                  std::string(cell(row, cols[c + 2]))});
            } else if (col.field != CensusField::sessions_authorised &&
                       col.field != CensusField::sessions_unauthorised && col.field != CensusField::surname &&
                       col.field != CensusField::forename) {
              part.set_pupil_field(ref, col.field, v, src, col.name);
            }
          }
          ++part.records;
        }
      part.returns.back().pupil_count = static_cast<std::uint32_t>(part.pupils.size()) - ret.first_pupil;
      part.returns.back().leaver_count = static_cast<std::uint32_t>(part.leavers.size()) - ret.first_leaver;
    }
    data.files[file].records = part.records;
  }

  std::map<std::pair<std::string, std::string>, PupilRef> pupil_at;
  for (const bool leavers : {true, false}) // pupils on roll last, so that they win a (school, UPN) shared with a leaver
    for (std::uint32_t i = 0; i < (leavers ? part.leavers : part.pupils).size(); ++i) {
      const Pupil& p = (leavers ? part.leavers : part.pupils)[i];
      pupil_at[{part.returns[p.census_return].laestab, p.upn}] = PupilRef{leavers, i};
    }

  // Exclusions, FSM periods and school-arranged AP: one record per row, in pupil order.
  std::vector<Record> rows;
  if (!read_rows(files.exclusions, exclusion_columns, "exclusion", pupil_at, data, part, rows, error)) return false;
  for (auto& r : rows) {
    const auto e = part.add_exclusion(r.pupil, r.src);
    for (std::size_t c = 2; c < std::size(exclusion_columns); ++c)
      part.set_exclusion_field(e, r.pupil, exclusion_columns[c].field, cell(r.fields, r.cols[c]), r.src,
                               exclusion_columns[c].name);
    part.finish_exclusion(e, r.pupil);
  }
  rows.clear();
  if (!read_rows(files.fsm_periods, fsm_columns, "fsm_period", pupil_at, data, part, rows, error)) return false;
  for (auto& r : rows) {
    const auto f = part.add_fsm_period(r.pupil, r.src);
    for (std::size_t c = 2; c < std::size(fsm_columns); ++c)
      part.set_fsm_field(f, r.pupil, fsm_columns[c].field, cell(r.fields, r.cols[c]), r.src, fsm_columns[c].name);
  }
  rows.clear();
  if (!read_rows(files.school_ap, ap_columns, "school_arranged_ap", pupil_at, data, part, rows, error)) return false;
  for (auto& r : rows) {
    const auto a = part.add_school_ap(r.pupil, r.src);
    for (std::size_t c = 2; c < std::size(ap_columns); ++c)
      part.set_ap_field(a, r.pupil, ap_columns[c].field, cell(r.fields, r.cols[c]), r.src, ap_columns[c].name);
  }

  // Attendance modules: the pupils rows' termly totals and attendance*.csv, then their sessions by reason.
  struct ModuleRow {
    PupilRef pupil;
    AttendancePeriod period;
    SourceRef src;
    std::string possible, authorised, unauthorised;
    bool from_pupils_file;
  };
  std::vector<ModuleRow> modules;
  for (const auto& t : totals)
    modules.push_back({t.pupil, AttendancePeriod::termly, t.src, t.possible, t.authorised, t.unauthorised, true});
  rows.clear();
  if (!read_rows(files.attendance, attendance_columns, "attendance", pupil_at, data, part, rows, error)) return false;
  for (auto& r : rows) {
    const auto period = module_of(cell(r.fields, r.cols[2]));
    if (!period) {
      part.report.unknown_code(r.src, part.returns[part.pupil(r.pupil).census_return].laestab, part.pupil(r.pupil).upn,
                               part.record_key(r.pupil), "module", cell(r.fields, r.cols[2]),
                               "termly, summer_half_term_2, annual");
      continue;
    }
    modules.push_back({r.pupil, *period, r.src, std::string(cell(r.fields, r.cols[3])),
                       std::string(cell(r.fields, r.cols[4])), std::string(cell(r.fields, r.cols[5])), false});
  }
  rows.clear();
  std::vector<Record> details;
  if (!read_rows(files.session_details, detail_columns, "session_detail", pupil_at, data, part, details, error))
    return false;
  std::stable_sort(modules.begin(), modules.end(), [](const ModuleRow& a, const ModuleRow& b) {
    return std::tie(a.pupil.leaver, a.pupil.index) < std::tie(b.pupil.leaver, b.pupil.index);
  });
  // (pupil, period) -> module index; a module given twice is reported and its second row not read.
  std::map<std::tuple<bool, std::uint32_t, AttendancePeriod>, std::uint32_t> module_at;
  std::map<std::tuple<bool, std::uint32_t, AttendancePeriod>, const ModuleRow*> first_row;
  for (const auto& m : modules) {
    const auto key = std::tuple{m.pupil.leaver, m.pupil.index, m.period};
    if (const auto first = first_row.find(key); first != first_row.end()) {
      const ModuleRow& was = *first->second;
      const std::string where = was.src.file == m.src.file
                                    ? "line " + std::to_string(was.src.line) + " and here"
                                    : std::string(was.from_pupils_file ? "the pupils file" : "an attendance file") +
                                          ", line " + std::to_string(was.src.line) + ", and here";
      part.report.add(IN003, m.src, part.returns[part.pupil(m.pupil).census_return].laestab, part.pupil(m.pupil).upn,
                      part.record_key(m.pupil) + "." + std::string(name(m.period)),
                      "The " + std::string(name(m.period)) + " attendance of UPN " + part.pupil(m.pupil).upn +
                          " is given twice (" + where + "); the first is used",
                      {{"module", std::string(name(m.period))}});
      continue;
    }
    first_row[key] = &m;
    const auto idx = part.add_attendance(m.pupil, m.period, m.src.line);
    module_at[key] = idx;
    const std::string label = std::string(name(m.period)) + "/";
    part.set_attendance_field(idx, m.pupil, CensusField::sessions_possible, m.possible, m.src,
                              m.from_pupils_file ? "sessions_possible" : label + "sessions_possible");
    part.set_attendance_field(idx, m.pupil, CensusField::sessions_authorised, m.authorised, m.src,
                              m.from_pupils_file ? "sessions_authorised" : label + "sessions_authorised");
    part.set_attendance_field(idx, m.pupil, CensusField::sessions_unauthorised, m.unauthorised, m.src,
                              m.from_pupils_file ? "sessions_unauthorised" : label + "sessions_unauthorised");
  }
  // Sessions by reason, grouped by module so that each module's rows are contiguous.
  std::vector<std::pair<std::uint32_t, const Record*>> by_module;
  for (const auto& d : details) {
    const auto period = module_of(cell(d.fields, d.cols[2]));
    if (!period) {
      part.report.unknown_code(d.src, part.returns[part.pupil(d.pupil).census_return].laestab, part.pupil(d.pupil).upn,
                               part.record_key(d.pupil), "module", cell(d.fields, d.cols[2]),
                               "termly, summer_half_term_2, annual");
      continue;
    }
    const auto it = module_at.find({d.pupil.leaver, d.pupil.index, *period});
    if (it == module_at.end()) {
      part.report.add(IN006, d.src, part.returns[part.pupil(d.pupil).census_return].laestab, part.pupil(d.pupil).upn,
                      part.record_key(d.pupil) + ".session_detail",
                      "Sessions by reason for the " + std::string(name(*period)) + " attendance of UPN " +
                          part.pupil(d.pupil).upn + ", which has no sessions possible (no attendance row); not counted",
                      {{"module", std::string(name(*period))}});
      continue;
    }
    by_module.emplace_back(it->second, &d);
  }
  std::stable_sort(by_module.begin(), by_module.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (const auto& [module, d] : by_module) {
    const auto idx = part.add_absence_sessions(module);
    part.set_absence_field(idx, d->pupil, CensusField::attendance_reason, cell(d->fields, d->cols[3]), d->src,
                           "reason");
    part.set_absence_field(idx, d->pupil, CensusField::absence_sessions, cell(d->fields, d->cols[4]), d->src,
                           "sessions");
  }
  for (std::uint32_t m = 0; m < part.attendance.size(); ++m)
    part.finish_attendance(m);
  for (const bool leavers : {false, true})
    for (std::uint32_t i = 0; i < (leavers ? part.leavers : part.pupils).size(); ++i)
      part.finish_pupil({leavers, i});
  merge_part(std::move(part), data, findings);
  return true;
}

} // namespace censusqa::load
