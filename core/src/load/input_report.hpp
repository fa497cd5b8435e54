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

extern const RuleInfo IN001, IN002, IN003, IN004, IN005, IN006, IN007, IN008, IN009, IN090, IN091;
/// Every input rule, for `censusqa rules` and the docs.
std::span<const RuleInfo* const> input_rules();

/// Collects input findings. Not thread safe: one per file being loaded, merged afterwards.
class InputReport {
public:
  void add(const RuleInfo& rule, SourceRef source, std::string laestab, std::string upn, std::string subject,
           std::string message, std::vector<std::pair<std::string, std::string>> values = {});
  /// IN003: a value that could not be read as the type the field needs.
  void unparseable(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                   std::string_view field, std::string_view value, std::string_view expected);
  /// IN004: a code not in the field's code list.
  void unknown_code(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                    std::string_view field, std::string_view value, std::string_view expected);
  /// IN004 for a code the year's list does not accept: `known` when the list has it at other dates
  /// (`problem` then says why it is not valid here), `expected` the codes that are.
  void invalid_code(SourceRef source, std::string_view laestab, std::string_view upn, std::string_view record,
                    std::string_view field, std::string_view value, bool known, std::string_view problem,
                    std::string_view expected);
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

/// Reads a CSV input's header row; nothing when the file is empty, which is reported (IN001).
std::optional<CsvHeader> read_header(CsvReader& csv, std::uint32_t file, InputReport& report);

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

} // namespace censusqa::load
