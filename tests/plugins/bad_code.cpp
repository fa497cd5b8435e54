// A plugin that declares a rule code that is not valid (is_valid_rule_code): refused at load.
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo info{.code = "prb1",
                                  .severity = censusqa::Severity::info,
                                  .title = "Bad code",
                                  .why = "Declares a code that is not 2 to 4 capitals and 3 digits.",
                                  .how_to_fix = "Name the rule PRB001."};
void check(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN("bad-code", "0.0.1",
                new censusqa::RuleListPlugin(
                    {.id = "bad-code", .name = "Bad code", .version = "0.0.1", .description = "test", .rules = rules}))
