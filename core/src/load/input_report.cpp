// Metadata of the input rules (IN codes) and the collector the loaders report into.
#include "input_report.hpp"

#include "personal_text.hpp"

#include "ap_census_xml.hpp" // IN015 to IN018, declared beside the AP census loader
#include "sen2_xml.hpp"      // IN011 to IN014, declared beside the SEN2 loader

#include <algorithm>
#include <cstdio>

namespace censusqa::load {

const RuleInfo IN001{
    "IN001",
    Severity::error,
    Scope::school,
    Actor::school,
    "File unreadable or not well-formed",
    "A file that cannot be parsed cannot be checked: every pupil or record after the defect is unknown to the run.",
    "Re-export the file from the MIS or the case system and check it opens; the finding gives the line where reading "
    "stopped.",
    0,
    "file"};
const RuleInfo IN002{
    "IN002",
    Severity::error,
    Scope::school,
    Actor::school,
    "Required column or element missing",
    "Without a required column every record in the file lacks that field, so rules that need it cannot run on them.",
    "Add the column (or element) the finding names to the export; the LA folder's files are described under "
    "\"The LA folder\" in censusqa's README.md (installed in share/doc/censusqa/).",
    0,
    "header"};
const RuleInfo IN003{
    "IN003",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Value could not be read",
    "A date, number or money value in the wrong format is treated as missing, which can hide or cause other findings.",
    "Correct the value in the source system: dates as YYYY-MM-DD or DD/MM/YYYY, whole numbers for counts, pounds for "
    "money.",
    0,
    "any typed field"};
const RuleInfo IN004{"IN004",
                     Severity::error,
                     Scope::pupil,
                     Actor::school,
                     "Unknown code value",
                     "Codes outside the DfE code list are rejected by COLLECT and are treated as missing here.",
                     "Record one of the listed codes in the MIS.",
                     0,
                     "any coded field"};
const RuleInfo IN005{
    "IN005",
    Severity::query,
    Scope::school,
    Actor::la_data,
    "Record for a school not in the register",
    "A return or record whose LAEstab is not in schools.csv cannot be given a phase or governance, so comparators and "
    "phase-based rules treat it as unknown.",
    "Add the school to schools.csv (or the GIAS extract), or correct the LAEstab on the record.",
    needs_schools,
    "laestab"};
const RuleInfo IN006{
    "IN006",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Exclusion for a pupil not in that school's census",
    "An exclusion row that matches no pupil on the school's pupil rows cannot be counted for that school.",
    "Check the UPN and LAEstab on the exclusion row against the pupil rows of the same census.",
    needs_census,
    "laestab, upn"};
const RuleInfo IN007{
    "IN007",
    Severity::error,
    Scope::school,
    Actor::school,
    "No census return from this school",
    "A school in the register with no readable return is missing from every figure and check of this census: its "
    "pupils are counted nowhere, and nothing says so unless the LA chases it.",
    "Ask the school to send its census return (or add its file to census/); if the school has closed or is not one "
    "of the LA's, take it out of the register.",
    needs_schools,
    "laestab"};
const RuleInfo IN008{
    "IN008",
    Severity::query,
    Scope::school,
    Actor::la_data,
    "Two census returns for one school",
    "Two returns of one school would count its pupils twice and raise a duplicate for every one of them, so only one "
    "is read: the later by the MIS's export time (header DateTime), then its SerialNo. If the other was the one "
    "meant, the school's figures are wrong.",
    "Remove the superseded file from census/ (or keep the one the school confirms as its final return).",
    needs_census,
    "DateTime, SerialNo"};
const RuleInfo IN009{
    "IN009",
    Severity::query,
    Scope::la,
    Actor::la_data,
    "File is not a school census return",
    "A common transfer file, another DfE collection's return or another XML document among the census returns is not "
    "one school's census: reading it as one would count its pupils on the wrong roll, so it is not read.",
    "Move the file out of census/ (a CTF belongs to the receiving school's MIS, an AP census or SEN2 return to its "
    "own collection).",
    needs_census,
    "root element, Collection"};
const RuleInfo IN010{
    "IN010",
    Severity::info,
    Scope::la,
    Actor::school,
    "File not in UTF-8, read as Windows-1252",
    "Text in another encoding would reach the outputs as bytes that no JSON reader or spreadsheet accepts. Read as "
    "Windows-1252 (what Excel and most Windows software write), a pound sign or a curly apostrophe comes out right; a "
    "file in yet another encoding would be misread.",
    "Export the file as CSV UTF-8 (Excel: Save As, CSV UTF-8), or check that the names and symbols it holds read "
    "right.",
    0,
    "file"};
const RuleInfo IN090{"IN090",
                     Severity::info,
                     Scope::la,
                     Actor::la_data,
                     "Rule skipped for lack of data",
                     "A rule whose inputs are absent is not run; its absence of findings means nothing about the data.",
                     "Supply the named input if the rule matters to this run.",
                     0,
                     ""};
const RuleInfo IN091{
    "IN091",
    Severity::info,
    Scope::la,
    Actor::la_data,
    "Unknown column or element ignored",
    "Columns and elements censusqa does not know are skipped; a misspelt name would silently lose a field, so each "
    "is reported once.",
    "Nothing, if the name is expected; otherwise correct the spelling in the export.",
    0,
    ""};

std::span<const RuleInfo* const> input_rules() {
  static const RuleInfo* const all[] = {&IN001, &IN002, &IN003, &IN004, &IN005, &IN006, &IN007, &IN008, &IN009, &IN010,
                                        &IN011, &IN012, &IN013, &IN014, &IN015, &IN016, &IN017, &IN018, &IN090, &IN091};
  return all;
}

void InputReport::add(const RuleInfo& rule, SourceRef source, std::string laestab, std::string upn, std::string subject,
                      std::string message, std::vector<std::pair<std::string, std::string>> values) {
  Finding f;
  f.rule = std::string(rule.code);
  f.severity = rule.severity;
  f.scope = rule.scope;
  f.plugin = "core";
  f.laestab = std::move(laestab);
  f.upn = std::move(upn);
  f.subject = std::move(subject);
  f.source = source;
  f.message = std::move(message);
  f.values = std::move(values);
  findings_.push_back(std::move(f));
}

void InputReport::unparseable(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                              std::string_view field, std::string_view value, std::string_view expected,
                              std::string_view dfe_rule) {
  add(IN003, source, std::string(laestab), std::string(upn), std::string(record) + "." + std::string(field),
      std::string(field) + " '" + std::string(shown_value(value)) + "' could not be read: expected " +
          std::string(expected),
      {{"field", std::string(field)}, {"value", std::string(shown_value(value))}, {"expected", std::string(expected)}});
  findings_.back().dfe_rule = std::string(dfe_rule);
}

void InputReport::unknown_code(SourceRef source, std::string_view laestab, std::string_view upn,
                               std::string_view record, std::string_view field, std::string_view value,
                               std::string_view expected, std::string_view dfe_rule) {
  add(IN004, source, std::string(laestab), std::string(upn), std::string(record) + "." + std::string(field),
      std::string(field) + " '" + std::string(shown_value(value)) + "' is not a known code: expected one of " +
          std::string(expected),
      {{"field", std::string(field)}, {"value", std::string(shown_value(value))}, {"expected", std::string(expected)}});
  findings_.back().dfe_rule = std::string(dfe_rule);
}

void InputReport::invalid_code(SourceRef source, std::string_view laestab, std::string_view upn,
                               std::string_view record, std::string_view field, std::string_view value, bool known,
                               std::string_view problem, std::string_view expected, std::string_view dfe_rule) {
  add(IN004, source, std::string(laestab), std::string(upn), std::string(record) + "." + std::string(field),
      std::string(field) + " '" + std::string(shown_value(value)) + "' " +
          (known ? "is not valid here: " : "is not a known code: ") + std::string(problem),
      {{"field", std::string(field)}, {"value", std::string(shown_value(value))}, {"expected", std::string(expected)}});
  findings_.back().dfe_rule = std::string(dfe_rule);
}

void InputReport::unknown_name(SourceRef source, std::string_view what, std::string_view name, std::string_view where,
                               std::string_view why) {
  std::string message = (why.empty() ? "Unknown " + std::string(what) : std::string(why)) + " '" + std::string(name) +
                        "'" + (where.empty() ? std::string() : " at " + std::string(where)) +
                        " ignored: its content is not read (reported once; first seen here)";
  std::vector<std::pair<std::string, std::string>> values{
      {what == "element" ? "element" : "column", std::string(name)}};
  if (!where.empty()) values.emplace_back("path", std::string(where));
  add(IN091, source, {}, {}, std::string(what) + ":" + std::string(name), std::move(message), std::move(values));
}

std::optional<CsvHeader> read_header(CsvReader& csv, std::uint32_t file, std::string_view shown, InputReport& report) {
  std::vector<std::string> names;
  if (csv.next(names)) {
    CsvHeader header(std::move(names));
    for (const std::size_t column : header.blanks())
      report.add(IN091, {file, csv.record_line()}, {}, {}, "column#" + std::to_string(column),
                 "Column " + std::to_string(column) + " of the header has no name: its values are not read",
                 {{"column", std::to_string(column)}});
    return header;
  }
  const std::string subject = shown.empty() ? std::string("file") : std::string(shown) + ".file";
  if (!csv.refused().empty())
    report.add(IN001, {file, 1}, {}, {}, subject, "The file is not read: " + csv.refused());
  else
    report.add(IN001, {file, 1}, {}, {}, subject, "The file is empty: a header row is required");
  return std::nullopt;
}

bool is_name_column(std::string_view header_name) {
  std::string n;
  for (const char c : header_name)
    if (c != '_' && c != ' ' && c != '-' && c != '.') n += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  static constexpr std::string_view exact[] = {
      "name1",         "name2",          "pupilname",  "childname",  "studentname", "fullname",    "legalname",
      "preferredname", "preferrednames", "formername", "parentname", "carername",   "contactname", "knownas",
      "initials",      "street",         "town",       "locality",   "county",      "paon",        "saon"};
  static constexpr std::string_view parts[] = {"surname",    "forename",  "firstname", "lastname", "middlename",
                                               "familyname", "givenname", "address",   "postcode", "postalcode"};
  for (const auto e : exact)
    if (n == e) return true;
  for (const auto p : parts)
    if (n.find(p) != std::string::npos) return true;
  return false;
}

const CsvHeader* CsvInput::header() {
  if (header_read_) return header_ ? &*header_ : nullptr;
  header_read_ = true;
  header_ = read_header(csv_, file_, shown_, report_);
  if (!header_) return nullptr;
  for (std::size_t i = 0; i < header_->names().size(); ++i)
    if (is_name_column(header_->names()[i])) name_columns_.push_back(static_cast<int>(i));
  return &*header_;
}

bool CsvInput::next(std::vector<std::string>& fields) {
  if (!header_read_) header();
  if (!header_ || finished_ || !lacks_columns_.empty()) return false;
  const std::size_t want = header_->names().size();
  while (csv_.next(fields)) {
    const bool damaged = !csv_.defect().empty();
    if (!damaged && fields.size() == want) {
      ++rows_;
      if (blank_names_ && !name_columns_.empty()) blank_names(fields);
      return true;
    }
    ++refused_rows_;
    const std::uint32_t line = csv_.record_line();
    const bool cut = csv_.record_at_end() && (damaged || fields.size() < want);
    if (cut) {
      truncated_ = true;
      truncated_line_ = line;
    }
    // The school, when the LAEstab column still holds one (a value of 7 digits is never a name).
    std::string laestab;
    if (!damaged && school_column_ >= 0 && static_cast<std::size_t>(school_column_) < fields.size()) {
      std::string digits;
      for (const char c : trim(fields[school_column_]))
        if (c >= '0' && c <= '9')
          digits += c;
        else if (c != '/' && c != '-' && c != ' ') {
          digits.clear();
          break;
        }
      if (digits.size() == 7) laestab = digits;
    }
    const std::string n = std::to_string(line);
    std::string message;
    if (damaged)
      message = "The record starting on line " + n + " has a quoted field that is not closed before the end of the " +
                "file" + (csv_.line() > line ? " (lines " + n + " to " + std::to_string(csv_.line()) + ")" : "") +
                ": it is not read, nor anything after it";
    else
      message = "The record on line " + n + " has " + std::to_string(fields.size()) + " field" +
                (fields.size() == 1 ? "" : "s") + " but the header has " + std::to_string(want) +
                (cut ? ", and the file ends there (it looks cut short)"
                     : ": a comma in an unquoted value, such as a name, shifts every later field") +
                "; the record is not read";
    report_.add(IN001, {file_, line}, laestab, {}, shown_ + ".line" + n, std::move(message),
                {{"expected_fields", std::to_string(want)},
                 {"found_fields", damaged ? std::string("unclosed quote") : std::to_string(fields.size())}});
  }
  finished_ = true;
  if (csv_.encoding() == CsvReader::Encoding::windows_1252) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", csv_.first_non_utf8_byte());
    const std::string at = std::to_string(csv_.first_non_utf8_line());
    report_.add(IN010, {file_, csv_.first_non_utf8_line()}, {}, {}, shown_ + ".encoding",
                shown_ + " is not UTF-8: from line " + at + " (byte " + byte +
                    ", the first that is not UTF-8) it is read as Windows-1252, as Excel and most Windows software "
                    "write CSV" +
                    (csv_.utf8_before_switch() ? "; the UTF-8 text on the lines before it is read as UTF-8" : "") +
                    ". Check that its names and symbols read right, or export it as CSV UTF-8",
                {{"file", shown_}, {"encoding", "windows-1252"}, {"line", at}, {"byte", byte}});
  }
  return false;
}

