// CB006: see rules/cb006_ignored_row.cpp.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::clawback::cb006_ignored_row;

TEST_CASE("CB006 is silent for rows of maintained schools") {
  CHECK(run_rule(cb006_ignored_row,
                 FinanceBuilder{}.school("8881001", Phase::primary).balance("8881001", "1", "0", "1").build(),
                 year_end_2024())
            .findings.empty());
}

TEST_CASE("CB006 notes rows for an academy and for an unknown school") {
  const auto d = FinanceBuilder{}
                     .school("8884001", Phase::secondary, Governance::academy, "2015-09-01")
                     .balance("8884001", "1", "0", "1")
                     .balance("8889999", "1", "0", "1")
                     .build();
  const auto s = run_rule(cb006_ignored_row, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CB006 8884001", "CB006 8889999"});
  CHECK(s.findings[0].message == "Balances row ignored: 8884001 is an academy (converted 2015-09-01)");
  CHECK(s.findings[1].message == "Balances row ignored: 8889999 is not in the register");
}

TEST_CASE("CB006 edge: an academy that converted after the year end is still in the scheme") {
  const auto d = FinanceBuilder{}
                     .school("8884001", Phase::secondary, Governance::academy, "2024-04-01")
                     .balance("8884001", "1", "0", "1")
                     .build();
  CHECK(run_rule(cb006_ignored_row, d, year_end_2024()).findings.empty());
}

TEST_CASE("CB006 edge: a row with no LAEstab is named by its line, not by an empty school") {
  const auto d =
      FinanceBuilder{}.school("8884001", Phase::secondary, Governance::maintained).balance("", "1", "0", "1").build();
  const auto s = run_rule(cb006_ignored_row, d, year_end_2024());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].laestab.empty());
  CHECK(s.findings[0].message.find("has no LAEstab") != std::string::npos);
}

TEST_CASE("CB006: another year's row and a second row are left out, naming the row used; commitments of no school") {
  auto d = FinanceBuilder{}
               .school("8881001", Phase::primary)
               .balance("8881001", "90,000", "0", "100,000") // line 2: made the year before, below
               .balance("8881001", "1", "0", "1")            // line 3: the year's, used
               .balance("8881001", "75,000", "0", "100,000") // line 4: a second row for the year
               .commitment("8889999", "capital", "100")
               .commitment("8889999", "capital", "200")
               .build();
  d.balances[0].financial_year_end = Date::parse("2023-03-31");
  const auto scope = clawback::schools_in_scope(d, Date::parse("2024-03-31"));
  REQUIRE(scope.size() == 1);
  CHECK(scope[0].balance == &d.balances[1]); // not the first row, which is another year's
  const auto s = run_rule(cb006_ignored_row, d, year_end_2024());
  REQUIRE(codes_and_subjects(s) ==
          std::vector<std::string>{"CB006 8881001.line2", "CB006 8881001.line4", "CB006 8889999.commitments"});
  CHECK(s.findings[0].message ==
        "Balances row ignored: it is for the financial year ending 2023-03-31, and the clawback is for the year "
        "ending 2024-03-31");
  CHECK(s.findings[1].message ==
        "Balances row ignored: 8881001 has an earlier row for the year (line 3), which is used");
  CHECK(s.findings[2].message == "Commitments of 8889999 ignored: it is not in the register");
}
