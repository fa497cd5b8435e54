// Renders a book::Book with libxlsxwriter; see workbook.hpp. Every sheet is laid out top to bottom
// (title, subtitle, then each table: title, header, rows, notes), so the same code also works in
// constant-memory mode, which needs rows in order.
#include "workbook.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace censusqa::report::book {
namespace {

namespace fs = std::filesystem;

lxw_color_t colour(const std::string& hex, lxw_color_t fallback) {
  if (hex.size() != 7 || hex[0] != '#') return fallback;
  try {
    return static_cast<lxw_color_t>(std::stoul(hex.substr(1), nullptr, 16));
  } catch (const std::exception&) {
    return fallback;
  }
}

std::size_t display_length(std::string_view s) {
  std::size_t n = 0;
  for (const unsigned char c : s)
    n += (c & 0xC0) != 0x80; // count UTF-8 code points, not bytes
  return n;
}

std::string column_letters(int col) {
  std::string s;
  for (++col; col > 0; col = (col - 1) / 26)
    s.insert(s.begin(), static_cast<char>('A' + (col - 1) % 26));
  return s;
}

std::string quoted_sheet(const std::string& name) {
  std::string q = "'";
  for (char c : name)
    q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

// libxlsxwriter takes a chart's title, axis name or series name that begins with '=' for a reference
// to cells (written into <c:f>). Ours are always text, and may hold a school's name: such text gets a
// leading space, so it stays text.
std::string chart_text(const std::string& s) { return !s.empty() && s.front() == '=' ? " " + s : s; }

// One UTF-8 character's length in bytes at s[i]: 0 for a stray byte (not the start of a valid
// sequence), which callers drop.
std::size_t utf8_char(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return len;
}

const std::string ellipsis = "\xE2\x80\xA6";

// At most `max_chars` characters of valid UTF-8 (stray bytes dropped), ending in an ellipsis when cut.
std::string cut_utf8(std::string_view s, std::size_t max_chars) {
  std::vector<std::string_view> chars;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8_char(s, i);
    if (len) chars.push_back(s.substr(i, len));
    i += std::max<std::size_t>(len, 1);
  }
  const bool cut = chars.size() > max_chars;
  if (cut) chars.resize(max_chars > 0 ? max_chars - 1 : 0);
  std::string out;
  for (const auto c : chars)
    out.append(c);
  return cut ? out + ellipsis : out;
}

// Alternative text is for a screen reader to speak: a paragraph, not a table.
constexpr std::size_t max_alt_text = 2000;

std::string shown_number(const Cell& c) {
  char buf[64];
  if (const auto* i = std::get_if<std::int64_t>(&c.value)) return std::to_string(*i);
  const auto* d = std::get_if<double>(&c.value);
  if (!d) {
    const auto* s = std::get_if<std::string>(&c.value);
    return s ? *s : std::string("none");
  }
  std::snprintf(buf, sizeof buf, c.kind == Kind::percent ? "%.1f%%" : "%.1f", *d);
  return buf;
}

// "Bar chart: <title>. <series> by <categories>. <category>: <series> <value>, ...; ..."
std::string describe_chart(const Table& t) {
  const Chart& ch = *t.chart;
  auto series_name = [&](std::size_t i) {
    if (i < ch.series_names.size()) return ch.series_names[i];
    const auto col = static_cast<std::size_t>(ch.series_columns[i]);
    return col < t.columns.size() ? t.columns[col].header : std::string();
  };
  std::string out = "Bar chart: " + ch.title + ".";
  if (!ch.axis_title.empty()) out += " Values are " + ch.axis_title + ".";
  const std::size_t n = ch.rows < 0 ? t.rows.size() : std::min(t.rows.size(), static_cast<std::size_t>(ch.rows));
  for (std::size_t r = 0; r < n; ++r) {
    const auto& row = t.rows[r];
    // Appended piece by piece: '" " + std::string&&' makes GCC 12 -O3 report -Wrestrict (GCC bug 105329).
    out += ' ';
    if (!row.empty()) out += shown_number(row[0]);
    out += ':';
    for (std::size_t i = 0; i < ch.series_columns.size(); ++i) {
      const auto col = static_cast<std::size_t>(ch.series_columns[i]);
      out += i ? ", " : " ";
      out += series_name(i);
      out += ' ';
      out += col < row.size() ? shown_number(row[col]) : std::string("none");
    }
    out += ";";
  }
  if (!out.empty() && out.back() == ';') out.back() = '.';
  return out;
}

void check(lxw_error e, const char* what) {
  if (e != LXW_NO_ERROR) throw std::runtime_error(std::string(what) + ": " + lxw_strerror(e));
}

// Excel's limit on the text in one cell.
constexpr std::size_t max_cell_text = 32767;

// Rows a chart takes below its table (its height at the scale used, in default 20-pixel rows).
constexpr std::size_t chart_rows = 33;

std::size_t shown_length(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c.value)) return display_length(*s);
  if (const auto* i = std::get_if<std::int64_t>(&c.value)) { // digits (and sign), with room for separators
    std::size_t digits = *i < 0 ? 2 : 1;
    for (std::uint64_t v = *i < 0 ? 0 - static_cast<std::uint64_t>(*i) : static_cast<std::uint64_t>(*i); v >= 10;
         v /= 10)
      ++digits;
    return digits * 4 / 3 + 1;
  }
  if (std::holds_alternative<double>(c.value)) return 7;
  return 0;
}

