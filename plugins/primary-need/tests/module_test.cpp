// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"
#include "testkit.hpp"

#include <censusqa/options.hpp>

using namespace censusqa;
using namespace censusqa::primary_need;

// Every rule test gets the configuration a run gives: the declared defaults applied.
[[maybe_unused]] const bool tested = (testkit::tested_plugin = {"primary-need", options}, true);

TEST_CASE("primary-need's option declarations are sound") { CHECK_NOTHROW(check_option_declarations(options, "pn")); }

TEST_CASE("primary-need rules have complete, unique metadata") {
  testkit::check_rule_list("PN",
                           {&pn001_no_need, &pn002_ranks, &pn003_need_code, &pn004_need_without_sen, &pn005_nsa,
                            &pn006_same_need_twice, &pn007_plan_need_differs, &pn008_no_active_plan,
                            &pn009_plan_not_in_census, &pn010_need_share_outlier, &pn011_pmld_sld_support,
                            &pn012_nsa_share, &pn013_need_changed},
                           needs_census);
}
