// A plugin whose descriptor says it was built with libc++: its std::string and std::vector are
// not the host's, so the host must refuse it before calling its factory.
#include <censusqa/plugin.hpp>

#include <cstdlib>

extern "C" CENSUSQA_EXPORT const censusqa::PluginDescriptor* censusqa_plugin_descriptor() {
  static const censusqa::PluginDescriptor d{censusqa::plugin_magic,
                                            sizeof(censusqa::PluginDescriptor),
                                            CENSUSQA_SDK_VERSION_MAJOR,
                                            CENSUSQA_SDK_VERSION_MINOR,
                                            "clang 16",
                                            "libc++ 160000",
                                            "other-stdlib",
                                            "0.0.1"};
  return &d;
}
extern "C" CENSUSQA_EXPORT censusqa::RulePlugin* censusqa_create_plugin() {
  std::abort(); // never reached: the descriptor is checked first
}