namespace {
char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return fold(x) == fold(y); });
}
bool icontains(std::string_view hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                     [](char x, char y) { return fold(x) == fold(y); }) != hay.end();
}
} // namespace

void CsvInput::blank_names(std::vector<std::string>& fields) {
  for (const int c : name_columns_) {
    const std::string_view name = trim(fields[c]);
    if (name.size() < 2) continue;
    for (std::size_t j = 0; j < fields.size(); ++j) {
      if (std::find(name_columns_.begin(), name_columns_.end(), static_cast<int>(j)) != name_columns_.end()) continue;
      const std::string_view v = trim(fields[j]);
      if (v.empty() || !(iequal(v, name) || (name.size() >= 4 && icontains(v, name)))) continue;
      const std::string& column = header_->names()[j];
      const std::string& from = header_->names()[c];
      report_.add(IN003, {file_, csv_.record_line()}, {}, {},
                  shown_ + ".line" + std::to_string(csv_.record_line()) + "." + column,
                  "Column '" + column + "' on line " + std::to_string(csv_.record_line()) +
                      " holds the text of column '" + from + "', a name: it is not read, and not shown here",
                  {{"field", column}, {"expected", "a value that is not a name"}});
      fields[j].clear();
    }
  }
}

bool CsvInput::usable(std::string_view what, bool none_is_valid) {
  if (!header_) return false; // empty or refused: reported by read_header
  std::string why;
  std::uint32_t line = 1;
  if (!lacks_columns_.empty()) {
    why = " lacks the required column" + std::string(lacks_columns_.find(',') == std::string::npos ? " " : "s ") +
          lacks_columns_ + " (IN002)";
  } else if (truncated_) {
    why = " is cut short (its last record, on line " + std::to_string(truncated_line_) + ", is incomplete)";
    line = truncated_line_;
  } else if (rows_ == 0 && refused_rows_ == 0) {
    if (none_is_valid) return true;
    why = " has a header but no records";
  } else if (rows_ == 0)
    why = " has no record that could be read";
  else
    return true;
  report_.add(IN001, {file_, line}, {}, {}, shown_ + ".unusable",
              shown_ + why + ": none of its records is used, and " + std::string(what) +
                  " are skipped (IN090) rather than run over nothing or half a file",
              {{"file", shown_}});
  return false;
}