// Column widths in characters (libxlsxwriter has no autofit, so measure what will be written),
// and whether each column wraps.
struct Widths {
  std::vector<double> width;
  std::vector<bool> wraps;
  double total = 0;
};

Widths column_widths(const Sheet& s) {
  std::vector<double> width, max_width;
  for (const Table& t : s.tables) {
    if (t.columns.size() > width.size()) width.resize(t.columns.size(), 6), max_width.resize(t.columns.size(), 12);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      max_width[c] = std::max(max_width[c], t.columns[c].max_width);
      // Headers wrap, so a long header needs only part of its length.
      width[c] = std::max(width[c], std::min<double>(display_length(t.columns[c].header), 14));
      width[c] = std::max(width[c], std::min(t.columns[c].min_width, max_width[c]));
      if (t.make_row) {
        if (c < t.measured.size()) width[c] = std::max(width[c], static_cast<double>(t.measured[c]));
      } else
        for (const auto& row : t.rows)
          if (c < row.size()) width[c] = std::max(width[c], static_cast<double>(shown_length(row[c])));
    }
  }
  Widths w;
  for (std::size_t c = 0; c < width.size(); ++c) {
    w.wraps.push_back(width[c] > max_width[c]);
    w.width.push_back(std::min(width[c], max_width[c]) + 2);
    w.total += w.width.back();
  }
  return w;
}

// A long line of text (a title's subtitle or a note) split at spaces into lines that fit the
// width of the sheet's tables (`scale`: characters of its font per unit of column width).
// The headline is bold and larger (12 point): fewer of its characters fit the same width.
constexpr double lead_scale = 0.8;

std::vector<std::string> wrap_text(const std::string& text, double width, double scale = 1.1) {
  const std::size_t limit = static_cast<std::size_t>(std::max(90.0 * scale, width * scale));
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && display_length(line) + 1 + display_length(word) > limit) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

// How many lines a row's wrapped cells need.
std::size_t row_lines(const std::vector<Cell>& cells, const Widths& w) {
  std::size_t lines = 1;
  for (std::size_t c = 0; c < cells.size() && c < w.width.size(); ++c)
    if (w.wraps[c])
      if (const auto* s = std::get_if<std::string>(&cells[c].value))
        lines = std::max(lines, static_cast<std::size_t>(display_length(*s) / std::max(1.0, w.width[c] - 2) + 1));
  return std::min<std::size_t>(lines, 15);
}

std::size_t header_lines(const Table& t, const Widths& w) {
  std::size_t lines = 1;
  for (std::size_t c = 0; c < t.columns.size() && c < w.width.size(); ++c)
    lines = std::max(lines,
                     static_cast<std::size_t>(display_length(t.columns[c].header) / std::max(1.0, w.width[c] - 1) + 1));
  return std::min<std::size_t>(lines, 5);
}

