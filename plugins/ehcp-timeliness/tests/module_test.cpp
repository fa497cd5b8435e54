// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

using namespace censusqa;
using namespace censusqa::ehcp_timeliness;

TEST_CASE("ehcp-timeliness rules have complete, unique metadata") {
  const Rule* all[] = {&eh001_request_date,
                       &eh002_stage_order,
                       &eh003_outcomes_consistent,
                       &eh004_decision_to_assess,
                       &eh005_plan_late,
                       &eh006_plan_late_exception,
                       &eh007_open_past_20_weeks,
                       &eh008_no_plan_decision_late,
                       &eh009_annual_review_overdue,
                       &eh010_exception_share};
  std::set<std::string_view> codes;
  int n = 1;
  for (const Rule* r : all) {
    INFO(r->info->code);
    char expected[8];
    std::snprintf(expected, sizeof expected, "EH%03d", n++);
    CHECK(r->info->code == std::string_view(expected));
    CHECK(codes.insert(r->info->code).second);
    CHECK_FALSE(r->info->title.empty());
    CHECK(r->info->why.size() > 40);
    CHECK(r->info->how_to_fix.size() > 20);
    CHECK((r->info->needs & needs_ehcp_cases) != 0);
  }
}
