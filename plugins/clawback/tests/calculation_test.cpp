// The A-K calculation on the cases the Schools Forum annex must get right, and the annex totals.
#include "../rules/rules.hpp"
#include "finance_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace cb = censusqa::clawback;

namespace {
cb::Calculation of(const Dataset& d, const std::string& laestab, bool with_pending = false, PluginConfig config = {}) {
  for (const auto& s : cb::schools_in_scope(d, Date::parse("2024-03-31")))
    if (s.school->laestab == laestab) return cb::calculate(s, cb::read_scheme(testkit::as_configured(config)), with_pending);
  FAIL("school not in scope: " << laestab);
  return {};
}
} // namespace

TEST_CASE("the sample LA's primary: A-K by hand, in pence") {
  // Meadow Lane Primary (spec/sample-la): A 142,310.55, B 18,204.10, F 1,204,880.00; commitments 20,000
  // (capital project) and a pending 6,500 'other'.
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "142,310.55", "18,204.10", "1,204,880.00")
                     .commitment("8881001", "capital_project", "20,000")
                     .commitment("8881001", "other", "6,500")
                     .build();
  const auto c = of(d, "8881001");
  CHECK(c.C == 12410645); // 142,310.55 - 18,204.10 = 124,106.45
  CHECK(c.D == 2000000);  // the pending request is not counted
  CHECK(c.E == 10410645);
  CHECK(c.G == 9639040);                     // 8% of 1,204,880.00 = 96,390.40
  CHECK(c.I == 9639040);                     // above the 25,000 floor
  CHECK(c.J == 771605);                      // 104,106.45 - 96,390.40 = 7,716.05
  CHECK(c.K == 2000000);                     // J > 0, so K = D
  CHECK(of(d, "8881001", true).J == 121605); // approved, the request brings J down to 1,216.05
  CHECK(cb::pounds(c.J) == "\xC2\xA3"
                           "7,716");
}

TEST_CASE("the floor binds for a small budget share, and a nursery may have none") {
  const auto d = FinanceBuilder{}
                     .school("8881002", Phase::primary)
                     .balance("8881002", "40,000", "0", "200,000")
                     .school("8881003", Phase::nursery)
                     .balance("8881003", "30,000", "0", "0")
                     .build();
  const auto small = of(d, "8881002");
  CHECK(small.G == 1600000); // 8% of 200,000 = 16,000
  CHECK(small.I == 2500000); // the 25,000 floor binds
  CHECK(small.J == 1500000);
  const auto nursery = of(d, "8881003");
  CHECK(nursery.G == 0);
  CHECK(nursery.I == 2500000);
  CHECK(nursery.J == 500000);
}

TEST_CASE("commitments alone keep a school below the maximum: J = 0, K > 0") {
  const auto d = FinanceBuilder{}
                     .school("8881004", Phase::primary)
                     .balance("8881004", "150,000", "10,000", "1,000,000")
                     .commitment("8881004", "redundancy", "70,000")
                     .build();
  const auto c = of(d, "8881004"); // C 140,000, I 80,000: without commitments J would be 60,000
  CHECK(c.J == 0);
  CHECK(c.K == 6000000); // 140,000 - 80,000: the part of D that kept the school out of clawback
}

TEST_CASE("secondary at 5% against primary at 8%, and a configured scheme") {
  const auto d = FinanceBuilder{}
                     .school("8884001", Phase::secondary)
                     .balance("8884001", "400,000", "0", "5,000,000")
                     .school("8882001", Phase::primary)
                     .balance("8882001", "400,000", "0", "5,000,000")
                     .build();
  CHECK(of(d, "8884001").I == 25000000); // 5%
  CHECK(of(d, "8884001").J == 15000000);
  CHECK(of(d, "8882001").I == 40000000); // 8%
  CHECK(of(d, "8882001").J == 0);
  const PluginConfig twelve(
      "clawback", ConfigValue(ConfigValue::Object{{"percent", ConfigValue::Object{{"secondary", 12}, {"primary", 7.5}}},
                                                  {"floor", 10000}}));
  CHECK(of(d, "8884001", false, twelve).I == 60000000);
  CHECK(of(d, "8882001", false, twelve).I == 37500000);
  const PluginConfig bad("clawback", ConfigValue(ConfigValue::Object{{"percent", ConfigValue::Object{{"infant", 8}}}}));
  CHECK_THROWS_WITH(cb::read_scheme(bad), Catch::Contains("unknown phase \"infant\""));
}

TEST_CASE("rounding to whole pounds is half away from zero, percentages round half up in pence") {
  CHECK(cb::pounds(150) == "\xC2\xA3"
                           "2");
  CHECK(cb::pounds(-150) == "-\xC2\xA3"
                            "2");
  CHECK(cb::pounds(123456789) == "\xC2\xA3"
                                 "1,234,568");
  // 8% of 0.05 is 0.4p, rounded to 0p; 8% of 0.07 is 0.56p, rounded to 1p.
  CHECK(cb::calculate(0, 0, 5, 0, 800, 0).G == 0);
  CHECK(cb::calculate(0, 0, 7, 0, 800, 0).G == 1);
}

