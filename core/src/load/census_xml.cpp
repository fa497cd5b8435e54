// Census XML loading with Expat, called directly, over the file mapped into memory (hashed with
// SHA-256 from the same mapping); no DOM; records built as elements close. A parse error keeps the
// pupils completed before it and reports IN001. (Poco's SAX layer on top of Expat cost about half
// the load time in wrappers and string copies; see bench/RESULTS.md.)
#include "census_xml.hpp"

#include "csv_reader.hpp"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <expat.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace censusqa::load {
namespace {

const std::pair<std::string_view, CensusField> field_names[] = {
    {"term", CensusField::term},
    {"year", CensusField::year},
    {"reference_date", CensusField::reference_date},
    {"lea", CensusField::lea},
    {"estab", CensusField::estab},
    {"urn", CensusField::urn},
    {"phase", CensusField::phase},
    {"upn", CensusField::upn},
    {"dob", CensusField::dob},
    {"sex", CensusField::sex},
    {"enrol_status", CensusField::enrol_status},
    {"nc_year", CensusField::nc_year},
    {"entry_date", CensusField::entry_date},
    {"fsm_eligible", CensusField::fsm_eligible},
    {"sen_provision", CensusField::sen_provision},
    {"sessions_possible", CensusField::sessions_possible},
    {"sessions_authorised", CensusField::sessions_authorised},
    {"sessions_unauthorised", CensusField::sessions_unauthorised},
    {"need_rank", CensusField::need_rank},
    {"need_type", CensusField::need_type},
    {"exclusion_category", CensusField::exclusion_category},
    {"exclusion_reason", CensusField::exclusion_reason},
    {"exclusion_start_date", CensusField::exclusion_start_date},
    {"exclusion_sessions", CensusField::exclusion_sessions},
    {"ignored", CensusField::ignored},
};

std::vector<std::string> string_list(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                     const std::string& where) {
  std::vector<std::string> out;
  if (!obj->has(key)) return out;
  const auto arr = obj->getArray(key);
  if (!arr) throw std::runtime_error(where + "." + key + " must be a list of element names");
  for (std::size_t i = 0; i < arr->size(); ++i)
    out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
  return out;
}

// Element names without a namespace prefix: some MIS exports write <ns0:UPN>.
std::string_view local_name(std::string_view qname) {
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// The number of '\n' bytes in [p, end), eight bytes at a time (std::count does one byte per step at
// -O2, and counting lines is on the parse's hot path). Each word's newline bytes become 0x01 bytes,
// summed in eight byte-wide counters emptied every 255 words, before they can overflow.
std::size_t count_newlines(const char* p, const char* end) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
  std::size_t n = 0;
  while (end - p >= 8) {
    std::uint64_t sums = 0;
    for (int i = 0; i < 255 && end - p >= 8; ++i, p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t x = w ^ (ones * '\n');             // a newline byte is now zero
      const std::uint64_t nonzero = ((x & low7) + low7) | x; // high bit set where the byte is not zero
      sums += (~nonzero >> 7) & ones;
    }
    // Each lane holds at most 255: add neighbours into 16-bit lanes before the final sum.
    constexpr std::uint64_t lanes16 = 0x00ff00ff00ff00ffull;
    const std::uint64_t pairs = (sums & lanes16) + ((sums >> 8) & lanes16);
    n += static_cast<std::size_t>((pairs * 0x0001000100010001ull) >> 48);
  }
  for (; p < end; ++p)
    n += *p == '\n';
  return n;
}

class Handler final {
public:
  Handler(CensusPart& part, const CensusXmlMap& map, std::uint32_t file, std::string stem)
      : part_{part}, map_{map}, file_{file}, stem_{std::move(stem)} {}

  void set_parser(XML_Parser p) { parser_ = p; }
  void end_document() { finish_header(); }

