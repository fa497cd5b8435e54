// A plugin whose finding names a DfE rule its rule's metadata does not (SDK 6): the host treats that as
// a plugin failure (exit 3), as it does a finding for an undeclared rule, rather than tell the LA that
// COLLECT raises what it may not.
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo info{.code = "WD001",
                                  .severity = censusqa::Severity::error,
                                  .scope = censusqa::Scope::la,
                                  .actor = censusqa::Actor::la_data,
                                  .title = "Names DfE rule 1520",
                                  .why = "Exercises the host's check of a finding's DfE rule.",
                                  .how_to_fix = "Nothing: it is a test.",
                                  .dfe_rule = "1520"};
void check(censusqa::RuleContext& ctx) { ctx.for_dfe("1530").report_la("888", {}, "a finding naming 1530"); }
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN(
    "wrong-dfe", "0.0.1",
    new censusqa::RuleListPlugin(
        {.id = "wrong-dfe", .name = "Wrong DfE rule", .version = "0.0.1", .description = "test", .rules = rules}))
