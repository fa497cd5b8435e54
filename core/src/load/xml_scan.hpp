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
// The document must already be valid UTF-8 with no character XML forbids (prepare_xml_text does
// that, and converts declared Latin-1, Windows-1252 and UTF-16 text to UTF-8 first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
/// "UTF-8"). When a byte is not valid in that encoding, or a character is one XML forbids, `error` is set
/// at its offset in the returned text and the text up to it is still returned, so that a caller can
/// read up to the error as Expat did.
std::string_view prepare_xml_text(std::string_view bytes, std::string& converted, std::string& encoding,
                                  std::optional<ScanError>& error);

/// Appends character data with its references resolved and its line ends normalised (CR LF and CR
/// become LF), as XML defines the text of an element. `raw` must be text the scanner accepted.
void append_char_data(std::string& out, std::string_view raw);

namespace detail {
constexpr bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
constexpr bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':';
}
constexpr bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
/// Checks the references in a run of character data or an attribute value; the offset of the first
/// bad one, or npos.
std::size_t check_references(std::string_view text, std::string& message);
/// Parses the XML declaration that starts the document (`<?xml`); the offset after it, or npos.
std::size_t parse_declaration(std::string_view doc, std::string& message);
} // namespace detail

/// Scans `doc` and calls, on `handler`:
///   bool start(std::string_view name, std::size_t offset)   a start tag (name as written, with any
///                                                           prefix); false stops the scan quietly
///   void end()                                              the matching end tag (or `/>`)
///   void text(std::string_view raw)                         character data between tags, raw (see
///                                                           append_char_data); only when wants_text()
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
  auto fail = [&](const char* at, std::string message) {
    return std::optional<ScanError>{ScanError{static_cast<std::size_t>(at - begin), std::move(message)}};
  };
  auto starts = [&](const char* at, std::string_view s) {
    return static_cast<std::size_t>(end - at) >= s.size() && std::memcmp(at, s.data(), s.size()) == 0;
  };
  // The open elements' names, for matching end tags.
  std::vector<std::string_view> open;
  open.reserve(32);
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
      // Character data up to the next tag.
      const void* lt = std::memchr(p, '<', static_cast<std::size_t>(end - p));
      const char* stop = lt ? static_cast<const char*>(lt) : end;
      if (stop > p) {
        const std::string_view raw(p, static_cast<std::size_t>(stop - p));
        if (std::memchr(raw.data(), '&', raw.size())) {
          const std::size_t bad = detail::check_references(raw, message);
          if (bad != std::string_view::npos) return fail(p + bad, message);
        }
        if (const void* rb = std::memchr(raw.data(), ']', raw.size())) {
          const std::string_view from(static_cast<const char*>(rb),
                                      static_cast<std::size_t>(stop - static_cast<const char*>(rb)));
          if (const auto at = from.find("]]>"); at != std::string_view::npos)
            return fail(static_cast<const char*>(rb) + at, "']]>' is not allowed in character data");
        }
        if (handler.wants_text()) handler.text(raw);
      }
      p = stop;
      if (p == end) return fail(p, "the document ends before element <" + std::string(open.back()) + "> is closed");
    }
    // At '<'.
    const char* const tag = p;
    if (p + 1 >= end) return fail(p, "unclosed token");
    const char c = p[1];
    if (c == '/') {
      const char* n = p + 2;
      const char* q = n;
      while (q < end && is_name_char(*q))
        ++q;
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
        while (true) {
          const void* dash = std::memchr(q, '-', static_cast<std::size_t>(end - q));
          if (!dash) return fail(tag, "unclosed comment");
          q = static_cast<const char*>(dash);
          if (q + 1 < end && q[1] == '-') {
            if (q + 2 < end && q[2] == '>') break;
            if (q + 2 >= end) return fail(tag, "unclosed comment");
            return fail(q, "'--' is not allowed in a comment");
          }
          if (q + 1 >= end) return fail(tag, "unclosed comment");
          ++q;
        }
        p = q + 3;
      } else if (starts(p, "<![CDATA[")) {
        if (open.empty()) return fail(tag, "a CDATA section outside the document element");
        const char* q = p + 9;
        const std::string_view rest(q, static_cast<std::size_t>(end - q));
        const auto close = rest.find("]]>");
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
      const std::string_view target(n, static_cast<std::size_t>(q - n));
      if (target.empty()) return fail(n, "not well-formed (invalid token)");
      if (target.size() == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' && (target[2] | 0x20) == 'l')
        return fail(tag, "XML or text declaration not at start of entity");
      if (q < end && !is_space(*q) && !(q[0] == '?' && q + 1 < end && q[1] == '>'))
        return fail(q, "not well-formed (invalid token)");
      const std::string_view rest(q, static_cast<std::size_t>(end - q));
      const auto close = rest.find("?>");
      if (close == std::string_view::npos) return fail(tag, "unclosed processing instruction");
      p = q + close + 2;
    } else if (is_name_start(c)) {
      const char* n = p + 1;
      const char* q = n + 1;
      while (q < end && is_name_char(*q))
        ++q;
      const std::string_view name(n, static_cast<std::size_t>(q - n));
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
        if (q == ws || !is_name_start(*q)) return fail(q, "not well-formed (invalid token)");
        const char* an = q;
        while (q < end && is_name_char(*q))
          ++q;
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
      if (!handler.start(name, static_cast<std::size_t>(tag - begin))) return std::nullopt;
      if (empty_element) {
        open.pop_back();
        handler.end();
      }
      p = q;
    } else {
      return fail(p + 1, "not well-formed (invalid token)");
    }
  }
}

} // namespace censusqa::load::xml
