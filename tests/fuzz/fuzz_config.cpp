// libFuzzer target: the JSON configuration reader (Poco::JSON into the SDK's value tree). Any text
// is either a value or a ConfigFileError naming the file; nothing else may escape.
#include "engine/config.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)censusqa::engine::parse_json_value(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const censusqa::engine::ConfigFileError&) {
  }
  return 0;
}
