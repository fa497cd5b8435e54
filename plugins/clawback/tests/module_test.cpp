// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"
#include "testkit.hpp"

#include <censusqa/options.hpp>

using namespace censusqa;
using namespace censusqa::clawback;

// Every rule test gets the configuration a run gives: the declared defaults applied.
[[maybe_unused]] const bool tested = (testkit::tested_plugin = {"clawback", options}, true);

TEST_CASE("clawback's option declarations are sound") { CHECK_NOTHROW(check_option_declarations(options, "clawback")); }

TEST_CASE("clawback rules have complete, unique metadata") {
  testkit::check_rule_list("CB",
                           {&cb001_balances_missing, &cb002_liable, &cb003_pending_request, &cb004_overcommitted,
                            &cb005_stale_assignment, &cb006_ignored_row, &cb007_deficit},
                           needs_balances);
}