TEST_CASE("academies: excluded when converted on or before the year end, included when after") {
  const auto d = FinanceBuilder{}
                     .school("8884001", Phase::secondary, Governance::academy, "2024-03-31")
                     .school("8884002", Phase::secondary, Governance::academy, "2024-04-01")
                     .school("8884003", Phase::secondary, Governance::academy)
                     .build();
  std::vector<std::string> in;
  for (const auto& s : cb::schools_in_scope(d, Date::parse("2024-03-31")))
    in.push_back(s.school->laestab);
  CHECK(in == std::vector<std::string>{"8884002"});
}

TEST_CASE("annex: group and LA totals equal the sums of their whole-pound rows") {
  const auto d = FinanceBuilder{}
                     .school("8881001", Phase::primary)
                     .balance("8881001", "100,000.50", "0", "1,000,000.49")
                     .school("8881002", Phase::primary)
                     .balance("8881002", "50,000.50", "1,000.50", "300,000.50")
                     .school("8884001", Phase::secondary)
                     .balance("8884001", "(12,666)", "4,120", "1,050,000")
                     .commitment("8881001", "other", "5,000", "", "2024-03-12", "Minibus")
                     .build();
  const auto metrics = run_metrics(cb::annex_metrics, d, year_end_2024());
  const auto& rows = metrics.la_values.at("clawback").as_array();
  REQUIRE(rows.size() == 3);
  const auto& summary = metrics.la_values.at("clawback_summary");
  for (const char* letter : {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"}) {
    std::int64_t sum = 0, primary = 0;
    for (const auto& r : rows) {
      sum += r.find(letter)->as_int();
      if (r.find("phase_group")->as_string() == "primary") primary += r.find(letter)->as_int();
    }
    INFO(letter);
    CHECK(summary.find("la_total")->find(letter)->as_int() == sum);
    CHECK(summary.find("groups")->as_array()[0].find(letter)->as_int() == primary);
  }
  CHECK(rows[0].find("A")->as_int() == 100001); // 100,000.50 rounds half away from zero
  const auto& requests = metrics.la_values.at("clawback_requests").as_array();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].find("decision")->as_string() == "pending");
  CHECK(requests[0].find("J_if_rejected")->as_int() == 20000); // C 100,000.50 - I 80,000.04
  CHECK(requests[0].find("J_if_approved")->as_int() == 15000);
}

TEST_CASE("annex: every register school it leaves out is listed with the reason") {
  auto d = FinanceBuilder{}
               .school("8881001", Phase::primary)
               .balance("8881001", "100,000", "0", "1,000,000")
               .school("8881002", Phase::primary)
               .school("8881003", Phase::primary)
               .balance("8881003", "50,000", "", "300,000")
               .school("8884001", Phase::secondary, Governance::academy, "2023-09-01")
               .school("8884002", Phase::secondary, Governance::academy)
               .build();
  d.schools[1].governance.reset(); // 8881002: no governance in the register
  const auto metrics = run_metrics(cb::annex_metrics, d, year_end_2024());
  REQUIRE(metrics.la_values.at("clawback").as_array().size() == 1);
  std::vector<std::pair<std::string, std::string>> left_out;
  for (const auto& v : metrics.la_values.at("clawback_left_out").as_array())
    left_out.emplace_back(v.find("laestab")->as_string(), v.find("reason")->as_string());
  CHECK(left_out == std::vector<std::pair<std::string, std::string>>{
                        {"8881002", "the register gives no phase or governance, so the scheme cannot be applied"},
                        {"8884001", "an academy at the financial year end (converted 2023-09-01): the LA's scheme for "
                                    "financing schools does not apply"},
                        {"8884002", "an academy at the financial year end: the LA's scheme for financing schools does "
                                    "not apply"},
                        {"8881003", "maintained, but its year-end balances cannot be used: the total, capital balance "
                                    "or budget share is missing or unreadable, or the budget share is not above zero "
                                    "(CB001)"}});
}

TEST_CASE("the calculation's arithmetic is checked: an overflow stops it with the reason, never wraps") {
  CHECK_THROWS_AS(cb::calculate(INT64_MAX, -1, 0, 0, 800, 0), std::overflow_error);
  CHECK_THROWS_AS(cb::calculate(0, 0, INT64_MAX / 100, 0, 800, 0), std::overflow_error);
  CHECK_THROWS_AS(cb::calculate(INT64_MIN + 1, 0, 0, 2, 800, 0), std::overflow_error);
  // At the loader's limit, every step fits.
  const auto c = cb::calculate(max_school_amount, -max_school_amount, max_school_amount, -max_school_amount, 10000,
                               max_school_amount);
  CHECK(c.C == 2 * max_school_amount);
  CHECK(c.E == 3 * max_school_amount);
}
