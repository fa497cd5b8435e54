// The XML scanner's out-of-line parts: text preparation (encodings, UTF-8 and XML character checks),
// references, the XML declaration. See xml_scan.hpp.
#include "xml_scan.hpp"

#include "text_encoding.hpp"

#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace censusqa::load::xml {
namespace {

using detail::is_space;

// A character XML 1.0 allows (production [2] Char).
constexpr bool xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

std::string hex_byte(unsigned char b) {
  static constexpr char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

} // namespace

namespace detail {

std::size_t check_utf8(std::string_view s, bool ascii_only, std::string& why) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8(0x9), lf = _mm_set1_epi8(0xA);
#endif
  constexpr std::uint64_t high = 0x8080808080808080ull, low = 0x2020202020202020ull;
  while (i < n) {
#if defined(__SSE2__)
    if (n - i >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      // Signed compare: a byte of 0x80 or more is negative, so below 0x20 too; tab and LF are allowed.
      const __m128i odd =
          _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)), _mm_cmplt_epi8(v, space));
      if (_mm_movemask_epi8(odd) == 0) {
        i += 16;
        continue;
      }
    }
#endif
    if (n - i >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      // No byte >= 0x80 and none below 0x20: all printable ASCII.
      if (((w | ((w - low) & ~w)) & high) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char b = p[i];
    if (b < 0x80) {
      if (b < 0x20 && b != 0x9 && b != 0xA && b != 0xD) {
        why = "the control character " + hex_byte(b) + " is not allowed in XML";
        return i;
      }
      ++i;
      continue;
    }
    if (ascii_only) {
      why = "the byte " + hex_byte(b) + " is not ASCII, but the file declares US-ASCII";
      return i;
    }
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (b >= 0xC2 && b <= 0xDF)
      cp = b & 0x1F, len = 2;
    else if (b >= 0xE0 && b <= 0xEF)
      cp = b & 0x0F, len = 3;
    else if (b >= 0xF0 && b <= 0xF4)
      cp = b & 0x07, len = 4;
    else {
      why = "the byte " + hex_byte(b) + " is not valid UTF-8 (is the file in another encoding than it declares?)";
      return i;
    }
    if (n - i < len) {
      why = "the file ends in the middle of a UTF-8 character";
      return i;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char c = p[i + k];
      if ((c & 0xC0) != 0x80) {
        why = "the byte " + hex_byte(b) + " is not valid UTF-8 (is the file in another encoding than it declares?)";
        return i;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      why = "the bytes at this point are not valid UTF-8";
      return i;
    }
    if (!xml_char(cp)) {
      why = "the character U+FFFE or U+FFFF is not allowed in XML";
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::size_t utf8_char(const char* p, const char* end, std::string& why) {
  std::string_view s(p, static_cast<std::size_t>(std::min<std::ptrdiff_t>(end - p, 4)));
  // check_utf8 over the character alone: it reports the character itself, or accepts it whole.
  const auto b = static_cast<unsigned char>(*p);
  const std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  if (s.size() > len) s = s.substr(0, len);
  return check_utf8(s, false, why) == std::string_view::npos ? s.size() : 0;
}

std::string control_message(unsigned char b) {
  return "the control character " + hex_byte(b) + " is not allowed in XML";
}

} // namespace detail

namespace {

// Windows-1252's 0x80-0x9F; the five bytes it leaves undefined map to the C1 controls, as WHATWG's
// encoding standard does.

std::string upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return out;
}

// The encoding named by the XML declaration at the start of `s` (upper-cased), or empty.
std::string declared_encoding(std::string_view s) {
  // Only a real declaration: "<?xml" then white space ("<?xml-stylesheet" or "<?xml1" is a processing
  // instruction, whose pseudo-attributes mean nothing).
  if (s.size() < 6 || s.substr(0, 5) != "<?xml" || !detail::is_space(s[5])) return {};
  const auto close = s.substr(0, 1024).find("?>");
  if (close == std::string_view::npos) return {};
  const std::string_view decl = s.substr(0, close);
  const auto at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  std::size_t i = at + 8;
  while (i < decl.size() && (is_space(decl[i]) || decl[i] == '='))
    ++i;
  if (i >= decl.size() || (decl[i] != '"' && decl[i] != '\'')) return {};
  const char q = decl[i];
  const auto endq = decl.find(q, i + 1);
  if (endq == std::string_view::npos) return {};
  return upper_ascii(decl.substr(i + 1, endq - i - 1));
}

} // namespace

std::string_view prepare_xml_text(std::string_view bytes, std::string& converted, std::string& encoding,
                                  std::optional<ScanError>& error) {
  error.reset();
  // UTF-8 is checked by the scanner as it goes (in the one pass over the bytes); only a declared
  // US-ASCII needs a pass of its own, for the bytes that are valid UTF-8 but not ASCII.
  auto checked = [&](std::string_view text, bool ascii_only) {
    if (!ascii_only) return text;
    std::string why;
    const std::size_t bad = detail::check_utf8(text, true, why);
    if (bad != std::string_view::npos) error = ScanError{bad, why};
    return text;
  };
  auto from_utf16 = [&](std::string_view in, bool little_endian) {
    converted.clear();
    converted.reserve(in.size() / 2 + 16);
    std::size_t i = 0;
    auto unit = [&](std::size_t k) {
      const auto a = static_cast<unsigned char>(in[k]), b = static_cast<unsigned char>(in[k + 1]);
      return static_cast<std::uint32_t>(little_endian ? (a | (b << 8)) : ((a << 8) | b));
    };
    while (i + 1 < in.size()) {
      std::uint32_t cp = unit(i);
      i += 2;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (i + 1 >= in.size() || unit(i) < 0xDC00 || unit(i) > 0xDFFF) {
          error = ScanError{converted.size(), "a UTF-16 surrogate without its pair"};
          return std::string_view(converted);
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i) - 0xDC00);
        i += 2;
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        error = ScanError{converted.size(), "a UTF-16 surrogate without its pair"};
        return std::string_view(converted);
      }
      if (!xml_char(cp)) {
        error = ScanError{converted.size(), "a character XML does not allow"};
        return std::string_view(converted);
      }
      append_utf8(converted, cp);
    }
    if (i < in.size()) error = ScanError{converted.size(), "the file ends in the middle of a UTF-16 character"};
    return std::string_view(converted);
  };
  auto utf16 = [&](std::string_view in, bool little_endian) { return from_utf16(in, little_endian); };

  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    encoding = "UTF-8";
    return checked(bytes.substr(3), false);
  }
  if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
    encoding = "UTF-16";
    return utf16(bytes.substr(2), bytes[0] == '\xFF');
  }
  if (bytes.size() >= 4 &&
      (bytes.substr(0, 4) == std::string_view("<\0?\0", 4) || bytes.substr(0, 4) == std::string_view("\0<\0?", 4))) {
    encoding = "UTF-16";
    return utf16(bytes, bytes[0] == '<');
  }
  const std::string declared = declared_encoding(bytes);
  encoding = declared.empty() ? "UTF-8" : declared;
  if (declared.empty() || declared == "UTF-8" || declared == "UTF8") return checked(bytes, false);
  if (declared == "US-ASCII" || declared == "ASCII") return checked(bytes, true);
  const bool latin1 = declared == "ISO-8859-1" || declared == "LATIN1" || declared == "ISO_8859-1" ||
                      declared == "LATIN-1" || declared == "ISO8859-1";
  const bool cp1252 = declared == "WINDOWS-1252" || declared == "CP1252";
  if (latin1 || cp1252) {
    converted.clear();
    converted.reserve(bytes.size() + bytes.size() / 8);
    for (const char ch : bytes) {
      const auto b = static_cast<unsigned char>(ch);
      if (b < 0x80)
        converted += ch;
      else if (cp1252 && b < 0xA0 && windows_1252_c1[b - 0x80])
        append_utf8(converted, windows_1252_c1[b - 0x80]);
      else
        append_utf8(converted, b); // ISO-8859-1, and the five bytes Windows-1252 leaves undefined
    }
    return checked(converted, false);
  }
  if (declared.rfind("UTF-16", 0) == 0 || declared.rfind("UTF16", 0) == 0 || declared.rfind("UCS-2", 0) == 0) {
    // A UTF-16 file starts with a byte order mark or with "<?" two bytes a character (read above): this one
    // has one byte a character, as an export whose writer declared UTF-16 and wrote UTF-8 does.
    error = ScanError{0, "the file declares the encoding \"" + declared +
                             "\", but its bytes are not UTF-16: it has no byte order mark and one byte a character "
                             "(as UTF-8 has). Export the return again, or save it as UTF-8 and correct the "
                             "declaration to encoding=\"UTF-8\""};
    return bytes.substr(0, 0);
  }
  error = ScanError{0, "the file declares the encoding \"" + declared +
                           "\", which censusqa does not read (UTF-8, UTF-16, US-ASCII, ISO-8859-1 and Windows-1252)"};
  return bytes.substr(0, 0);
}

