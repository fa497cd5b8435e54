// Census field parsing and part merging; see census_part.hpp.
#include "census_part.hpp"

#include "csv_reader.hpp"
#include "dfe_fields.hpp"
#include "personal_text.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace censusqa::load {
namespace {

constexpr std::string_view date_expected = "a date as YYYY-MM-DD or DD/MM/YYYY";
constexpr std::string_view count_expected = "a whole number of 0 or more";
constexpr std::string_view flag_expected = "true or false (or 1 or 0)";

bool digits(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// A UPN is 13 characters (a ULN 10); anything much longer is not one, and is not kept whole.
constexpr std::size_t upn_limit = 64;

} // namespace

std::optional<std::string> kept_upn(std::string_view text) {
  if (text.empty() || text.size() > upn_limit || may_be_personal(text)) return std::nullopt;
  return upper(text);
}

std::optional<int> parse_count(std::string_view s) {
  int v = 0;
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || ptr != end || v < 0) return std::nullopt;
  return v;
}

std::optional<bool> parse_flag(std::string_view s) {
  if (iequals(s, "true") || s == "1" || iequals(s, "y") || iequals(s, "yes")) return true;
  if (iequals(s, "false") || s == "0" || iequals(s, "n") || iequals(s, "no")) return false;
  return std::nullopt;
}

std::string CensusPart::laestab_of(PupilRef p) const { return returns[pupil(p).census_return].laestab; }

std::string CensusPart::record_key(PupilRef p) const {
  const Pupil& x = pupil(p);
  return x.upn.empty() ? "line" + std::to_string(x.source.line) : x.upn;
}

std::optional<AttendancePeriod> CensusPart::period_of(Entity entity, std::uint32_t index) const {
  if (entity == Entity::attendance) return attendance[index].period;
  if (entity == Entity::absence_sessions) return detail_period_;
  return std::nullopt;
}

// The loaders' IN003 and IN004 on a pupil's fields are made here and in coded(), and only here: each
// finding is given the DfE rule it is (dfe_fields.cpp's table), once.
void CensusPart::bad(PupilRef p, Entity entity, std::uint32_t index, Field field, bool unknown_code,
                     std::string_view text, SourceRef src, const FieldLabel& label, std::string_view expected) {
  raws.push_back({entity, index, field, std::string(shown_value(text))}); // a rule quotes it: never a name
  const std::string_view dfe =
      loader_dfe_rule(unknown_code ? "IN004" : "IN003", field, p.leaver, period_of(entity, index), text);
  if (unknown_code)
    report.unknown_code(src, laestab_of(p), pupil(p).upn, record_key(p), label.str(), text, expected, dfe);
  else
    report.unparseable(src, laestab_of(p), pupil(p).upn, record_key(p), label.str(), text, expected, dfe);
}

const CodeEntry* CensusPart::coded(CodeSetId set, std::string_view text, std::optional<Date> on, PupilRef p,
                                   SourceRef src, const FieldLabel& label, Entity entity, std::uint32_t index,
                                   Field field, std::string_view dated) {
  const CodeCheck r = codes->check(set, text, on);
  if (r.ok()) return r.entry;
  raws.push_back({entity, index, field, std::string(shown_value(text))});
  const std::string_view dfe = loader_dfe_rule("IN004", field, p.leaver, period_of(entity, index), text);
  const bool known = r.entry != nullptr;
  // A code the list has at other dates: say which date it was checked against.
  const std::string problem = known && !dated.empty() ? std::string(dated) + ", and " + r.problem : r.problem;
  report.invalid_code(src, laestab_of(p), pupil(p).upn, record_key(p), label.str(), text, known, problem,
                      codes->expected(set, on), dfe);
  return nullptr;
}

