// A plugin that builds its Findings itself (SDK 6): the host fills the DfE rule of a rule naming one
// (DF001: 1520), keeps the one a finding chose of a rule naming several (DF002: 2530, 2582), and leaves
// none where the rule names several and the finding chose none.
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo df001{.code = "DF001",
                                   .severity = censusqa::Severity::query,
                                   .scope = censusqa::Scope::la,
                                   .actor = censusqa::Actor::la_data,
                                   .title = "Names DfE rule 1520",
                                   .why = "Exercises the host's filling of a finding's DfE rule.",
                                   .how_to_fix = "Nothing: it is a test.",
                                   .dfe_rule = "1520"};
constexpr censusqa::RuleInfo df002{.code = "DF002",
                                   .severity = censusqa::Severity::info,
                                   .scope = censusqa::Scope::la,
                                   .actor = censusqa::Actor::la_data,
                                   .title = "Names DfE rules 2530 and 2582",
                                   .why = "Exercises a finding's choice among its rule's DfE rules.",
                                   .how_to_fix = "Nothing: it is a test.",
                                   .dfe_rule = "2530, 2582",
                                   .dfe_match = censusqa::DfeMatch::stricter};
void nothing(censusqa::RuleContext&) {}
const censusqa::Rule rules[] = {{&df001, nothing}, {&df002, nothing}};

class Plugin final : public censusqa::RuleListPlugin {
public:
  Plugin()
      : RuleListPlugin(
            {.id = "dfe-filled", .name = "DfE filled", .version = "0.0.1", .description = "test", .rules = rules}) {}
  void run(censusqa::RunContext& ctx) override {
    auto emit = [&](std::string rule, std::string subject, std::string dfe) {
      censusqa::Finding f;
      f.rule = std::move(rule);
      f.subject = std::move(subject);
      f.message = "a finding built by the plugin";
      f.dfe_rule = std::move(dfe);
      ctx.findings.emit(std::move(f));
    };
    emit("DF001", "one", "");        // the host fills 1520
    emit("DF002", "chosen", "2582"); // kept
    emit("DF002", "unchosen", "");   // none: the host cannot choose
  }
};
} // namespace

CENSUSQA_PLUGIN("dfe-filled", "0.0.1", new Plugin())
