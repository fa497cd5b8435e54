// The Overview's headline: plain sentences from the indicator rows as shown (report/headline.hpp).
#include "report/headline.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::report;

namespace {
HeadlineRow row(std::string label, double school, double comparator, std::string flag, bool rate = false) {
  HeadlineRow r;
  r.label = std::move(label);
  r.school = school;
  r.comparator = comparator;
  r.comparator_name = "similar schools";
  r.flag = std::move(flag);
  r.rate = rate;
  return r;
}
} // namespace

TEST_CASE("headline: no difference is one sentence, then the data to fix") {
  HeadlineFacts f;
  f.rows = {row("SEN support", 12.0, 12.5, "in line"), row("EHC plan", 2.0, 2.1, "in line")};
  f.errors = 3;
  f.queries = 1;
  f.deadline = Date::parse("2025-02-14");
  f.contact = "Census team, census@la888.example";
  CHECK(headline(f) ==
        std::vector<std::string>{
            "No indicator differs markedly from its comparator: every compared figure is in line.",
            "3 errors and 1 query for the school to answer are listed on the Data to fix sheet; please reply there by "
            "Friday 14 February 2025 (questions: Census team, census@la888.example)."});
}

TEST_CASE("headline: the strongest differences first, with the figures and how far") {
  HeadlineFacts f;
  f.rows = {row("SEN support", 18.2, 12.0, "above"), row("EHC plan", 0.5, 3.0, "well below"),
            row("Suspensions per 100 pupils", 12.3, 5.1, "well above", true),
            row("Eligible for free school meals", 30.0, 29.0, "in line")};
  // Both "well": the larger difference relative to the comparator first (7.2 on 5.1, then 2.5 on 3.0).
  CHECK(headline(f) == std::vector<std::string>{
                           "Suspensions per 100 pupils is well above similar schools: 12.3 against 5.1, 7.2 more per "
                           "100 pupils.",
                           "EHC plan is well below similar schools: 0.5% against 3.0%, 2.5 percentage points lower.",
                           "SEN support is above similar schools: 18.2% against 12.0%, 6.2 percentage points higher.",
                           "There is no data to fix: the census data has no open error or query for this school."});
}

TEST_CASE("headline: small numbers never make a headline, at most three, then how many more") {
  HeadlineFacts f;
  HeadlineRow small = row("Permanent exclusions per 100 pupils", 1.5, 0.1, "well above", true);
  small.small_number = true;
  f.rows = {small};
  CHECK(headline(f).front() == "No indicator is compared with a group of other schools in this run.");
  for (int i = 0; i < 5; ++i)
    f.rows.push_back(row("Indicator " + std::to_string(i), 20.0 + i, 10.0, "above"));
  f.queries = 2;
  const auto h = headline(f);
  REQUIRE(h.size() == 5);
  CHECK(h[0].rfind("Indicator 4 is above", 0) == 0); // the largest relative difference first
  CHECK(h[3] == "2 other indicators also differ: see the table below.");
  CHECK(h[4] == "0 errors and 2 queries for the school to answer are listed on the Data to fix sheet; please reply "
                "there and return the workbook to the LA.");
  for (const auto& s : h)
    CHECK(s.find("Permanent exclusions") == std::string::npos);
}

TEST_CASE("headline rows: read from the Overview's table by its headers") {
  using book::Cell;
  book::Table t;
  t.columns = {{"Indicator"},
               {"This school"},
               {"Number"},
               {"Out of"},
               {"LA (same phase)"},
               {"Similar schools (same phase only)"},
               {"England"},
               {"Compared with similar schools"},
               {"Note"}};
  t.rows.push_back({Cell::text("Pupils on roll"), Cell::integer(300), Cell::blank(), Cell::blank(),
                    Cell::number(250.0, book::Kind::decimal1), Cell::number(260.0, book::Kind::decimal1), Cell::none(),
                    Cell::blank(), Cell::text("Groups: average per school")});
  t.rows.push_back({Cell::text("SEN support"), Cell::percent(18.2), Cell::integer(55), Cell::integer(300),
                    Cell::percent(12.5), Cell::percent(12.0), Cell::none(), Cell::flag("above"), Cell::text("")});
  t.rows.push_back({Cell::text("Permanent exclusions per 100 pupils"), Cell::number(1.0, book::Kind::decimal1),
                    Cell::integer(3), Cell::integer(300), Cell::number(0.1, book::Kind::decimal1),
                    Cell::number(0.1, book::Kind::decimal1), Cell::none(), Cell::flag("in line"),
                    Cell::text("Small number: not flagged")});
  const auto rows = headline_rows(t);
  REQUIRE(rows.size() == 2); // the count has no percentage to compare
  CHECK(rows[0].label == "SEN support");
  CHECK(rows[0].school == 18.2);
  CHECK(rows[0].comparator == 12.0);
  CHECK(rows[0].comparator_name == "similar schools");
  CHECK(rows[0].flag == "above");
  CHECK_FALSE(rows[0].rate);
  CHECK(rows[1].rate);
  CHECK(rows[1].small_number);
}