void CensusPart::set_pupil_field(PupilRef ref, CensusField field, std::string_view raw, SourceRef src,
                                 const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty() || field == CensusField::ignored) return;
  Pupil& p = pupil(ref);
  const Entity ent = entity_of(ref);
  const std::uint32_t idx = ref.index;
  auto date = [&](std::optional<Date>& out, Field f) {
    if (!(out = Date::parse(text))) bad(ref, ent, idx, f, false, text, src, label, date_expected);
  };
  auto flag = [&](std::optional<bool>& out, Field f) {
    if (!(out = parse_flag(text))) bad(ref, ent, idx, f, false, text, src, label, flag_expected);
  };
  auto code = [&](CodeSetId set, Field f) { return coded(set, text, dates.census_year, ref, src, label, ent, idx, f); };
  switch (field) {
  case CensusField::upn:
    // Too long, or a surname in the UPN column: reported (cut, or not shown), never the pupil's identity.
    if (auto upn = kept_upn(text))
      p.upn = std::move(*upn);
    else
      bad(ref, ent, idx, Field::upn, false, text.substr(0, upn_limit), src, label, "a 13-character UPN");
    break;
  case CensusField::uln: {
    // Ten digits (a ULN of all zeros is none: its check digit cannot be right). Anything else is kept as
    // its raw text, cut as a UPN is, and is DfE rule 1575's.
    std::uint64_t v = 0;
    if (digits(text, 10, 10)) std::from_chars(text.data(), text.data() + text.size(), v);
    if (v != 0)
      p.uln = v;
    else
      bad(ref, ent, idx, Field::uln, false, text.substr(0, upn_limit), src, label, "a 10-digit ULN");
    break;
  }
  case CensusField::former_upn:
    // Kept beside the raw values (Dataset::former_upn_of): few pupils have one. A value longer than a UPN
    // field may be (upn_limit) is reported, and not kept cut as a UPN is: a cut one could match another pupil.
    if (text.size() > upn_limit || may_be_personal(text)) {
      bad(ref, ent, idx, Field::former_upn, false, text.substr(0, upn_limit), src, label, "a 13-character UPN");
      raws.pop_back();
    } else {
      raws.push_back({ent, idx, Field::former_upn, upper(text)});
    }
    break;
  // Names: only whether one is given is kept, never the text.
  case CensusField::surname: p.surname_missing = false; break;
  case CensusField::forename: p.forename_missing = false; break;
  case CensusField::dob: date(p.dob, Field::dob); break;
  case CensusField::entry_date: date(p.entry_date, Field::entry_date); break;
  case CensusField::leaving_date: date(p.leaving_date, Field::leaving_date); break;
  case CensusField::sex:
    if (code(CodeSetId::sex, Field::sex)) p.sex = detail::upper(text[0]);
    break;
  case CensusField::enrol_status:
    if (code(CodeSetId::enrol_status, Field::enrol_status)) p.enrol_status = parse_enrol_status(text);
    break;
  case CensusField::nc_year:
  case CensusField::nc_year_leaving:
    // NCyearActual for a pupil on roll, NCyearLeaving for a leaver; the first given is kept.
    if (code(CodeSetId::nc_year, Field::nc_year) && !p.nc_year) p.nc_year = NcYear::parse(text);
    break;
  case CensusField::fsm_eligible: flag(p.fsm_eligible, Field::fsm_eligible); break;
  case CensusField::part_time: flag(p.part_time, Field::part_time); break;
  case CensusField::top_up_funding: flag(p.top_up_funding, Field::top_up_funding); break;
  case CensusField::sen_unit: flag(p.sen_unit, Field::sen_unit); break;
  case CensusField::resourced_provision: flag(p.resourced_provision, Field::resourced_provision); break;
  case CensusField::sen_provision:
    if (code(CodeSetId::sen_provision, Field::sen_provision)) p.sen_provision = parse_sen_provision(text);
    break;
  default: break;
  }
}

void CensusPart::set_need_field(std::uint32_t idx, PupilRef ref, CensusField field, std::string_view raw, SourceRef src,
                                const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  SenNeed& n = needs[idx];
  if (field == CensusField::need_type) {
    if (coded(CodeSetId::need_type, text, dates.census_year, ref, src, label, Entity::need, idx, Field::need_type))
      n.type = parse_need_type(text);
  } else if (field == CensusField::need_rank) {
    if (!(n.rank = parse_count(text))) bad(ref, Entity::need, idx, Field::need_rank, false, text, src, label, "1 or 2");
  }
}

