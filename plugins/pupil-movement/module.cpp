// pupil-movement: pupils followed from the previous census to this one. The plugin's single export, its
// rule list (one line per rule, in code order) and its metrics; the measurement they share is made once
// per run (MeasuredRun).
#include "rules/rules.hpp"

namespace censusqa::pupil_movement {
namespace {

constexpr const char* plugin_id = "pupil-movement";
constexpr const char* plugin_version = "1.0.0";

class MovementPlugin final : public RuleListPlugin {
public:
  using RuleListPlugin::RuleListPlugin;
  void run(RunContext& context) override {
    const MeasuredRun measured(context.data, context.run);
    RuleListPlugin::run(context);
  }
};

RulePlugin* make_plugin() {
  static const Rule rules[] = {mv001_vanished, mv002_sen_exits_outlier, mv003_excluded_nowhere};
  static const MetricProducer metrics[] = {movement_metrics};
  static constexpr std::string_view metric_names[] = {"movement.", "movement"};
  return new MovementPlugin({.id = plugin_id,
                             .name = "Pupil movement",
                             .version = plugin_version,
                             .description = "Where each school's pupils at the previous census are now (the same "
                                            "school, another school of the LA, AP, a leavers' list, or nowhere), who "
                                            "joined, and the exits nothing on record explains.",
                             .rules = rules,
                             .options = options,
                             .metrics = metrics,
                             .metric_names = metric_names});
}

} // namespace
} // namespace censusqa::pupil_movement

CENSUSQA_PLUGIN("pupil-movement", "1.0.0", censusqa::pupil_movement::make_plugin())
