// Reads the DfE's published statistics files in tests (tests only, not installed): a CSV line split into
// its cells, quotes removed ("" inside quotes is one "), CR dropped.
#pragma once

#include <string>
#include <vector>

namespace censusqa::testkit {

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else
        quoted = !quoted;
    } else if (c == ',' && !quoted)
      out.emplace_back();
    else if (c != '\r')
      out.back() += c;
  }
  return out;
}

} // namespace censusqa::testkit