void CensusPart::set_exclusion_field(std::uint32_t idx, PupilRef ref, CensusField field, std::string_view raw,
                                     SourceRef src, const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  Exclusion& e = exclusions[idx];
  switch (field) {
  case CensusField::exclusion_category: pending_category_ = PendingCode{std::string(text), src, label.str()}; break;
  case CensusField::exclusion_reason:
    for (auto& r : pending_reasons_)
      if (!r) {
        r = PendingCode{std::string(text), src, label.str()};
        return;
      }
    bad(ref, Entity::exclusion, idx, Field::exclusion_reason, false, text, src, label,
        "at most three reasons for one exclusion");
    break;
  case CensusField::exclusion_start_date:
    if (!(e.start_date = Date::parse(text)))
      bad(ref, Entity::exclusion, idx, Field::exclusion_start_date, false, text, src, label, date_expected);
    break;
  case CensusField::exclusion_sessions:
    if (!(e.sessions = parse_count(text)))
      bad(ref, Entity::exclusion, idx, Field::exclusion_sessions, false, text, src, label, count_expected);
    break;
  case CensusField::exclusion_sen_provision:
    if (coded(CodeSetId::sen_provision, text, dates.census_year, ref, src, label, Entity::exclusion, idx,
              Field::exclusion_sen_provision))
      e.sen_provision = parse_sen_provision(text);
    break;
  default: break;
  }
}

void CensusPart::finish_exclusion(std::uint32_t idx, PupilRef ref) {
  Exclusion& e = exclusions[idx];
  // The category's and the reasons' validity depend on the exclusion's own date (FIXD before August
  // 2021, SUSP from then): without a readable date they are checked against the last day of the terms
  // the census's exclusions cover (an October 2021 census reports January to July 2021: FIXD), else the
  // census year. A code valid only at other dates is reported with the exclusion's date (DfE rule 2275
  // for the category).
  const std::optional<Date> on = e.start_date ? e.start_date : dates.exclusions ? dates.exclusions : dates.census_year;
  const std::string dated = e.start_date ? "the exclusion starts on " + e.start_date->iso() : std::string();
  if (pending_category_) {
    const auto& c = *pending_category_;
    if (coded(CodeSetId::exclusion_category, c.text, on, ref, c.src, c.label, Entity::exclusion, idx,
              Field::exclusion_category, dated))
      e.category = parse_exclusion_category(c.text);
  }
  for (std::size_t i = 0; i < pending_reasons_.size(); ++i)
    if (const auto& r = pending_reasons_[i]; r) {
      if (coded(CodeSetId::exclusion_reason, r->text, on, ref, r->src, r->label, Entity::exclusion, idx,
                Field::exclusion_reason, dated))
        e.reasons[i] = ShortCode::make(r->text).value_or(ShortCode{});
    }
  pending_category_.reset();
  for (auto& r : pending_reasons_)
    r.reset();
}

void CensusPart::set_fsm_field(std::uint32_t idx, PupilRef ref, CensusField field, std::string_view raw, SourceRef src,
                               const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  FsmPeriod& f = fsm_periods[idx];
  switch (field) {
  case CensusField::fsm_start_date:
    if (!(f.start = Date::parse(text)))
      bad(ref, Entity::fsm_period, idx, Field::fsm_start_date, false, text, src, label, date_expected);
    break;
  case CensusField::fsm_end_date:
    if (!(f.end = Date::parse(text)))
      bad(ref, Entity::fsm_period, idx, Field::fsm_end_date, false, text, src, label, date_expected);
    break;
  case CensusField::fsm_country:
    if (coded(CodeSetId::uk_country, text, dates.census_year, ref, src, label, Entity::fsm_period, idx,
              Field::fsm_country))
      f.country = ShortCode::make(text).value_or(ShortCode{});
    break;
  default: break;
  }
}

