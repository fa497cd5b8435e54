// Census field parsing and part merging; see census_part.hpp.
#include "census_part.hpp"

#include "csv_reader.hpp"

#include <charconv>

namespace censusqa::load {
namespace {

constexpr std::string_view date_expected = "a date as YYYY-MM-DD or DD/MM/YYYY";
constexpr std::string_view count_expected = "a whole number of 0 or more";

std::optional<int> parse_count(std::string_view s) {
  int v = 0;
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || ptr != end || v < 0) return std::nullopt;
  return v;
}

std::optional<bool> parse_flag(std::string_view s) {
  if (iequals(s, "true") || iequals(s, "1") || iequals(s, "y") || iequals(s, "yes")) return true;
  if (iequals(s, "false") || iequals(s, "0") || iequals(s, "n") || iequals(s, "no")) return false;
  return std::nullopt;
}

} // namespace

std::string CensusPart::laestab_of(std::uint32_t pupil) const { return returns[pupils[pupil].census_return].laestab; }

std::string CensusPart::record_key(std::uint32_t pupil) const {
  const Pupil& p = pupils[pupil];
  return p.upn.empty() ? "line" + std::to_string(p.source.line) : p.upn;
}

void CensusPart::set_pupil_field(std::uint32_t idx, CensusField field, std::string_view raw, SourceRef src,
                                 std::string_view label) {
  const std::string_view text = trim(raw);
  if (text.empty() || field == CensusField::ignored) return;
  Pupil& p = pupils[idx];
  auto bad = [&](Field f, bool unknown_code, std::string_view expected) {
    raws.push_back({Entity::pupil, idx, f, std::string(text)});
    if (unknown_code)
      report.unknown_code(src, laestab_of(idx), p.upn, record_key(idx), label, text, expected);
    else
      report.unparseable(src, laestab_of(idx), p.upn, record_key(idx), label, text, expected);
  };
  auto count = [&](std::optional<int>& out, Field f) {
    out = parse_count(text);
    if (!out) bad(f, false, count_expected);
  };
  switch (field) {
  case CensusField::upn: p.upn = upper(text); break;
  case CensusField::dob:
    if (!(p.dob = Date::parse(text))) bad(Field::dob, false, date_expected);
    break;
  case CensusField::entry_date:
    if (!(p.entry_date = Date::parse(text))) bad(Field::entry_date, false, date_expected);
    break;
  case CensusField::sex:
    if (iequals(text, "M") || iequals(text, "F"))
      p.sex = upper(text)[0];
    else
      bad(Field::sex, true, "M, F");
    break;
  case CensusField::enrol_status:
    if (!(p.enrol_status = parse_enrol_status(text))) bad(Field::enrol_status, true, "C, M, S, F, O");
    break;
  case CensusField::nc_year:
    if (!(p.nc_year = NcYear::parse(text))) bad(Field::nc_year, true, "N1, N2, R, 1-14, X");
    break;
  case CensusField::fsm_eligible:
    if (!(p.fsm_eligible = parse_flag(text))) bad(Field::fsm_eligible, false, "true or false");
    break;
  case CensusField::sen_provision:
    if (!(p.sen_provision = parse_sen_provision(text))) bad(Field::sen_provision, true, "N, K, E");
    break;
  case CensusField::sessions_possible: count(p.attendance.possible, Field::sessions_possible); break;
  case CensusField::sessions_authorised: count(p.attendance.authorised, Field::sessions_authorised); break;
  case CensusField::sessions_unauthorised: count(p.attendance.unauthorised, Field::sessions_unauthorised); break;
  default: break;
  }
}

void CensusPart::set_need_field(std::uint32_t idx, std::uint32_t pupil, CensusField field, std::string_view raw,
                                SourceRef src, std::string_view label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  SenNeed& n = needs[idx];
  if (field == CensusField::need_type) {
    if (!(n.type = parse_need_type(text))) {
      raws.push_back({Entity::need, idx, Field::need_type, std::string(text)});
      report.unknown_code(src, laestab_of(pupil), pupils[pupil].upn, record_key(pupil), label, text,
                          "SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA");
    }
  } else if (field == CensusField::need_rank) {
    if (!(n.rank = parse_count(text))) {
      raws.push_back({Entity::need, idx, Field::need_rank, std::string(text)});
      report.unparseable(src, laestab_of(pupil), pupils[pupil].upn, record_key(pupil), label, text, "1 or 2");
    }
  }
}

void CensusPart::set_exclusion_field(std::uint32_t idx, std::uint32_t pupil, CensusField field, std::string_view raw,
                                     SourceRef src, std::string_view label) {
  const std::string_view text = trim(raw);
  if (text.empty()) return;
  Exclusion& e = exclusions[idx];
  switch (field) {
  case CensusField::exclusion_category:
    if (!(e.category = parse_exclusion_category(text))) {
      raws.push_back({Entity::exclusion, idx, Field::exclusion_category, std::string(text)});
      report.unknown_code(src, laestab_of(pupil), pupils[pupil].upn, record_key(pupil), label, text,
                          "PERM, SUSP (or FIXD), LUNC");
    }
    break;
  case CensusField::exclusion_reason: e.reason = upper(text); break;
  case CensusField::exclusion_start_date:
    if (!(e.start_date = Date::parse(text))) {
      raws.push_back({Entity::exclusion, idx, Field::exclusion_start_date, std::string(text)});
      report.unparseable(src, laestab_of(pupil), pupils[pupil].upn, record_key(pupil), label, text, date_expected);
    }
    break;
  case CensusField::exclusion_sessions:
    if (!(e.sessions = parse_count(text))) {
      raws.push_back({Entity::exclusion, idx, Field::exclusion_sessions, std::string(text)});
      report.unparseable(src, laestab_of(pupil), pupils[pupil].upn, record_key(pupil), label, text, count_expected);
    }
    break;
  default: break;
  }
}

void merge_part(CensusPart&& part, Dataset& data, std::vector<Finding>& findings,
                std::set<std::string>& unknown_names_seen) {
  const auto return_base = static_cast<std::uint32_t>(data.returns.size());
  const auto pupil_base = static_cast<std::uint32_t>(data.pupils.size());
  const auto need_base = static_cast<std::uint32_t>(data.needs.size());
  const auto excl_base = static_cast<std::uint32_t>(data.exclusions.size());
  for (auto& r : part.returns) {
    r.first_pupil += pupil_base;
    data.returns.push_back(std::move(r));
  }
  for (auto& p : part.pupils) {
    p.census_return += return_base;
    p.first_need += need_base;
    p.first_exclusion += excl_base;
    data.pupils.push_back(std::move(p));
  }
  data.needs.insert(data.needs.end(), part.needs.begin(), part.needs.end());
  data.exclusions.insert(data.exclusions.end(), std::make_move_iterator(part.exclusions.begin()),
                         std::make_move_iterator(part.exclusions.end()));
  for (auto& raw : part.raws) {
    const std::uint32_t base = raw.entity == Entity::pupil       ? pupil_base
                               : raw.entity == Entity::need      ? need_base
                               : raw.entity == Entity::exclusion ? excl_base
                                                                 : return_base;
    data.set_raw_value(raw.entity, raw.index + base, raw.field, std::move(raw.text));
  }
  for (auto& f : part.report.findings()) {
    if (f.rule == "IN091" && !unknown_names_seen.insert(f.subject).second) continue;
    findings.push_back(std::move(f));
  }
}

} // namespace censusqa::load
