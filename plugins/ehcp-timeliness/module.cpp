// ehcp-timeliness: EHC needs assessment requests and the 20-week plan limit. The plugin's single
// export, its rule list (one line per rule, in code order), its metrics (its options are in rules/rules.hpp, which the
// rules read).
#include "rules/rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr const char* plugin_id = "ehcp-timeliness";
constexpr const char* plugin_version = "1.0.0";

RulePlugin* make_plugin() {
  static const Rule rules[] = {
      eh001_request_date,
      eh002_stage_order,
      eh003_outcomes_consistent,
      eh004_decision_to_assess,
      eh005_plan_late,
      eh006_plan_late_exception,
      eh007_open_past_20_weeks,
      eh008_no_plan_decision_late,
      eh009_annual_review_overdue,
      eh010_exception_share,
      eh011_two_open_requests,
      eh012_ceased_without_reason,
      eh013_exception_on_time,
  };
  static const MetricProducer metrics[] = {timeliness_metrics};
  static constexpr std::string_view metric_names[] = {"ehcp.", "ehcp_timeliness", "ehcp_12m"};
  return new RuleListPlugin(
      {.id = plugin_id,
       .name = "EHCP timeliness",
       .version = plugin_version,
       .description = "EHC needs assessment requests, decisions and the 20-week limit for final plans, with the "
                      "DfE's published timeliness figures reproduced from case records.",
       .rules = rules,
       .options = options,
       .metrics = metrics,
       .metric_names = metric_names});
}

} // namespace
} // namespace censusqa::ehcp_timeliness

CENSUSQA_PLUGIN("ehcp-timeliness", "1.0.0", censusqa::ehcp_timeliness::make_plugin())
