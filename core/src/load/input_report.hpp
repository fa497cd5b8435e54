// Input findings (IN codes): the loaders' metadata and the collector they report into. Every
// defect names file and line (in the finding's source), field, value and what was expected.
#pragma once

#include "csv_reader.hpp"

#include <censusqa/finding.hpp>
#include <censusqa/rule.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

extern const RuleInfo IN001, IN002, IN003, IN004, IN005, IN006, IN007, IN008, IN009, IN010, IN090, IN091;
/// Every input rule, for `censusqa rules` and the docs.
std::span<const RuleInfo* const> input_rules();

/// Collects input findings. Not thread safe: one per file being loaded, merged afterwards.
class InputReport {
public:
  void add(const RuleInfo& rule, SourceRef source, std::string laestab, std::string upn, std::string subject,
           std::string message, std::vector<std::pair<std::string, std::string>> values = {});
  /// IN003: a value that could not be read as the type the field needs. `dfe_rule`: the DfE rule the
  /// finding is, when one is exactly it (dfe_fields.hpp), for Finding::dfe_rule.
  void unparseable(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                   std::string_view field, std::string_view value, std::string_view expected,
                   std::string_view dfe_rule = {});
  /// IN004: a code not in the field's code list.
  void unknown_code(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                    std::string_view field, std::string_view value, std::string_view expected,
                    std::string_view dfe_rule = {});
  /// IN004 for a code the year's list does not accept: `known` when the list has it at other dates
  /// (`problem` then says why it is not valid here), `expected` the codes that are.
  void invalid_code(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                    std::string_view field, std::string_view value, bool known, std::string_view problem,
                    std::string_view expected, std::string_view dfe_rule = {});
  /// IN091: an unknown column or element; reported once per name per run (merged later). `where`
  /// (an element's path) is said in the message; `why` replaces "unknown" when the name is known
  /// elsewhere.
  void unknown_name(SourceRef source, std::string_view what, std::string_view name, std::string_view where = {},
                    std::string_view why = {});

  std::vector<Finding>& findings() { return findings_; }
  const std::vector<Finding>& findings() const { return findings_; }

private:
  std::vector<Finding> findings_;
};

/// Reads a CSV input's header row; nothing when the file is empty or refused (UTF-16), which is reported
/// (IN001, its subject the file's shown name and ".file", so that each file's finding keeps its id from
/// run to run). A header column with no name is reported (IN091).
std::optional<CsvHeader> read_header(CsvReader& csv, std::uint32_t file, std::string_view shown, InputReport& report);

/// True for a column that holds a person's name or address (surname, forename, middle names, preferred
/// or former names, address lines, postcode, ...), by its header name. No loader reads such a column.
bool is_name_column(std::string_view header_name);

/// One CSV input being read: its header, each record checked against the header's shape, and its
/// encoding reported once. A record with more or fewer fields than the header, or with a quoted field
/// that is never closed, is IN001 at its line (how many fields were expected and found) and is not
/// returned: its values are never read, since a comma in an unquoted name shifts every later field.
/// A field that holds the text of one of the row's name columns (a name written into another column)
/// is emptied before the row is returned, and reported (IN003) without its value.
class CsvInput {
public:
  CsvInput(std::istream& in, std::uint32_t file, std::string shown, InputReport& report)
      : csv_{in}, file_{file}, shown_{std::move(shown)}, report_{report} {}

  /// Reads the header (see read_header); nothing when the file has none.
  const CsvHeader* header();
  /// For the register: a head teacher's name in a GIAS extract may be part of the school's name, so a
  /// field that holds it is kept.
  void keep_name_text() { blank_names_ = false; }
  /// The header column whose value, when it is a 7-digit LAEstab, names the school of a refused row.
  void set_school_column(int column) { school_column_ = column; }
  /// The next record of the header's shape; false at the end of the file (the encoding is then
  /// reported: IN010 when the file was read as Windows-1252).
  bool next(std::vector<std::string>& fields);
  std::uint32_t record_line() const { return csv_.record_line(); }
  /// Records refused for their shape.
  std::uint32_t refused_rows() const { return refused_rows_; }
  /// Records returned by next().
  std::uint32_t rows() const { return rows_; }
  /// True when the file's last record was cut short: a quoted field open at the end of the file, or
  /// fewer fields than the header with no line end after them (a truncated export or copy).
  bool truncated() const { return truncated_; }
  std::uint32_t truncated_line() const { return truncated_line_; }
  /// The header's name and address columns (is_name_column).
  const std::vector<int>& name_columns() const { return name_columns_; }
  /// Reports, once, that the source cannot be used (IN001) when it lacks a required column, holds no
  /// record (unless `none_is_valid`: a header alone then says there are none) or was cut short. True
  /// when it can be used. `what` names the rules that are skipped.
  bool usable(std::string_view what, bool none_is_valid = false);
  /// The file lacks these required columns (comma-separated; check_header reported each, IN002): none
  /// of its records is read (next() is false), and usable() is false.
  void lacks_columns(std::string columns) { lacks_columns_ = std::move(columns); }
  CsvReader& reader() { return csv_; }

private:
  void blank_names(std::vector<std::string>& fields);
  CsvReader csv_;
  std::uint32_t file_;
  std::string shown_;
  InputReport& report_;
  std::optional<CsvHeader> header_;
  std::vector<int> name_columns_;
  int school_column_ = -1;
  std::uint32_t refused_rows_ = 0, rows_ = 0;
  bool truncated_ = false, finished_ = false, header_read_ = false, blank_names_ = true;
  std::uint32_t truncated_line_ = 0;
  std::string lacks_columns_;
};

/// A column a CSV input knows: its name and whether every file must have it.
struct ColumnSpec {
  std::string_view name;
  bool required;
};

/// Checks a CSV header against the columns its format knows: IN002 for each required column that is
/// missing, IN091 for each unknown or repeated one. Returns each known column's index in the header
/// (-1 when absent), in the order of `columns`.
std::vector<int> check_header(const CsvHeader& header, std::span<const ColumnSpec> columns, std::uint32_t file,
                              InputReport& report);
/// The required columns of `columns` that check_header found missing (-1 in `index`), comma-separated.
std::string missing_required(const std::vector<int>& index, std::span<const ColumnSpec> columns);

} // namespace censusqa::load
