// A plugin that declares the metric prefix "need.", the core's need counts: refused at load.
#include <censusqa/plugin.hpp>

#include <string_view>

namespace {
constexpr censusqa::RuleInfo info{.code = "NP001",
                                  .severity = censusqa::Severity::info,
                                  .title = "Need prefix",
                                  .why = "Declares metric names the core owns.",
                                  .how_to_fix = "Declare names of its own."};
void check(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&info, check}};
constexpr std::string_view metric_names[] = {"need."};
} // namespace

CENSUSQA_PLUGIN("need-prefix", "0.0.1",
                new censusqa::RuleListPlugin({.id = "need-prefix",
                                              .name = "Need prefix",
                                              .version = "0.0.1",
                                              .description = "test",
                                              .rules = rules,
                                              .metric_names = metric_names}))