class Renderer {
public:
  Renderer(const Book& book, lxw_workbook* wb) : book_{book}, wb_{wb} {
    const Style& st = book.style;
    title_ = add();
    format_set_bold(title_);
    format_set_font_size(title_, 16);
    format_set_font_color(title_, colour(st.title_text, 0x1F4E79));
    subtitle_ = add();
    format_set_font_color(subtitle_, 0x404040);
    table_title_ = add();
    format_set_bold(table_title_);
    format_set_font_size(table_title_, 12);
    format_set_font_color(table_title_, colour(st.title_text, 0x1F4E79));
    header_ = add();
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    format_set_bg_color(header_, colour(st.header_fill, 0x1F4E79));
    format_set_font_color(header_, colour(st.header_text, 0xFFFFFF));
    format_set_border(header_, LXW_BORDER_THIN);
    lead_ = add();
    format_set_bold(lead_);
    format_set_font_size(lead_, 12);
    note_ = add();
    format_set_italic(note_);
    format_set_font_color(note_, 0x595959);
    for (int bold = 0; bold < 2; ++bold) {
      auto cell = [&](const char* num_format, bool wrap = false) {
        lxw_format* f = add();
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, 0xBFBFBF);
        format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        if (num_format) format_set_num_format(f, num_format);
        if (wrap) format_set_text_wrap(f);
        if (bold) format_set_bold(f);
        return f;
      };
      text_[bold] = cell(nullptr);
      wrap_[bold] = cell(nullptr, true);
      integer_[bold] = cell("#,##0");
      percent_[bold] = cell("0.0\"%\"");
      decimal_[bold] = cell("0.0");
      year_[bold] = cell("0");
      pounds_[bold] = cell("\xC2\xA3#,##0;(\xC2\xA3#,##0)");
      reply_[bold] = cell(nullptr, true);
      format_set_unlocked(reply_[bold]);
      link_[bold] = cell(nullptr);
      format_set_underline(link_[bold], LXW_UNDERLINE_SINGLE);
      format_set_font_color(link_[bold], LXW_COLOR_BLUE);
    }
    for (const auto& [text, fill] : st.flag_fill)
      fills_.emplace_back(text, fill_format(fill));
    for (const auto& [text, fill] : st.severity_fill)
      fills_.emplace_back(text, fill_format(fill));
  }

  void sheet(const Sheet& s) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, s.name.c_str());
    if (!ws) throw std::runtime_error("cannot add the sheet '" + s.name + "'");
    print_setup(ws, s.print);
    worksheet_gridlines(ws, LXW_HIDE_ALL_GRIDLINES);
    if (!s.tab_colour.empty()) worksheet_set_tab_color(ws, colour(s.tab_colour, 0x1F4E79));
    if (s.protect) {
      lxw_protection p{};
      p.autofilter = 1;
      p.sort = 1;
      p.format_columns = 1;
      p.format_rows = 1;
      worksheet_protect(ws, nullptr, &p); // no password: it guards against slips, not against the school
    }

    const Widths w = column_widths(s);
    for (std::size_t c = 0; c < w.width.size(); ++c)
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), w.width[c], nullptr);

    lxw_row_t row = 0;
    worksheet_write_string(ws, row++, 0, s.title.c_str(), title_);
    for (const auto& text : s.subtitle)
      for (const auto& line : wrap_text(text, w.total))
        worksheet_write_string(ws, row++, 0, line.c_str(), subtitle_);
    if (!s.lead.empty()) {
      ++row;
      for (const auto& text : s.lead)
        for (const auto& line : wrap_text(text, w.total, lead_scale))
          worksheet_write_string(ws, row++, 0, line.c_str(), lead_);
    }
    bool chart = false;
    for (const Table& t : s.tables) {
      ++row;
      table(ws, s, t, row, w);
      chart = chart || t.chart;
    }
    if (!breaks_.empty()) {
      breaks_.push_back(0);
      worksheet_set_h_pagebreaks(ws, breaks_.data());
      breaks_.clear();
    }
    // Print what the tables span (long notes overflow to the right on screen only).
    const auto cols = static_cast<lxw_col_t>(std::max<std::size_t>(1, w.width.size()));
    if (row > 0) worksheet_print_area(ws, 0, 0, row - 1, std::max<lxw_col_t>(cols, chart ? 8 : 1) - 1);
  }

