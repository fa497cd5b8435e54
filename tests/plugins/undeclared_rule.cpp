// A plugin that emits a finding for a rule code it does not declare: the host treats that as a
// plugin failure (exit 3) rather than print a finding with no metadata.
#include <censusqa/plugin.hpp>

namespace {
constexpr censusqa::RuleInfo info{"UX001",
                                  censusqa::Severity::info,
                                  censusqa::Scope::la,
                                  censusqa::Actor::la_data,
                                  "Declared rule",
                                  "Exercises the host's check of emitted rule codes.",
                                  "Nothing: it is a test.",
                                  0,
                                  ""};
void check(censusqa::RuleContext& ctx) { ctx.report_la("888", {}, "declared finding"); }
const censusqa::Rule rules[] = {{&info, check}};

class Plugin final : public censusqa::RuleListPlugin {
public:
  Plugin()
      : RuleListPlugin({.id = "undeclared-rule",
                        .name = "Undeclared rule",
                        .version = "0.0.1",
                        .description = "test",
                        .rules = rules}) {}
  void run(censusqa::RunContext& ctx) override {
    RuleListPlugin::run(ctx);
    censusqa::Finding f;
    f.rule = "ZZ999";
    f.subject = "888";
    f.message = "a finding for a rule nobody declared";
    ctx.findings.emit(std::move(f));
  }
};
} // namespace

CENSUSQA_PLUGIN("undeclared-rule", "0.0.1", new Plugin())
