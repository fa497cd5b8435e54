// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"

using namespace censusqa;
using namespace censusqa::ap_reintegration;

TEST_CASE("ap-reintegration rules have complete, unique metadata") {
  testkit::check_rule_list("AP",
                           {&ap001_dates_and_ids, &ap002_end_and_destination, &ap003_off_roll, &ap004_no_exit_plan,
                            &ap005_over_limit, &ap006_not_reviewed, &ap007_breakdown, &ap008_day_six,
                            &ap009_unknown_destination, &ap010_repeated_placements},
                           needs_ap_placements);
}
