// A plugin that says it was built against SDK 99: the host must refuse it before calling its factory.
#include <censusqa/plugin.hpp>

#include <cstdlib>

extern "C" CENSUSQA_EXPORT int censusqa_sdk_version() { return 99; }
extern "C" CENSUSQA_EXPORT censusqa::RulePlugin* censusqa_create_plugin() {
  std::abort(); // never reached: the version is checked first
}
