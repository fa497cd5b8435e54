// The per-school and LA census figures (metrics.json): what the workbooks show and the history
// store keeps. Computed from the Dataset alone; definitions in docs/metrics.md.
#pragma once

#include <censusqa/dataset.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace censusqa::report {

/// metric name -> value, per school (by LAEstab) and for the LA.
struct Metrics {
  std::map<std::string, std::int64_t> la;
  std::map<std::string, std::map<std::string, std::int64_t>> schools;
};

Metrics compute_census_metrics(const Dataset& data);
void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics);

} // namespace censusqa::report
