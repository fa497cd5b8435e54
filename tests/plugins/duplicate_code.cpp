// A plugin that declares CI001, which census-integrity already declares.
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo info{"CI001",
                                  censusqa::Severity::info,
                                  censusqa::Scope::pupil,
                                  censusqa::Actor::school,
                                  "Duplicate",
                                  "Declares a code another plugin owns.",
                                  "Rename the rule.",
                                  0,
                                  ""};
void check(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN(
    "duplicate-code", "0.0.1",
    new censusqa::RuleListPlugin(
        {.id = "duplicate-code", .name = "Duplicate code", .version = "0.0.1", .description = "test", .rules = rules}))