void CensusPart::set_attendance_field(std::uint32_t idx, PupilRef ref, CensusField field, std::string_view raw,
                                      SourceRef src, const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  Attendance& a = attendance[idx];
  auto count = [&](Count& out, Field f) {
    out = parse_count(text);
    if (!out) bad(ref, Entity::attendance, idx, f, false, text, src, label, count_expected);
  };
  switch (field) {
  case CensusField::sessions_possible: count(a.possible, Field::sessions_possible); break;
  case CensusField::sessions_authorised: count(a.authorised_given, Field::sessions_given_authorised); break;
  case CensusField::sessions_unauthorised: count(a.unauthorised_given, Field::sessions_given_unauthorised); break;
  default: break;
  }
}

void CensusPart::set_absence_field(std::uint32_t idx, PupilRef ref, CensusField field, std::string_view raw,
                                   SourceRef src, const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  AbsenceSessions& d = absence_sessions[idx];
  if (field == CensusField::attendance_reason) {
    if (const CodeEntry* e = coded(CodeSetId::attendance_reason, text, dates.sessions, ref, src, label,
                                   Entity::absence_sessions, idx, Field::attendance_reason)) {
      d.reason = e->code;
      d.category = e->category;
    }
  } else if (field == CensusField::absence_sessions) {
    d.sessions = parse_count(text);
    if (!d.sessions)
      bad(ref, Entity::absence_sessions, idx, Field::absence_sessions, false, text, src, label, count_expected);
  }
}

void CensusPart::set_ap_field(std::uint32_t idx, PupilRef ref, CensusField field, std::string_view raw, SourceRef src,
                              const FieldLabel& label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  SchoolArrangedAp& a = school_ap[idx];
  auto date = [&](std::optional<Date>& out, Field f) {
    if (!(out = Date::parse(text))) bad(ref, Entity::school_ap, idx, f, false, text, src, label, date_expected);
  };
  auto code = [&](CodeSetId set, Field f, ShortCode& out) {
    if (const CodeEntry* e = coded(set, text, dates.census_year, ref, src, label, Entity::school_ap, idx, f))
      out = e->code;
  };
  auto provision = [&](std::optional<SenProvision>& out, Field f) {
    if (coded(CodeSetId::sen_provision, text, dates.census_year, ref, src, label, Entity::school_ap, idx, f))
      out = parse_sen_provision(text);
  };
  switch (field) {
  case CensusField::ap_urn:
    if (digits(text, 6, 7))
      a.urn = std::string(text);
    else
      bad(ref, Entity::school_ap, idx, Field::ap_urn, false, text, src, label, "a 6-digit URN");
    break;
  case CensusField::ap_ukprn:
    if (digits(text, 8, 8))
      a.ukprn = std::string(text);
    else
      bad(ref, Entity::school_ap, idx, Field::ap_ukprn, false, text, src, label, "an 8-digit UKPRN");
    break;
  case CensusField::ap_entry_date: date(a.entry_date, Field::ap_entry_date); break;
  case CensusField::ap_leaving_date: date(a.leaving_date, Field::ap_leaving_date); break;
  case CensusField::ap_sessions_per_week:
    a.sessions_per_week = parse_count(text);
    if (!a.sessions_per_week)
      bad(ref, Entity::school_ap, idx, Field::ap_sessions_per_week, false, text, src, label, count_expected);
    break;
  case CensusField::ap_setting_type: code(CodeSetId::ap_setting_type, Field::ap_setting_type, a.setting_type); break;
  case CensusField::ap_reason: code(CodeSetId::ap_reason, Field::ap_reason, a.reason); break;
  case CensusField::ap_attendance_pattern:
    code(CodeSetId::ap_attendance_pattern, Field::ap_attendance_pattern, a.attendance_pattern);
    break;
  case CensusField::ap_sen_provision_entry: provision(a.sen_provision_entry, Field::ap_sen_provision_entry); break;
  case CensusField::ap_sen_provision_leaving:
    provision(a.sen_provision_leaving, Field::ap_sen_provision_leaving);
    break;
  default: break;
  }
}

