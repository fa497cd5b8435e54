// libFuzzer target: the census XML loader (Expat, the element map, every field parser). Any input
// must load without crashing, hanging or leaking, and every pupil kept must have a return.
#include "engine/plugin_host.hpp"
#include "load/census_xml.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace {
const censusqa::load::CensusXmlMap& map() {
  static const auto m = censusqa::load::CensusXmlMap::from_file(CENSUSQA_XML_MAP);
  return m;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The loader reads a file (it maps it): write the input to one, per process.
  static const std::string path = "/tmp/censusqa-fuzz-" + std::to_string(::getpid()) + ".xml";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  std::string sha;
  const auto part = censusqa::load::load_census_xml(path, 1, map(), &sha);
  if (!part.pupils.empty() && part.returns.empty()) std::abort(); // pupils without a return
  if (sha.size() != 64) std::abort();
  return 0;
}
