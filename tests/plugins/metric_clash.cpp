// A plugin that declares a metric name inside another plugin's prefix (ap-reintegration's "ap."):
// refused at load, since each metric has one owner.
#include <censusqa/plugin.hpp>

#include <string_view>

namespace {
constexpr censusqa::RuleInfo info{.code = "MC001",
                                  .severity = censusqa::Severity::info,
                                  .title = "Metric clash",
                                  .why = "Declares a metric name another plugin owns.",
                                  .how_to_fix = "Declare names of its own."};
void check(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&info, check}};
constexpr std::string_view metric_names[] = {"metric-clash.", "ap.pupils_placed"};
} // namespace

CENSUSQA_PLUGIN("metric-clash", "0.0.1",
                new censusqa::RuleListPlugin({.id = "metric-clash",
                                              .name = "Metric clash",
                                              .version = "0.0.1",
                                              .description = "test",
                                              .rules = rules,
                                              .metric_names = metric_names}))