  void start_element(const char* qname) {
    // One pass: the name's length, its local part (after any namespace prefix) and its hash.
    const char* local = qname;
    std::uint64_t h = 1469598103934665603ull;
    const char* p = qname;
    for (; *p; ++p) {
      if (*p == ':') {
        local = p + 1;
        h = 1469598103934665603ull;
        continue;
      }
      h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ull;
    }
    const std::string_view name(local, static_cast<std::size_t>(p - local));
    text_.clear();
    const auto entry = map_.lookup(ctx_, name, CensusXmlMap::finish(h));
    // The end tag is the same element in the same context: remember what it was.
    open_.push_back(entry);
    using K = CensusXmlMap::Kind;
    using C = CensusXmlMap::Context;
    switch (entry.kind) {
    case K::record_pupil:
      if (ctx_ == C::header) {
        finish_header();
        Pupil p;
        p.census_return = 0;
        p.source = here();
        p.first_need = static_cast<std::uint32_t>(part_.needs.size());
        p.first_exclusion = static_cast<std::uint32_t>(part_.exclusions.size());
        part_.pupils.push_back(p);
        ctx_ = C::pupil;
      }
      break;
    case K::record_need:
      if (ctx_ == C::pupil) {
        SenNeed n;
        n.source = here();
        part_.needs.push_back(n);
        ++part_.pupils.back().need_count;
        ctx_ = C::need;
      }
      break;
    case K::record_exclusion:
      if (ctx_ == C::pupil) {
        Exclusion e;
        e.source = here();
        part_.exclusions.push_back(std::move(e));
        ++part_.pupils.back().exclusion_count;
        ctx_ = C::exclusion;
      }
      break;
    case K::unknown:
      if (part_.unknown_names.insert(std::string(name)).second) part_.report.unknown_name(here(), "element", name);
      break;
    default: break;
    }
  }

  void end_element(const char* qname) {
    using K = CensusXmlMap::Kind;
    using C = CensusXmlMap::Context;
    CensusXmlMap::Entry entry;
    if (!open_.empty()) {
      entry = open_.back();
      open_.pop_back();
    }
    // A known element's name comes from the map: no need to measure the tag again.
    const std::string_view name = entry.kind != K::unknown ? entry.name : local_name(qname);
    if (entry.kind == K::record_pupil && ctx_ == C::pupil) {
      ctx_ = C::header; // pupils sit between header sections; the header is already finished
      ++part_.records;
      completed_pupils_ = part_.pupils.size();
    } else if (entry.kind == K::record_need && ctx_ == C::need) {
      ctx_ = C::pupil;
    } else if (entry.kind == K::record_exclusion && ctx_ == C::exclusion) {
      ctx_ = C::pupil;
    } else if (entry.kind == K::field) {
      const auto pupil = static_cast<std::uint32_t>(part_.pupils.size() - 1);
      // A field's line is wanted only when its value is reported, so it is counted only then:
      // findings added by this call get it afterwards.
      const std::size_t reported = part_.report.findings().size();
      const SourceRef unplaced{file_, 0};
      switch (ctx_) {
      case C::header: set_header(entry.field, name); break;
      case C::pupil: part_.set_pupil_field(pupil, entry.field, text_, unplaced, name); break;
      case C::need:
        part_.set_need_field(static_cast<std::uint32_t>(part_.needs.size() - 1), pupil, entry.field, text_, unplaced,
                             name);
        break;
      case C::exclusion:
        part_.set_exclusion_field(static_cast<std::uint32_t>(part_.exclusions.size() - 1), pupil, entry.field, text_,
                                  unplaced, name);
        break;
      }
      auto& findings = part_.report.findings();
      if (findings.size() > reported) {
        const std::uint32_t at = line();
        for (std::size_t i = reported; i < findings.size(); ++i)
          if (findings[i].source.line == 0) findings[i].source.line = at;
      }
    }
    text_.clear();
  }

  void characters(const char* ch, int length) {
    // Only a field's text is kept: the whitespace between records is not worth copying.
    if (!open_.empty() && open_.back().kind == CensusXmlMap::Kind::field)
      text_.append(ch, static_cast<std::size_t>(length));
  }

