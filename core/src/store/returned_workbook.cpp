// See returned_workbook.hpp. SpreadsheetML in brief: xl/workbook.xml lists the sheets and their
// relationship ids, xl/_rels/workbook.xml.rels maps those to part names, a cell is
// <c r="B5" t="s"><v>3</v></c> where t="s" indexes xl/sharedStrings.xml, t="inlineStr" holds
// <is><t>text</t></is>, t="str" a formula's text, and no t a number.
//
// The zip is read by hand (APPNOTE.TXT: the end-of-central-directory record, then the central
// directory, then each local header it points to), so that every size is known and checked before a
// byte is inflated; zlib inflates, and every part read is counted as it inflates
// (declared sizes may lie) and checked against its CRC-32.
#include "returned_workbook.hpp"

#include "load/text_encoding.hpp"

#include <Poco/Checksum.h>

#include <expat.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>

namespace censusqa::store {
namespace {

using std::uint16_t;
using std::uint32_t;
using std::uint64_t;

std::string mib(uint64_t bytes) {
  if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

uint16_t le16(const char* p) {
  return static_cast<uint16_t>(static_cast<unsigned char>(p[0]) | (static_cast<unsigned char>(p[1]) << 8));
}
uint32_t le32(const char* p) { return le16(p) | (static_cast<uint32_t>(le16(p + 2)) << 16); }

struct Entry {
  std::string name;
  uint16_t flags = 0, method = 0;
  uint32_t crc = 0;
  uint64_t csize = 0, usize = 0, offset = 0;
};

class Zip {
public:
  Zip(std::istream& in, uint64_t size, const std::string& name, const ReaderLimits& lim)
      : in_{in}, size_{size}, name_{name}, lim_{lim} {
    if (size > lim.file_bytes)
      refuse("is " + std::to_string(size) + " bytes, more than the " + mib(lim.file_bytes) +
             " a returned profile may be (a profile is well under 1 MiB)");
    // The end-of-central-directory record: 22 bytes and a comment of up to 65,535, at the end.
    const uint64_t tail = std::min<uint64_t>(size, 22 + 65535);
    if (size < 22) not_zip("too short");
    std::string end(static_cast<std::size_t>(tail), '\0');
    read_at(size - tail, end.data(), end.size());
    std::optional<std::size_t> eocd;
    for (std::size_t i = end.size() - 22 + 1; i-- > 0;)
      if (le32(&end[i]) == 0x06054b50 && i + 22 + le16(&end[i + 20]) == end.size()) {
        eocd = i;
        break;
      }
    if (!eocd) not_zip("no end of central directory record");
    const char* e = &end[*eocd];
    const uint16_t disk = le16(e + 4), cd_disk = le16(e + 6), here = le16(e + 8), count = le16(e + 10);
    const uint32_t cd_size = le32(e + 12), cd_offset = le32(e + 16);
    if (count == 0xffff || cd_size == 0xffffffff || cd_offset == 0xffffffff)
      refuse("is a Zip64 archive: a returned profile never needs one");
    if (disk != 0 || cd_disk != 0 || here != count) refuse("is a multi-disk zip archive");
    if (count > lim.parts)
      refuse("has " + std::to_string(count) + " parts, more than the " + std::to_string(lim.parts) +
             " read (a profile has about 20)");
    const uint64_t eocd_at = size - tail + *eocd;
    if (uint64_t{cd_offset} + cd_size > eocd_at) not_zip("the central directory lies outside the file");
    cd_end_ = cd_offset;
    std::string cd(cd_size, '\0');
    read_at(cd_offset, cd.data(), cd.size());
    std::size_t at = 0;
    uint64_t declared = 0;
    for (uint16_t i = 0; i < count; ++i) {
      if (at + 46 > cd.size() || le32(&cd[at]) != 0x02014b50) not_zip("a central directory entry is damaged");
      const char* c = &cd[at];
      Entry en;
      en.flags = le16(c + 8);
      en.method = le16(c + 10);
      en.crc = le32(c + 16);
      en.csize = le32(c + 20);
      en.usize = le32(c + 24);
      const std::size_t n = le16(c + 28), x = le16(c + 30), k = le16(c + 32);
      en.offset = le32(c + 42);
      if (at + 46 + n + x + k > cd.size()) not_zip("a central directory entry is damaged");
      en.name.assign(c + 46, n);
      at += 46 + n + x + k;
      if (en.csize == 0xffffffff || en.usize == 0xffffffff || en.offset == 0xffffffff)
        refuse("is a Zip64 archive: a returned profile never needs one");
      if (en.offset + 30 > cd_offset) not_zip("part " + shown(en.name) + " lies outside the file");
      declared += en.usize;
      if (declared > lim.declared_bytes)
        refuse("declares more than " + mib(lim.declared_bytes) + " when inflated (a zip bomb?); nothing was inflated");
      const std::string key = en.name;
      if (!entries_.emplace(key, std::move(en)).second)
        refuse("has two parts named " + shown(key) + ": which one a program reads is not defined");
    }
  }

  const Entry* find(const std::string& part) const {
    const auto it = entries_.find(part);
    return it == entries_.end() ? nullptr : &it->second;
  }

  /// Inflates the part, handing each piece to `sink` as it comes; refuses it past a limit, or when
  /// it is not what the directory says (size, CRC-32).
  void read(const Entry& e, const std::function<void(const char*, std::size_t)>& sink) {
    const std::string part = "part " + shown(e.name);
    if (e.flags & 0x1) refuse(part + " is encrypted");
    if (e.method != 0 && e.method != 8)
      refuse(part + " is compressed with method " + std::to_string(e.method) + " (only stored and deflate are read)");
    if (e.usize > lim_.part_bytes)
      refuse(part + " declares " + std::to_string(e.usize) + " bytes inflated, more than the " + mib(lim_.part_bytes) +
             " read of one part; nothing was inflated");
    if (inflated_ + e.usize > lim_.total_bytes)
      refuse("the parts read declare more than " + mib(lim_.total_bytes) + " inflated; " + part + " was not inflated");
    std::array<char, 30> local{};
    read_at(e.offset, local.data(), local.size());
    if (le32(local.data()) != 0x04034b50) not_zip(part + ": no local header where the directory says");
    const std::size_t n = le16(&local[26]), x = le16(&local[28]);
    std::string local_name(n, '\0');
    read_at(e.offset + 30, local_name.data(), n);
    if (local_name != e.name || le16(&local[8]) != e.method)
      refuse(part + ": its local header does not match the central directory");
    const uint64_t data = e.offset + 30 + n + x;
    if (data + e.csize > cd_end_) not_zip(part + " runs past the central directory");
    if (e.method == 0 && e.csize != e.usize) not_zip(part + " is stored, but its two sizes differ");

    Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
    uint64_t produced = 0;
    std::array<char, 1 << 16> buf{};
    auto take = [&](const char* p, std::size_t got) {
      produced += got;
      inflated_ += got;
      if (produced > e.usize)
        refuse(part + " inflates to more than the " + std::to_string(e.usize) +
               " bytes its directory entry declares (a zip bomb?)");
      if (produced > lim_.part_bytes) refuse(part + " inflates to more than " + mib(lim_.part_bytes));
      if (inflated_ > lim_.total_bytes) refuse("the parts read inflate to more than " + mib(lim_.total_bytes));
      crc.update(p, static_cast<unsigned>(got));
      sink(p, got);
    };
    // Raw deflate (zlib's inflate with a negative window), or stored bytes, a buffer at a time.
    std::array<char, 1 << 16> in{};
    uint64_t at = data, left = e.csize;
    auto next = [&]() -> std::size_t {
      const auto n = static_cast<std::size_t>(std::min<uint64_t>(left, in.size()));
      read_at(at, in.data(), n);
      at += n;
      left -= n;
      return n;
    };
    if (e.method == 0) {
      while (left > 0) {
        const std::size_t n = next();
        take(in.data(), n);
      }
    } else {
      z_stream z{};
      if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw std::bad_alloc();
      const std::unique_ptr<z_stream, int (*)(z_stream*)> end(&z, inflateEnd);
      for (int rc = Z_OK; rc != Z_STREAM_END;) {
        if (z.avail_in == 0) {
          if (left == 0) not_zip(part + " ends before its deflate stream does");
          z.avail_in = static_cast<uInt>(next());
          z.next_in = reinterpret_cast<Bytef*>(in.data());
        }
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
          not_zip(part + " does not inflate: " + (z.msg ? z.msg : "zlib error " + std::to_string(rc)));
        take(buf.data(), buf.size() - z.avail_out);
      }
    }
    if (produced != e.usize)
      not_zip(part + " inflates to " + std::to_string(produced) + " bytes, not the " + std::to_string(e.usize) +
              " declared");
    if (crc.checksum() != e.crc) not_zip(part + " is damaged (its CRC-32 does not match)");
  }

  [[noreturn]] void refuse(const std::string& why) const { throw WorkbookRefused(name_ + " " + why); }
  [[noreturn]] void not_zip(const std::string& why) const {
    throw WorkbookRefused(name_ + " is not an .xlsx workbook (not a readable zip file: " + why + ")");
  }
  static std::string shown(const std::string& s) {
    std::string out = "'"; // appended piece by piece: '"'" + std::string&&' makes GCC 12 -O3 report -Wrestrict
    out += clean_text(s, 100);
    out += '\'';
    return out;
  }

private:
  void read_at(uint64_t offset, char* out, std::size_t n) {
    if (offset > size_ || n > size_ - offset)
      not_zip("a record at " + std::to_string(offset) + " runs past the end of the file");
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(offset));
    in_.read(out, static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in_.gcount()) != n) not_zip("cannot read " + std::to_string(n) + " bytes");
  }