void CensusPart::finish_attendance(std::uint32_t idx) {
  Attendance& a = attendance[idx];
  a.has_detail = a.detail_count > 0;
  if (!a.has_detail) {
    a.authorised = a.authorised_given;
    a.unauthorised = a.unauthorised_given;
    return;
  }
  // Sums in 64 bits: each row is at most INT_MAX, and a module's sum must not wrap.
  std::int64_t auth = 0, unauth = 0;
  for (std::uint32_t i = a.first_detail; i < a.first_detail + a.detail_count; ++i) {
    const AbsenceSessions& d = absence_sessions[i];
    if (!d.sessions) continue;
    if (d.category == AbsenceCategory::authorised) auth += *d.sessions;
    if (d.category == AbsenceCategory::unauthorised) unauth += *d.sessions;
  }
  constexpr std::int64_t most = std::numeric_limits<std::int32_t>::max();
  a.authorised = auth <= most ? Count(static_cast<std::int32_t>(auth)) : Count{};
  a.unauthorised = unauth <= most ? Count(static_cast<std::int32_t>(unauth)) : Count{};
}

void CensusPart::finish_pupil(PupilRef ref) {
  Pupil& p = pupil(ref);
  if (ref.leaver || !dates.census_day) return;
  // No FSMeligibility module means no period: not eligible. A CSV flag stands when there are no periods.
  if (p.fsm_count == 0 && p.fsm_eligible) return;
  bool eligible = false;
  for (std::uint32_t i = p.first_fsm; i < p.first_fsm + p.fsm_count; ++i) {
    const FsmPeriod& f = fsm_periods[i];
    // Eligibility in England: a period in another UK country does not make a pupil eligible here.
    if (f.covers(*dates.census_day) && (f.country.empty() || f.country == "ENG")) eligible = true;
  }
  p.fsm_eligible = eligible;
}

std::uint32_t CensusPart::add_need(PupilRef ref, SourceRef src) {
  Pupil& p = pupil(ref);
  if (p.need_count == 0) p.first_need = static_cast<std::uint32_t>(needs.size());
  SenNeed n;
  n.source = src;
  needs.push_back(n);
  ++p.need_count;
  return static_cast<std::uint32_t>(needs.size() - 1);
}

std::uint32_t CensusPart::add_exclusion(PupilRef ref, SourceRef src) {
  Pupil& p = pupil(ref);
  if (p.exclusion_count == 0) p.first_exclusion = static_cast<std::uint32_t>(exclusions.size());
  Exclusion e;
  e.source = src;
  exclusions.push_back(e);
  ++p.exclusion_count;
  pending_category_.reset();
  for (auto& r : pending_reasons_)
    r.reset();
  return static_cast<std::uint32_t>(exclusions.size() - 1);
}

std::uint32_t CensusPart::add_fsm_period(PupilRef ref, SourceRef src) {
  Pupil& p = pupil(ref);
  if (p.fsm_count == 0) p.first_fsm = static_cast<std::uint32_t>(fsm_periods.size());
  FsmPeriod f;
  f.source = src;
  fsm_periods.push_back(f);
  ++p.fsm_count;
  return static_cast<std::uint32_t>(fsm_periods.size() - 1);
}

std::uint32_t CensusPart::add_attendance(PupilRef ref, AttendancePeriod period, std::uint32_t line) {
  Pupil& p = pupil(ref);
  if (p.attendance_count == 0) p.first_attendance = static_cast<std::uint32_t>(attendance.size());
  Attendance a;
  a.period = period;
  a.line = line;
  a.first_detail = static_cast<std::uint32_t>(absence_sessions.size());
  attendance.push_back(a);
  ++p.attendance_count;
  return static_cast<std::uint32_t>(attendance.size() - 1);
}

std::uint32_t CensusPart::add_absence_sessions(std::uint32_t module) {
  Attendance& a = attendance[module];
  detail_period_ = a.period;
  if (a.detail_count == 0) a.first_detail = static_cast<std::uint32_t>(absence_sessions.size());
  absence_sessions.push_back({});
  ++a.detail_count;
  return static_cast<std::uint32_t>(absence_sessions.size() - 1);
}

