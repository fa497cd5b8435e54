// Dates, money, codes and UPNs: the SDK's value types.
#include <censusqa/censusqa.hpp>

#include <catch2/catch.hpp>

using namespace censusqa;

TEST_CASE("dates parse ISO and UK forms and refuse anything else") {
  CHECK(Date::parse("2025-01-16")->iso() == "2025-01-16");
  CHECK(Date::parse("16/01/2025") == Date::parse("2025-01-16"));
  for (const char* bad : {"31/02/2025", "2025-02-29", "2025-13-01", "2025-1-16", "16-01-2025", "", "2025-01-16T00:00",
                          "yesterday", "0000-01-01", "2025/01/16"}) {
    INFO(bad);
    CHECK_FALSE(Date::parse(bad));
  }
  CHECK(Date::parse("2024-02-29")); // leap year
  CHECK_FALSE(Date::parse("1900-02-29"));
  CHECK(Date::parse("2000-02-29"));
}

TEST_CASE("date arithmetic is in calendar days") {
  const Date d = *Date::parse("2024-02-28");
  CHECK(d.plus_days(1).iso() == "2024-02-29");
  CHECK(d.plus_days(2).iso() == "2024-03-01");
  CHECK(Date::parse("2025-06-05")->days_since(*Date::parse("2025-01-16")) == 140);
  CHECK(Date::parse("2025-01-16")->iso_weekday_index() == 3); // a Thursday
}

TEST_CASE("age on a date and the 31 August that starts the academic year") {
  const Date dob = *Date::parse("2016-08-31");
  CHECK(dob.age_on(*Date::parse("2024-08-30")) == 7);
  CHECK(dob.age_on(*Date::parse("2024-08-31")) == 8);
  CHECK(Date::parse("2016-02-29")->age_on(*Date::parse("2024-02-28")) == 7);
  CHECK(Date::parse("2016-02-29")->age_on(*Date::parse("2024-02-29")) == 8);
  CHECK(academic_year_start_eve(*Date::parse("2025-01-16")).iso() == "2024-08-31");
  CHECK(academic_year_start_eve(*Date::parse("2024-10-03")).iso() == "2024-08-31");
  CHECK(academic_year_start_eve(*Date::parse("2024-08-31")).iso() == "2023-08-31");
  CHECK(academic_year_start_eve(*Date::parse("2024-09-01")).iso() == "2024-08-31");
}

TEST_CASE("money parses LA finance formats into exact pence") {
  CHECK(parse_money("82267") == 8226700);
  CHECK(parse_money("82267.50") == 8226750);
  CHECK(parse_money("82267.5") == 8226750);
  CHECK(parse_money("82,267") == 8226700);
  CHECK(parse_money("-12666") == -1266600);
  CHECK(parse_money("(12,666)") == -1266600);
  CHECK(parse_money("\xC2\xA3"
                    "1,234.56") == 123456);
  CHECK(parse_money("1,204,880.00") == 120488000);
  CHECK(parse_money(" 0 ") == 0);
  for (const char* bad : {"1,2,3", "12,66", "1234,567", ",123", "1.234", "12.", "abc", "", "--5", "(-5)", "1e5",
                          "99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_money(bad));
  }
}

TEST_CASE("whole pounds round half away from zero") {
  CHECK(round_to_pounds(150) == 2);
  CHECK(round_to_pounds(149) == 1);
  CHECK(round_to_pounds(-150) == -2);
  CHECK(round_to_pounds(-149) == -1);
  CHECK(round_to_pounds(0) == 0);
}

TEST_CASE("codes are case-insensitive and FIXD reads as a suspension") {
  CHECK(parse_sen_provision("k") == SenProvision::K);
  CHECK_FALSE(parse_sen_provision("S"));
  CHECK(parse_need_type("slcn") == NeedType::SLCN);
  CHECK(parse_exclusion_category("FIXD") == ExclusionCategory::SUSP);
  CHECK(NcYear::parse("R")->expected_age() == 4);
  CHECK(NcYear::parse("11")->expected_age() == 15);
  CHECK(NcYear::parse("N1")->expected_age() == 2);
  CHECK_FALSE(NcYear::parse("X")->expected_age());
  CHECK_FALSE(NcYear::parse("15"));
  CHECK_FALSE(NcYear::parse("0"));
  CHECK(broad_area(NeedType::ASD) == BroadArea::CommunicationInteraction);
  CHECK(broad_area(NeedType::PMLD) == BroadArea::CognitionLearning);
}

TEST_CASE("the same day N years earlier, with 29 February falling back to 28 February") {
  CHECK(Date::parse("2025-01-16")->years_before(1).iso() == "2024-01-16");
  CHECK(Date::parse("2024-02-29")->years_before(1).iso() == "2023-02-28");
  CHECK(Date::parse("2024-02-29")->years_before(4).iso() == "2020-02-28"); // a fixed rule, not "leap day if any"
  CHECK(Date::parse("2024-03-31")->years_before(3).iso() == "2021-03-31");
}

TEST_CASE("money arithmetic is checked: a sum that would not fit is refused, not wrapped") {
  CHECK(checked_add(1, 2) == 3);
  CHECK(checked_add(-5, 2) == -3);
  CHECK_FALSE(checked_add(INT64_MAX, 1));
  CHECK_FALSE(checked_add(INT64_MIN, -1));
  CHECK(checked_sub(INT64_MIN + 1, 1) == INT64_MIN);
  CHECK_FALSE(checked_sub(INT64_MIN, 1));
  CHECK_FALSE(checked_sub(0, INT64_MIN));
  CHECK(checked_mul(max_school_amount, 10000) == max_school_amount * 10000);
  CHECK_FALSE(checked_mul(INT64_MAX / 2, 3));
}
