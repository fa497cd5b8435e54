// A plugin whose rule dereferences a null pointer (SIGSEGV). Under --isolate the host must survive,
// report the plugin as failed (exit 3) and keep every other plugin's findings.
#include <censusqa/plugin.hpp>

#include <csignal>

namespace {
constexpr censusqa::RuleInfo info{"TC001",
                                  censusqa::Severity::error,
                                  censusqa::Scope::la,
                                  censusqa::Actor::la_data,
                                  "Always crashes",
                                  "Exercises --isolate: a plugin that crashes must not take the host down.",
                                  "Nothing: it is a test.",
                                  censusqa::needs_census,
                                  ""};
void check(censusqa::RuleContext& ctx) {
  ctx.report_la("888", {}, "a finding that must be discarded");
  std::raise(SIGSEGV); // as a null dereference would, without undefined behaviour in the test
}
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN("crashing", "0.0.1",
                new censusqa::RuleListPlugin(
                    {.id = "crashing", .name = "Crashing", .version = "0.0.1", .description = "test", .rules = rules}))