std::uint32_t CensusPart::add_school_ap(PupilRef ref, SourceRef src) {
  Pupil& p = pupil(ref);
  if (p.ap_count == 0) p.first_ap = static_cast<std::uint32_t>(school_ap.size());
  SchoolArrangedAp a;
  a.source = src;
  school_ap.push_back(std::move(a));
  ++p.ap_count;
  return static_cast<std::uint32_t>(school_ap.size() - 1);
}

namespace {
PartBases bases_of(const Dataset& data, const std::vector<Finding>& findings) {
  auto n = [](const auto& v) { return static_cast<std::uint32_t>(v.size()); };
  return {n(data.returns),     n(data.pupils),     n(data.leavers),          n(data.needs),     n(data.exclusions),
          n(data.fsm_periods), n(data.attendance), n(data.absence_sessions), n(data.school_ap), findings.size()};
}

// Moves a pupil's (or a return's, a module's) indexes from one part's bases to another's.
void shift_pupil(Pupil& p, const PartBases& from, const PartBases& to) {
  p.census_return = p.census_return - from.returns + to.returns;
  p.first_need = p.first_need - from.needs + to.needs;
  p.first_exclusion = p.first_exclusion - from.exclusions + to.exclusions;
  p.first_fsm = p.first_fsm - from.fsm_periods + to.fsm_periods;
  p.first_attendance = p.first_attendance - from.attendance + to.attendance;
  p.first_ap = p.first_ap - from.school_ap + to.school_ap;
}
} // namespace

PartBases merge_part(CensusPart&& part, Dataset& data, std::vector<Finding>& findings) {
  const PartBases at = bases_of(data, findings);
  const PartBases zero{};
  for (auto& r : part.returns) {
    r.first_pupil += at.pupils;
    r.first_leaver += at.leavers;
    data.returns.push_back(std::move(r));
  }
  for (auto& p : part.pupils) {
    shift_pupil(p, zero, at);
    data.pupils.push_back(std::move(p));
  }
  for (auto& p : part.leavers) {
    shift_pupil(p, zero, at);
    data.leavers.push_back(std::move(p));
  }
  for (auto& a : part.attendance)
    a.first_detail += at.absence_sessions;
  data.needs.insert(data.needs.end(), part.needs.begin(), part.needs.end());
  data.exclusions.insert(data.exclusions.end(), part.exclusions.begin(), part.exclusions.end());
  data.fsm_periods.insert(data.fsm_periods.end(), part.fsm_periods.begin(), part.fsm_periods.end());
  data.attendance.insert(data.attendance.end(), part.attendance.begin(), part.attendance.end());
  data.absence_sessions.insert(data.absence_sessions.end(), part.absence_sessions.begin(), part.absence_sessions.end());
  data.school_ap.insert(data.school_ap.end(), std::make_move_iterator(part.school_ap.begin()),
                        std::make_move_iterator(part.school_ap.end()));
  merge_raws(std::move(part.raws), at, data);
  for (auto& f : part.report.findings())
    findings.push_back(std::move(f));
  // Free the part's memory now: a national run merges thousands of parts, and holding them all
  // beside the dataset would double the peak.
  part = CensusPart{};
  return at;
}

void merge_raws(std::vector<RawValue>&& raws, const PartBases& at, Dataset& data) {
  for (auto& raw : raws) {
    std::uint32_t base = 0;
    switch (raw.entity) {
    case Entity::pupil: base = at.pupils; break;
    case Entity::leaver: base = at.leavers; break;
    case Entity::need: base = at.needs; break;
    case Entity::exclusion: base = at.exclusions; break;
    case Entity::fsm_period: base = at.fsm_periods; break;
    case Entity::attendance: base = at.attendance; break;
    case Entity::absence_sessions: base = at.absence_sessions; break;
    case Entity::school_ap: base = at.school_ap; break;
    default: base = at.returns; break;
    }
    data.set_raw_value(raw.entity, raw.index + base, raw.field, std::move(raw.text));
  }
  raws.clear();
}

