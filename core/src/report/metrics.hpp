// The per-school and LA census figures (metrics.json): what the workbooks show and the history
// store keeps. Computed from the Dataset alone; definitions in docs/metrics.md.
#pragma once

#include <censusqa/dataset.hpp>
#include <censusqa/profile.hpp>
#include <censusqa/value.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace censusqa::report {

/// metric name -> value, per school (by LAEstab) and for the LA (where a value may be a table).
struct Metrics {
  std::map<std::string, Value> la;
  std::map<std::string, std::map<std::string, std::int64_t>> schools;
  /// Plugins' profile sections by school: (plugin id, section).
  std::map<std::string, std::vector<std::pair<std::string, ProfileSection>>> sections;
};

/// The census figures every school has (zero when none), besides the need counts.
inline constexpr const char* census_metric_names[] = {"pupils_on_roll",
                                                      "pupils_in_return",
                                                      "leavers_in_return",
                                                      "sen_support",
                                                      "ehc_plan",
                                                      "no_sen",
                                                      "fsm_eligible",
                                                      "suspensions",
                                                      "suspensions.sen_support",
                                                      "suspensions.ehc_plan",
                                                      "suspensions.no_sen",
                                                      "permanent_exclusions",
                                                      "permanent_exclusions.sen_support",
                                                      "permanent_exclusions.ehc_plan",
                                                      "permanent_exclusions.no_sen",
                                                      "lunchtime_exclusions",
                                                      "attendance_pupils",
                                                      "sessions_possible",
                                                      "sessions_authorised",
                                                      "sessions_unauthorised",
                                                      "sessions_missed",
                                                      "persistent_absentees",
                                                      "school_arranged_ap_pupils",
                                                      "pupils_suspended",
                                                      "pupils_suspended.sen_support",
                                                      "pupils_suspended.ehc_plan",
                                                      "pupils_suspended.no_sen",
                                                      "dual_subsidiary"};

/// A need's per-school count metric: "need.<CODE>.sen_support" or "need.<CODE>.ehc_plan" (built once).
const std::string& need_metric(NeedType need, bool ehc_plan);

Metrics compute_census_metrics(const Dataset& data);
/// Writes a Value as JSON (numbers in their shortest exact form: 23.1, not 23.100000000000001).
void write_json_value(std::ostream& out, const Value& v, int indent);

void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics);

} // namespace censusqa::report
