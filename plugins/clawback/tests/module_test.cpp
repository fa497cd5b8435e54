// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"

using namespace censusqa;
using namespace censusqa::clawback;

TEST_CASE("clawback rules have complete, unique metadata") {
  testkit::check_rule_list("CB",
                           {&cb001_balances_missing, &cb002_liable, &cb003_pending_request, &cb004_overcommitted,
                            &cb005_stale_assignment, &cb006_ignored_row, &cb007_deficit},
                           needs_balances);
}
