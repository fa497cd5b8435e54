// dfe-census: shared helpers (common.hpp).
#include "common.hpp"

#include <cstdio>

namespace censusqa::dfe_census {

namespace {
// The n-th Thursday of a month.
Date nth_thursday(int year, unsigned month, int n) {
  const Date first = *Date::from_ymd(year, month, 1);
  constexpr unsigned thursday = 3; // Date::iso_weekday_index: 0 = Monday
  const auto to_thursday = static_cast<std::int32_t>((thursday + 7 - first.iso_weekday_index()) % 7);
  return first.plus_days(to_thursday + 7 * (n - 1));
}
} // namespace

PreviousCensusDay::PreviousCensusDay(const Dataset& data) {
  if (!data.previous) return;
  for (const CensusReturn& r : data.previous->returns)
    if (r.reference_date && !r.laestab.empty()) by_school_.emplace(r.laestab, *r.reference_date);
}

std::optional<Date> PreviousCensusDay::of(const CensusReturn& r) const {
  if (!r.reference_date) return std::nullopt;
  if (const auto it = by_school_.find(r.laestab);
      it != by_school_.end() && it->second < *r.reference_date && it->second.plus_days(200) >= *r.reference_date)
    return it->second;
  if (!r.term) return std::nullopt;
  const int y = r.reference_date->year();
  switch (*r.term) {
  case Term::SPR: return nth_thursday(y - 1, 10, 1); // January's previous: October of the year before
  case Term::SUM: return nth_thursday(y, 1, 3);      // May's previous: January
  case Term::AUT: return nth_thursday(y, 5, 3);      // October's previous: May
  }
  return std::nullopt;
}

std::optional<YearRange> phase_years(std::string_view phase_code) {
  if (phase_code == "NS") return YearRange{-4, 0};
  if (phase_code == "PS") return YearRange{-4, 6};
  if (phase_code == "MP") return YearRange{-4, 8};
  if (phase_code == "MS") return YearRange{4, 9};
  if (phase_code == "SS") return YearRange{7, 14};
  if (phase_code == "16") return YearRange{12, 14};
  return std::nullopt;
}

std::optional<YearRange> own_years(const CensusReturn& r) {
  if (!r.lowest_nc_year || !r.highest_nc_year || r.lowest_nc_year->no_year_group() ||
      r.highest_nc_year->no_year_group())
    return std::nullopt;
  return YearRange{r.lowest_nc_year->value(), r.highest_nc_year->value()};
}

std::optional<YearRange> expected_years(const CensusReturn& r) {
  if (auto y = phase_years(r.phase_code)) return y;
  return own_years(r);
}

std::string percent(long long part, long long whole) {
  if (whole <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

} // namespace censusqa::dfe_census
