// The SDK's school-age and absence helpers (censusqa/school_age.hpp), at every boundary: birthdays on
// and either side of the prescribed days, 29 February, the last Friday in June, 31 August.
#include <censusqa/school_age.hpp>

#include <catch2/catch.hpp>

using namespace censusqa;

namespace {
Date d(std::string_view iso) { return *Date::parse(iso); }
} // namespace

TEST_CASE("school_age: the school leaving date is the last Friday in June") {
  CHECK(school_leaving_date(2023) == d("2023-06-30")); // 30 June is the Friday
  CHECK(school_leaving_date(2024) == d("2024-06-28"));
  CHECK(school_leaving_date(2025) == d("2025-06-27")); // 30 June is a Monday
  CHECK(school_leaving_date(2026) == d("2026-06-26"));
  static_assert(school_leaving_date(2024) == *Date::from_ymd(2024, 6, 28));
}

TEST_CASE("school_age: compulsory school age starts on the prescribed day on or after the fifth birthday") {
  CHECK(compulsory_school_age_start(d("2019-02-10")) == d("2024-03-31")); // IPSEA's example
  CHECK(compulsory_school_age_start(d("2019-12-31")) == d("2024-12-31")); // fifth birthday on a prescribed day
  CHECK(compulsory_school_age_start(d("2020-01-01")) == d("2025-03-31"));
  CHECK(compulsory_school_age_start(d("2020-03-31")) == d("2025-03-31"));
  CHECK(compulsory_school_age_start(d("2020-04-01")) == d("2025-08-31"));
  CHECK(compulsory_school_age_start(d("2020-08-31")) == d("2025-08-31"));
  CHECK(compulsory_school_age_start(d("2020-09-01")) == d("2025-12-31"));
  CHECK(compulsory_school_age_start(d("2020-02-29")) == d("2025-03-31")); // turns 5 on 1 March 2025
  CHECK_FALSE(is_compulsory_school_age(d("2020-04-01"), d("2025-08-30")));
  CHECK(is_compulsory_school_age(d("2020-04-01"), d("2025-08-31")));
  CHECK_FALSE(is_compulsory_school_age(d("2020-02-29"), d("2025-03-30")));
  CHECK(is_compulsory_school_age(d("2020-02-29"), d("2025-03-31")));
}

TEST_CASE("school_age: compulsory school age ends on the school leaving date of the school year of the 16th "
          "birthday") {
  CHECK(compulsory_school_age_end(d("2007-09-23")) == d("2024-06-28")); // IPSEA's example
  CHECK(compulsory_school_age_end(d("2007-09-01")) == d("2024-06-28")); // first day of the school year
  CHECK(compulsory_school_age_end(d("2008-06-28")) == d("2024-06-28")); // turns 16 on the leaving date
  CHECK(compulsory_school_age_end(d("2008-06-29")) == d("2024-06-28")); // turns 16 after it, before September
  CHECK(compulsory_school_age_end(d("2008-08-31")) == d("2024-06-28"));
  CHECK(compulsory_school_age_end(d("2008-09-01")) == d("2025-06-27")); // the next school year
  CHECK(compulsory_school_age_end(d("2008-02-29")) == d("2024-06-28"));
  CHECK(is_compulsory_school_age(d("2008-08-31"), d("2024-06-28")));
  CHECK_FALSE(is_compulsory_school_age(d("2008-08-31"), d("2024-06-29")));
  CHECK(is_compulsory_school_age(d("2008-09-01"), d("2025-06-27")));
  CHECK_FALSE(is_compulsory_school_age(d("2008-09-01"), d("2025-06-28")));
}

TEST_CASE("school_age: age at the start of the school year and the year group it gives") {
  // A census on 16 January 2025: ages on 31 August 2024.
  const Date census = d("2025-01-16");
  CHECK(age_at_start_of_school_year(d("2020-08-31"), census) == 4);
  CHECK(age_at_start_of_school_year(d("2020-09-01"), census) == 3);
  CHECK(age_at_start_of_school_year(d("2016-02-29"), census) == 8);
  CHECK(expected_nc_year(d("2020-08-31"), census)->value() == 0);  // Reception
  CHECK(expected_nc_year(d("2020-09-01"), census)->value() == -1); // N2
  CHECK(expected_nc_year(d("2009-08-31"), census)->value() == 11);
  CHECK(expected_nc_year(d("2009-09-01"), census)->value() == 10);
  CHECK(expected_nc_year(d("2024-08-31"), census)->value() == -4); // E1: born by the 31 August
  CHECK_FALSE(expected_nc_year(d("2024-09-01"), census));          // not yet born on it
  CHECK(expected_nc_year(d("2006-01-01"), census)->value() == 14);
  CHECK_FALSE(expected_nc_year(d("2005-08-31"), census)); // 19: beyond year 14
  // The school year turns on 1 September.
  CHECK(expected_nc_year(d("2020-08-31"), d("2025-08-31"))->value() == 0);
  CHECK(expected_nc_year(d("2020-08-31"), d("2025-09-01"))->value() == 1);
}

TEST_CASE("school_age: absence rate as the DfE publishes it, beside persistent absence") {
  const TermlyAbsence exactly_10{100, 6, 4}, under{100, 5, 4}, none{300, 0, 0};
  CHECK(absence_rate(exactly_10) == Approx(10.0));
  CHECK(exactly_10.persistent());
  CHECK(absence_rate(under) == Approx(9.0));
  CHECK_FALSE(under.persistent());
  CHECK(absence_rate(TermlyAbsence{}) == 0.0);
  // A group's rate is all sessions missed over all possible: 10 of 400, not the mean of 10% and 0%.
  const TermlyAbsence group[] = {exactly_10, none};
  CHECK(absence_rate(group) == Approx(2.5));
}
