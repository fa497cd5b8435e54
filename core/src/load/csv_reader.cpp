// RFC 4180 CSV reading with line tracking; see csv_reader.hpp.
#include "csv_reader.hpp"

#include <algorithm>

namespace censusqa::load {

int CsvReader::get() {
  const int c = in_.get();
  if (c == '\n') ++line_;
  return c;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  defect_.clear();
  if (!started_) {
    started_ = true;
    // Skip a UTF-8 byte order mark.
    if (in_.peek() == 0xEF) {
      char bom[3];
      in_.read(bom, 3);
      if (!(in_.gcount() == 3 && static_cast<unsigned char>(bom[1]) == 0xBB &&
            static_cast<unsigned char>(bom[2]) == 0xBF)) {
        in_.clear();
        in_.seekg(0);
      }
    }
  }
  for (;;) {
    int c = in_.peek();
    if (c == EOF) return false;
    if (c == '\r' || c == '\n') { // blank line
      get();
      continue;
    }
    break;
  }
  record_line_ = line_;
  std::string field;
  bool quoted = false;     // inside a quoted section
  bool was_quoted = false; // the field began with a quote
  for (;;) {
    const int c = get();
    if (c == EOF) {
      if (quoted) defect_ = "a quoted field is not closed before the end of the file";
      fields.push_back(std::move(field));
      return true;
    }
    if (quoted) {
      if (c == '"') {
        if (in_.peek() == '"') {
          get();
          field.push_back('"');
        } else {
          quoted = false;
        }
      } else {
        field.push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\r' && in_.peek() == '\n') {
      // CRLF: the LF ends the record.
    } else if (c == '\n' || c == '\r') {
      fields.push_back(std::move(field));
      return true;
    } else {
      field.push_back(static_cast<char>(c));
    }
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c); });
  return out;
}

CsvHeader::CsvHeader(std::vector<std::string> names) : names_{std::move(names)} {
  for (auto& n : names_) {
    n = std::string(trim(n));
    std::string l = lower(n);
    if (std::find(lowered_.begin(), lowered_.end(), l) != lowered_.end()) duplicates_.push_back(n);
    lowered_.push_back(std::move(l));
  }
}

int CsvHeader::find(std::string_view name) const {
  const std::string l = lower(name);
  const auto it = std::find(lowered_.begin(), lowered_.end(), l);
  return it == lowered_.end() ? -1 : static_cast<int>(it - lowered_.begin());
}

} // namespace censusqa::load
