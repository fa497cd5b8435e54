// Census XML loading: the file read once into a buffer its thread keeps, hashed (SHA-256, OpenSSL)
// and checked as UTF-8, then scanned (xml_scan.hpp) with the elements looked up by path in the census
// map; records are built as their elements close. A parse error keeps the pupils completed before it
// and reports IN001 with the line.
#include "census_xml.hpp"

#include "text_encoding.hpp"

#include "csv_reader.hpp"
#include "identifiers.hpp"
#include "sha256.hpp"
#include "xml_scan.hpp"

#include <fcntl.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace censusqa::load {
namespace {

using Kind = CensusMap::Kind;

// The number of '\n' bytes in [p, end), sixteen at a time with SSE2 (eight without): each block's
// newlines are summed in byte-wide counters emptied before they can overflow.
std::size_t count_newlines(const char* p, const char* end) {
  std::size_t n = 0;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i sums = _mm_setzero_si128();
    for (int i = 0; i < 255 && end - p >= 16; ++i, p += 16)
      sums = _mm_sub_epi8(sums, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), nl));
    const __m128i total = _mm_sad_epu8(sums, _mm_setzero_si128());
    n += static_cast<std::size_t>(_mm_cvtsi128_si32(total)) +
         static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_srli_si128(total, 8)));
  }
#else
  constexpr std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
  while (end - p >= 8) {
    std::uint64_t sums = 0;
    for (int i = 0; i < 255 && end - p >= 8; ++i, p += 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t x = w ^ (ones * '\n');             // a newline byte is now zero
      const std::uint64_t nonzero = ((x & low7) + low7) | x; // high bit set where the byte is not zero
      sums += (~nonzero >> 7) & ones;
    }
    constexpr std::uint64_t lanes16 = 0x00ff00ff00ff00ffull;
    const std::uint64_t pairs = (sums & lanes16) + ((sums >> 8) & lanes16);
    n += static_cast<std::size_t>((pairs * 0x0001000100010001ull) >> 48);
  }
#endif
  for (; p < end; ++p)
    n += *p == '\n';
  return n;
}

RecordKind record_of(CensusField f) {
  if (f <= CensusField::highest_nc_year) return RecordKind::ret;
  if (f <= CensusField::fsm_eligible) return RecordKind::pupil;
  if (f <= CensusField::need_type) return RecordKind::need;
  if (f <= CensusField::exclusion_sen_provision) return RecordKind::exclusion;
  if (f <= CensusField::fsm_country) return RecordKind::fsm_period;
  if (f <= CensusField::sessions_unauthorised) return RecordKind::attendance;
  if (f <= CensusField::absence_sessions) return RecordKind::absence_sessions;
  if (f <= CensusField::ap_attendance_pattern) return RecordKind::school_ap;
  return RecordKind::none;
}