private:
  lxw_format* add() { return workbook_add_format(wb_); }

  static void print_setup(lxw_worksheet* ws, const Print& p) {
    if (p.landscape)
      worksheet_set_landscape(ws);
    else
      worksheet_set_portrait(ws);
    worksheet_set_paper(ws, 9); // A4
    worksheet_fit_to_pages(ws, static_cast<uint16_t>(std::max(1, p.pages_wide)), 0);
    // Room for the header and footer lines above and below the tables.
    worksheet_set_margins(ws, 0.5, 0.5, 0.9, 0.9);
    const std::string header = header_footer(p.header_left, p.header_centre, p.header_right);
    const std::string footer = header_footer(p.footer_left, {}, p.footer_right, true);
    lxw_header_footer_options margins{};
    margins.margin = 0.4;
    check(worksheet_set_header_opt(ws, header.c_str(), &margins), "print header");
    check(worksheet_set_footer_opt(ws, footer.c_str(), &margins), "print footer");
  }
  lxw_format* fill_format(const std::string& hex) {
    lxw_format* f = add();
    format_set_bg_color(f, colour(hex, 0xFFFFFF));
    return f;
  }

  void table(lxw_worksheet* ws, const Sheet& s, const Table& t, lxw_row_t& row, const Widths& w) {
    if (!t.title.empty()) worksheet_write_string(ws, row++, 0, t.title.c_str(), table_title_);
    const lxw_row_t header_row = row;
    const auto ncols = static_cast<lxw_col_t>(t.columns.size());
    if (const std::size_t lines = header_lines(t, w); lines > 1)
      worksheet_set_row(ws, row, 15.0 * static_cast<double>(lines), nullptr);
    for (lxw_col_t c = 0; c < ncols; ++c)
      worksheet_write_string(ws, row, c, t.columns[c].header.c_str(), header_);
    ++row;
    const lxw_row_t first = row;
    std::vector<bool> coloured(ncols); // a column with a flag or severity cell: filled by its text
    auto put = [&](const std::vector<Cell>& cells) {
      // libxlsxwriter cannot autofit, and not every reader fits wrapped rows: set the height.
      if (const std::size_t lines = row_lines(cells, w); lines > 1)
        worksheet_set_row(ws, row, 15.0 * static_cast<double>(lines), nullptr);
      for (lxw_col_t c = 0; c < ncols && c < cells.size(); ++c) {
        write(ws, row, c, cells[c], c < w.wraps.size() && w.wraps[c]);
        if (cells[c].kind == Kind::flag || cells[c].kind == Kind::severity) coloured[c] = true;
      }
      ++row;
    };
    if (t.make_row) {
      std::vector<Cell> cells;
      for (std::size_t i = 0; i < t.row_count; ++i) {
        t.make_row(i, cells);
        put(cells);
      }
    } else
      for (const auto& cells : t.rows)
        put(cells);
    const lxw_row_t last = row - 1; // the last data row (header_row when there are none)

    if (t.size() > 0) {
      for (lxw_col_t c = 0; c < ncols; ++c)
        if (coloured[c]) colour_by_text(ws, first, c, last);
      if (t.dropdown && t.dropdown->column >= 0) {
        std::vector<char*> items;
        for (const auto& item : t.dropdown->items)
          items.push_back(const_cast<char*>(item.c_str()));
        items.push_back(nullptr);
        lxw_data_validation dv{};
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = items.data();
        const auto col = static_cast<lxw_col_t>(t.dropdown->column);
        check(worksheet_data_validation_range(ws, first, col, last, col, &dv), "drop-down list");
      }
      if (t.excel_table && !book_.constant_memory) {
        std::vector<lxw_table_column> cols(ncols);
        std::vector<lxw_table_column*> col_ptrs;
        for (lxw_col_t c = 0; c < ncols; ++c) {
          cols[c].header = const_cast<char*>(t.columns[c].header.c_str());
          cols[c].header_format = header_;
          col_ptrs.push_back(&cols[c]);
        }
        col_ptrs.push_back(nullptr);
        lxw_table_options opts{};
        opts.name = t.table_name.empty() ? nullptr : const_cast<char*>(t.table_name.c_str());
        opts.style_type = LXW_TABLE_STYLE_TYPE_LIGHT;
        opts.style_type_number = 1;
        opts.columns = col_ptrs.data();
        check(worksheet_add_table(ws, header_row, 0, last, ncols - 1, &opts), "table");
      } else if (t.excel_table) {
        worksheet_autofilter(ws, header_row, 0, last, ncols - 1);
      }
    }
    if (t.freeze_header) {
      worksheet_freeze_panes(ws, header_row + 1, static_cast<lxw_col_t>(std::max(0, t.freeze_columns)));
      worksheet_repeat_rows(ws, header_row, header_row);
      // The frozen columns (the record and the pupil) print on every page too, so that a sheet printed
      // two pages wide still says on its second page which row is which.
      if (t.freeze_columns > 0) worksheet_repeat_columns(ws, 0, static_cast<lxw_col_t>(t.freeze_columns - 1));
    }
    for (const auto& n : t.notes)
      for (const auto& line : wrap_text(n, w.total))
        worksheet_write_string(ws, row++, 0, line.c_str(), note_);
    if (t.chart) {
      // Below the table and its notes, so that it prints with them.
      if (!t.rows.empty()) {
        const lxw_row_t chart_last =
            t.chart->rows < 0 ? last : std::min<lxw_row_t>(last, first + static_cast<lxw_row_t>(t.chart->rows) - 1);
        chart(ws, s, t, first, chart_last, header_row, row + 1);
        breaks_.push_back(row + 1); // a chart prints whole, on a page of its own
      }
      row += static_cast<lxw_row_t>(chart_rows);
    }
  }

  void write(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, bool wrap) {
    const int b = cell.bold ? 1 : 0;
    lxw_format* f = text_[b];
    switch (cell.kind) {
    case Kind::integer: f = integer_[b]; break;
    case Kind::percent: f = percent_[b]; break;
    case Kind::decimal1: f = decimal_[b]; break;
    case Kind::pounds: f = pounds_[b]; break;
    case Kind::year: f = year_[b]; break;
    default: f = wrap ? wrap_[b] : text_[b];
    }
    if (cell.editable) f = reply_[b]; // a reply cell: text, wrapped, unlocked
    if (const auto* s = std::get_if<std::string>(&cell.value)) {
      // Copied only when Excel's cell limit cuts it: this runs once per cell of every sheet.
      std::string cut;
      const char* text = s->c_str();
      if (s->size() > max_cell_text) {
        cut = s->substr(0, max_cell_text);
        text = cut.c_str();
      }
      if (!cell.link.empty() && !cell.external) {
        const std::string url = "internal:" + cell.link;
        worksheet_write_url_opt(ws, r, c, url.c_str(), link_[b], text, nullptr);
      } else if (!cell.link.empty()) {
        // A relative file link ("profiles/x.xlsx"), written as a plain URL: libxlsxwriter would turn the
        // slashes of an "external:" path into Windows backslashes, which only Excel on Windows follows.
        check(worksheet_write_url_opt(ws, r, c, cell.link.c_str(), link_[b], text, nullptr), "link");
      } else
        worksheet_write_string(ws, r, c, text, f);
    } else if (const auto* i = std::get_if<std::int64_t>(&cell.value))
      worksheet_write_number(ws, r, c, static_cast<double>(*i), f);
    else if (const auto* d = std::get_if<double>(&cell.value))
      worksheet_write_number(ws, r, c, *d, f);
    else
      worksheet_write_blank(ws, r, c, f);
  }

  void colour_by_text(lxw_worksheet* ws, lxw_row_t first, lxw_col_t c, lxw_row_t last) {
    for (const auto& [text, fmt] : fills_) {
      lxw_conditional_format cf{};
      cf.type = LXW_CONDITIONAL_TYPE_CELL;
      cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
      std::string quoted = "\"";
      for (const char ch : text)
        quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      quoted += '"';
      cf.value_string = const_cast<char*>(quoted.c_str());
      cf.format = fmt;
      worksheet_conditional_format_range(ws, first, c, last, c, &cf);
    }
  }

  void chart(lxw_worksheet* ws, const Sheet& s, const Table& t, lxw_row_t first, lxw_row_t last, lxw_row_t header_row,
             lxw_row_t at) {
    lxw_chart* ch = workbook_add_chart(wb_, LXW_CHART_BAR);
    const std::string sheet = quoted_sheet(s.name);
    auto range = [&](int col) {
      const std::string l = column_letters(col);
      return "=" + sheet + "!$" + l + "$" + std::to_string(first + 1) + ":$" + l + "$" + std::to_string(last + 1);
    };
    for (std::size_t i = 0; i < t.chart->series_columns.size(); ++i) {
      const int col = t.chart->series_columns[i];
      const std::string cats = range(0), vals = range(col);
      lxw_chart_series* series = chart_add_series(ch, cats.c_str(), vals.c_str());
      const std::string name = i < t.chart->series_names.size()
                                   ? chart_text(t.chart->series_names[i])
                                   : "=" + sheet + "!$" + column_letters(col) + "$" + std::to_string(header_row + 1);
      chart_series_set_name(series, name.c_str());
    }
    chart_title_set_name(ch, chart_text(t.chart->title).c_str());
    if (!t.chart->axis_title.empty()) chart_axis_set_name(ch->x_axis, chart_text(t.chart->axis_title).c_str());
    chart_axis_set_reverse(ch->y_axis); // categories top to bottom, as in the table
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opts{};
    opts.x_scale = 1.6;
    opts.y_scale = 2.2; // 288 px high by default: about 32 rows
    const std::string alt =
        cut_utf8(t.chart->description.empty() ? describe_chart(t) : t.chart->description, max_alt_text);
    opts.description = const_cast<char*>(alt.c_str());
    worksheet_insert_chart_opt(ws, at, 0, ch, &opts);
  }

  const Book& book_;
  lxw_workbook* wb_;
  lxw_format *title_, *subtitle_, *lead_, *table_title_, *header_, *note_;
  lxw_format *text_[2], *wrap_[2], *integer_[2], *percent_[2], *decimal_[2], *year_[2], *pounds_[2], *link_[2],
      *reply_[2];
  std::vector<std::pair<std::string, lxw_format*>> fills_;
  std::vector<lxw_row_t> breaks_;
};

} // namespace