  /// Drops a pupil whose element was still open when the parse failed (it is counted in the IN001
  /// message instead of being half-kept).
  std::size_t discard_incomplete(bool failed) {
    failed_ = failed;
    std::size_t dropped = part_.pupils.size() - completed_pupils_;
    if (dropped) {
      const Pupil& first = part_.pupils[completed_pupils_];
      part_.needs.resize(first.first_need);
      part_.exclusions.resize(first.first_exclusion);
      part_.pupils.resize(completed_pupils_);
    }
    finish_header();
    return dropped;
  }
  /// The file's bytes, so that lines can be counted here: Expat's XML_GetCurrentLineNumber re-reads
  /// every byte since its last call through its tokenizer, which cost a tenth of the parse.
  void set_text(const char* data, std::size_t size) {
    data_ = data;
    size_ = size;
    has_cr_ = size && std::memchr(data, '\r', size) != nullptr;
  }
  /// The line (1-based, as Expat counts: LF, CR LF and a lone CR each end a line) of the current event.
  std::uint32_t line() {
    if (!parser_ || !data_) return 0;
    const XML_Index at = XML_GetCurrentByteIndex(parser_);
    if (at < 0) return line_;
    const auto to = std::min(static_cast<std::size_t>(at), size_);
    if (to < counted_) { // events go forward; start again if ever asked about an earlier byte
      counted_ = 0;
      line_ = 1;
    }
    const char* p = data_ + counted_;
    const char* const end = data_ + to;
    if (!has_cr_) {
      line_ += static_cast<std::uint32_t>(count_newlines(p, end));
    } else {
      for (; p < end; ++p)
        if (*p == '\n' || (*p == '\r' && (p + 1 >= data_ + size_ || p[1] != '\n'))) ++line_;
    }
    counted_ = to;
    return line_;
  }

private:
  SourceRef here() { return {file_, line()}; }

  void set_header(CensusField f, std::string_view element) {
    const std::string v(trim(text_));
    if (v.empty()) return;
    switch (f) {
    case CensusField::term:
      if (!(ret().term = parse_term(v)))
        part_.report.unknown_code(here(), {}, {}, "header", element, v, "AUT, SPR, SUM");
      break;
    case CensusField::year: {
      const auto d = Date::parse(v + "-01-01");
      if (d)
        ret().year = d->year();
      else
        part_.report.unparseable(here(), {}, {}, "header", element, v, "a four-digit year");
      break;
    }
    case CensusField::reference_date:
      if (!(ret().reference_date = Date::parse(v)))
        part_.report.unparseable(here(), {}, {}, "header", element, v, "a date as YYYY-MM-DD or DD/MM/YYYY");
      break;
    case CensusField::lea:
      lea_ = v;
      lea_line_ = line();
      break;
    case CensusField::estab: estab_ = v; break;
    case CensusField::urn: ret().urn = v; break;
    case CensusField::phase: ret().phase_code = upper(v); break;
    default: break;
    }
  }

  void finish_header() {
    if (header_done_) return;
    header_done_ = true;
    ret_.source = {file_, 1};
    ret_.lea = lea_;
    const bool lea_ok = lea_.size() == 3 && lea_.find_first_not_of("0123456789") == std::string::npos;
    const bool estab_ok = estab_.size() == 4 && estab_.find_first_not_of("0123456789") == std::string::npos;
    if (lea_ok && estab_ok) {
      ret_.laestab = lea_ + estab_;
    } else if (failed_ && lea_.empty() && estab_.empty()) {
      // The parse failed before the header: name the school by the file, as LAs name returns.
      ret_.laestab = stem_.size() == 7 && stem_.find_first_not_of("0123456789") == std::string::npos ? stem_ : "";
    } else {
      if (lea_.empty() || estab_.empty())
        part_.report.add(IN002, {file_, lea_line_ ? lea_line_ : 1}, {}, {}, "header.LEA/Estab",
                         "The return's header has no " + std::string(lea_.empty() ? "LEA" : "Estab") +
                             ": the school cannot be identified",
                         {{"field", lea_.empty() ? "LEA" : "Estab"}, {"expected", "3-digit LEA and 4-digit Estab"}});
      else
        part_.report.unparseable({file_, lea_line_}, {}, {}, "header", "LEA/Estab", lea_ + "/" + estab_,
                                 "a 3-digit LEA and a 4-digit Estab");
      ret_.laestab = lea_ + estab_;
    }
    part_.returns.push_back(ret_);
  }

