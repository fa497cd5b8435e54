// censusqa SDK: the figures a plugin publishes into metrics.json (and so into the workbooks and the
// history store). A name, once shipped, keeps its meaning; document each in the plugin's docs.
#pragma once

#include <censusqa/value.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace censusqa {

/// Where metrics go. Thread safe.
class MetricSink {
public:
  virtual ~MetricSink() = default;
  /// A whole-number figure for one school, e.g. ("8883001", "ehcp.requests_12m", 4).
  virtual void school(std::string_view laestab, std::string_view name, std::int64_t value) = 0;
  /// A figure or table for the LA, e.g. ("ehcp_timeliness", [ {...}, ... ]).
  virtual void la(std::string_view name, Value value) = 0;
};

/// A percentage to one decimal place, rounded half up, as the DfE publishes them (302 of 1310 is
/// 23.1); null when the denominator is zero. Exact integer arithmetic: no rounding drift.
inline Value percent_1dp(std::int64_t numerator, std::int64_t denominator) {
  if (denominator <= 0) return {};
  const std::int64_t tenths = (numerator * 2000 + denominator) / (2 * denominator);
  return static_cast<double>(tenths) / 10.0;
}

} // namespace censusqa
