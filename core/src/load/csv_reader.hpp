// The one CSV reader: RFC 4180, CRLF, LF or CR, quoted fields with embedded commas, quotes and
// newlines. Streams from an istream through its own buffer; reports the line each record starts on so
// that every input finding can name it, and how many fields each record has so that a row of the wrong
// shape can be refused.
//
// Text comes out as valid UTF-8 whatever the bytes were: a UTF-8 byte order mark is skipped; the text
// is read as strict UTF-8 until the first byte that is not part of a valid UTF-8 sequence, and as
// Windows-1252 from that byte on (encoding() says so, first_non_utf8_line() says where). A UTF-16 or
// UTF-32 file (a byte order mark, or NULs in its first bytes) is refused: refused() says why and no
// record is read.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

class CsvReader {
public:
  enum class Encoding { utf8, windows_1252 };

  explicit CsvReader(std::istream& in) : in_{in} {}

  /// Reads the next record into `fields` (their strings are reused); false at end of input or when the
  /// file is refused. Blank lines are skipped.
  bool next(std::vector<std::string>& fields);
  /// The 1-based line on which the last record started.
  std::uint32_t record_line() const { return record_line_; }
  /// The line the reader has reached (after the last record's line end).
  std::uint32_t line() const { return line_; }
  /// Non-empty when the last record had a defect (an unterminated quote at end of file).
  const std::string& defect() const { return defect_; }
  /// True when the last record ran to the end of the input with no line end after it.
  bool record_at_end() const { return at_end_; }

  /// utf8 until a byte that is not UTF-8 is met, windows_1252 from then on.
  Encoding encoding() const { return encoding_; }
  /// The line of the first byte that is not UTF-8 (0 while there is none), and that byte.
  std::uint32_t first_non_utf8_line() const { return non_utf8_line_; }
  unsigned char first_non_utf8_byte() const { return non_utf8_byte_; }
  /// True when valid UTF-8 text beyond ASCII came before the first byte that is not UTF-8.
  bool utf8_before_switch() const { return utf8_seen_; }
  /// True when the file began with a UTF-8 byte order mark (skipped).
  bool had_bom() const { return bom_; }
  /// Why the file is not read at all (a UTF-16 or UTF-32 file), or empty.
  const std::string& refused() const { return refused_; }

private:
  bool ensure(std::size_t n); ///< at least n bytes buffered (false at end of input with fewer)
  void start();
  void append_byte(std::string& field); ///< the byte at pos_ (>= 0x80), decoded, consumed
  std::istream& in_;
  static constexpr std::size_t max_buffer = 1 << 16;
  std::vector<char> buf_ = std::vector<char>(1 << 12); ///< grows to max_buffer while the input fills it
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint32_t line_ = 1;
  std::uint32_t record_line_ = 0;
  bool started_ = false;
  bool at_end_ = false;
  bool bom_ = false;
  bool utf8_seen_ = false;
  Encoding encoding_ = Encoding::utf8;
  std::uint32_t non_utf8_line_ = 0;
  unsigned char non_utf8_byte_ = 0;
  std::string defect_;
  std::string refused_;
};

/// The length of the valid UTF-8 sequence at the start of `s` (1 to 4), or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s);
/// True when `s` is valid UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view s);
/// `s` as valid UTF-8: unchanged when it is, else each byte that is not part of a valid sequence read
/// as Windows-1252 (for file names, which are bytes).
std::string valid_utf8(std::string_view s);
/// The UTF-8 encoding of Windows-1252 byte `b` (>= 0x80; the five bytes 1252 leaves undefined give
/// U+FFFD).
std::string_view windows_1252_utf8(unsigned char b);

/// A CSV file's header: case-insensitive column lookup.
class CsvHeader {
public:
  explicit CsvHeader(std::vector<std::string> names);
  /// The column index of `name` (case-insensitive), or -1.
  int find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }
  /// Names that occur more than once (the first occurrence is used).
  const std::vector<std::string>& duplicates() const { return duplicates_; }
  /// The 1-based positions of columns with no name.
  const std::vector<std::size_t>& blanks() const { return blanks_; }

private:
  std::vector<std::string> names_;
  std::vector<std::string> lowered_;
  std::vector<std::string> duplicates_;
  std::vector<std::size_t> blanks_;
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