void measure_rows(Table& t) {
  t.measured.assign(t.columns.size(), 0);
  std::vector<Cell> cells;
  for (std::size_t i = 0; i < t.row_count; ++i) {
    t.make_row(i, cells);
    for (std::size_t c = 0; c < cells.size() && c < t.measured.size(); ++c)
      t.measured[c] = std::max(t.measured[c], shown_length(cells[c]));
  }
}

std::size_t first_data_row(const Sheet& sheet, std::size_t table) {
  const Widths w = column_widths(sheet);
  std::size_t row = 1;
  for (const auto& text : sheet.subtitle)
    row += wrap_text(text, w.total).size();
  if (!sheet.lead.empty()) {
    ++row;
    for (const auto& text : sheet.lead)
      row += wrap_text(text, w.total, lead_scale).size();
  }
  for (std::size_t i = 0; i < sheet.tables.size(); ++i) {
    const Table& t = sheet.tables[i];
    row += 1 + (t.title.empty() ? 0 : 1) + 1; // blank, title, header
    if (i == table) return row;
    row += t.size();
    for (const auto& n : t.notes)
      row += wrap_text(n, w.total).size();
    if (t.chart) row += chart_rows;
  }
  return row;
}

std::string header_footer(std::string_view left, std::string_view centre, std::string_view right, bool page_numbers) {
  // Each part as Excel's tokens: "&&" for a literal '&' (alone it starts a code: "&P" is the page
  // number), one character otherwise; control characters print as spaces, stray bytes are dropped.
  using Tokens = std::vector<std::string>;
  auto tokens = [](std::string_view text) {
    Tokens out;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t len = utf8_char(text, i);
      if (len == 0) {
        ++i;
        continue;
      }
      const auto c = static_cast<unsigned char>(text[i]);
      out.emplace_back(c == '&' ? "&&" : c < 0x20 || c == 0x7f ? " " : std::string(text.substr(i, len)));
      i += len;
    }
    // libxlsxwriter reads "&G" and "&[Picture]" as image placeholders, even after an escaping '&', and
    // refuses a string whose placeholders it has no image for: a zero-width space keeps them apart.
    for (std::size_t k = 0; k + 1 < out.size(); ++k)
      if (out[k] == "&&" && (out[k + 1] == "G" || out[k + 1] == "[")) out[k] += "\xE2\x80\x8B";
    return out;
  };
  auto chars = [](const Tokens& t) {
    std::size_t n = 0;
    for (const auto& s : t)
      n += display_length(s);
    return n;
  };
  std::array<Tokens, 3> parts{tokens(left), tokens(centre), tokens(right)};
  constexpr std::size_t excel_limit = 255;
  for (auto& p : parts) // what is beyond the limit on its own is cut anyway (and a name may be long)
    if (p.size() > excel_limit) p.resize(excel_limit);
  const std::string numbers = "Page &P of &N";
  auto total = [&] {
    std::size_t n = 0;
    for (std::size_t i = 0; i < 3; ++i) {
      std::size_t part = chars(parts[i]);
      if (i == 1 && page_numbers) part += (part ? 1 : 0) + numbers.size();
      n += part ? 2 + part : 0; // "&L", "&C", "&R"
    }
    return n;
  };
  // Excel's limit for the whole string: cut the longest part, a character at a time, never inside
  // an escaped "&&", and end it with an ellipsis.
  while (total() > excel_limit) {
    Tokens& longest = *std::max_element(parts.begin(), parts.end(),
                                        [&](const Tokens& a, const Tokens& b) { return chars(a) < chars(b); });
    if (!longest.empty() && longest.back() == ellipsis) longest.pop_back();
    while (!longest.empty() && total() + 1 > excel_limit)
      longest.pop_back();
    longest.push_back(ellipsis);
  }
  std::string out;
  const char* codes[] = {"&L", "&C", "&R"};
  for (std::size_t i = 0; i < 3; ++i) {
    std::string text;
    for (const auto& s : parts[i])
      text += s;
    if (i == 1 && page_numbers) text += (text.empty() ? "" : " ") + numbers;
    if (!text.empty()) out += codes[i] + text;
  }
  return out;
}