  CensusPart& part_;
  const CensusXmlMap& map_;
  std::uint32_t file_;
  XML_Parser parser_ = nullptr;
  const char* data_ = nullptr;
  std::size_t size_ = 0, counted_ = 0;
  std::uint32_t line_ = 1;
  bool has_cr_ = false;
  std::vector<CensusXmlMap::Entry> open_; ///< what each open element is
  CensusXmlMap::Context ctx_ = CensusXmlMap::Context::header;
  std::string text_;
  CensusReturn& ret() { return header_done_ ? part_.returns[0] : ret_; }
  std::string stem_;
  bool failed_ = false;
  CensusReturn ret_;
  std::string lea_, estab_;
  std::uint32_t lea_line_ = 0;
  bool header_done_ = false;
  std::size_t completed_pupils_ = 0;
};

} // namespace

CensusXmlMap CensusXmlMap::from_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open the census element map " + path.string());
  Poco::JSON::Object::Ptr root;
  try {
    root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": not valid JSON: " + e.what());
  }
  CensusXmlMap map;
  const std::string where = path.filename().string();
  const auto records = root->getObject("records");
  if (!records) throw std::runtime_error(where + ": missing \"records\"");
  for (const auto& n : string_list(records, "pupil", where + ".records"))
    map.slot(n).structural = Kind::record_pupil;
  for (const auto& n : string_list(records, "need", where + ".records"))
    map.slot(n).structural = Kind::record_need;
  for (const auto& n : string_list(records, "exclusion", where + ".records"))
    map.slot(n).structural = Kind::record_exclusion;
  for (const auto& n : string_list(root, "containers", where))
    map.slot(n).structural = Kind::container;
  const char* sections[] = {"header", "pupil", "need", "exclusion"};
  for (int s = 0; s < 4; ++s) {
    const auto obj = root->getObject(sections[s]);
    if (!obj) throw std::runtime_error(where + ": missing \"" + std::string(sections[s]) + "\"");
    for (const auto& key : obj->getNames()) {
      CensusField field{};
      bool known = false;
      for (const auto& [k, f] : field_names)
        if (k == key) field = f, known = true;
      if (!known) throw std::runtime_error(where + "." + sections[s] + ": unknown census field \"" + key + "\"");
      for (const auto& n : string_list(obj, key, where + "." + sections[s])) {
        Slot& slot = map.slot(n);
        slot.has_field[s] = true;
        slot.field[s] = field;
      }
    }
  }
  return map;
}

void CensusXmlMap::rebuild(std::size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  used_ = 0;
  for (auto& o : old)
    if (!o.name.empty()) {
      std::size_t i = hash(o.name) & (slots_.size() - 1);
      while (!slots_[i].name.empty())
        i = (i + 1) & (slots_.size() - 1);
      slots_[i] = std::move(o);
      ++used_;
    }
}

CensusXmlMap::Slot& CensusXmlMap::slot(std::string_view name) {
  if ((used_ + 1) * 4 > slots_.size()) rebuild(std::max<std::size_t>(64, slots_.size() * 2)); // at most 1/4 full
  std::size_t i = hash(name) & (slots_.size() - 1);
  while (!slots_[i].name.empty() && slots_[i].name != name)
    i = (i + 1) & (slots_.size() - 1);
  if (slots_[i].name.empty()) {
    slots_[i].name = std::string(name);
    ++used_;
  }
  return slots_[i];
}

CensusXmlMap::Entry CensusXmlMap::lookup(Context ctx, std::string_view element, std::size_t element_hash) const {
  if (slots_.empty() || element.empty()) return {};
  const auto c = static_cast<int>(ctx);
  for (std::size_t i = element_hash & (slots_.size() - 1); !slots_[i].name.empty(); i = (i + 1) & (slots_.size() - 1)) {
    const Slot& s = slots_[i];
    if (s.name != element) continue;
    if (s.has_field[c]) return {Kind::field, s.field[c], s.name};
    if (s.structural != Kind::unknown) return {s.structural, CensusField::ignored, s.name};
    return {};
  }
  return {};
}

