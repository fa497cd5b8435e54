// A strict, streaming XML 1.0 scanner for the school census message and its kin (CTF, SEN2): elements,
// character data, CDATA, comments and processing instructions, with no DTD, no entity beyond the five
// predefined ones and character references, and no allocation per event. Events go to a handler as
// views into the document, which the caller keeps alive.
//
// Why not a library: Expat, which censusqa used until issue 16, scans at about 165 MB/s per core with
// handlers that do nothing, and pugixml (the fastest well-kept parser in Debian 12) parses at about
// 1.1 GB/s but its tree costs as much again to walk, so neither leaves room for hashing and records
// within the 400 MB/s a core must load (bench/RESULTS.md has the measurements). This scanner is
// checked against Expat, event for event, by a differential fuzzer (tests/fuzz/fuzz_xml_scan.cpp):
// every document Expat accepts with ASCII names and no DOCTYPE gives the same elements and text here,
// and everything accepted here Expat accepts too.
//
// Deliberately stricter than XML 1.0 (each refused with a message naming what it met):
// - a DOCTYPE declaration: censusqa reads no DTD, so entity expansion and external entities cannot
//   happen at all;
// - element and attribute names outside ASCII letters, digits and `_:.-` (the census uses ASCII);
// - nesting deeper than `max_depth` (4096; a census message is 8 deep).
// The document is UTF-8 (prepare_xml_text converts declared Latin-1, Windows-1252 and UTF-16 text to
// it first); the scanner checks, as it goes, that it is valid UTF-8 with no character XML forbids.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace censusqa::load::xml {

/// Why scanning stopped early: where (a byte offset into the document) and what was wrong.
struct ScanError {
  std::size_t offset = 0;
  std::string message;
};

/// Checks that the bytes are a document censusqa can scan and makes them UTF-8 if need be: a UTF-8 or
/// UTF-16 byte order mark, then the XML declaration's encoding (UTF-8, US-ASCII, ISO-8859-1 / Latin-1,
/// Windows-1252, UTF-16). Returns the UTF-8 text to scan: `bytes` itself (less a UTF-8 BOM), or the
/// converted text in `converted`. `encoding` receives the encoding read (upper case, as declared, or
/// "UTF-8"). When the encoding is one censusqa does not read, or a byte is not valid in it (US-ASCII,
/// UTF-16), `error` is set at its offset in the returned text and the text up to it is still returned,
/// so that a caller can read up to the error as Expat did. Whether the text is valid UTF-8 with no
/// character XML forbids is checked by scan(), as it goes.
std::string_view prepare_xml_text(std::string_view bytes, std::string& converted, std::string& encoding,
                                  std::optional<ScanError>& error);

/// Appends character data with its references resolved and its line ends normalised (CR LF and CR
/// become LF), as XML defines the text of an element. `raw` must be text the scanner accepted.
void append_char_data(std::string& out, std::string_view raw);

namespace detail {
/// The message for a name with a character outside ASCII: XML allows it, censusqa does not (no census
/// element has one), so that a name is always plain text in messages.
inline constexpr std::string_view non_ascii_name =
    "a name with a character outside ASCII (XML allows it, but no census return has one)";
constexpr bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
constexpr bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}
constexpr bool name_char_rule(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
/// Name characters by byte (2 for ':', which ends a prefix): one load per character on the hot path.
inline constexpr std::array<std::uint8_t, 256> name_chars = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 128; ++c)
    t[static_cast<std::size_t>(c)] = name_char_rule(static_cast<char>(c)) ? (c == ':' ? 2 : 1) : 0;
  return t;
}();
inline bool is_name_char(char c) { return name_chars[static_cast<unsigned char>(c)] != 0; }
/// The end of a name starting at `p` (the first byte that is not a name character), and in `local`
/// where its part after the last ':' starts. Sixteen bytes at a time with SSE2.
inline const char* scan_name(const char* p, const char* end, const char*& local) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Name characters: letters (either case), digits, '_', ':', '.', '-'. Unsigned ranges via a bias.
    const __m128i bias = _mm_set1_epi8(static_cast<char>(0x80));
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    auto in_range = [&](__m128i x, char lo, char count) {
      const __m128i shifted = _mm_add_epi8(_mm_sub_epi8(x, _mm_set1_epi8(lo)), bias);
      return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + count)));
    };
    const __m128i colon = _mm_cmpeq_epi8(v, _mm_set1_epi8(':'));
    const __m128i ok = _mm_or_si128(
        _mm_or_si128(in_range(lower, 'a', 26), in_range(v, '0', 10)),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')), colon),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-')))));
    const unsigned stop = ~static_cast<unsigned>(_mm_movemask_epi8(ok)) & 0xFFFFu;
    const unsigned colons = static_cast<unsigned>(_mm_movemask_epi8(colon)) & (stop ? (stop & -stop) - 1 : 0xFFFFu);
    if (colons) local = p + (31 - __builtin_clz(colons)) + 1;
    if (stop) return p + __builtin_ctz(stop);
    p += 16;
  }
