// ap-reintegration: alternative provision placements and reintegration. The plugin's single export,
// its rule list (one line per rule, in code order), its metrics (its options are in rules/rules.hpp, which the rules
// read).
#include "rules/rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr const char* plugin_id = "ap-reintegration";
constexpr const char* plugin_version = "1.0.0";

RulePlugin* make_plugin() {
  static const Rule rules[] = {
      ap001_dates_and_ids,       ap002_end_and_destination, ap003_off_roll,         ap004_no_exit_plan,
      ap005_over_limit,          ap006_not_reviewed,        ap007_breakdown,        ap008_day_six,
      ap009_unknown_destination, ap010_repeated_placements, ap011_in_both_censuses,
  };
  static const MetricProducer metrics[] = {placement_metrics};
  static constexpr std::string_view metric_names[] = {"ap.", "ap"};
  return new RuleListPlugin({.id = plugin_id,
                             .name = "AP reintegration",
                             .version = plugin_version,
                             .description =
                                 "Alternative provision placements: dates and exit plans, time limits and reviews, "
                                 "provision from the sixth day of a permanent exclusion, and whether returns to "
                                 "mainstream last.",
                             .rules = rules,
                             .options = options,
                             .metrics = metrics,
                             .metric_names = metric_names,
                             .check_config = check_config});
}

} // namespace
} // namespace censusqa::ap_reintegration

CENSUSQA_PLUGIN("ap-reintegration", "1.0.0", censusqa::ap_reintegration::make_plugin())
