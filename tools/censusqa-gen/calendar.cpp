// censusqa-gen: the school year the generated schools keep (term dates and holidays, invented but
// close to an English LA's), and which part of it each census return covers.
#include "generator.hpp"

namespace censusqa::gen {

namespace {
Date ymd(int y, unsigned m, unsigned d) { return *Date::from_ymd(y, m, d); }
// The n-th (1-based) given weekday (0 = Monday) of a month.
Date nth_weekday(int y, unsigned m, unsigned weekday, int n) {
  Date d = ymd(y, m, 1);
  while (d.iso_weekday_index() != weekday)
    d = d.plus_days(1);
  return d.plus_days(7 * (n - 1));
}
} // namespace

// Easter Sunday (the anonymous Gregorian algorithm).
Date Generator::easter_sunday(int y) {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return ymd(y, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

// The spring term ends before Easter, and no later than 4 April (a late Easter puts the break before it).
Date Generator::spring_term_end(int y) const { return std::min(easter_sunday(y).plus_days(-3), ymd(y, 4, 4)); }

// The summer term starts after a break of about two and a half weeks, not before Easter Monday.
Date Generator::summer_term_start(int y) const {
  return std::max(spring_term_end(y).plus_days(18), easter_sunday(y).plus_days(1));
}

Date Generator::may_half_term(int y) const { return nth_weekday(y, 6, 0, 1).plus_days(-7); } // last Monday of May

// School holidays of the previous and the current academic year (the autumn return covers the summer
// term before it): half terms, Christmas, Easter, the May bank holiday and the summer.
std::vector<std::pair<Date, Date>> Generator::make_holidays() const {
  std::vector<std::pair<Date, Date>> out;
  const int y = academic_year_start_eve(opt_.reference_date).year();
  for (int a = y - 1; a <= y; ++a) {
    out.emplace_back(ymd(a, 10, 28), ymd(a, 11, 1));
    out.emplace_back(ymd(a, 12, 21), ymd(a + 1, 1, 5));
    out.emplace_back(ymd(a + 1, 2, 17), ymd(a + 1, 2, 21));
    out.emplace_back(spring_term_end(a + 1).plus_days(1), summer_term_start(a + 1).plus_days(-1));
    const Date may_day = nth_weekday(a + 1, 5, 0, 1);
    out.emplace_back(may_day, may_day);
    out.emplace_back(may_half_term(a + 1), may_half_term(a + 1).plus_days(4));
    out.emplace_back(ymd(a + 1, 7, 23), ymd(a + 1, 9, 3));
  }
  return out;
}

bool Generator::school_day(Date d) const {
  if (d.iso_weekday_index() >= 5) return false;
  return std::none_of(hols_.begin(), hols_.end(), [&](const auto& h) { return d >= h.first && d <= h.second; });
}

int Generator::school_days(Date from, Date to) const {
  int n = 0;
  for (Date d = from; d <= to; d = d.plus_days(1))
    n += school_day(d);
  return n;
}

// A school day in the span (or its first day when it has none).
Date Generator::random_school_day(Span s, Random& r) const {
  const int days = std::max(0, s.to.days_since(s.from));
  for (int tries = 0; tries < 20; ++tries) {
    const Date d = s.from.plus_days(r.between(0, days));
    if (school_day(d)) return d;
  }
  return s.from;
}

// One draw whatever the gap, so that a stream's later draws never depend on the dates given.
Date Generator::random_date_between(Date after, Date before, Random& r) const {
  const int gap = before.days_since(after);
  const double x = r.uniform();
  if (gap < 2) return after.plus_days(gap > 0 ? 1 : 0);
  return after.plus_days(1 + static_cast<int>(x * (gap - 1)));
}

// The term before the census: spring census, the autumn term; summer census, the spring term; autumn
// census, the first half of the summer term before it (the second half is SummerHalfTerm2Attendance).
Generator::Span Generator::termly_span() const {
  const Date ref = opt_.reference_date;
  const int y = academic_year_start_eve(ref).year();
  if (opt_.term == "SPR") return {ymd(y, 9, 4), ymd(y, 12, 20)};
  if (opt_.term == "SUM") return {ymd(y + 1, 1, 6), spring_term_end(y + 1)};
  return {summer_term_start(y), may_half_term(y).plus_days(-3)};
}

Generator::Span Generator::summer2_span() const {
  const int y = academic_year_start_eve(opt_.reference_date).year();
  return {may_half_term(y).plus_days(7), ymd(y, 7, 22)};
}

// The generated exclusions fall in the school days of the term the return covers.
Generator::Span Generator::exclusion_term() const {
  const int y = academic_year_start_eve(opt_.reference_date).year();
  if (opt_.term == "AUT") return {summer_term_start(y), ymd(y, 7, 22)};
  return termly_span();
}

// What CI018 accepts (censusqa::exclusions_period): the two terms before the census.
Generator::Span Generator::exclusion_window() const {
  const DateSpan w = exclusions_period(*parse_term(opt_.term), opt_.reference_date);
  return {w.from, w.to};
}

// Census days: the first Thursday of October, the third Thursday of January and of May.
Date Generator::previous_census() const {
  const Date ref = opt_.reference_date;
  const int y = academic_year_start_eve(ref).year();
  Date prev = opt_.term == "SPR"   ? nth_weekday(y, 10, 3, 1)
              : opt_.term == "SUM" ? nth_weekday(y + 1, 1, 3, 3)
                                   : nth_weekday(y, 5, 3, 3);
  if (prev >= ref.plus_days(-30)) prev = ref.plus_days(-100); // a reference date off the usual calendar
  return prev;
}

Date Generator::sixth_school_day(Date from, int n) const {
  int count = 0;
  for (Date d = from;; d = d.plus_days(1))
    if (school_day(d) && ++count == n) return d;
}

} // namespace censusqa::gen
