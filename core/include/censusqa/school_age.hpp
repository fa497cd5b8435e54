// censusqa SDK: school age and absence, defined once so that every plugin counts them the same way.
//
//   #include <censusqa/school_age.hpp>
//
// Compulsory school age (the law, for a rule about a child's duty to be in education):
//  - Education Act 1996 s8(2): a child begins to be of compulsory school age on the fifth birthday if
//    it falls on a prescribed day, otherwise at the beginning of the next prescribed day; the
//    Education (Start of Compulsory School Age) Order 1998 prescribes 31 March, 31 August and
//    31 December. (IPSEA: born so as to turn 5 on 10 February 2024, compulsory school age from
//    31 March 2024.)
//  - s8(3) and the Education (School Leaving Date) Order 1997: a child ceases to be of compulsory
//    school age at the end of the school leaving date, the last Friday in June, of the school year in
//    which they turn 16 (including a child who turns 16 in July or August, after that Friday).
//    (IPSEA: born 23 September 2007, compulsory school age ends 28 June 2024.)
//  The school year is taken as 1 September to 31 August, as the DfE's year groups take it (the Act's
//  school year starts with the first term after July, which varies by a few days between LAs).
//
// Not to be confused with the absence statistics' cohort (compulsory_school_age() in date.hpp: aged
// 5 to 15 on the 31 August before the school year), which Dataset::termly_absence() uses because the
// DfE's absence figures use it.
//
// Absence: Dataset::termly_absence() gives a pupil's absence as the DfE counts it, and
// TermlyAbsence::persistent() is the DfE's persistent absence (10% or more of possible sessions
// missed); absence_rate() below is the rate those figures publish. Use these rather than a definition
// of your own.
#pragma once

#include <censusqa/codes.hpp>
#include <censusqa/dataset.hpp>
#include <censusqa/date.hpp>

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace censusqa {

/// The school leaving date of a calendar year: its last Friday in June.
constexpr Date school_leaving_date(int year) {
  const Date june_30 = *Date::from_ymd(year, 6, 30);
  constexpr unsigned friday = 4; // Date::iso_weekday_index: 0 = Monday
  return june_30.plus_days(-static_cast<std::int32_t>((june_30.iso_weekday_index() + 7 - friday) % 7));
}

/// The first day of compulsory school age for a child born on `dob`: the fifth birthday when it is
/// 31 March, 31 August or 31 December, otherwise the first of those days after it. A child born on
/// 29 February turns 5 on 1 March (Date::age_on), which changes nothing here: 31 March follows either.
constexpr Date compulsory_school_age_start(Date dob) {
  // The prescribed day of the fifth birthday's calendar year on or after it: each closes a month.
  const int y = dob.year() + 5;
  if (dob.month() <= 3) return *Date::from_ymd(y, 3, 31);
  if (dob.month() <= 8) return *Date::from_ymd(y, 8, 31);
  return *Date::from_ymd(y, 12, 31);
}

/// The last day of compulsory school age for a child born on `dob` (they are of compulsory school age
/// until the end of it): the school leaving date of the school year (1 September to 31 August) in which
/// they turn 16.
constexpr Date compulsory_school_age_end(Date dob) {
  const int turns_16 = dob.year() + 16;
  return school_leaving_date(dob.month() >= 9 ? turns_16 + 1 : turns_16);
}

/// Whether a child born on `dob` is of compulsory school age on `on` (both ends included).
constexpr bool is_compulsory_school_age(Date dob, Date on) {
  return compulsory_school_age_start(dob) <= on && on <= compulsory_school_age_end(dob);
}

/// Age on the 31 August before the school year that contains `day`: the age that decides a pupil's
/// year group and the absence statistics' cohort (a census on 16 January 2025 gives the age on
/// 31 August 2024).
constexpr int age_at_start_of_school_year(Date dob, Date day) { return dob.age_on(academic_year_start_eve(day)); }

/// The national curriculum year a child born on `dob` is in, by age, in the school year containing
/// `day`: Reception at 4 on the 31 August, year 1 at 5, ..., year 11 at 15, year 14 at 18 (E1 at 0 to
/// N2 at 3 before Reception); nothing outside E1 to year 14. A pupil taught out of their year group is
/// compared with this; NcYear::expected_age is the other direction.
inline std::optional<NcYear> expected_nc_year(Date dob, Date day) {
  static constexpr std::array<std::string_view, 19> codes = {"E1", "E2", "N1", "N2", "R",  "1",  "2",  "3",  "4", "5",
                                                             "6",  "7",  "8",  "9",  "10", "11", "12", "13", "14"};
  const int age = age_at_start_of_school_year(dob, day);
  if (age < 0 || age >= static_cast<int>(codes.size())) return std::nullopt;
  return NcYear::parse(codes[static_cast<std::size_t>(age)]);
}

/// The absence rate the DfE publishes, in percent: sessions missed (authorised and unauthorised) over
/// sessions possible. 0 when nothing was possible (Dataset::termly_absence never gives that).
constexpr double absence_rate(const TermlyAbsence& a) {
  return a.possible > 0 ? 100.0 * static_cast<double>(a.missed()) / static_cast<double>(a.possible) : 0.0;
}

/// The overall absence rate of a group of pupils (a school, a year group), in percent: all their sessions
/// missed over all their sessions possible, as the DfE aggregates it (not the mean of the pupils' rates).
constexpr double absence_rate(std::span<const TermlyAbsence> pupils) {
  TermlyAbsence total;
  for (const TermlyAbsence& a : pupils) {
    total.possible += a.possible;
    total.authorised += a.authorised;
    total.unauthorised += a.unauthorised;
  }
  return absence_rate(total);
}

} // namespace censusqa
