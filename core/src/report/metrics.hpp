// The per-school and LA census figures (metrics.json): what the workbooks show and the history
// store keeps. Computed from the Dataset alone; definitions in docs/metrics.md.
#pragma once

#include <censusqa/dataset.hpp>
#include <censusqa/value.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>

namespace censusqa::report {

/// metric name -> value, per school (by LAEstab) and for the LA (where a value may be a table).
struct Metrics {
  std::map<std::string, Value> la;
  std::map<std::string, std::map<std::string, std::int64_t>> schools;
};

Metrics compute_census_metrics(const Dataset& data);
/// Writes a Value as JSON (numbers in their shortest exact form: 23.1, not 23.100000000000001).
void write_json_value(std::ostream& out, const Value& v, int indent);

void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics);

} // namespace censusqa::report
