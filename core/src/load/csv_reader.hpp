// The one CSV reader: RFC 4180, UTF-8 with or without BOM, CRLF or LF, quoted fields with
// embedded commas, quotes and newlines. Streams from an istream; reports the line each record
// starts on so that every input finding can name it.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

class CsvReader {
public:
  explicit CsvReader(std::istream& in) : in_{in} {}

  /// Reads the next record into `fields`; false at end of input. Blank lines are skipped.
  bool next(std::vector<std::string>& fields);
  /// The 1-based line on which the last record started.
  std::uint32_t record_line() const { return record_line_; }
  /// Non-empty when the last record had a defect (an unterminated quote at end of file).
  const std::string& defect() const { return defect_; }

private:
  int get();
  std::istream& in_;
  std::uint32_t line_ = 1;
  std::uint32_t record_line_ = 0;
  bool started_ = false;
  std::string defect_;
};

/// A CSV file's header: case-insensitive column lookup.
class CsvHeader {
public:
  explicit CsvHeader(std::vector<std::string> names);
  /// The column index of `name` (case-insensitive), or -1.
  int find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }
  /// Names that occur more than once (the first occurrence is used).
  const std::vector<std::string>& duplicates() const { return duplicates_; }

private:
  std::vector<std::string> names_;
  std::vector<std::string> lowered_;
  std::vector<std::string> duplicates_;
};

std::string lower(std::string_view s);
std::string upper(std::string_view s);
/// Without leading and trailing spaces, tabs, CRs and LFs. Inline: every census value passes here.
inline std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && blank(s.back()))
    s.remove_suffix(1);
  return s;
}

} // namespace censusqa::load
