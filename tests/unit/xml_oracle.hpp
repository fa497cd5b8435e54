// The XML scanner checked against Expat, the parser censusqa used before it: both read a document into
// one event log (start tags, end tags, text between tags with references resolved), and must agree on
// whether it is well-formed and, when it is, on every event. Used by the unit test and the differential
// fuzzer (tests/fuzz/fuzz_xml_scan.cpp).
#pragma once

#include "load/xml_scan.hpp"

#include <expat.h>

#include <optional>
#include <string>
#include <string_view>

namespace censusqa::testkit {

struct XmlReading {
  bool ok = false;
  std::string log;   ///< "<name" for a start, ">" for an end, "'text'" for character data between tags
  std::string error; ///< why not, when not ok
};

namespace detail {
struct LogBuilder {
  std::string log, text;
  void flush() {
    if (!text.empty()) log += "'" + text + "'";
    text.clear();
  }
  void start(std::string_view name) {
    flush();
    log += "<";
    log += name;
  }
  void end() {
    flush();
    log += ">";
  }
};
} // namespace detail

/// What Expat makes of the bytes (no namespace processing, as censusqa's loader used it).
inline XmlReading read_with_expat(std::string_view bytes) {
  detail::LogBuilder b;
  XML_Parser p = XML_ParserCreate(nullptr);
  XML_SetUserData(p, &b);
  XML_SetElementHandler(
      p, [](void* u, const XML_Char* n, const XML_Char**) { static_cast<detail::LogBuilder*>(u)->start(n); },
      [](void* u, const XML_Char*) { static_cast<detail::LogBuilder*>(u)->end(); });
  XML_SetCharacterDataHandler(p, [](void* u, const XML_Char* s, int len) {
    static_cast<detail::LogBuilder*>(u)->text.append(s, static_cast<std::size_t>(len));
  });
  XmlReading r;
  r.ok = XML_Parse(p, bytes.data(), static_cast<int>(bytes.size()), 1) == XML_STATUS_OK;
  if (!r.ok) r.error = XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  b.flush();
  r.log = std::move(b.log);
  return r;
}

/// What the scanner makes of them.
inline XmlReading read_with_scanner(std::string_view bytes) {
  struct Handler {
    detail::LogBuilder b;
    bool start(std::string_view name, std::string_view, std::size_t) {
      b.start(name);
      return true;
    }
    void end() { b.end(); }
    void text(std::string_view raw, bool) { load::xml::append_char_data(b.text, raw); }
    void cdata(std::string_view c) {
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (c[i] == '\r') {
          b.text += '\n';
          if (i + 1 < c.size() && c[i + 1] == '\n') ++i;
        } else {
          b.text += c[i];
        }
      }
    }
    bool wants_text() const { return true; }
  } h;
  std::string converted, encoding;
  std::optional<load::xml::ScanError> error;
  const std::string_view doc = load::xml::prepare_xml_text(bytes, converted, encoding, error);
  XmlReading r;
  if (!error) error = load::xml::scan(doc, h);
  r.ok = !error;
  if (error) r.error = error->message;
  h.b.flush();
  r.log = std::move(h.b.log);
  return r;
}

/// Why the two may differ on these bytes by design, or nothing when they must agree: the scanner
/// refuses a DOCTYPE, names outside ASCII and nesting past 4096, and reads Windows-1252 and the
/// Latin-1 aliases Expat does not know.
inline std::optional<std::string> allowed_difference(std::string_view bytes, const XmlReading& scanner) {
  if (!scanner.ok) {
    for (const char* why : {"DOCTYPE", "outside ASCII", "nested more than"})
      if (scanner.error.find(why) != std::string::npos) return std::string(why);
  }
  const auto decl = bytes.substr(0, 200);
  for (const char* enc : {"1252", "atin1", "ATIN1", "atin-1", "ATIN-1", "ISO_8859", "ISO8859", "UTF8", "utf8"})
    if (decl.find(enc) != std::string_view::npos) return std::string("encoding ") + enc;
  return std::nullopt;
}

} // namespace censusqa::testkit
