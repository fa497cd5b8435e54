// The plugin's rule list: every rule is named after the DfE rule it makes, declares it, and has the
// texts a reader needs; codes unique; the groups in order.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace censusqa;
using namespace censusqa::dfe_census;

TEST_CASE("dfe-census rules are named after their DfE rule and have complete metadata") {
  std::set<std::string_view> codes;
  std::size_t count = 0;
  for (auto group : {identity_rules(), status_rules(), nc_year_rules(), sen_rules(), exclusion_rules(), fsm_rules(),
                     attendance_rules(), ap_rules(), term_on_term_rules()})
    for (const Rule& r : group) {
      const RuleInfo& i = *r.info;
      INFO(i.code);
      ++count;
      CHECK(codes.insert(i.code).second);
      CHECK(is_valid_rule_code(i.code));
      REQUIRE_FALSE(i.dfe_rule.empty());
      std::string first;
      for_each_dfe_rule(i.dfe_rule, [&](std::string_view id) {
        CHECK(is_valid_dfe_rule(id));
        if (first.empty()) first = std::string(id);
      });
      // DFE and the first number it names ("DFE1940"); a term-on-term query: TT, its number in two digits
      // and its letter's place after A ("TT041" for TonT4B, "TT063" for TonT6D).
      if (first.rfind("TonT", 0) == 0) {
        const std::string digits = first.substr(4, first.size() - 5);
        const char letter = first.back();
        CHECK(i.code == "TT" + std::string(digits.size() == 1 ? "0" : "") + digits + std::to_string(letter - 'A'));
      } else {
        CHECK(i.code == "DFE" + first);
      }
      CHECK(i.severity != Severity::info);
      CHECK_FALSE(i.title.empty());
      CHECK(i.why.size() > 40);
      CHECK(i.how_to_fix.size() > 20);
      CHECK((i.needs & needs_census) == needs_census);
      CHECK(r.check != nullptr);
    }
  CHECK(count >= 1);
}

TEST_CASE("dfe-census declares its options with defaults that pass their own declarations") {
  for (const OptionInfo& o : options()) {
    INFO(o.key);
    CHECK_FALSE(o.description.empty());
    CHECK_FALSE(o.default_value.empty());
  }
}
