// RFC 4180 CSV reading with line tracking and decoding to UTF-8; see csv_reader.hpp.
#include "csv_reader.hpp"

#include "text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace censusqa::load {
namespace {

struct Utf8Char {
  char bytes[4];
  std::uint8_t size;
};

constexpr Utf8Char encode(char32_t c) {
  if (c < 0x800) return {{static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F)), 0, 0}, 2};
  return {{static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
           static_cast<char>(0x80 | (c & 0x3F)), 0},
          3};
}

constexpr std::array<Utf8Char, 128> make_1252() {
  std::array<Utf8Char, 128> t{};
  for (unsigned b = 0x80; b <= 0xFF; ++b) {
    const char32_t c = b < 0xA0 ? windows_1252_c1[b - 0x80] : static_cast<char32_t>(b);
    t[b - 0x80] = encode(c == 0 ? 0xFFFD : c);
  }
  return t;
}
constexpr std::array<Utf8Char, 128> cp1252 = make_1252();

// Bytes that end a run of plain field text: in an unquoted field (bit 1) and in a quoted one (bit 2).
constexpr std::array<std::uint8_t, 256> make_special() {
  std::array<std::uint8_t, 256> t{};
  for (unsigned b = 0x80; b <= 0xFF; ++b)
    t[b] = 3;
  t[static_cast<unsigned char>('"')] = 3;
  t[static_cast<unsigned char>('\n')] = 3;
  t[static_cast<unsigned char>('\r')] = 3;
  t[static_cast<unsigned char>(',')] = 1;
  return t;
}
constexpr std::array<std::uint8_t, 256> special = make_special();

} // namespace

std::string_view windows_1252_utf8(unsigned char b) {
  const Utf8Char& u = cp1252[static_cast<std::size_t>(b & 0x7F)];
  return {u.bytes, u.size};
}

std::size_t utf8_sequence(std::string_view s) {
  if (s.empty()) return 0;
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < s.size() && b(i) >= lo && b(i) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0; // not a surrogate
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string valid_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence(s.substr(i));
    if (n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out.append(windows_1252_utf8(static_cast<unsigned char>(s[i])));
      ++i;
    }
  }
  return out;
}

bool CsvReader::ensure(std::size_t n) {
  if (end_ - pos_ >= n) return true;
  if (eof_) return false;
  // Keep what is left at the front, then fill the rest.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  while (end_ - pos_ < n && !eof_) {
    const std::size_t room = buf_.size() - end_;
    in_.read(buf_.data() + end_, static_cast<std::streamsize>(room));
    const auto got = static_cast<std::size_t>(in_.gcount());
    end_ += got;
    if (got == 0) eof_ = true;
    // A small file needs no more than it holds; a large one gets up to max_buffer, doubling once per fill.
    if (got == room && buf_.size() < max_buffer) buf_.resize(buf_.size() * 2);
  }
  return end_ - pos_ >= n;
}

void CsvReader::start() {
  started_ = true;
  ensure(4);
  const auto at = [&](std::size_t i) { return i < end_ ? static_cast<unsigned char>(buf_[i]) : 0x100u; };
  if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
    pos_ = 3;
    bom_ = true;
    return;
  }
  const bool utf16 = (at(0) == 0xFF && at(1) == 0xFE) || (at(0) == 0xFE && at(1) == 0xFF);
  const bool utf32 = at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF;
  // No byte order mark, but a NUL beside every character of the first two: UTF-16 all the same.
  const bool nuls = end_ >= 4 && ((at(0) != 0 && at(1) == 0 && at(2) != 0 && at(3) == 0) ||
                                  (at(0) == 0 && at(1) != 0 && at(2) == 0 && at(3) != 0));
  if (utf16 || utf32 || nuls)
    refused_ = std::string("the file is ") + (utf32 ? "UTF-32" : "UTF-16") +
               (utf16 || utf32 ? " (it begins with a byte order mark)" : " (every other byte of its first line is 0)") +
               ", not UTF-8 or Windows-1252: no record of it is read. Save it as \"CSV UTF-8\"";
}

void CsvReader::append_byte(std::string& field) {
  const auto c = static_cast<unsigned char>(buf_[pos_]);
  if (encoding_ == Encoding::utf8) {
    ensure(4);
    const std::size_t n = utf8_sequence({buf_.data() + pos_, end_ - pos_});
    if (n > 0) {
      field.append(buf_.data() + pos_, n);
      pos_ += n;
      utf8_seen_ = true;
      return;
    }
    encoding_ = Encoding::windows_1252;
    non_utf8_line_ = line_;
    non_utf8_byte_ = c;
  }
  field.append(windows_1252_utf8(c));
  ++pos_;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  defect_.clear();
  at_end_ = false;
  if (!started_) start();
  if (!refused_.empty()) {
    fields.clear();
    return false;
  }
  // Blank lines (LF, CR LF or a lone CR) are skipped.
  for (;;) {
    if (!ensure(1)) {
      fields.clear();
      return false;
    }
    const char c = buf_[pos_];
    if (c != '\n' && c != '\r') break;
    ++pos_;
    if (c == '\r' && ensure(1) && buf_[pos_] == '\n') ++pos_;
    ++line_;
  }
  record_line_ = line_;
  std::size_t count = 0;
  auto open_field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& f = fields[count++];
    f.clear();
    return f;
  };
  std::string* field = &open_field();
  bool quoted = false;     // inside a quoted section
  bool was_quoted = false; // the field began with a quote
  for (;;) {
    if (!ensure(1)) {
      if (quoted) defect_ = "a quoted field is not closed before the end of the file";
      at_end_ = true;
      break;
    }
    // A run of plain text in one append.
    const std::uint8_t mask = quoted ? 2 : 1;
    std::size_t run = pos_;
    while (run < end_ && !(special[static_cast<unsigned char>(buf_[run])] & mask))
      ++run;
    if (run > pos_) {
      field->append(buf_.data() + pos_, run - pos_);
      pos_ = run;
      continue;
    }
    const char c = buf_[pos_];
    if (static_cast<unsigned char>(c) >= 0x80) {
      append_byte(*field);
      continue;
    }
    ++pos_;
    if (quoted) {
      if (c == '"') {
        if (ensure(1) && buf_[pos_] == '"') {
          ++pos_;
          field->push_back('"');
        } else {
          quoted = false;
        }
      } else { // a line end inside quotes is part of the field, and a line
        field->push_back(c);
        if (c == '\r' && ensure(1) && buf_[pos_] == '\n') {
          field->push_back('\n');
          ++pos_;
        }
        ++line_;
      }
      continue;
    }
    if (c == '"' && field->empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      field = &open_field();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && ensure(1) && buf_[pos_] == '\n') ++pos_;
      ++line_;
      break;
    } else {
      field->push_back(c); // a quote inside an unquoted field is text
    }
  }
  fields.resize(count);
  return true;
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
  for (std::size_t i = 0; i < names_.size(); ++i) {
    auto& n = names_[i];
    n = std::string(trim(n));
    std::string l = lower(n);
    if (l.empty())
      blanks_.push_back(i + 1);
    else if (std::find(lowered_.begin(), lowered_.end(), l) != lowered_.end())
      duplicates_.push_back(n);
    lowered_.push_back(std::move(l));
  }
}

int CsvHeader::find(std::string_view name) const {
  const std::string l = lower(name);
  if (l.empty()) return -1;
  const auto it = std::find(lowered_.begin(), lowered_.end(), l);
  return it == lowered_.end() ? -1 : static_cast<int>(it - lowered_.begin());
}

} // namespace censusqa::load
