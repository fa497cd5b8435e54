// libFuzzer target, differential: the XML scanner against Expat (tests/unit/xml_oracle.hpp). Whatever
// the bytes, the two must agree on whether they are well-formed and, when they are, on every element
// and every character of text, except where the scanner is stricter by design (a DOCTYPE, names
// outside ASCII, nesting past 4096) or reads an encoding Expat does not (Windows-1252).
#include "../unit/xml_oracle.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto ours = censusqa::testkit::read_with_scanner(bytes);
  if (censusqa::testkit::allowed_difference(bytes, ours)) return 0;
  const auto expat = censusqa::testkit::read_with_expat(bytes);
  if (ours.ok != expat.ok || (ours.ok && ours.log != expat.log)) {
    std::fprintf(stderr, "scanner: %s\n  %s\nExpat: %s\n  %s\n", ours.ok ? "ok" : ours.error.c_str(), ours.log.c_str(),
                 expat.ok ? "ok" : expat.error.c_str(), expat.log.c_str());
    std::abort();
  }
  return 0;
}