  std::istream& in_;
  uint64_t size_;
  const std::string& name_;
  const ReaderLimits& lim_;
  std::map<std::string, Entry> entries_;
  uint64_t cd_end_ = 0;
  uint64_t inflated_ = 0;
};

// ---- XML: Expat as a stream, handlers that record an error and stop the parser instead of throwing
// through C frames.

class Handler {
public:
  virtual ~Handler() = default;
  virtual void start(std::string_view ns, std::string_view local, const XML_Char** atts) = 0;
  virtual void end(std::string_view local) = 0;
  virtual void text(std::string_view) {}

  void fail(std::string why) {
    if (error.empty()) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
  XML_Parser parser = nullptr;
  std::string error;
  std::size_t depth = 0, max_depth = 0;
};

std::pair<std::string_view, std::string_view> split_name(const XML_Char* name) {
  const std::string_view s(name);
  const auto sep = s.rfind('\x01');
  if (sep == std::string_view::npos) return {{}, s};
  return {s.substr(0, sep), s.substr(sep + 1)};
}

/// An attribute by local name; with `ns_suffix`, only one whose namespace ends with it.
std::string attribute(const XML_Char** atts, std::string_view local, std::string_view ns_suffix = {}) {
  for (std::size_t i = 0; atts[i]; i += 2) {
    const auto [ns, name] = split_name(atts[i]);
    if (name != local) continue;
    if (ns_suffix.empty() ? ns.empty() : ns.ends_with(ns_suffix)) return atts[i + 1];
  }
  return {};
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** atts) {
  auto* h = static_cast<Handler*>(data);
  if (!h->error.empty()) return;
  if (++h->depth > h->max_depth) return h->fail("elements nested more than " + std::to_string(h->max_depth) + " deep");
  const auto [ns, local] = split_name(name);
  h->start(ns, local, atts);
}
void XMLCALL on_end(void* data, const XML_Char* name) {
  auto* h = static_cast<Handler*>(data);
  if (!h->error.empty()) return;
  --h->depth;
  h->end(split_name(name).second);
}
void XMLCALL on_text(void* data, const XML_Char* s, int len) {
  auto* h = static_cast<Handler*>(data);
  if (h->error.empty()) h->text(std::string_view(s, static_cast<std::size_t>(len)));
}
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<Handler*>(data)->fail("has a document type declaration (DTD), which no workbook part has");
}
void XMLCALL on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*, const XML_Char*,
                       const XML_Char*, const XML_Char*) {
  static_cast<Handler*>(data)->fail("declares an entity");
}