CensusPart load_census_xml(const std::filesystem::path& path, std::uint32_t file_index, const CensusXmlMap& map,
                           std::string* sha256) {
  CensusPart part;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (fd >= 0) ::close(fd);
    part.fatal = "cannot open " + path.string();
    return part;
  }
  Handler handler{part, map, file_index, path.stem().string()};
  // No namespace processing: prefixes are stripped by local_name, as before.
  XML_Parser parser = XML_ParserCreate(nullptr);
  handler.set_parser(parser);
  XML_SetUserData(parser, &handler);
  XML_SetElementHandler(
      parser, [](void* h, const XML_Char* name, const XML_Char**) { static_cast<Handler*>(h)->start_element(name); },
      [](void* h, const XML_Char* name) { static_cast<Handler*>(h)->end_element(name); });
  XML_SetCharacterDataHandler(
      parser, [](void* h, const XML_Char* s, int len) { static_cast<Handler*>(h)->characters(s, len); });
  Poco::Crypto::DigestEngine sha("SHA256");
  bool ok = true, read_error = false;
  const auto size = static_cast<std::size_t>(st.st_size);
  // About 500 bytes of XML per pupil: reserve rather than grow by doubling.
  part.pupils.reserve(size / 450 + 16);
  // The file is read whole into a buffer that this thread keeps for the next file: a census file is
  // a few hundred KB, and copying it from the page cache into a buffer that is already in cache costs
  // less than mapping and unmapping each file. A file too big for that is mapped instead.
  constexpr std::size_t buffer_limit = std::size_t{256} << 20;
  thread_local std::vector<char> buffer;
  const char* data = nullptr;
  void* mapped = nullptr;
  if (size > buffer_limit) {
    mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED) {
      mapped = nullptr;
      read_error = true;
    } else {
      ::madvise(mapped, size, MADV_SEQUENTIAL);
      data = static_cast<const char*>(mapped);
    }
  } else {
    if (buffer.size() < size) buffer.resize(size);
    for (std::size_t got = 0; got < size;) {
      const ssize_t n = ::pread(fd, buffer.data() + got, size - got, static_cast<off_t>(got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        read_error = true;
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    data = buffer.data();
  }
  ::close(fd);
  if (!read_error) {
    handler.set_text(data, size);
    // SHA-256 and Expat both take the length as an int: a huge file goes in 64 MB slices.
    constexpr std::size_t slice = std::size_t{1} << 26;
    for (std::size_t at = 0; at < size; at += slice)
      sha.update(data + at, static_cast<unsigned>(std::min(slice, size - at)));
    std::size_t at = 0;
    do {
      const std::size_t n = std::min(slice, size - at);
      const bool last = at + n >= size;
      if (XML_Parse(parser, size ? data + at : "", static_cast<int>(n), last) == XML_STATUS_ERROR) {
        ok = false;
        break;
      }
      at += n;
    } while (at < size);
  }
  if (sha256) *sha256 = Poco::DigestEngine::digestToHex(sha.digest());
  if (ok && !read_error) {
    handler.end_document();
    if (part.returns.empty()) handler.discard_incomplete(false);
  } else {
    const auto line = read_error ? handler.line() : static_cast<std::uint32_t>(XML_GetErrorLineNumber(parser));
    const std::string error =
        read_error ? "the file could not be read to the end" : XML_ErrorString(XML_GetErrorCode(parser));
    const std::size_t dropped = handler.discard_incomplete(true);
    std::string msg = "The file is not well-formed XML at line " + std::to_string(line) + ": " + error +
                      ". Reading stopped there; " + std::to_string(part.pupils.size()) +
                      " complete pupil records before it were kept";
    if (dropped) msg += " and 1 incomplete pupil record was not";
    part.report.add(IN001, {file_index, line}, part.returns.empty() ? std::string{} : part.returns[0].laestab, {},
                    "file", std::move(msg), {{"error", error}});
  }
  XML_ParserFree(parser);
  if (mapped) ::munmap(mapped, size);
  for (auto& p : part.pupils)
    p.census_return = 0;
  if (!part.returns.empty()) part.returns[0].pupil_count = static_cast<std::uint32_t>(part.pupils.size());
  return part;
}

} // namespace censusqa::load
