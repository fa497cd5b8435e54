// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"
#include "testkit.hpp"

#include <censusqa/options.hpp>

using namespace censusqa;
using namespace censusqa::ap_reintegration;

// Every rule test gets the configuration a run gives: the declared defaults applied.
[[maybe_unused]] const bool tested = (testkit::tested_plugin = {"ap-reintegration", options}, true);

TEST_CASE("ap-reintegration's option declarations are sound") {
  CHECK_NOTHROW(check_option_declarations(options, "ap-reintegration"));
}

TEST_CASE("ap-reintegration rules have complete, unique metadata") {
  testkit::check_rule_list("AP",
                           {&ap001_dates_and_ids, &ap002_end_and_destination, &ap003_off_roll, &ap004_no_exit_plan,
                            &ap005_over_limit, &ap006_not_reviewed, &ap007_breakdown, &ap008_day_six,
                            &ap009_unknown_destination, &ap010_repeated_placements},
                           needs_ap_placements);
}

TEST_CASE("ap-reintegration's configuration: defaults applied, holidays checked before any rule runs") {
  static const Rule rules[] = {ap005_over_limit, ap008_day_six};
  RuleListPlugin plugin({.id = "ap-reintegration", .rules = rules, .options = options, .check_config = check_config});
  const Dataset data = testkit::DatasetBuilder{}.build();
  CHECK(testkit::run_plugin(plugin, data).findings.empty()); // the defaults: no "not configured"
  CHECK_THROWS_WITH(testkit::run_plugin(plugin, data, R"({"holidays": [["2024-11-01", "2024-10-28"]]})"),
                    R"(ap-reintegration.holidays[0]: ["2024-11-01", "2024-10-28"] was given; expected )"
                    R"(["YYYY-MM-DD", "YYYY-MM-DD"], the first date on or before the second)");
  CHECK_THROWS_WITH(testkit::run_plugin(plugin, data, R"({"max_weeks": {"suspension": 0}})"),
                    "ap-reintegration.max_weeks.suspension: 0 was given; expected a whole number from 1 to 520");
  CHECK_THROWS_WITH(testkit::run_plugin(plugin, data, R"({"max_weeks": {"suspenson": 6}})"),
                    R"(ap-reintegration.max_weeks: unknown member "suspenson"; did you mean "suspension"?)");
}