struct ParserFree {
  void operator()(XML_Parser p) const { XML_ParserFree(p); }
};

void parse(Zip& zip, const Entry& e, Handler& h, const ReaderLimits& lim) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree> p(XML_ParserCreateNS(nullptr, '\x01'));
  if (!p) throw std::bad_alloc();
  h.parser = p.get();
  h.max_depth = lim.depth;
  XML_SetUserData(p.get(), &h);
  XML_SetElementHandler(p.get(), on_start, on_end);
  XML_SetCharacterDataHandler(p.get(), on_text);
  XML_SetStartDoctypeDeclHandler(p.get(), on_doctype);
  XML_SetEntityDeclHandler(p.get(), on_entity);
  XML_SetParamEntityParsing(p.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  const std::string part = "part '" + e.name + "'";
  auto check = [&](XML_Status st) {
    if (st == XML_STATUS_OK) return;
    if (!h.error.empty()) zip.refuse(part + " " + h.error);
    zip.refuse(part + " is not well-formed XML (line " + std::to_string(XML_GetCurrentLineNumber(p.get())) + ": " +
               XML_ErrorString(XML_GetErrorCode(p.get())) + ")");
  };
  zip.read(e, [&](const char* s, std::size_t n) {
    constexpr std::size_t slice = 1 << 20; // XML_Parse takes an int length
    for (std::size_t at = 0; at < n; at += slice)
      check(XML_Parse(p.get(), s + at, static_cast<int>(std::min(slice, n - at)), XML_FALSE));
  });
  check(XML_Parse(p.get(), nullptr, 0, XML_TRUE));
  if (!h.error.empty()) zip.refuse(part + " " + h.error);
}

