// censusqa SDK: calendar dates. Census dates are calendar days, never timestamps: no time zone,
// no time of day, so "140 days after the request" means exactly that.
#pragma once

#include <censusqa/codes.hpp>

#include <chrono>
#include <compare>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace censusqa {

/// A proleptic Gregorian calendar date, stored as days since 1970-01-01.
class Date {
public:
  constexpr Date() = default;

  /// The date for year/month/day, or nothing when the day does not exist (2025-02-31).
  static constexpr std::optional<Date> from_ymd(int y, unsigned m, unsigned d) {
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok() || y < 1900 || y > 2999) return std::nullopt;
    return Date{static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count())};
  }

  /// Parses `YYYY-MM-DD` or the UK export form `DD/MM/YYYY`; anything else gives nothing.
  static constexpr std::optional<Date> parse(std::string_view s) {
    auto digits = [&](std::size_t pos, std::size_t n, int& out) {
      out = 0;
      for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
      }
      return true;
    };
    int y = 0, m = 0, d = 0;
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
      if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
    } else if (s.size() == 10 && s[2] == '/' && s[5] == '/') {
      if (!digits(0, 2, d) || !digits(3, 2, m) || !digits(6, 4, y)) return std::nullopt;
    } else {
      return std::nullopt;
    }
    return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  }

  constexpr std::chrono::year_month_day ymd() const {
    return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days_}}};
  }
  constexpr int year() const { return static_cast<int>(ymd().year()); }
  constexpr unsigned month() const { return static_cast<unsigned>(ymd().month()); }
  constexpr unsigned day() const { return static_cast<unsigned>(ymd().day()); }
  /// Days since 1970-01-01.
  constexpr std::int32_t days_since_epoch() const { return days_; }
  /// 0 = Monday ... 6 = Sunday.
  constexpr unsigned iso_weekday_index() const {
    return (std::chrono::weekday{std::chrono::sys_days{std::chrono::days{days_}}}.iso_encoding()) - 1;
  }

  constexpr Date plus_days(std::int32_t n) const { return Date{days_ + n}; }
  /// The same day `n` years earlier ("12 months before"); 29 February gives 28 February.
  constexpr Date years_before(int n) const {
    const unsigned d = (month() == 2 && day() == 29) ? 28 : day();
    return *from_ymd(year() - n, month(), d);
  }
  /// Whole days from `earlier` to this date (negative when this date is earlier).
  constexpr std::int32_t days_since(Date earlier) const { return days_ - earlier.days_; }

  /// Whole years of age on `on` for someone born on this date.
  constexpr int age_on(Date on) const {
    int age = on.year() - year();
    if (on.month() < month() || (on.month() == month() && on.day() < day())) --age;
    return age;
  }

  std::string iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year() % 10000, month() % 100, day() % 100);
    return buf;
  }

  friend constexpr auto operator<=>(Date, Date) = default;
  friend constexpr bool operator==(Date, Date) = default;

private:
  constexpr explicit Date(std::int32_t days) : days_{days} {}
  std::int32_t days_ = 0;
};

/// The 31 August that starts the academic year containing `d` (a census in January 2025 belongs
/// to the academic year starting 1 September 2024, so this gives 2024-08-31).
constexpr Date academic_year_start_eve(Date d) {
  const int y = d.month() >= 9 ? d.year() : d.year() - 1;
  return *Date::from_ymd(y, 8, 31);
}