std::string sheet_name(std::string_view s) {
  // Excel's rules: no [ ] : * ? / \, no control characters, no apostrophe at either end, at most 31
  // characters (cut between characters, never inside one), not "History".
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size() && chars < 31;) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = utf8_char(s, i); // 0: a stray byte, or a sequence cut short
    if (len == 0 ||
        (len == 1 && (c < 0x20 || c == 0x7f || std::string_view("[]:*?/\\").find(s[i]) != std::string_view::npos))) {
      ++i; // a character Excel refuses, or a stray byte
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
    ++chars;
  }
  while (!out.empty() && out.front() == '\'')
    out.erase(0, 1);
  while (!out.empty() && out.back() == '\'')
    out.pop_back();
  if (out.empty()) return "Sheet";
  std::string lower;
  for (const char c : out)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "history" ? out + " (1)" : out;
}

void write_xlsx(const Book& book, const fs::path& path) {
  // A temporary name in the same folder, unique per thread, renamed when complete: a failed run
  // never leaves a half-written workbook.
  const auto tid = std::hash<std::thread::id>{}(std::this_thread::get_id()) % 100000;
  std::string name = "."; // appended piece by piece: see describe_chart
  name += path.filename().string();
  name += '.';
  name += std::to_string(tid);
  name += ".tmp";
  const fs::path tmp = path.parent_path() / name;
  lxw_workbook_options options{};
  options.constant_memory = book.constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(tmp.c_str(), &options);
  if (!wb) throw std::runtime_error("cannot create " + tmp.string());
  try {
    lxw_doc_properties props{};
    props.title = const_cast<char*>(book.title.c_str());
    props.subject = const_cast<char*>(book.subject.c_str());
    props.author = const_cast<char*>(book.author.c_str());
    props.company = const_cast<char*>(book.company.c_str());
    props.comments = const_cast<char*>(book.comments.c_str());
    workbook_set_properties(wb, &props);
    for (const auto& [name, value] : book.custom_properties)
      check(workbook_set_custom_property_string(wb, name.c_str(), value.c_str()), "custom property");
    Renderer r(book, wb);
    for (const Sheet& s : book.sheets)
      r.sheet(s);
  } catch (...) {
    workbook_close(wb);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (const lxw_error e = workbook_close(wb); e != LXW_NO_ERROR) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw std::runtime_error("cannot write " + path.string() + ": " + lxw_strerror(e));
  }
  fs::rename(tmp, path);
}

} // namespace censusqa::report::book