// Text of elements, bounded: a longer one is refused (no cell may hold more than Excel's limit).
struct Capture {
  bool on = false;
  std::string text;
  bool add(std::string_view s, std::size_t max) {
    if (!on) return true;
    if (text.size() + s.size() > max) return false;
    text.append(s);
    return true;
  }
};

struct Relationship {
  std::string id, target, type;
  bool external = false;
};

class RelsHandler : public Handler {
public:
  explicit RelsHandler(const ReaderLimits& lim) : lim_{lim} {}
  void start(std::string_view, std::string_view local, const XML_Char** atts) override {
    if (local != "Relationship") return;
    if (rels.size() >= lim_.relationships)
      return fail("has more than " + std::to_string(lim_.relationships) + " relationships");
    rels.push_back({attribute(atts, "Id"), attribute(atts, "Target"), attribute(atts, "Type"),
                    attribute(atts, "TargetMode") == "External"});
  }
  void end(std::string_view) override {}
  std::vector<Relationship> rels;

private:
  const ReaderLimits& lim_;
};

struct SheetRef {
  std::string name, rel_id;
};
class WorkbookHandler : public Handler {
public:
  explicit WorkbookHandler(const ReaderLimits& lim) : lim_{lim} {}
  void start(std::string_view, std::string_view local, const XML_Char** atts) override {
    if (local != "sheet") return;
    if (sheets.size() >= lim_.sheets) return fail("has more than " + std::to_string(lim_.sheets) + " sheets");
    sheets.push_back({attribute(atts, "name"), attribute(atts, "id", "relationships")});
  }
  void end(std::string_view) override {}
  std::vector<SheetRef> sheets;

private:
  const ReaderLimits& lim_;
};