/// Easter Sunday of a year (the anonymous Gregorian algorithm): the spring and summer terms turn on it.
constexpr Date easter_sunday(int y) {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return *Date::from_ymd(y, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

/// A span of calendar days, both ends included.
struct DateSpan {
  Date from, to;
  constexpr bool contains(Date d) const { return from <= d && d <= to; }
};

/// The term a census's termly attendance reports, one term in arrears, as the
/// DfE's absence methodology gives it: a spring census the autumn term (1 August to 31 December), a
/// summer census the spring term (1 January to Easter Sunday), an autumn census the summer term
/// (Easter Monday to 31 July). `census_day` is the census reference date.
constexpr DateSpan termly_period(Term term, Date census_day) {
  const int y = academic_year_start_eve(census_day).year();
  switch (term) {
  case Term::SPR: return {*Date::from_ymd(y, 8, 1), *Date::from_ymd(y, 12, 31)};
  case Term::SUM: return {*Date::from_ymd(y + 1, 1, 1), easter_sunday(y + 1)};
  case Term::AUT: break;
  }
  return {easter_sunday(y).plus_days(1), *Date::from_ymd(y, 7, 31)};
}

/// The exclusions a census's termly exclusions module reports: two terms, one and two in arrears, since
/// the autumn 2019 census (before it, two in arrears only): a spring census the summer and autumn terms
/// (Easter Monday to 31 December), a summer census the autumn and spring terms (1 August to Easter
/// Sunday), an autumn census the spring and summer terms (1 January to 31 July). Sources: NCER's Nexus
/// exclusions methodology ("in each collection exclusion data is reported for 2 terms"); Arbor's summer
/// 2021 census "Exclusions Collection period: 01/08/2020 to 04/04/2021"; SIMS's spring 2020 census,
/// permanent exclusions started 22/04/2019 to 31/12/2019; ScholarPack's autumn 2022, 1 January to 31 July.
constexpr DateSpan exclusions_period(Term term, Date census_day) {
  const int y = academic_year_start_eve(census_day).year();
  const bool two_terms = census_day >= *Date::from_ymd(2019, 8, 1);
  switch (term) {
  case Term::SPR:
    return {easter_sunday(y).plus_days(1), two_terms ? *Date::from_ymd(y, 12, 31) : *Date::from_ymd(y, 7, 31)};
  case Term::SUM: return {*Date::from_ymd(y, 8, 1), two_terms ? easter_sunday(y + 1) : *Date::from_ymd(y, 12, 31)};
  case Term::AUT: break;
  }
  return {*Date::from_ymd(y, 1, 1), two_terms ? *Date::from_ymd(y, 7, 31) : easter_sunday(y)};
}

/// The academic year before the census's (1 September to 31 August): what a PRU's annual attendance
/// module (AnnualAttendance) reports.
constexpr DateSpan previous_academic_year(Date census_day) {
  const int y = academic_year_start_eve(census_day).year();
  return {*Date::from_ymd(y - 1, 9, 1), *Date::from_ymd(y, 8, 31)};
}

/// SDK 9.1: the exclusions year before the census's (1 August to 31 July: the census's exclusion terms
/// begin the autumn term on 1 August, see exclusions_period): what a PRU's AnnualExclusion module
/// reports. An exclusion on 20 August 2024 is of the 2024/25 year, in its autumn term.
constexpr DateSpan previous_exclusions_year(Date census_day) {
  const int y = academic_year_start_eve(census_day).year();
  return {*Date::from_ymd(y - 1, 8, 1), *Date::from_ymd(y, 7, 31)};
}

/// The date whose age decides whether a pupil's absence counts in the DfE's absence statistics: the
/// 31 August before the academic year the census's termly attendance belongs to. A spring or summer
/// census (January, May) reports the current year's autumn or spring term, an autumn census (October)
/// the previous year's summer term, so it is always the 31 August of the year before the census's own
/// (31 August 2024 for any census in 2025, 31 August 2023 for October 2024's).
constexpr Date absence_age_date(Date census_day) { return *Date::from_ymd(census_day.year() - 1, 8, 31); }

/// Of compulsory school age as the absence statistics count it: aged 5 to 15 on absence_age_date().
constexpr bool compulsory_school_age(int age_on_absence_date) {
  return age_on_absence_date >= 5 && age_on_absence_date <= 15;
}

} // namespace censusqa
