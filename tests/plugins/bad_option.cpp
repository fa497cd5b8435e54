// A plugin whose option's declared default fails its own declaration: the host refuses it at load
// (a default out of range would refuse every LA's run).
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo info{.code = "BO001",
                                  .severity = censusqa::Severity::info,
                                  .scope = censusqa::Scope::la,
                                  .actor = censusqa::Actor::la_data,
                                  .title = "Never runs",
                                  .why = "Exercises the host's check of option declarations.",
                                  .how_to_fix = "Nothing: it is a test."};
constexpr censusqa::OptionInfo options[] = {
    {.key = "share", .type = "number", .default_value = "150", .description = "a percentage", .maximum = 100}};
void check(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN("bad-option", "0.0.1",
                new censusqa::RuleListPlugin(
                    {.id = "bad-option", .name = "Bad option", .version = "0.0.1", .rules = rules, .options = options}))