class CustomHandler : public Handler {
public:
  void start(std::string_view, std::string_view local, const XML_Char** atts) override {
    if (local == "property") {
      name_ = attribute(atts, "name");
      value_.on = true;
      value_.text.clear();
    }
  }
  void end(std::string_view local) override {
    if (local != "property") return;
    value_.on = false;
    if (!props.count(name_)) props[name_] = value_.text;
  }
  void text(std::string_view s) override {
    if (!value_.add(s, 4096)) fail("has a property value longer than 4096 bytes");
  }
  std::map<std::string, std::string> props;

private:
  std::string name_;
  Capture value_;
};

// Shared strings: <si> holds <t>, or runs <r><t>; the phonetic runs (<rPh>) are not the text.
class SharedStringsHandler : public Handler {
public:
  explicit SharedStringsHandler(const ReaderLimits& lim) : lim_{lim} {}
  void start(std::string_view, std::string_view local, const XML_Char**) override {
    if (local == "si") {
      if (strings.size() >= lim_.shared_strings)
        return fail("has more than " + std::to_string(lim_.shared_strings) + " strings");
      in_si_ = true;
      text_.text.clear();
    } else if (local == "rPh") {
      ++phonetic_;
    } else if (local == "t" && in_si_ && phonetic_ == 0) {
      text_.on = true;
    }
  }
  void end(std::string_view local) override {
    if (local == "t") text_.on = false;
    if (local == "rPh" && phonetic_ > 0) --phonetic_;
    if (local == "si" && in_si_) {
      in_si_ = false;
      strings.push_back(std::move(text_.text));
      text_.text.clear();
    }
  }
  void text(std::string_view s) override {
    if (!text_.add(s, lim_.cell_bytes)) fail("has a string longer than Excel's 32,767 characters");
  }
  std::vector<std::string> strings;

private:
  const ReaderLimits& lim_;
  bool in_si_ = false;
  int phonetic_ = 0;
  Capture text_;
};

// "AB12" -> 27 (0-based column); nothing when it is not a cell reference within Excel's XFD.
std::optional<std::size_t> column_of(std::string_view ref) {
  std::size_t col = 0, i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) {
    col = col * 26 + static_cast<std::size_t>(ref[i] - 'A' + 1);
    if (col > 16384) return std::nullopt;
  }
  if (i == 0 || i == ref.size()) return std::nullopt;
  for (std::size_t j = i; j < ref.size(); ++j)
    if (ref[j] < '0' || ref[j] > '9') return std::nullopt;
  return col - 1;
}
std::optional<std::size_t> row_number(std::string_view r) {
  if (r.empty() || r.size() > 7) return std::nullopt;
  std::size_t n = 0;
  for (const char c : r) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  if (n == 0 || n > 1048576) return std::nullopt;
  return n;
}

class SheetHandler : public Handler {
public:
  SheetHandler(const ReaderLimits& lim, const std::vector<std::string>& shared, std::size_t& cells)
      : lim_{lim}, shared_{shared}, cells_{cells} {}

  void start(std::string_view, std::string_view local, const XML_Char** atts) override {
    if (local == "row") {
      if (++rows_ > lim_.rows) return fail("has more than " + std::to_string(lim_.rows) + " rows");
      row_ = row_number(attribute(atts, "r")).value_or(row_ + 1);
      next_col_ = 0;
      found_ = {};
      id_.clear();
      response_.clear();
      comment_.clear();
    } else if (local == "c") {
      if (++cells_ > lim_.cells) return fail("has more than " + std::to_string(lim_.cells) + " cells");
      col_ = column_of(attribute(atts, "r")).value_or(next_col_);
      if (col_ >= 16384) return fail("has a row with more than 16,384 cells");
      next_col_ = col_ + 1;
      type_ = attribute(atts, "t");
      in_cell_ = true;
      value_.text.clear();
      inline_.text.clear();
    } else if (in_cell_ && local == "v") {
      value_.on = true;
    } else if (in_cell_ && local == "rPh") {
      ++phonetic_;
    } else if (in_cell_ && local == "t" && phonetic_ == 0) {
      inline_.on = true;
    }
  }
  void end(std::string_view local) override {
    if (local == "v") value_.on = false;
    if (local == "t") inline_.on = false;
    if (local == "rPh" && phonetic_ > 0) --phonetic_;
    if (local == "c" && in_cell_) {
      in_cell_ = false;
      cell(col_, cell_text());
    }
    if (local == "row") end_row();
  }
  void text(std::string_view s) override {
    if (!value_.add(s, lim_.cell_bytes) || !inline_.add(s, lim_.cell_bytes))
      fail("has a cell longer than Excel's 32,767 characters");
  }

