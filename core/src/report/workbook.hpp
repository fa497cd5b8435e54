// A workbook as data: sheets of titled tables of typed cells, with the presentation hints the
// renderer needs (filters, drop-downs, flag colours, charts). The profile and LA workbook builders
// fill one; write_xlsx() renders it with libxlsxwriter. No rule logic here, and no libxlsxwriter
// outside xlsx_writer.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace censusqa::report::book {

/// How a cell's value is shown.
enum class Kind : std::uint8_t {
  text,
  integer,  ///< 1,234
  percent,  ///< the value is already a percentage: 23.1 shows as 23.1%
  decimal1, ///< 3.4
  pounds,   ///< whole pounds: £1,234 (negative in brackets)
  flag,     ///< well above / above / in line / below / well below, coloured
  severity, ///< error / query / info, coloured
  year,     ///< a calendar year: 2018, not 2,018
};

struct Cell {
  std::variant<std::monostate, std::string, std::int64_t, double> value;
  Kind kind = Kind::text;
  std::string link; ///< a link: a place in the workbook ("'Findings'!A1"), or with `external` a file
  bool bold = false;
  bool editable = false; ///< a reply cell: text, wrapped, and unlocked on a protected sheet
  /// `link` is a path relative to the workbook ("profiles/x.xlsx"). One string for both kinds of link:
  /// a national LA workbook holds millions of cells, and a second string was 40 bytes more on each.
  bool external = false;

  static Cell blank() { return {}; }
  /// No figure (no records, nothing to divide by, no reference data): an en dash, explained on About.
  static Cell none() { return text("\xE2\x80\x93"); }
  static Cell text(std::string s, bool bold = false) { return {std::move(s), Kind::text, {}, bold}; }
  static Cell integer(std::int64_t v) { return {v, Kind::integer, {}, false}; }
  static Cell number(std::optional<double> v, Kind k) {
    return v ? Cell{*v, k, {}, false} : Cell{std::monostate{}, k, {}, false};
  }
  static Cell percent(std::optional<double> v) { return number(v, Kind::percent); }
  static Cell pounds(std::int64_t v) { return {v, Kind::pounds, {}, false}; }
  static Cell year(std::int64_t v) { return {v, Kind::year, {}, false}; }
  static Cell flag(std::string s) { return {std::move(s), Kind::flag, {}, false}; }
  static Cell severity(std::string s) { return {std::move(s), Kind::severity, {}, false}; }
  bool empty() const { return std::holds_alternative<std::monostate>(value); }
};

struct Column {
  std::string header;
  double max_width = 50; ///< characters; text wraps beyond it
  double min_width = 0;  ///< characters: at least this wide (a reply column is empty until filled in)
};

/// A clustered bar chart of some columns of a table against its first column.
struct Chart {
  std::string title;
  std::vector<int> series_columns;
  std::vector<std::string> series_names; ///< the legend, one per series (default: the column headers)
  std::string axis_title;
  int rows = -1; ///< the first so many rows of the table; all when negative
  /// Alternative text for screen readers; when empty the renderer describes the chart from its title,
  /// series and the table's figures.
  std::string description;
};

struct Table {
  std::string title; ///< shown above the header (may be empty)
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  std::vector<std::string> notes; ///< shown beneath, in italics
  bool excel_table = false;       ///< an Excel table with filters (refused in constant-memory mode)
  bool freeze_header = false;     ///< freeze panes below the header and repeat it on printed pages
  int freeze_columns = 0;         ///< with freeze_header: the first so many columns are frozen too
  std::string table_name;         ///< the Excel table's name (letters, digits and underscores)
  struct Dropdown {
    int column = -1;
    std::vector<std::string> items; ///< ASCII only (libxlsxwriter 1.1.4)
  };
  std::optional<Dropdown> dropdown;
  std::optional<Chart> chart;
  /// Instead of `rows`, for a table too large to hold at once (a national run's Findings: millions of
  /// cells): `row_count` rows, each made when it is needed into a reused vector by `make_row(i, row)`,
  /// once by measure_rows() for the column widths and once more as the sheet is written. Not with a
  /// chart or a drop-down; whatever make_row reads must outlive the book.
  std::size_t row_count = 0;
  std::function<void(std::size_t, std::vector<Cell>&)> make_row;
  std::vector<std::size_t> measured; ///< with make_row: each column's widest cell, from measure_rows()
  std::size_t size() const { return make_row ? row_count : rows.size(); }
};

/// Goes through a table's made rows (Table::make_row) once and keeps each column's widest cell.
void measure_rows(Table& t);

/// How a sheet prints (A4). The header's and footer's parts are plain text, however hostile: the
/// renderer escapes Excel's '&' codes and keeps each within Excel's 255 characters.
struct Print {
  std::string header_left, header_centre, header_right;
  std::string footer_left, footer_right; ///< the footer's centre is "Page x of y"
  bool landscape = true;
  int pages_wide = 1; ///< fit to so many pages wide, as many tall as it takes
};

struct Sheet {
  std::string name;                  ///< the tab: at most 31 characters, no [ ] : * ? / or backslash
  std::string title;                 ///< row 1
  std::vector<std::string> subtitle; ///< lines under the title
  std::vector<std::string> lead;     ///< a few plain sentences in bold under the subtitle, before the tables
  std::vector<Table> tables;
  std::string tab_colour; ///< "#RRGGBB" or empty
  /// Protected (no password): every cell locked except the editable ones (Cell::editable); filters and
  /// column widths still work.
  bool protect = false;
  Print print;
};

struct Style {
  std::string header_fill = "#1F4E79", header_text = "#FFFFFF", title_text = "#1F4E79";
  std::map<std::string, std::string> flag_fill = {{"well above", "#F4B183"},
                                                  {"above", "#FBE5D6"},
                                                  {"in line", "#E2EFDA"},
                                                  {"below", "#DEEBF7"},
                                                  {"well below", "#9DC3E6"}};
  std::map<std::string, std::string> severity_fill = {{"error", "#F8CBAD"}, {"query", "#FFE699"}, {"info", "#D9E1F2"}};
};

struct Book {
  std::string title, subject, author, company, comments;
  std::vector<std::pair<std::string, std::string>> custom_properties;
  std::vector<Sheet> sheets;
  Style style;
  bool constant_memory = false; ///< for very large sheets: rows streamed to disk, no Excel tables
};

/// Writes the book to `path` through a temporary file in the same folder, renamed when complete;
/// throws std::runtime_error naming the file on failure.
void write_xlsx(const Book& book, const std::filesystem::path& path);

/// The 0-based row where a table's first data row will be written (the renderer's layout: title,
/// subtitle lines, then per table a blank row, its title if any, its header, rows and notes).
std::size_t first_data_row(const Sheet& sheet, std::size_t table);

/// An Excel header or footer string (`&L...&C...&R...`) of three plain-text parts: '&' doubled so
/// that a name such as "A&P" prints as written, control characters as spaces, and the longest part
/// cut (on a character boundary, ending in an ellipsis) until the whole is within Excel's 255
/// characters. `page_numbers` adds "Page &P of &N" to the centre. A zero-width space follows an
/// escaped '&' before 'G' or '[', which libxlsxwriter would otherwise take for an image placeholder.
std::string header_footer(std::string_view left, std::string_view centre, std::string_view right,
                          bool page_numbers = false);

/// A safe sheet name: at most 31 characters, without []:*?/\ .
std::string sheet_name(std::string_view s);

} // namespace censusqa::report::book