#endif
  for (std::uint8_t k; p < end && (k = name_chars[static_cast<unsigned char>(*p)]) != 0; ++p)
    if (k == 2) local = p + 1;
  return p;
}

/// Whether the `n` bytes at `a` and `b` are equal: inline, for the short names of end tags.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  for (; n >= 8; n -= 8, a += 8, b += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) return false;
  }
  for (; n; --n, ++a, ++b)
    if (*a != *b) return false;
  return true;
}

/// Bytes that end or complicate character data: '<', '&', ']', a control character (CR among them) and
/// the first byte of a character outside ASCII (to be checked as UTF-8).
inline constexpr std::array<bool, 256> text_stops = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<std::size_t>(c)] =
        c == '<' || c == '&' || c == ']' || (c < 0x20 && c != '\t' && c != '\n') || c >= 0x80;
  return t;
}();
/// The first such byte in [p, end), or end. Sixteen bytes at a time where SSE2 is there (every x86-64).
inline const char* find_markup(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), rb = _mm_set1_epi8(']');
  const __m128i space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed compare: a byte of 0x80 or more is negative, so below 0x20 as well.
    const __m128i odd =
        _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)), _mm_cmplt_epi8(v, space));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, rb), odd));
    if (const int mask = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (text_stops[static_cast<unsigned char>(*p)]) return p;
  return end;
}
/// The offset of the first byte in `s` that is not valid UTF-8 (or, with `ascii_only`, not ASCII) or
/// starts a character XML forbids, or npos; `why` says which.
std::size_t check_utf8(std::string_view s, bool ascii_only, std::string& why);
/// The length of the valid UTF-8 character XML allows at `p` (its first byte is 0x80 or more), or 0
/// with `why` set.
std::size_t utf8_char(const char* p, const char* end, std::string& why);
/// "the control character 0x.. is not allowed in XML".
std::string control_message(unsigned char b);
/// Checks a span that is not character data (a comment, a processing instruction, CDATA, an attribute
/// value): the offset of its first byte that is not valid UTF-8 or not allowed in XML, or npos.
inline std::size_t check_span(const char* p, const char* q, std::string& why) {
  return check_utf8(std::string_view(p, static_cast<std::size_t>(q - p)), false, why);
}
/// Checks the references in a run of character data or an attribute value; the offset of the first
/// bad one, or npos.
std::size_t check_references(std::string_view text, std::string& message);
/// Parses the XML declaration that starts the document (`<?xml`); the offset after it, or npos.
std::size_t parse_declaration(std::string_view doc, std::string& message);
} // namespace detail