  std::optional<std::size_t> c_id, c_response, c_comment; ///< the header's columns, once found
  std::string check_line;
  std::vector<SchoolResponse> responses;

private:
  std::string cell_text() {
    if (type_ == "inlineStr") return std::move(inline_.text);
    if (type_ == "s") {
      const auto& v = value_.text;
      if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {};
      const auto i = static_cast<std::size_t>(std::stoul(v));
      return i < shared_.size() ? shared_[i] : std::string{};
    }
    return std::move(value_.text);
  }
  void cell(std::size_t col, std::string text) {
    if (!c_id) {
      // Above the header: only the header's names and the reply check line matter.
      if (text.size() > 256) return;
      const std::string t = clean_text(text, 200);
      if (t == "Finding id") found_[0] = col;
      if (t == "Response") found_[1] = col;
      if (t == "Comment") found_[2] = col;
      if (t.starts_with("Reply check")) check_line = t;
      return;
    }
    if (col == *c_id) id_ = std::move(text);
    if (col == *c_response) response_ = std::move(text);
    if (col == *c_comment) comment_ = std::move(text);
  }
  void end_row() {
    if (!c_id) {
      if (found_[0] && found_[1] && found_[2]) {
        c_id = found_[0];
        c_response = found_[1];
        c_comment = found_[2];
      }
      return;
    }
    SchoolResponse r;
    bool id_cut = false;
    r.finding_id = clean_text(id_, lim_.finding_id_chars, &id_cut);
    if (id_cut) r.finding_id += "...";
    r.response = clean_text(response_, 100);
    r.comment = clean_text(comment_, lim_.comment_chars, &r.comment_cut);
    r.row = row_;
    if (r.response.empty() && r.comment.empty()) return;
    if (responses.size() >= lim_.responses)
      return fail("has more than " + std::to_string(lim_.responses) + " rows with a Response or Comment");
    kept_ += r.finding_id.size() + r.response.size() + r.comment.size();
    if (kept_ > (std::size_t{16} << 20)) return fail("has more than 16 MiB of responses");
    responses.push_back(std::move(r));
  }

  const ReaderLimits& lim_;
  const std::vector<std::string>& shared_;
  std::size_t& cells_;
  std::size_t rows_ = 0, row_ = 0, next_col_ = 0, col_ = 0, kept_ = 0;
  std::array<std::optional<std::size_t>, 3> found_{};
  std::string type_, id_, response_, comment_;
  bool in_cell_ = false;
  int phonetic_ = 0;
  Capture value_, inline_;
};

// A relationship's target as a part name: relative to xl/ (with ./ and ../), or absolute from the
// package root; nothing when it climbs out of the package.
std::optional<std::string> part_name(const std::string& target) {
  std::vector<std::string> parts;
  std::string path = target;
  if (!path.empty() && path[0] == '/')
    path.erase(0, 1);
  else
    parts.push_back("xl");
  std::size_t at = 0;
  while (at <= path.size()) {
    const auto slash = std::min(path.find('/', at), path.size());
    const std::string seg = path.substr(at, slash - at);
    if (seg == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    at = slash + 1;
  }
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : "/") + p;
  return out;
}

} // namespace

