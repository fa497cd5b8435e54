// A plugin that lists one rule code twice: refused at load (a code names one rule).
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo first{.code = "TW001",
                                   .severity = censusqa::Severity::info,
                                   .title = "First",
                                   .why = "One of two rules with the same code.",
                                   .how_to_fix = "Give each rule its own code."};
constexpr censusqa::RuleInfo second{.code = "TW001",
                                    .severity = censusqa::Severity::query,
                                    .title = "Second",
                                    .why = "The other rule with the same code.",
                                    .how_to_fix = "Give each rule its own code."};
void check(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&first, check}, {&second, check}};
} // namespace

CENSUSQA_PLUGIN(
    "code-twice", "0.0.1",
    new censusqa::RuleListPlugin(
        {.id = "code-twice", .name = "Code twice", .version = "0.0.1", .description = "test", .rules = rules}))
