// A plugin whose descriptor says it was built against SDK 99: the host must refuse it before
// calling its factory.
#include <censusqa/plugin.hpp>

#include <cstdlib>

extern "C" CENSUSQA_EXPORT const censusqa::PluginDescriptor* censusqa_plugin_descriptor() {
  static const censusqa::PluginDescriptor d{censusqa::plugin_magic,
                                            sizeof(censusqa::PluginDescriptor),
                                            99,
                                            0,
                                            "gcc 12",
                                            "libstdc++ 12",
                                            "wrong-sdk",
                                            "0.0.1"};
  return &d;
}
extern "C" CENSUSQA_EXPORT censusqa::RulePlugin* censusqa_create_plugin() {
  std::abort(); // never reached: the descriptor is checked first
}
