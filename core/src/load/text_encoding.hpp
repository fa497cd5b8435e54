// UTF-8 encoding and the Windows-1252 code page, once for every reader that converts text (the CSV
// reader, the census XML's declared encodings, censusqa.json's \u escapes, a school's reply).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace censusqa::load {

/// Text from an input file, made safe to quote in a message: printable ASCII only (anything else is
/// '?'), at most `limit` characters, then "...".
inline std::string quoted_text(std::string_view s, std::size_t limit = 40) {
  std::string out;
  for (const char c : s) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

/// Appends the UTF-8 bytes of code point `c` (at most U+10FFFF; the caller has checked it) to `out`.
inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

/// Windows-1252's 0x80-0x9F (0 for the five bytes it leaves undefined); 0xA0-0xFF are U+00A0-U+00FF.
inline constexpr std::array<char32_t, 32> windows_1252_c1 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

} // namespace censusqa::load
