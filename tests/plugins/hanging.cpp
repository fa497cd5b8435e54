// A plugin that never finishes: it starts a process of its own, then sleeps for ever. Isolated, the
// host stops it (and the process it started) at the time limit and keeps every other plugin's
// findings. With CENSUSQA_TEST_PID_FILE set, the started process writes its id there.
#include <censusqa/plugin.hpp>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {
constexpr censusqa::RuleInfo info{.code = "HG001",
                                  .severity = censusqa::Severity::info,
                                  .scope = censusqa::Scope::la,
                                  .actor = censusqa::Actor::la_data,
                                  .title = "Never finishes",
                                  .why = "Exercises the time limit of an isolated plugin.",
                                  .how_to_fix = "Nothing: it is a test.",
                                  .needs = censusqa::needs_census};
void check(censusqa::RuleContext& ctx) {
  ctx.report_la("888", {}, "a finding that must be discarded");
  ctx.log.info("starting a process and sleeping for ever");
  if (fork() == 0) {
    if (const char* file = std::getenv("CENSUSQA_TEST_PID_FILE"))
      if (FILE* f = std::fopen(file, "w")) {
        std::fprintf(f, "%d\n", static_cast<int>(getpid()));
        std::fclose(f);
      }
    for (;;)
      pause();
  }
  for (;;)
    pause();
}
const censusqa::Rule rules[] = {{&info, check}};
} // namespace

CENSUSQA_PLUGIN("hanging", "0.0.1",
                new censusqa::RuleListPlugin(
                    {.id = "hanging", .name = "Hanging", .version = "0.0.1", .description = "test", .rules = rules}))
