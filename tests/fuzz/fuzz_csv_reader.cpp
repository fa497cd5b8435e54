// libFuzzer target: the RFC 4180 CSV reader every CSV input goes through (quotes, CRLF, BOM, quoted
// newlines, unterminated quotes, any encoding) and the row-shape check over it. Line numbers must never
// go backwards, every field must come out as valid UTF-8 whatever the bytes, and every row CsvInput
// returns must have its header's number of fields.
#include "load/csv_reader.hpp"
#include "load/input_report.hpp"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    std::istringstream in(text);
    censusqa::load::CsvReader csv(in);
    std::vector<std::string> fields;
    std::uint32_t last = 0;
    while (csv.next(fields)) {
      if (csv.record_line() < last) std::abort();
      last = csv.record_line();
      for (const auto& f : fields)
        if (!censusqa::load::is_valid_utf8(f)) std::abort();
    }
  }
  std::istringstream in(text);
  censusqa::load::InputReport report;
  censusqa::load::CsvInput csv(in, 0, "fuzz.csv", report);
  const censusqa::load::CsvHeader* header = csv.header();
  if (!header) return 0;
  csv.set_school_column(0);
  std::vector<std::string> fields;
  while (csv.next(fields))
    if (fields.size() != header->names().size()) std::abort();
  (void)csv.usable("the rules that need it");
  for (const auto& f : report.findings())
    if (!censusqa::load::is_valid_utf8(f.message)) std::abort();
  return 0;
}