/// Scans `doc` and calls, on `handler`:
///   bool start(std::string_view name, std::string_view local, std::size_t offset)
///                                                           a start tag: its name as written and without
///                                                           any namespace prefix; false stops the scan
///   void end()                                              the matching end tag (or `/>`)
///   void text(std::string_view raw, bool has_reference)     character data between tags, raw (see
///                                                           append_char_data: needed only when it has a
///                                                           reference or the document a CR); only when
///                                                           wants_text()
///   void cdata(std::string_view content)                    a CDATA section's content
///   bool wants_text() const                                 whether the open element's text is kept
/// Returns the error that stopped it, or nothing when the document is well-formed (or the handler
/// stopped it).
template <typename Handler>
std::optional<ScanError> scan(std::string_view doc, Handler& handler, std::size_t max_depth = 4096) {
  using detail::is_name_char;
  using detail::is_name_start;
  using detail::is_space;
  const char* const begin = doc.data();
  const char* const end = begin + doc.size();
  const char* p = begin;
  auto fail = [&](const char* at, std::string_view message) {
    return std::optional<ScanError>{ScanError{static_cast<std::size_t>(at - begin), std::string(message)}};
  };
  auto starts = [&](const char* at, std::string_view s) {
    return static_cast<std::size_t>(end - at) >= s.size() && std::memcmp(at, s.data(), s.size()) == 0;
  };
  // The open elements' names, for matching end tags.
  // The open elements' names, as a stack with room for max_depth (one allocation per document).
  std::vector<std::string_view> open_names(std::min<std::size_t>(max_depth, 64));
  std::size_t depth = 0;
  struct Open {
    std::vector<std::string_view>& names;
    std::size_t& depth;
    std::size_t limit;
    bool empty() const { return depth == 0; }
    std::size_t size() const { return depth; }
    std::string_view back() const { return names[depth - 1]; }
    void pop_back() { --depth; }
    void push_back(std::string_view n) {
      if (depth == names.size()) names.resize(std::min(limit, names.size() * 2));
      names[depth++] = n;
    }
  } open{open_names, depth, max_depth};
  bool root_seen = false;
  std::string message;

  if (starts(p, "<?xml") && p + 5 < end && (is_space(p[5]) || p[5] == '?')) {
    const std::size_t after = detail::parse_declaration(doc, message);
    if (after == std::string_view::npos) return fail(p, "the XML declaration is malformed: " + message);
    p = begin + after;
  }

  while (true) {
    if (open.empty()) {
      // Between top-level items: only white space, comments and processing instructions.
      while (p < end && is_space(*p))
        ++p;
      if (p == end) {
        if (!root_seen) return fail(p, "no element found");
        return std::nullopt;
      }
      if (*p != '<') return fail(p, root_seen ? "junk after document element" : "text before the document element");
    } else {
      // Character data up to the next tag: its references must be good and it must not hold "]]>".
      const char* stop = detail::find_markup(p, end);
      bool has_reference = false; // or a CR: the text needs append_char_data
      while (stop < end && *stop != '<') {
        const auto b = static_cast<unsigned char>(*stop);
        if (b >= 0x80) {
          const std::size_t n = detail::utf8_char(stop, end, message);
          if (!n) return fail(stop, message);
          stop = detail::find_markup(stop + n, end);
          continue;
        }
        if (b == '\r') {
          has_reference = true;
          stop = detail::find_markup(stop + 1, end);
          continue;
        }
        if (b < 0x20) return fail(stop, detail::control_message(b));
        if (*stop == ']') {
          if (end - stop >= 3 && stop[1] == ']' && stop[2] == '>')
            return fail(stop, "']]>' is not allowed in character data");
          stop = detail::find_markup(stop + 1, end);
          continue;
        }
        // '&': the reference must end with ';' and be one XML knows.
        has_reference = true;
        const char* semi = stop + 1;
        while (semi < end && *semi != ';' && *semi != '<')
          ++semi;
        const std::size_t bad = detail::check_references(
            std::string_view(stop, static_cast<std::size_t>(std::min(semi + 1, end) - stop)), message);
        if (bad != std::string_view::npos) return fail(stop + bad, message);
        stop = detail::find_markup(semi + 1, end);
      }
      if (stop > p && handler.wants_text())
        handler.text(std::string_view(p, static_cast<std::size_t>(stop - p)), has_reference);
      p = stop;
      if (p == end) return fail(p, "the document ends before element <" + std::string(open.back()) + "> is closed");
    }
    // At '<'.
    const char* const tag = p;
    if (p + 1 >= end) return fail(p, "unclosed token");
    const char c = p[1];
    if (c == '/') {
      // The usual case first: the open element's name and '>' (no need to scan the name).
      if (!open.empty()) {
        const std::string_view want = open.back();
        const char* n = p + 2;
        if (static_cast<std::size_t>(end - n) > want.size() && n[want.size()] == '>' &&
            detail::same_bytes(n, want.data(), want.size())) {
          open.pop_back();
          handler.end();
          p = n + want.size() + 1;
          continue;
        }
      }
      const char* n = p + 2;
      const char* q = n;
      while (q < end && is_name_char(*q))
        ++q;
      if (q < end && static_cast<unsigned char>(*q) >= 0x80) return fail(q, detail::non_ascii_name);
      const std::string_view name(n, static_cast<std::size_t>(q - n));
      while (q < end && is_space(*q))
        ++q;
      if (q >= end) return fail(tag, "unclosed token");
      if (*q != '>' || name.empty()) return fail(q, "not well-formed (invalid token)");
      if (open.empty() || open.back() != name) return fail(tag, "mismatched tag");
      open.pop_back();
      handler.end();
      p = q + 1;
    } else if (c == '!') {
      if (starts(p, "<!--")) {
        const char* q = p + 4;
        // Where the comment's scan stopped, its characters up to there are checked first, so that the
        // first fault in the file is the one reported.
        auto stopped = [&](const char* at, std::string_view why) {
          const std::size_t bad = detail::check_span(p + 4, at, message);
          return bad != std::string_view::npos ? fail(p + 4 + bad, message) : fail(at == end ? tag : at, why);
        };
        while (true) {
          const void* dash = std::memchr(q, '-', static_cast<std::size_t>(end - q));
          if (!dash) return stopped(end, "unclosed comment");
          q = static_cast<const char*>(dash);
          if (q + 1 < end && q[1] == '-') {
            if (q + 2 < end && q[2] == '>') break;
            if (q + 2 >= end) return stopped(end, "unclosed comment");
            return stopped(q, "'--' is not allowed in a comment");
          }
          if (q + 1 >= end) return stopped(end, "unclosed comment");
          ++q;
        }
        if (const std::size_t bad = detail::check_span(p + 4, q, message); bad != std::string_view::npos)
          return fail(p + 4 + bad, message);
        p = q + 3;
      } else if (starts(p, "<![CDATA[")) {
        if (open.empty()) return fail(tag, "a CDATA section outside the document element");
        const char* q = p + 9;
        const std::string_view rest(q, static_cast<std::size_t>(end - q));
        const auto close = rest.find("]]>");
        const char* const stop = close == std::string_view::npos ? end : q + close;
        if (const std::size_t bad = detail::check_span(q, stop, message); bad != std::string_view::npos)
          return fail(q + bad, message);
        if (close == std::string_view::npos) return fail(tag, "unclosed CDATA section");
        if (handler.wants_text()) handler.cdata(rest.substr(0, close));
        p = q + close + 3;
      } else if (starts(p, "<!DOCTYPE")) {
        return fail(tag, "a DOCTYPE declaration is not allowed: censusqa reads no DTD (a census return has none)");
      } else {
        return fail(tag, "not well-formed (invalid token)");
      }
    } else if (c == '?') {
      const char* n = p + 2;
      const char* q = n;
      while (q < end && is_name_char(*q))
        ++q;
      if (q < end && static_cast<unsigned char>(*q) >= 0x80) return fail(q, detail::non_ascii_name);
      const std::string_view target(n, static_cast<std::size_t>(q - n));
      // A target is a Name: it cannot begin with a digit, '-' or '.' (found by the differential fuzzer).
      if (target.empty() || !is_name_start(target[0])) return fail(n, "not well-formed (invalid token)");
      if (target.size() == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' && (target[2] | 0x20) == 'l')
        return fail(tag, "XML or text declaration not at start of entity");
      if (q < end && !is_space(*q) && !(q[0] == '?' && q + 1 < end && q[1] == '>'))
        return fail(q, "not well-formed (invalid token)");
      const std::string_view rest(q, static_cast<std::size_t>(end - q));
      const auto close = rest.find("?>");
      const char* const stop = close == std::string_view::npos ? end : q + close;
      if (const std::size_t bad = detail::check_span(q, stop, message); bad != std::string_view::npos)
        return fail(q + bad, message);
      if (close == std::string_view::npos) return fail(tag, "unclosed processing instruction");
      p = q + close + 2;
    } else if (is_name_start(c)) {
      const char* n = p + 1;
      const char* local = c == ':' ? n + 1 : n;
      const char* q = detail::scan_name(n + 1, end, local);
      if (q < end && static_cast<unsigned char>(*q) >= 0x80) return fail(q, detail::non_ascii_name);
      const std::string_view name(n, static_cast<std::size_t>(q - n));
      const char* const q0 = q;
      if (open.empty() && root_seen) return fail(tag, "junk after document element");
      // Attributes: skipped, but checked as XML requires (quoted values, no '<', good references, no
      // name twice), so that what is accepted here is what any conforming parser accepts.
      bool empty_element = false;
      const char* attr_names[16];
      std::size_t attr_len[16];
      std::vector<std::string_view> more_attrs;
      std::size_t n_attrs = 0;
      while (true) {
        const char* ws = q;
        while (q < end && is_space(*q))
          ++q;
        if (q >= end) return fail(tag, "unclosed token");
        if (*q == '>') {
          ++q;
          break;
        }
        if (*q == '/') {
          if (q + 1 >= end) return fail(tag, "unclosed token");
          if (q[1] != '>') return fail(q, "not well-formed (invalid token)");
          q += 2;
          empty_element = true;
          break;
        }
        if (static_cast<unsigned char>(*q) >= 0x80) return fail(q, detail::non_ascii_name);
        if (q == ws || !is_name_start(*q)) return fail(q, "not well-formed (invalid token)");
        const char* an = q;
        while (q < end && is_name_char(*q))
          ++q;
        if (q < end && static_cast<unsigned char>(*q) >= 0x80) return fail(q, detail::non_ascii_name);
        const std::string_view attr(an, static_cast<std::size_t>(q - an));
        while (q < end && is_space(*q))
          ++q;
        if (q >= end) return fail(tag, "unclosed token");
        if (*q != '=') return fail(q, "not well-formed (invalid token)");
        ++q;
        while (q < end && is_space(*q))
          ++q;
        if (q >= end) return fail(tag, "unclosed token");
        const char quote = *q;
        if (quote != '"' && quote != '\'') return fail(q, "not well-formed (invalid token)");
        const char* v = q + 1;
        const void* close = std::memchr(v, quote, static_cast<std::size_t>(end - v));
        if (const std::size_t bad = detail::check_span(v, close ? static_cast<const char*>(close) : end, message);
            bad != std::string_view::npos)
          return fail(v + bad, message);
        if (!close) return fail(tag, "unclosed token");
        const std::string_view value(v, static_cast<std::size_t>(static_cast<const char*>(close) - v));
        if (const auto lt_at = value.find('<'); lt_at != std::string_view::npos)
          return fail(v + lt_at, "not well-formed (invalid token)");
        if (value.find('&') != std::string_view::npos) {
          const std::size_t bad = detail::check_references(value, message);
          if (bad != std::string_view::npos) return fail(v + bad, message);
        }
        for (std::size_t i = 0; i < n_attrs && i < 16; ++i)
          if (std::string_view(attr_names[i], attr_len[i]) == attr) return fail(an, "duplicate attribute");
        for (const auto& m : more_attrs)
          if (m == attr) return fail(an, "duplicate attribute");
        if (n_attrs < 16) {
          attr_names[n_attrs] = attr.data();
          attr_len[n_attrs] = attr.size();
        } else {
          more_attrs.push_back(attr);
        }
        ++n_attrs;
        q = static_cast<const char*>(close) + 1;
        if (q < end && !is_space(*q) && *q != '>' && *q != '/') return fail(q, "not well-formed (invalid token)");
      }
      root_seen = true;
      if (open.size() >= max_depth)
        return fail(tag, "elements nested more than " + std::to_string(max_depth) + " deep");
      open.push_back(name);
      if (!handler.start(name, std::string_view(local, static_cast<std::size_t>(q0 - local)),
                         static_cast<std::size_t>(tag - begin)))
        return std::nullopt;
      if (empty_element) {
        open.pop_back();
        handler.end();
      }
      p = q;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return fail(p + 1, detail::non_ascii_name);
    } else {
      return fail(p + 1, "not well-formed (invalid token)");
    }
  }
}

/// Scans a document as prepare_xml_text returned it, with the error it set (`text_error`): the text up to a
/// byte not valid in its encoding, as far as it goes, then that byte is the error (the scan's own complaint
/// about the text ending early is not the real one), as Expat reported it.
template <typename Handler>
std::optional<ScanError> scan_prepared(std::string_view doc, const std::optional<ScanError>& text_error,
                                       Handler& handler) {
  std::optional<ScanError> error = scan(text_error ? doc.substr(0, text_error->offset) : doc, handler);
  if (text_error && (!error || error->offset >= text_error->offset)) error = text_error;
  return error;
}

} // namespace censusqa::load::xml
