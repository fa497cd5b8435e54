// ehcp_cases.csv: one row per request for an EHC needs assessment (SEN2 concepts). Every bad value
// is an IN finding naming row and column; the case is kept with that field missing and its raw
// text available to the EH rules.
#include "csv_reader.hpp"
#include "loaders.hpp"

#include <algorithm>
#include <fstream>
#include <set>

namespace censusqa::load {
namespace {

constexpr std::string_view date_expected = "a date as YYYY-MM-DD or DD/MM/YYYY";

struct Col {
  const char* name;
  Field field;
  bool required;
};
const Col columns[] = {
    {"case_id", Field::upn, true}, // field unused for the three identifiers
    {"upn", Field::upn, false},
    {"laestab", Field::upn, false},
    {"request_date", Field::request_date, true},
    {"request_outcome", Field::request_outcome, true},
    {"request_outcome_date", Field::request_outcome_date, true},
    {"assessment_outcome", Field::assessment_outcome, false},
    {"assessment_outcome_date", Field::assessment_outcome_date, false},
    {"plan_issue_date", Field::plan_issue_date, true},
    {"exception", Field::exception, false},
    {"exception_reason", Field::exception_reason, false},
    {"la_primary_need", Field::la_primary_need, false},
    {"last_review_date", Field::last_review_date, false},
    {"plan_ceased_date", Field::plan_ceased_date, false},
};

} // namespace

Source load_ehcp_cases(const std::filesystem::path& path, std::uint32_t file, Dataset& data, InputReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Source::unopenable;
  CsvInput csv(in, file, data.files[file].path, report);
  std::vector<std::string> fields;
  const CsvHeader* header = csv.header();
  if (!header) return Source::unusable;
  std::vector<ColumnSpec> specs;
  for (const auto& c : columns)
    specs.push_back({c.name, c.required});
  const std::vector<int> col = check_header(*header, specs, file, report);
  csv.lacks_columns(missing_required(col, specs));
  if (col[9] < 0 && col[10] >= 0)
    report.add(IN002, {file, 1}, {}, {}, "column.exception",
               "Column 'exception' is missing while 'exception_reason' is given: no case is read as an exception to "
               "the 20-week limit, so every late plan counts as late",
               {{"column", "exception"}, {"expected", "exception (Y or N) beside exception_reason"}});
  csv.set_school_column(col[2]);
  const std::size_t first_case = data.ehc_cases.size();

  std::set<std::string> ids;
  while (csv.next(fields)) {
    const SourceRef src{file, csv.record_line()};
    auto get = [&](std::size_t i) {
      return col[i] >= 0 && static_cast<std::size_t>(col[i]) < fields.size() ? trim(fields[col[i]])
                                                                             : std::string_view{};
    };
    EhcCase c;
    c.source = src;
    c.case_id = std::string(get(0));
    c.upn = upper(get(1));
    c.person = c.upn.empty() ? c.case_id : c.upn;
    c.laestab =
        read_laestab(get(2), src, c.case_id.empty() ? "line" + std::to_string(src.line) : c.case_id, "laestab", report);
    const auto index = static_cast<std::uint32_t>(data.ehc_cases.size());
    const std::string key = c.case_id.empty() ? "line" + std::to_string(src.line) : c.case_id;
    if (c.case_id.empty())
      report.add(IN002, src, c.laestab, c.upn, key + ".case_id", "The case has no case_id",
                 {{"field", "case_id"}, {"expected", "a unique case id"}});
    else if (!ids.insert(c.case_id).second)
      report.add(IN003, src, c.laestab, c.upn, key + ".case_id",
                 "case_id '" + c.case_id + "' is used by an earlier row; each request needs its own id",
                 {{"field", "case_id"}, {"value", c.case_id}, {"expected", "a unique case id"}});
    auto bad = [&](std::size_t i, std::string_view text, bool unknown, std::string_view expected) {
      data.set_raw_value(Entity::ehc_case, index, columns[i].field, std::string(text));
      if (unknown)
        report.unknown_code(src, c.laestab, c.upn, key, columns[i].name, text, expected);
      else
        report.unparseable(src, c.laestab, c.upn, key, columns[i].name, text, expected);
    };
    auto date = [&](std::size_t i, std::optional<Date>& out) {
      const auto text = get(i);
      if (text.empty()) return;
      if (!(out = Date::parse(text))) bad(i, text, false, date_expected);
    };
    auto decision = [&](std::size_t i, std::optional<Decision>& out) {
      const auto text = get(i);
      if (text.empty()) return;
      if (!(out = parse_decision(text))) bad(i, text, true, "Y, N, A, W, H");
    };
    date(3, c.request_date);
    decision(4, c.request_outcome);
    date(5, c.request_outcome_date);
    decision(6, c.assessment_outcome);
    date(7, c.assessment_outcome_date);
    date(8, c.plan_issue_date);
    if (const auto text = get(9); !text.empty()) {
      if (iequals(text, "Y") || iequals(text, "yes") || iequals(text, "true"))
        c.exception = true;
      else if (iequals(text, "N") || iequals(text, "no") || iequals(text, "false"))
        c.exception = false;
      else
        bad(9, text, true, "Y, N");
    }
    if (const auto text = get(10); !text.empty() && !(c.exception_reason = parse_exception_reason(text)))
      bad(10, text, true, "school_closure, ey_closure, personal_circumstances, absence");
    if (const auto text = get(11); !text.empty() && !(c.la_primary_need = parse_need_type(text)))
      bad(11, text, true, "SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA");
    date(12, c.last_review_date);
    date(13, c.plan_ceased_date);
    data.ehc_cases.push_back(std::move(c));
    ++data.files[file].records;
  }
  if (!csv.usable("the rules that need EHC needs assessment cases")) {
    data.ehc_cases.resize(first_case);
    data.files[file].records = 0;
    return Source::unusable;
  }
  return Source::usable;
}

Source load_reference(const std::filesystem::path& path, std::uint32_t file, Dataset& data, InputReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Source::unopenable;
  CsvInput csv(in, file, data.files[file].path, report);
  ReferenceTable table;
  table.file = file;
  std::vector<std::string> fields;
  const CsvHeader* header = csv.header();
  if (!header) return Source::unusable;
  table.columns = header->names();
  auto has = [&](std::string_view c) { return table.column(c) >= 0; };
  if (has("plans_issued_den") && has("pc_plans_issued_within_20_weeks") && has("time_period"))
    table.kind = "ehcp-timeliness";
  else if (has("SUP_Primary_need_asd") && has("EHC_Primary_need_asd"))
    table.kind = "sen-school-level";
  else {
    const std::string name = valid_utf8(path.filename().string());
    report.add(IN091, {file, 1}, {}, {}, "reference:" + name,
               "Reference file '" + name +
                   "' is not a DfE file censusqa recognises (EHC plan timeliness, SEN in England school level); "
                   "ignored",
               {{"file", name}});
    return Source::unusable;
  }
  // A published file has no names, but a column that would hold one is dropped all the same.
  while (csv.next(fields)) {
    for (const int c : csv.name_columns())
      fields[c].clear();
    table.rows.push_back(std::move(fields));
    fields = {};
  }
  if (!csv.usable("the comparators from " + data.files[file].path)) return Source::unusable;
  data.files[file].records = static_cast<std::uint32_t>(table.rows.size());
  data.reference.push_back(std::move(table));
  return Source::usable;
}

} // namespace censusqa::load
