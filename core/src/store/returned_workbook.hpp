// Reads the schools' answers back from returned inclusion profiles: the Response and Comment a
// school filled in against each finding id on the Data to fix sheet, and the reply check that says
// which school the workbook is for (report/reply_check.hpp). Any sheet title and column order will
// do as long as the header row has "Finding id", "Response" and "Comment" (whatever saved it: Excel,
// LibreOffice, or censusqa itself).
//
// A returned workbook comes from outside the LA and is read as hostile (docs/replies-security.md):
// the zip's own directory is read first and everything is bounded before it is inflated (the file's
// size, the number of parts, each part's declared and actual inflated size, their total); only the
// parts needed are inflated, as a stream, each counted and CRC-checked while it inflates; the XML is
// parsed as a stream by Expat (no tree, no recursion), with a document type declaration refused, the
// element depth and the numbers of rows, cells and strings bounded. What is read is text, cleaned
// (valid UTF-8, no control characters, length-limited), never a formula.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::store {

/// What the reader reads at most; past any of them the whole workbook is refused.
struct ReaderLimits {
  std::uint64_t file_bytes = 64ull << 20;    ///< the .xlsx file itself
  std::size_t parts = 4096;                  ///< entries in the zip's directory
  std::uint64_t declared_bytes = 1ull << 30; ///< the inflated sizes the directory declares, all parts
  std::uint64_t part_bytes = 32ull << 20;    ///< one part read, inflated
  std::uint64_t total_bytes = 128ull << 20;  ///< every part read, inflated
  std::size_t depth = 64;                    ///< nested XML elements (an .xlsx sheet needs 7)
  std::size_t sheets = 1024;
  std::size_t relationships = 65536;
  std::size_t shared_strings = 1u << 20;
  std::size_t rows = 1u << 20;        ///< rows read on one sheet (Excel's limit: 1,048,576)
  std::size_t cells = 8u << 20;       ///< cells read, all sheets
  std::size_t cell_bytes = 4 * 32767; ///< one cell's or shared string's text (Excel's: 32,767 characters)
  std::size_t responses = 100000;     ///< rows with a Response or Comment
  std::size_t comment_chars = 2000;   ///< a Comment longer than this is cut (and the cut reported)
  std::size_t finding_id_chars = 200; ///< a longer finding id is no finding's
};

/// The workbook was refused whole: not an .xlsx, not a profile, or past a limit (the message says
/// which, naming the file).
struct WorkbookRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SchoolResponse {
  std::string finding_id, response, comment; ///< cleaned text
  std::size_t row = 0;                       ///< the spreadsheet row (1-based), for messages
  bool comment_cut = false;                  ///< the Comment was longer than ReaderLimits::comment_chars
};

struct ReturnedWorkbook {
  std::string laestab_property;          ///< docProps/custom.xml's LAEstab, cleaned, else empty
  std::string check_property;            ///< docProps/custom.xml's "censusqa reply check", else empty
  std::string check_line;                ///< the reply check line on the responses sheet, above its header, else empty
  std::string sheet;                     ///< the sheet the responses were on
  std::vector<SchoolResponse> responses; ///< rows with a Response or a Comment, in sheet order
};

/// Throws WorkbookRefused naming the file and why (not a zip, no Data to fix sheet, a limit...).
ReturnedWorkbook read_returned_workbook(const std::filesystem::path& xlsx, const ReaderLimits& limits = {});
/// The same from a seekable stream of `size` bytes; `name` is for messages.
ReturnedWorkbook read_returned_workbook(std::istream& in, std::uint64_t size, const std::string& name,
                                        const ReaderLimits& limits = {});

/// Untrusted text as data: invalid UTF-8 replaced by U+FFFD; control characters (C0, DEL, C1), the
/// bidirectional overrides and U+FEFF removed, tabs and line breaks made single spaces; trimmed;
/// at most `max_chars` characters (`*cut` set when it was longer).
std::string clean_text(std::string_view text, std::size_t max_chars, bool* cut = nullptr);

} // namespace censusqa::store
