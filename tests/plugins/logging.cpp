// A plugin that writes messages (censusqa::Log): an info, a warning, one that is not UTF-8 and has a
// line break, then more than the host keeps; and a metric of its own ("logging."), which it may.
#include <censusqa/plugin.hpp>

#include <string>

namespace {
constexpr censusqa::RuleInfo info{.code = "LG001",
                                  .severity = censusqa::Severity::info,
                                  .scope = censusqa::Scope::la,
                                  .actor = censusqa::Actor::la_data,
                                  .title = "Logs",
                                  .why = "Exercises plugin messages.",
                                  .how_to_fix = "Nothing: it is a test.",
                                  .needs = censusqa::needs_census};
void check(censusqa::RuleContext& ctx) {
  ctx.log.info("read 3 holiday dates");
  ctx.log.warning("the holidays list ends before the census date");
  ctx.log.warning("bad \xFF byte\nand a second line");
  for (int i = 0; i < 147; ++i)
    ctx.log.info("message " + std::to_string(i));
}
const censusqa::Rule rules[] = {{&info, check}};
void own_metric(censusqa::RunContext& ctx) {
  for (const auto& r : ctx.data.returns)
    ctx.metrics.school(r.laestab, "logging.returns", 1);
}
const censusqa::MetricProducer metrics[] = {{"its own metric", censusqa::needs_census, own_metric}};
} // namespace

CENSUSQA_PLUGIN("logging", "0.0.1",
                new censusqa::RuleListPlugin({.id = "logging",
                                              .name = "Logging",
                                              .version = "0.0.1",
                                              .description = "test",
                                              .rules = rules,
                                              .metrics = metrics}))