std::string clean_text(std::string_view s, std::size_t max_chars, bool* cut) {
  std::string out;
  out.reserve(std::min(s.size(), max_chars * 4));
  std::size_t chars = 0;
  bool space = false; // a space is pending: written before the next character, so none trails
  if (cut) *cut = false;
  auto put = [&](char32_t c) {
    if (chars >= max_chars) {
      if (cut) *cut = true;
      return false;
    }
    load::append_utf8(out, c);
    ++chars;
    return true;
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    char32_t c = 0xFFFD;
    std::size_t len = 1;
    if (b < 0x80) {
      c = b;
    } else {
      const std::size_t need = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
      if (need && i + need <= s.size()) {
        char32_t v = b & (need == 2 ? 0x1F : need == 3 ? 0x0F : 0x07);
        bool ok = true;
        for (std::size_t k = 1; k < need; ++k) {
          const auto cb = static_cast<unsigned char>(s[i + k]);
          if ((cb & 0xC0) != 0x80) {
            ok = false;
            break;
          }
          v = (v << 6) | (cb & 0x3F);
        }
        const char32_t least = need == 2 ? 0x80 : need == 3 ? 0x800 : 0x10000;
        if (ok && v >= least && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) {
          c = v;
          len = need;
        }
      }
    }
    i += len;
    if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    const bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
    const bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    if (control || bidi || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF) continue;
    if (space && !put(' ')) break;
    space = false;
    if (!put(c)) break;
  }
  return out;
}

ReturnedWorkbook read_returned_workbook(std::istream& in, std::uint64_t size, const std::string& name,
                                        const ReaderLimits& lim) {
  Zip zip(in, size, name, lim);
  ReturnedWorkbook out;
  const Entry* wb_part = zip.find("xl/workbook.xml");
  if (!wb_part) throw WorkbookRefused(name + " is not an .xlsx workbook (no xl/workbook.xml)");
  WorkbookHandler workbook(lim);
  parse(zip, *wb_part, workbook, lim);
  RelsHandler rels(lim);
  if (const Entry* e = zip.find("xl/_rels/workbook.xml.rels")) parse(zip, *e, rels, lim);
  std::map<std::string, std::string> targets;
  std::string shared_part = "xl/sharedStrings.xml";
  for (const auto& r : rels.rels) {
    if (r.external) continue;
    const auto target = part_name(r.target);
    if (!target) continue;
    targets.emplace(r.id, *target);
    if (r.type.ends_with("/sharedStrings")) shared_part = *target;
  }
  SharedStringsHandler sst(lim);
  if (const Entry* e = zip.find(shared_part)) parse(zip, *e, sst, lim);
  CustomHandler custom;
  if (const Entry* e = zip.find("docProps/custom.xml")) parse(zip, *e, custom, lim);
  if (const auto it = custom.props.find("LAEstab"); it != custom.props.end())
    out.laestab_property = clean_text(it->second, 200);
  if (const auto it = custom.props.find("censusqa reply check"); it != custom.props.end())
    out.check_property = clean_text(it->second, 200);

  std::size_t cells = 0;
  for (const SheetRef& sheet : workbook.sheets) {
    const auto target = targets.find(sheet.rel_id);
    if (target == targets.end()) continue;
    const Entry* e = zip.find(target->second);
    if (!e) continue;
    SheetHandler h(lim, sst.strings, cells);
    parse(zip, *e, h, lim);
    if (h.c_id) {
      out.sheet = clean_text(sheet.name, 100);
      out.check_line = std::move(h.check_line);
      out.responses = std::move(h.responses);
      return out;
    }
  }
  throw WorkbookRefused(name + ": no sheet has a header row with 'Finding id', 'Response' and 'Comment' (is this a "
                               "censusqa inclusion profile?)");
}

ReturnedWorkbook read_returned_workbook(const std::filesystem::path& xlsx, const ReaderLimits& limits) {
  const std::string name = clean_text(xlsx.string(), 500);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(xlsx, ec)) throw WorkbookRefused("cannot open " + name + ": not a file");
  const auto size = std::filesystem::file_size(xlsx, ec);
  if (ec) throw WorkbookRefused("cannot open " + name + ": " + ec.message());
  std::ifstream in(xlsx, std::ios::binary);
  if (!in) throw WorkbookRefused("cannot open " + name);
  return read_returned_workbook(in, size, name, limits);
}

} // namespace censusqa::store