// An ISO date and time as MIS exports write DateTime ("2025-01-16T09:12:00", perhaps with fractions or a
// zone): its first 19 characters, or nothing.
std::optional<std::string> iso_date_time(std::string_view s) {
  if (s.size() < 19 || !Date::parse(s.substr(0, 10)) || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  for (const std::size_t i : {11u, 12u, 14u, 15u, 17u, 18u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  if (s[13] != ':' || s[16] != ':') return std::nullopt;
  std::string out(s.substr(0, 19));
  out[10] = 'T';
  return out;
}

class Reader {
public:
  Reader(CensusPart& part, const CensusXmlContext& ctx, std::uint32_t file, std::string_view doc)
      : part_{part}, map_{*ctx.map}, file_{file}, lines_{doc}, fallback_date_{ctx.reference_date} {
    part_.codes = ctx.codes;
    doc_end_ = doc.data() + doc.size();
  }

  bool start(std::string_view name, std::size_t offset) {
    if (skip_depth_) {
      ++skip_depth_;
      return true;
    }
    if (depth_ == 0 && mode_ == Mode::root) return start_root(name);
    if (mode_ == Mode::transfer) return start_transfer(name);
    const CensusMap::Edge* edge = map_.child(stack_[depth_ - 1].owner, name, doc_end_);
    if (!edge || (edge->dated && !in_year(map_.node(edge->node)))) {
      unknown(name, offset, edge != nullptr);
      skip_depth_ = 1;
      return !stop_;
    }
    if (edge->kind == Kind::ignored) {
      skip_depth_ = 1;
      return !stop_;
    }
    // The map's paths are a few elements deep, so its frames fit a fixed stack.
    if (depth_ == stack_.size()) throw std::logic_error("census map deeper than the reader's stack");
    Frame& f = stack_[depth_++];
    f = {edge->node, edge->child_owner, edge->kind, RecordKind::none, offset};
    if (edge->kind == Kind::field) {
      collecting_ = true;
      text_.clear();
      view_ = {};
      pieces_ = 0;
    } else if (edge->kind == Kind::record) {
      const CensusMap::Node& node = map_.node(edge->node);
      f.record = node.record;
      open_record(node, offset);
    }
    return !stop_;
  }

  void end() {
    if (skip_depth_) {
      --skip_depth_;
      return;
    }
    if (mode_ == Mode::transfer) {
      end_transfer_text();
      if (!transfer_path_.empty()) transfer_path_.pop_back();
      return;
    }
    if (depth_ == 0) return;
    const Frame f = stack_[--depth_];
    if (f.kind == Kind::field) {
      collecting_ = false;
      set_field(map_.node(f.node), f);
    } else if (f.record != RecordKind::none) {
      close_record(f.record);
    }
  }

  // A field's text almost always comes in one piece with no reference: it is then used where it lies
  // in the document, and copied (references resolved) only otherwise.
  void text(std::string_view raw, bool has_reference_or_cr) {
    if (!has_reference_or_cr && pieces_ == 0) {
      view_ = raw;
      pieces_ = 1;
      return;
    }
    own_text();
    if (has_reference_or_cr)
      xml::append_char_data(text_, raw);
    else
      text_.append(raw);
  }
  void own_text() {
    if (pieces_ == 1) text_.assign(view_);
    pieces_ = 2;
  }
  std::string_view field_text() const { return pieces_ == 2 ? std::string_view(text_) : view_; }
  void cdata(std::string_view content) {
    own_text();
    for (std::size_t i = 0; i < content.size(); ++i) {
      const char c = content[i];
      if (c == '\r') {
        text_ += '\n';
        if (i + 1 < content.size() && content[i + 1] == '\n') ++i;
      } else {
        text_ += c;
      }
    }
  }
  bool wants_text() const { return collecting_ || (mode_ == Mode::transfer && transfer_wants_text_); }

  /// After the scan: drop a pupil still open when reading stopped (it is counted in the message
  /// instead of being half kept), finish the header, count the records.
  std::size_t finish(bool failed) {
    std::size_t dropped = 0;
    if (failed && pupil_open_) {
      dropped = 1;
      part_.needs.resize(mark_.needs);
      part_.exclusions.resize(mark_.exclusions);
      part_.fsm_periods.resize(mark_.fsm);
      part_.attendance.resize(mark_.attendance);
      part_.absence_sessions.resize(mark_.details);
      part_.school_ap.resize(mark_.ap);
      (pupil_.leaver ? part_.leavers : part_.pupils).pop_back();
      const auto entity = pupil_.leaver ? Entity::leaver : Entity::pupil;
      std::erase_if(part_.raws, [&](const RawValue& r) {
        return (r.entity == entity && r.index == pupil_.index) ||
               (r.entity == Entity::need && r.index >= mark_.needs) ||
               (r.entity == Entity::exclusion && r.index >= mark_.exclusions) ||
               (r.entity == Entity::fsm_period && r.index >= mark_.fsm) ||
               (r.entity == Entity::attendance && r.index >= mark_.attendance) ||
               (r.entity == Entity::absence_sessions && r.index >= mark_.details) ||
               (r.entity == Entity::school_ap && r.index >= mark_.ap);
      });
    }
    if (mode_ == Mode::transfer) {
      part_.kind = FileKind::transfer;
      if (is_digits(transfer_lea_[0], 3) && is_digits(transfer_estab_[0], 4))
        part_.transfer_from = transfer_lea_[0] + transfer_estab_[0];
      if (is_digits(transfer_lea_[1], 3) && is_digits(transfer_estab_[1], 4))
        part_.transfer_to = transfer_lea_[1] + transfer_estab_[1];
    }
    if (part_.kind == FileKind::census && !part_.returns.empty()) {
      finish_header();
      part_.returns[0].pupil_count = static_cast<std::uint32_t>(part_.pupils.size());
      part_.returns[0].leaver_count = static_cast<std::uint32_t>(part_.leavers.size());
    }
    return dropped;
  }

  std::uint32_t line_at(std::size_t offset) { return lines_.line_at(offset); }

private:
  enum class Mode : std::uint8_t { root, census, transfer };
  struct Frame {
    std::uint32_t node;
    std::uint32_t owner; ///< where its children are looked up
    CensusMap::Kind kind;
    RecordKind record; ///< the record this element opened, if any
    std::size_t offset;
  };

  bool start_root(std::string_view name) {
    if (name == map_.census_root()) {
      mode_ = Mode::census;
      part_.kind = FileKind::census;
      CensusReturn r;
      r.source = {file_, 1};
      part_.returns.push_back(std::move(r));
      stack_[depth_++] = {map_.return_root(), map_.owner_of(map_.return_root()), Kind::container, RecordKind::ret, 0};
      return true;
    }
    for (const auto& t : map_.transfer_roots())
      if (name == t) {
        mode_ = Mode::transfer;
        part_.kind = FileKind::transfer;
        part_.root_name = t;
        return true;
      }
    part_.kind = FileKind::not_census;
    part_.root_name = quoted_text(name);
    return false;
  }

  // A transfer file: only its header's source and destination schools are read, for the message.
  bool start_transfer(std::string_view name) {
    transfer_path_.push_back(name);
    transfer_wants_text_ = false;
    if (transfer_path_.size() == 1 && name != "Header") return false; // the pupils: nothing more is needed
    if (transfer_path_.size() == 3 && transfer_path_[0] == "Header" &&
        (transfer_path_[1] == "SourceSchool" || transfer_path_[1] == "DestSchool") &&
        (name == "LEA" || name == "Estab")) {
      transfer_wants_text_ = true;
      text_.clear();
      view_ = {};
      pieces_ = 0;
      const std::size_t which = transfer_path_[1] == "DestSchool" ? 1 : 0;
      transfer_slot_ = name == "LEA" ? &transfer_lea_[which] : &transfer_estab_[which];
    }
    return true;
  }

  bool in_year(const CensusMap::Node& n) const {
    return !ay_start_ || (n.from_year <= *ay_start_ && *ay_start_ <= n.until_year);
  }

  void unknown(std::string_view name, std::size_t offset, bool known_here) {
    if (!part_.first_unknown(name)) return;
    std::string path;
    for (std::size_t i = 1; i < depth_; ++i)
      path += map_.node(stack_[i].node).name + "/";
    path = map_.census_root() + "/" + path + std::string(name);
    std::string why;
    if (known_here && ay_start_)
      why = "Element not part of the " + academic_year_label(*ay_start_) + " census:";
    else if (map_.knows_name(name))
      why = "Element known elsewhere in the message but not here:";
    part_.report.unknown_name({file_, line_at(offset)}, "element", quoted_text(name, 60), quoted_text(path, 200),
                              why.empty() ? std::string_view{} : std::string_view{why});
  }

  void open_record(const CensusMap::Node& node, std::size_t offset) {
    // A record's line, for its findings (a SessionDetail has none of its own: its module's is used).
    const SourceRef src{file_, node.record == RecordKind::absence_sessions ? 0 : line_at(offset)};
    switch (node.record) {
    case RecordKind::pupil:
    case RecordKind::leaver: {
      finish_header();
      const bool leaver = node.record == RecordKind::leaver;
      auto& list = leaver ? part_.leavers : part_.pupils;
      Pupil p;
      p.census_return = 0;
      p.source = src;
      p.leaver = leaver;
      // No Surname (Forename) element is a missing name, as an empty one is (DfE rules 1580, 1590).
      p.surname_missing = p.forename_missing = true;
      list.push_back(std::move(p));
      pupil_ = {leaver, static_cast<std::uint32_t>(list.size() - 1)};
      pupil_open_ = true;
      pupil_seen_ = 0;
      mark_ = {part_.needs.size(),      part_.exclusions.size(),       part_.fsm_periods.size(),
               part_.attendance.size(), part_.absence_sessions.size(), part_.school_ap.size()};
      break;
    }
    case RecordKind::need: current_ = part_.add_need(pupil_, src); break;
    case RecordKind::exclusion:
      current_ = part_.add_exclusion(pupil_, src);
      part_.exclusions[current_].annual = node.period == AttendancePeriod::annual;
      break;
    case RecordKind::fsm_period: current_ = part_.add_fsm_period(pupil_, src); break;
    case RecordKind::school_ap: current_ = part_.add_school_ap(pupil_, src); break;
    case RecordKind::attendance: {
      // A module given twice for one period: the first is the pupil's (Dataset::attendance_of), the second
      // is kept and checked like any module but counted nowhere, and said so.
      const Pupil& p = part_.pupil(pupil_);
      for (std::uint32_t i = p.first_attendance; p.attendance_count && i < p.first_attendance + p.attendance_count; ++i)
        if (part_.attendance[i].period == node.period) {
          const std::string module(element_name(node.period));
          part_.report.add(
              IN003, src, part_.returns[0].laestab, p.upn, part_.record_key(pupil_) + "." + module + ".repeated",
              "The pupil's " + module + " is given twice (line " + std::to_string(part_.attendance[i].line) +
                  " and here): the first is used, this one is counted nowhere",
              {{"module", module}, {"expected", "one " + module + " per pupil"}});
          break;
        }
      module_ = part_.add_attendance(pupil_, node.period, src.line);
      break;
    }
    case RecordKind::absence_sessions:
      // A SessionDetail's fields are labelled by its module (TermlyAttendance/AttendanceReason).
      current_ = part_.add_absence_sessions(module_);
      detail_seen_ = 0;
      return;
    default: break;
    }
    record_seen_ = 0;
    record_name_ = &node.name;
  }

  void close_record(RecordKind kind) {
    switch (kind) {
    case RecordKind::pupil:
    case RecordKind::leaver:
      part_.finish_pupil(pupil_);
      pupil_open_ = false;
      ++part_.records;
      break;
    case RecordKind::exclusion: part_.finish_exclusion(current_, pupil_); break;
    case RecordKind::attendance: part_.finish_attendance(module_); break;
    default: break;
    }
  }

  void set_field(const CensusMap::Node& node, const Frame& f) {
    if (mode_ == Mode::transfer) return;
    const RecordKind rk = record_of(node.field);
    if (rk == RecordKind::ret) {
      set_return_field(node, f);
      return;
    }
    // A name: whether it is given is all that is kept. It is never quoted, not even when repeated.
    if (node.field == CensusField::surname || node.field == CensusField::forename) {
      part_.set_pupil_field(pupil_, node.field, field_text(), {file_, 0}, node.name);
      return;
    }
    // A field given twice in one record: the first is kept and the second reported, never silently
    // overwritten. Exclusions may repeat Reason (up to three reasons).
    std::uint64_t& seen = rk == RecordKind::pupil              ? pupil_seen_
                          : rk == RecordKind::absence_sessions ? detail_seen_
                                                               : record_seen_;
    const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(node.field);
    const std::size_t before = part_.report.findings().size();
    if ((seen & bit) && node.field != CensusField::exclusion_reason) {
      if (!trim(field_text()).empty())
        part_.report.unparseable({file_, 0}, part_.returns[0].laestab, part_.pupil(pupil_).upn,
                                 part_.record_key(pupil_), node.name, quoted_text(trim(field_text()), 60),
                                 "one " + node.name + " per record (the first one given is kept)");
    } else {
      seen |= bit;
      // Fields of a module are labelled by it (TermlyAttendance/SessionsPossible), since the same name sits
      // in several modules; a pupil's own fields, its needs and FSM periods by their names.
      const FieldLabel label = rk != RecordKind::pupil && rk != RecordKind::need && rk != RecordKind::fsm_period
                                   ? FieldLabel(*record_name_, node.name)
                                   : FieldLabel(node.name);
      // An exclusion's codes are checked when it closes (their validity depends on its date), so their
      // line is counted now.
      const bool deferred =
          node.field == CensusField::exclusion_category || node.field == CensusField::exclusion_reason;
      const SourceRef src{file_, deferred ? line_at(f.offset) : 0};
      switch (rk) {
      case RecordKind::pupil: part_.set_pupil_field(pupil_, node.field, field_text(), src, label); break;
      case RecordKind::need: part_.set_need_field(current_, pupil_, node.field, field_text(), src, label); break;
      case RecordKind::exclusion:
        part_.set_exclusion_field(current_, pupil_, node.field, field_text(), src, label);
        break;
      case RecordKind::fsm_period: part_.set_fsm_field(current_, pupil_, node.field, field_text(), src, label); break;
      case RecordKind::attendance:
        part_.set_attendance_field(module_, pupil_, node.field, field_text(), src, label);
        break;
      case RecordKind::absence_sessions:
        part_.set_absence_field(current_, pupil_, node.field, field_text(), src, label);
        break;
      case RecordKind::school_ap: part_.set_ap_field(current_, pupil_, node.field, field_text(), src, label); break;
      default: break;
      }
    }
    // A field's line is wanted only when its value is reported, so it is counted only then.
    auto& findings = part_.report.findings();
    if (findings.size() > before) {
      const std::uint32_t at = line_at(f.offset);
      for (std::size_t i = before; i < findings.size(); ++i)
        if (findings[i].source.line == 0) findings[i].source.line = at;
    }
  }

  void set_return_field(const CensusMap::Node& node, const Frame& f) {
    CensusReturn& r = part_.returns[0];
    const std::string_view v = trim(field_text());
    if (v.empty()) return;
    const SourceRef src{file_, line_at(f.offset)};
    auto bad = [&](bool code, std::string_view expected) {
      if (code)
        part_.report.unknown_code(src, {}, {}, "header", node.name, quoted_text(v, 60), expected);
      else
        part_.report.unparseable(src, {}, {}, "header", node.name, quoted_text(v, 60), expected);
    };
    switch (node.field) {
    case CensusField::collection: {
      part_.collection = quoted_text(v, 16);
      const auto& accepted = map_.census_collections();
      if (!accepted.empty() && std::find(accepted.begin(), accepted.end(), upper(v)) == accepted.end()) {
        part_.kind = FileKind::other_collection;
        stop_ = true;
      }
      break;
    }
    case CensusField::term:
      if (!(r.term = parse_term(v))) bad(true, "AUT, SPR, SUM");
      break;
    case CensusField::year:
      if (is_digits(v, 4))
        r.year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
      else
        bad(false, "a four-digit year");
      break;
    case CensusField::reference_date:
      if (!(r.reference_date = Date::parse(v))) bad(false, "a date as YYYY-MM-DD or DD/MM/YYYY");
      break;
    case CensusField::lea:
      // An identifier that is not a number is never used as one (nor, later, in a file name).
      if (is_digits(v, 3))
        r.lea = std::string(v);
      else
        bad(false, "a 3-digit LA number");
      break;
    case CensusField::estab:
      if (is_digits(v, 4))
        r.estab = std::string(v);
      else
        bad(false, "a 4-digit establishment number");
      break;
    case CensusField::urn:
      if (is_digits(v, 6) || is_digits(v, 7))
        r.urn = std::string(v);
      else
        bad(false, "a 6-digit URN");
      break;
    case CensusField::serial_no: {
      const auto n = v.size() <= 18 && is_digits(v, v.size()) ? std::optional<std::int64_t>(std::stoll(std::string(v)))
                                                              : std::nullopt;
      if (n)
        r.serial_no = n;
      else
        bad(false, "a whole number");
      break;
    }
    case CensusField::date_time:
      if (const auto dt = iso_date_time(v))
        r.date_time = *dt;
      else
        bad(false, "a date and time as YYYY-MM-DDTHH:MM:SS");
      break;
    case CensusField::software:
    case CensusField::release:
      // Shown on the LA's Returns sheet: a short label of safe characters, never free text.
      if (!v.empty() && v.size() <= 40 && std::all_of(v.begin(), v.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '-' || c == '_';
          }))
        (node.field == CensusField::software ? r.software : r.release) = std::string(v);
      else
        bad(false, node.field == CensusField::software ? "a software code (letters, digits, space . - _; at most 40)"
                                                       : "a release number (letters, digits, space . - _; at most 40)");
      break;
    case CensusField::phase:
      if (v.size() <= 4 &&
          std::all_of(v.begin(), v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
        r.phase_code = upper(v);
      else
        bad(true, "a phase code (NS, PS, MP, MS, SS, SP, AT, EY, PR)");
      break;
    case CensusField::lowest_nc_year:
    case CensusField::highest_nc_year: {
      const auto y = NcYear::parse(v);
      if (!y) bad(true, "an NC year (E1, E2, N1, N2, R, 1-14, M, X)");
      (node.field == CensusField::lowest_nc_year ? r.lowest_nc_year : r.highest_nc_year) = y;
      break;
    }
    default: break;
    }
    if (!r.lea.empty() && !r.estab.empty()) r.laestab = r.lea + r.estab; // provisional: checked against the register
  }

  // The dates the return's codes are checked against, once its header is read.
  void finish_header() {
    if (header_done_) return;
    header_done_ = true;
    const CensusReturn& r = part_.returns[0];
    const std::optional<Date> day = r.reference_date ? r.reference_date : fallback_date_;
    std::optional<int> start;
    std::optional<Term> term = r.term;
    if (day) {
      start = day->month() >= 8 ? day->year() : day->year() - 1;
      if (!term) term = day->month() >= 8 ? Term::AUT : day->month() >= 4 ? Term::SUM : Term::SPR;
    } else if (r.year && r.term) {
      start = *r.term == Term::AUT ? *r.year : *r.year - 1;
    }
    part_.dates.census_day = day;
    if (day && term) part_.dates.exclusions = exclusions_period(*term, *day).to;
    if (start) {
      ay_start_ = start;
      part_.dates.census_year = academic_year_start(*start);
      // An autumn return's attendance is the summer term's: the previous academic year's.
      part_.dates.sessions = academic_year_start(term == Term::AUT ? *start - 1 : *start);
    }
  }

  CensusPart& part_;
  const CensusMap& map_;
  std::uint32_t file_;
  LineCounter lines_;
  std::optional<Date> fallback_date_;
  Mode mode_ = Mode::root;
  std::array<Frame, 32> stack_{};
  std::size_t depth_ = 0;
  const char* doc_end_ = nullptr;
  std::uint32_t skip_depth_ = 0;
  bool collecting_ = false, stop_ = false, header_done_ = false, pupil_open_ = false;
  std::string text_;      ///< a field's text when it came in pieces or with references
  std::string_view view_; ///< a field's text when it came in one plain piece
  int pieces_ = 0;
  std::optional<int> ay_start_;
  PupilRef pupil_;
  std::uint32_t current_ = 0, module_ = 0;
  std::uint64_t pupil_seen_ = 0, record_seen_ = 0, detail_seen_ = 0; ///< fields set in the open records
  const std::string* record_name_ = nullptr;
  struct Mark {
    std::size_t needs, exclusions, fsm, attendance, details, ap;
  } mark_{};
  // Transfer files
  std::vector<std::string_view> transfer_path_;
  bool transfer_wants_text_ = false;
  std::string* transfer_slot_ = nullptr;
  std::string transfer_lea_[2], transfer_estab_[2];

public:
  // The scanner calls end() for the transfer header's text elements too: keep their text.
  void end_transfer_text() {
    if (transfer_slot_ && transfer_wants_text_) *transfer_slot_ = std::string(trim(field_text()));
    transfer_wants_text_ = false;
    transfer_slot_ = nullptr;
  }
};

// The scanner's handler: the Reader, with the transfer header's text kept as its elements close.
struct Handler {
  Reader& r;
  bool start(std::string_view, std::string_view local, std::size_t offset) { return r.start(local, offset); }
  void end() { r.end(); }
  void text(std::string_view raw, bool has_reference) { r.text(raw, has_reference); }
  void cdata(std::string_view c) { r.cdata(c); }
  bool wants_text() const { return r.wants_text(); }
};

} // namespace

LineCounter::LineCounter(std::string_view text) : text_{text} {}

std::uint32_t LineCounter::line_at(std::size_t offset) {
  const std::size_t to = std::min(offset, text_.size());
  if (to < counted_) {
    counted_ = 0;
    line_ = 1;
    next_cr_ = std::string_view::npos;
  }
  while (counted_ < to) {
    // The next CR at or after where counting is: found once, and used until counting passes it.
    if (next_cr_ == std::string_view::npos || next_cr_ < counted_) {
      const void* cr = std::memchr(text_.data() + counted_, '\r', text_.size() - counted_);
      next_cr_ = cr ? static_cast<std::size_t>(static_cast<const char*>(cr) - text_.data()) : text_.size();
    }
    const std::size_t upto = std::min(to, next_cr_);
    line_ += static_cast<std::uint32_t>(count_newlines(text_.data() + counted_, text_.data() + upto));
    counted_ = upto;
    if (upto == next_cr_ && upto < to) {
      // A CR not followed by LF ends a line too (CR LF is one line end, counted at its LF).
      if (upto + 1 >= text_.size() || text_[upto + 1] != '\n') ++line_;
      counted_ = upto + 1;
    }
  }
  return line_;
}

CensusPart read_census_xml(std::string_view bytes, std::uint32_t file_index, const CensusXmlContext& ctx) {
  CensusPart part;
  // About 700 bytes of XML per pupil: reserve rather than grow by doubling.
  part.pupils.reserve(bytes.size() / 700 + 16);
  thread_local std::string converted;
  std::optional<xml::ScanError> text_error;
  const std::string_view doc = xml::prepare_xml_text(bytes, converted, part.encoding, text_error);
  Reader reader{part, ctx, file_index, doc};
  Handler handler{reader};
  std::optional<xml::ScanError> error = xml::scan_prepared(doc, text_error, handler);
  if (part.kind != FileKind::census && part.kind != FileKind::transfer) error.reset(); // stopped on purpose
  const std::size_t dropped = reader.finish(error.has_value());
  if (error) {
    part.parse_failed = true;
    const std::uint32_t line = reader.line_at(error->offset);
    const std::size_t kept = part.pupils.size() + part.leavers.size();
    std::string msg = "The file is not well-formed XML at line " + std::to_string(line) + ": " + error->message +
                      ". Reading stopped there; " + std::to_string(kept) +
                      " complete pupil records before it were kept";
    if (dropped) msg += " and 1 incomplete pupil record was not";
    part.report.add(IN001, {file_index, line}, part.returns.empty() ? std::string{} : part.returns[0].laestab, {},
                    "file", std::move(msg), {{"error", error->message}});
  }
  return part;
}

CensusPart load_census_xml(const std::filesystem::path& path, std::uint32_t file_index, const CensusXmlContext& ctx,
                           std::string* sha256) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (fd >= 0) ::close(fd);
    CensusPart part;
    part.kind = FileKind::unreadable;
    part.fatal = "cannot open " + path.string();
    return part;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  // The file is read whole into a buffer this thread keeps for the next file: a census file is a few
  // hundred KB, and copying it from the page cache into a buffer already in cache costs less than
  // mapping and unmapping each file. A file too big for that is mapped instead.
  constexpr std::size_t buffer_limit = std::size_t{256} << 20;
  thread_local std::vector<char> buffer;
  const char* data = nullptr;
  void* mapped = nullptr;
  bool read_error = false;
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
  if (read_error) {
    if (mapped) ::munmap(mapped, size);
    CensusPart part;
    part.kind = FileKind::unreadable;
    part.fatal = "cannot read " + path.string() + " to the end";
    return part;
  }
  if (sha256) {
    *sha256 = sha256_hex(data, size);
  }
  CensusPart part = read_census_xml(std::string_view(data ? data : "", size), file_index, ctx);
  if (mapped) ::munmap(mapped, size);
  return part;
}

} // namespace censusqa::load