std::vector<int> check_header(const CsvHeader& header, std::span<const ColumnSpec> columns, std::uint32_t file,
                              InputReport& report) {
  std::vector<int> index;
  std::string required;
  for (const auto& c : columns) {
    index.push_back(header.find(c.name));
    if (c.required) required += (required.empty() ? "" : ", ") + std::string(c.name);
  }
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].required && index[i] < 0) {
      const std::string name(columns[i].name);
      report.add(IN002, {file, 1}, {}, {}, "column." + name,
                 "Required column '" + name + "' is missing from the header",
                 {{"column", name}, {"expected", required}});
    }
  for (const auto& n : header.names())
    if (std::none_of(columns.begin(), columns.end(), [&](const ColumnSpec& c) { return iequals(c.name, n); }))
      report.unknown_name({file, 1}, "column", n);
  for (const auto& d : header.duplicates())
    report.add(IN091, {file, 1}, {}, {}, "column:" + d, "Column '" + d + "' appears more than once; the first is used",
               {{"column", d}});
  return index;
}

std::string missing_required(const std::vector<int>& index, std::span<const ColumnSpec> columns) {
  std::string missing;
  for (std::size_t i = 0; i < columns.size() && i < index.size(); ++i)
    if (columns[i].required && index[i] < 0) missing += (missing.empty() ? "" : ", ") + std::string(columns[i].name);
  return missing;
}

} // namespace censusqa::load
