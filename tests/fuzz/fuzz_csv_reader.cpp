// libFuzzer target: the RFC 4180 CSV reader every CSV input goes through (quotes, CRLF, BOM, quoted
// newlines, unterminated quotes). Line numbers must never go backwards.
#include "load/csv_reader.hpp"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  censusqa::load::CsvReader csv(in);
  std::vector<std::string> fields;
  std::uint32_t last = 0;
  while (csv.next(fields)) {
    if (csv.record_line() < last) std::abort();
    last = csv.record_line();
  }
  return 0;
}
