// dfe-census: shared helpers (common.hpp).
#include "common.hpp"

#include <cstdio>

namespace censusqa::dfe_census {

std::string percent(long long part, long long whole) {
  if (whole <= 0) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

} // namespace censusqa::dfe_census
