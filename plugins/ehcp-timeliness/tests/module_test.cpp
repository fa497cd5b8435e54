// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"
#include "testkit.hpp"

#include <censusqa/options.hpp>

using namespace censusqa;
using namespace censusqa::ehcp_timeliness;

// Every rule test gets the configuration a run gives: the declared defaults applied.
[[maybe_unused]] const bool tested = (testkit::tested_plugin = {"ehcp-timeliness", options}, true);

TEST_CASE("ehcp-timeliness's option declarations are sound") {
  CHECK_NOTHROW(check_option_declarations(options, "ehcp-timeliness"));
}

TEST_CASE("ehcp-timeliness rules have complete, unique metadata") {
  testkit::check_rule_list("EH",
                           {&eh001_request_date, &eh002_stage_order, &eh003_outcomes_consistent,
                            &eh004_decision_to_assess, &eh005_plan_late, &eh006_plan_late_exception,
                            &eh007_open_past_20_weeks, &eh008_no_plan_decision_late, &eh009_annual_review_overdue,
                            &eh010_exception_share},
                           needs_ehcp_cases);
}