namespace {
// Moves each kept part's elements of one list down to where it now begins (`member` picks the list's
// base); elements only move towards the front, so moving in order is safe.
template <class T, class Base, class Fix>
void compact(std::vector<T>& list, const std::vector<PartBases>& old_at, const std::vector<PartBases>& new_at,
             const std::vector<bool>& drop, Base member, Fix&& fix) {
  for (std::size_t k = 0; k < old_at.size(); ++k) {
    const std::size_t begin = old_at[k].*member;
    const std::size_t end = k + 1 < old_at.size() ? old_at[k + 1].*member : list.size();
    if (drop[k]) continue;
    std::size_t to = new_at[k].*member;
    for (std::size_t i = begin; i < end; ++i, ++to) {
      fix(list[i], old_at[k], new_at[k]);
      if (to != i) list[to] = std::move(list[i]);
    }
  }
  std::size_t kept = 0;
  for (std::size_t k = 0; k < old_at.size(); ++k)
    if (!drop[k]) kept += (k + 1 < old_at.size() ? old_at[k + 1].*member : list.size()) - old_at[k].*member;
  const std::size_t before = old_at.empty() ? list.size() : static_cast<std::size_t>(old_at[0].*member);
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(before + kept), list.end());
}
} // namespace

void drop_parts(Dataset& data, std::vector<Finding>& findings, std::vector<PartBases>& merged,
                const std::vector<bool>& drop) {
  if (merged.empty() || std::find(drop.begin(), drop.end(), true) == drop.end()) return;
  // Where each part begins once the dropped ones are gone.
  const PartBases end = bases_of(data, findings);
  std::vector<PartBases> now(merged.size());
  PartBases next = merged[0];
  for (std::size_t k = 0; k < merged.size(); ++k) {
    now[k] = next;
    if (drop[k]) continue;
    const PartBases& b = merged[k];
    const PartBases& e = k + 1 < merged.size() ? merged[k + 1] : end;
    next.returns += e.returns - b.returns;
    next.pupils += e.pupils - b.pupils;
    next.leavers += e.leavers - b.leavers;
    next.needs += e.needs - b.needs;
    next.exclusions += e.exclusions - b.exclusions;
    next.fsm_periods += e.fsm_periods - b.fsm_periods;
    next.attendance += e.attendance - b.attendance;
    next.absence_sessions += e.absence_sessions - b.absence_sessions;
    next.school_ap += e.school_ap - b.school_ap;
    next.findings += e.findings - b.findings;
  }
  const auto none = [](auto&, const PartBases&, const PartBases&) {};
  compact(data.returns, merged, now, drop, &PartBases::returns,
          [](CensusReturn& r, const PartBases& from, const PartBases& to) {
            r.first_pupil = r.first_pupil - from.pupils + to.pupils;
            r.first_leaver = r.first_leaver - from.leavers + to.leavers;
          });
  compact(data.pupils, merged, now, drop, &PartBases::pupils, shift_pupil);
  compact(data.leavers, merged, now, drop, &PartBases::leavers, shift_pupil);
  compact(data.needs, merged, now, drop, &PartBases::needs, none);
  compact(data.exclusions, merged, now, drop, &PartBases::exclusions, none);
  compact(data.fsm_periods, merged, now, drop, &PartBases::fsm_periods, none);
  compact(data.attendance, merged, now, drop, &PartBases::attendance,
          [](Attendance& a, const PartBases& from, const PartBases& to) {
            a.first_detail = a.first_detail - from.absence_sessions + to.absence_sessions;
          });
  compact(data.absence_sessions, merged, now, drop, &PartBases::absence_sessions, none);
  compact(data.school_ap, merged, now, drop, &PartBases::school_ap, none);
  compact(findings, merged, now, drop, &PartBases::findings, none);
  merged = std::move(now);
}

} // namespace censusqa::load
