// primary-need: SEN primary-need coding consistency. The plugin's single export, its rule list (one
// line per rule, in code order), its metrics (its options are in rules/rules.hpp, which the rules read).
#include "rules/rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr const char* plugin_id = "primary-need";
constexpr const char* plugin_version = "1.0.0";

RulePlugin* make_plugin() {
  static const Rule rules[] = {
      pn001_no_need,
      pn002_ranks,
      pn003_need_code,
      pn004_need_without_sen,
      pn005_nsa,
      pn006_same_need_twice,
      pn007_plan_need_differs,
      pn008_no_active_plan,
      pn009_plan_not_in_census,
      pn010_need_share_outlier,
      pn011_pmld_sld_support,
      pn012_nsa_share,
      pn013_need_changed,
  };
  static const MetricProducer metrics[] = {need_metrics};
  static constexpr std::string_view metric_names[] = {"primary_need"};
  return new RuleListPlugin({.id = plugin_id,
                             .name = "Primary need",
                             .version = plugin_version,
                             .description =
                                 "SEN primary-need coding: structure of the needs, agreement with the LA's EHC plans, "
                                 "schools whose need mix is far from similar schools, and changes since last spring.",
                             .rules = rules,
                             .options = options,
                             .metrics = metrics,
                             .metric_names = metric_names});
}

} // namespace
} // namespace censusqa::primary_need

CENSUSQA_PLUGIN("primary-need", "1.0.0", censusqa::primary_need::make_plugin())
