// A plugin whose rule emits one finding and then throws: the host must discard its findings, keep
// every other plugin's, and exit 3.
#include <censusqa/plugin.hpp>

#include <stdexcept>

namespace {
constexpr censusqa::RuleInfo info{"TX001",
                                  censusqa::Severity::error,
                                  censusqa::Scope::la,
                                  censusqa::Actor::la_data,
                                  "Always fails",
                                  "Exercises the host's handling of a failing plugin.",
                                  "Nothing: it is a test.",
                                  censusqa::needs_census,
                                  ""};
constexpr censusqa::OptionInfo options[] = {{"threshold", "integer", "1", "an option for configuration tests"}};
void check(censusqa::RuleContext& ctx) {
  ctx.report_la("888", {}, "a finding that must be discarded");
  throw std::runtime_error("simulated failure in rule TX001");
}
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN("throwing", "0.0.1",
                new censusqa::RuleListPlugin({.id = "throwing",
                                              .name = "Throwing",
                                              .version = "0.0.1",
                                              .description = "test",
                                              .rules = rules,
                                              .options = options}))
