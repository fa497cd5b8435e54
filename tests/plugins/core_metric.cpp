// A plugin that writes a school metric of the core's (attendance_pupils) besides its own: it fails at
// run time (exit 3), its findings and metrics discarded; metrics.json keeps the core's figure.
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo info{.code = "CM001",
                                  .severity = censusqa::Severity::info,
                                  .scope = censusqa::Scope::la,
                                  .actor = censusqa::Actor::la_data,
                                  .title = "Core metric",
                                  .why = "Exercises the host's check of metric names.",
                                  .how_to_fix = "Nothing: it is a test.",
                                  .needs = censusqa::needs_census};
void check(censusqa::RuleContext& ctx) { ctx.report_la("888", {}, "a finding that must be discarded"); }
const censusqa::Rule rules[] = {{&info, check}};
void overwrite(censusqa::RunContext& ctx) {
  for (const auto& r : ctx.data.returns) {
    ctx.metrics.school(r.laestab, "core-metric.mine", 1);
    ctx.metrics.school(r.laestab, "attendance_pupils", -1);
  }
}
const censusqa::MetricProducer metrics[] = {{"overwrites a core metric", censusqa::needs_census, overwrite}};
} // namespace

CENSUSQA_PLUGIN("core-metric", "0.0.1",
                new censusqa::RuleListPlugin({.id = "core-metric",
                                              .name = "Core metric",
                                              .version = "0.0.1",
                                              .description = "test",
                                              .rules = rules,
                                              .metrics = metrics}))
