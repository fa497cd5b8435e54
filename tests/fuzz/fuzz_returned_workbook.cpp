// libFuzzer target: the returned-workbook reader (a school's reply, read as hostile: the zip's
// directory, inflating, Expat, the sheet's cells). Any bytes are either a workbook or a
// WorkbookRefused naming the file; nothing else may escape, and what is read is clean text.
#include "store/returned_workbook.hpp"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

namespace {

void check_clean(const std::string& s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort(); // a control character got through
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Limits a fuzzer can reach within its input size, so that every check is exercised.
  censusqa::store::ReaderLimits lim;
  lim.part_bytes = 8 << 20;
  lim.total_bytes = 16 << 20;
  try {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    const auto wb = censusqa::store::read_returned_workbook(in, size, "fuzz.xlsx", lim);
    for (const auto& r : wb.responses) {
      check_clean(r.finding_id);
      check_clean(r.response);
      check_clean(r.comment);
      if (r.comment.size() > 4 * lim.comment_chars) std::abort();
    }
    check_clean(wb.check_line);
    check_clean(wb.laestab_property);
  } catch (const censusqa::store::WorkbookRefused&) {
  }
  return 0;
}
