// clawback: surplus-balance clawback under the LA's scheme for financing schools. The plugin's single
// export, its rule list (one line per rule, in code order), its annex figures (its options are in rules/rules.hpp,
// which the rules read).
#include "rules/rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr const char* plugin_id = "clawback";
constexpr const char* plugin_version = "1.0.0";

RulePlugin* make_plugin() {
  static const Rule rules[] = {
      cb001_balances_missing, cb002_liable,      cb003_pending_request, cb004_overcommitted,
      cb005_stale_assignment, cb006_ignored_row, cb007_deficit,
  };
  static const MetricProducer metrics[] = {annex_metrics};
  static constexpr std::string_view metric_names[] = {"clawback", "clawback_summary", "clawback_requests",
                                                      "clawback_left_out"};
  return new RuleListPlugin({.id = plugin_id,
                             .name = "Clawback",
                             .version = plugin_version,
                             .description =
                                 "Surplus-balance clawback for maintained schools under the LA's scheme: the A-K "
                                 "calculation in pence, exceptional requests, and the Schools Forum annex.",
                             .rules = rules,
                             .options = options,
                             .metrics = metrics,
                             .metric_names = metric_names,
                             .check_config = check_config});
}

} // namespace
} // namespace censusqa::clawback

CENSUSQA_PLUGIN("clawback", "1.0.0", censusqa::clawback::make_plugin())