namespace detail {

std::size_t check_references(std::string_view text, std::string& message) {
  for (std::size_t i = text.find('&'); i != std::string_view::npos; i = text.find('&', i + 1)) {
    const std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi == i + 1) {
      message = "not well-formed (invalid token)";
      return i;
    }
    const std::string_view ref = text.substr(i + 1, semi - i - 1);
    if (ref[0] == '#') {
      const bool hex = ref.size() > 1 && ref[1] == 'x';
      const std::size_t from = hex ? 2 : 1;
      if (ref.size() == from) {
        message = "not well-formed (invalid token)";
        return i;
      }
      std::uint32_t cp = 0;
      for (std::size_t k = from; k < ref.size(); ++k) {
        const char c = ref[k];
        int d;
        if (c >= '0' && c <= '9')
          d = c - '0';
        else if (hex && c >= 'a' && c <= 'f')
          d = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F')
          d = c - 'A' + 10;
        else {
          message = "not well-formed (invalid token)";
          return i;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
        if (cp > 0x10FFFF) break;
      }
      if (!xml_char(cp)) {
        message = "reference to invalid character number";
        return i;
      }
    } else if (ref != "lt" && ref != "gt" && ref != "amp" && ref != "apos" && ref != "quot") {
      bool name = is_name_start(ref[0]);
      for (const char c : ref)
        name = name && is_name_char(c);
      message = name ? "undefined entity &" + std::string(ref) + "; (censusqa knows only the five XML defines)"
                     : "not well-formed (invalid token)";
      return i;
    }
    i = semi;
  }
  return std::string_view::npos;
}

std::size_t parse_declaration(std::string_view doc, std::string& message) {
  std::size_t i = 5; // after "<?xml"
  auto spaces = [&] {
    const std::size_t from = i;
    while (i < doc.size() && is_space(doc[i]))
      ++i;
    return i > from;
  };
  auto quoted = [&](std::string_view& value) {
    if (i >= doc.size() || (doc[i] != '"' && doc[i] != '\'')) return false;
    const char q = doc[i];
    const auto close = doc.find(q, i + 1);
    if (close == std::string_view::npos) return false;
    value = doc.substr(i + 1, close - i - 1);
    i = close + 1;
    return true;
  };
  auto pseudo_attribute = [&](std::string_view name, std::string_view& value) {
    if (doc.substr(i, name.size()) != name) return false;
    i += name.size();
    spaces();
    if (i >= doc.size() || doc[i] != '=') return false;
    ++i;
    spaces();
    return quoted(value);
  };
  std::string_view value;
  if (!spaces() || !pseudo_attribute("version", value)) {
    message = "it must start with version=\"1.0\"";
    return std::string_view::npos;
  }
  // As Expat does: any version made of ASCII letters, digits, '.', '-' and '_' (no ':', which the
  // differential fuzzer found; XML 1.0 says "1." and digits).
  bool version_ok = !value.empty();
  for (const char c : value)
    version_ok = version_ok && is_name_char(c) && c != ':';
  if (!version_ok) {
    message = "version \"" + std::string(value) + "\" is not a version number";
    return std::string_view::npos;
  }
  bool space = spaces();
  if (space && doc.substr(i, 8) == "encoding") {
    if (!pseudo_attribute("encoding", value) || value.empty() ||
        !((value[0] >= 'A' && value[0] <= 'Z') || (value[0] >= 'a' && value[0] <= 'z'))) {
      message = "the encoding is not a name";
      return std::string_view::npos;
    }
    for (const char c : value)
      if (!(is_name_char(c) && c != ':')) {
        message = "the encoding is not a name";
        return std::string_view::npos;
      }
    space = spaces();
  }
  if (space && doc.substr(i, 10) == "standalone") {
    if (!pseudo_attribute("standalone", value) || (value != "yes" && value != "no")) {
      message = "standalone must be \"yes\" or \"no\"";
      return std::string_view::npos;
    }
    spaces();
  }
  if (doc.substr(i, 2) != "?>") {
    message = "it does not end with ?>";
    return std::string_view::npos;
  }
  return i + 2;
}

} // namespace detail

void append_char_data(std::string& out, std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t special = raw.find_first_of("&\r", i);
    if (special == std::string_view::npos) {
      out.append(raw.substr(i));
      return;
    }
    out.append(raw.substr(i, special - i));
    i = special;
    if (raw[i] == '\r') {
      out += '\n';
      i += (i + 1 < raw.size() && raw[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    const std::size_t semi = raw.find(';', i);
    const std::string_view ref = raw.substr(i + 1, semi - i - 1);
    i = semi + 1;
    if (ref == "lt")
      out += '<';
    else if (ref == "gt")
      out += '>';
    else if (ref == "amp")
      out += '&';
    else if (ref == "apos")
      out += '\'';
    else if (ref == "quot")
      out += '"';
    else if (!ref.empty() && ref[0] == '#') {
      const bool hex = ref.size() > 1 && ref[1] == 'x';
      std::uint32_t cp = 0;
      for (std::size_t k = hex ? 2 : 1; k < ref.size(); ++k) {
        const char c = ref[k];
        const int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      }
      append_utf8(out, cp);
    }
  }
}

} // namespace censusqa::load::xml
