// The per-school and LA census figures (metrics.json): what the workbooks show and the history
// store keeps. Computed from the Dataset alone; definitions in docs/metrics.md.
#pragma once

#include <censusqa/dataset.hpp>
#include <censusqa/plugin.hpp>
#include <censusqa/profile.hpp>
#include <censusqa/value.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
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
                                                      "pupils_suspended_2plus",
                                                      "pupils_suspended_2plus.sen_support",
                                                      "pupils_suspended_2plus.ehc_plan",
                                                      "pupils_suspended_2plus.no_sen",
                                                      "pupils_suspended_10plus",
                                                      "pupils_suspended_10plus.sen_support",
                                                      "pupils_suspended_10plus.ehc_plan",
                                                      "pupils_suspended_10plus.no_sen",
                                                      "dual_subsidiary"};

/// The other names the core writes, each written through these constants (metrics.cpp, comparators.cpp
/// and the engine's findings counts), so that the list below cannot drift from what is written. A name
/// ending in '.' is a prefix: the core owns every name that begins with it.
namespace core_metric {
inline constexpr std::string_view need_prefix = "need.";                   ///< need.<CODE>.sen_support / .ehc_plan
inline constexpr std::string_view findings_prefix = "findings.";           ///< findings.<severity>, per school
inline constexpr std::string_view schools = "schools";                     ///< LA: the number of schools with a return
inline constexpr std::string_view comparator_groups = "comparator_groups"; ///< LA: add_comparator_metrics
inline constexpr std::string_view england = "england";                     ///< LA: add_comparator_metrics
inline constexpr std::string_view suspensions_year_prefix = "suspensions_year."; ///< add_suspension_year, per school
inline constexpr std::string_view suspensions_year = "suspensions_year";         ///< LA: add_suspension_year
inline constexpr std::string_view others[] = {need_prefix, findings_prefix,         schools,         comparator_groups,
                                              england,     suspensions_year_prefix, suspensions_year};
} // namespace core_metric

/// Whether two metric names (or prefixes, ending in '.') can name the same metric: equal, or one a
/// prefix of the other.
bool metric_names_overlap(std::string_view a, std::string_view b);
/// Whether `name` is one `owned` covers: equal to it, or `owned` is a prefix ending in '.' that it begins with.
bool metric_name_covers(std::string_view owned, std::string_view name);
/// The core's name or prefix that a name or prefix overlaps, or empty: the one list of the core's
/// metric names (census_metric_names and core_metric::others), which plugins may not write.
std::string_view core_metric_overlap(std::string_view name_or_prefix);
inline bool is_core_metric(std::string_view name) { return !core_metric_overlap(name).empty(); }

/// A need's per-school count metric: "need.<CODE>.sen_support" or "need.<CODE>.ehc_plan" (built once).
const std::string& need_metric(NeedType need, bool ehc_plan);

Metrics compute_census_metrics(const Dataset& data);

/// A suspension an earlier census of the academic year reported (the history store's), for
/// add_suspension_year.
struct SuspensionRecord {
  std::string laestab, upn;
  Date start;
  std::optional<SenProvision> sen; ///< the pupil's SEN provision at it
};
/// A census whose suspensions are counted: which terms of the year its exclusions cover.
struct CountedCensus {
  Term term;
  Date day;
};
/// The academic year (1 August to 31 July, the DfE's exclusion terms) a run counts suspensions in: the
/// one holding the last day its census reports (exclusions_period); nothing without a term and date.
std::optional<DateSpan> suspension_year(const RunInfo& run);
/// Suspensions counted as pupils over the academic year (docs/metrics.md, "Suspensions in the academic
/// year"): this census's, previous/'s and `earlier` ones dated in the year, each once, into
/// suspensions_year.* per school and la.suspensions_year.
void add_suspension_year(Metrics& m, const Dataset& data, const RunInfo& run,
                         const std::vector<SuspensionRecord>& earlier,
                         const std::vector<CountedCensus>& earlier_censuses);
/// Writes a Value as JSON (numbers in their shortest exact form: 23.1, not 23.100000000000001).
void write_json_value(std::ostream& out, const Value& v, int indent);

void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics);

} // namespace censusqa::report
