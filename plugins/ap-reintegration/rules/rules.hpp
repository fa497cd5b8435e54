// ap-reintegration: alternative provision placements and reintegration. The rules (one per file,
// listed in module.cpp) share the configured limits, school days (weekdays less configured
// holidays), each pupil's placements in start order, and the definition of a breakdown.
#pragma once

#include <censusqa/censusqa.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::ap_reintegration {

extern const Rule ap001_dates_and_ids;
extern const Rule ap002_end_and_destination;
extern const Rule ap003_off_roll;
extern const Rule ap004_no_exit_plan;
extern const Rule ap005_over_limit;
extern const Rule ap006_not_reviewed;
extern const Rule ap007_breakdown;
extern const Rule ap008_day_six;
extern const Rule ap009_unknown_destination;
extern const Rule ap010_repeated_placements;
extern const Rule ap011_in_both_censuses;
/// metrics.json: ap.* per home school; la.ap by school and by provider.
extern const MetricProducer placement_metrics;

/// The configured limits: weeks by reason (indexed by ApReason), sustain and review weeks, and the
/// inclusive date ranges that are not school days.
struct Limits {
  std::array<int, 7> max_weeks{};
  int sustain_weeks = 0;
  int review_weeks = 0;
  std::vector<std::pair<Date, Date>> holidays;
};
/// Reads the limits (max_weeks, sustain_weeks, review_weeks, holidays: the declared defaults applied
/// by the host); throws ConfigError naming the key for a bad value.
Limits read_limits(const PluginConfig& config);
/// RulePlugin::check_config: the limits can be read (a holiday range ending before it begins, say,
/// is exit 2 before any rule runs).
void check_config(const PluginConfig& config);

/// The plugin's options, declared once: module.cpp gives them to the host, which checks the LA's
/// values and applies the defaults, so the rules read them without fallbacks (the tests too).
inline constexpr OptionInfo options[] = {
    {.key = "max_weeks",
     .type = "object",
     .default_value = "{\"preventive\": 12, \"suspension\": 6, \"permanent_exclusion\": 26, \"medical\": 52, "
                      "\"awaiting_placement\": 26, \"managed_move\": 12, \"other\": 26}",
     .description = "AP005: the longest an open placement may run, in weeks, by reason",
     .minimum = 1,
     .maximum = 520,
     .items = "integer"},
    {.key = "sustain_weeks",
     .type = "integer",
     .default_value = "12",
     .description = "AP007 and metrics: how long a return must last to count as sustained",
     .minimum = 1,
     .maximum = 520},
    {.key = "review_weeks",
     .type = "integer",
     .default_value = "12",
     .description = "AP006: the longest a placement over 12 weeks may go without a review",
     .minimum = 1,
     .maximum = 520},
    {.key = "holidays",
     .type = "array",
     .default_value = "[]",
     .description = "AP008: [\"YYYY-MM-DD\", \"YYYY-MM-DD\"] inclusive ranges that are not school days",
     .items = "array"},
};

/// A weekday outside every configured holiday.
bool school_day(Date d, const Limits& limits);
/// The `n`th school day counting `from` as the first if it is one (from = Monday, n = 6: the next
/// Monday, school days permitting).
Date nth_school_day(Date from, int n, const Limits& limits);

/// A destination or reason as a sentence says it ("another mainstream school", "a managed move"): the
/// messages reach school staff, who do not know ap_placements.csv's codes (the values keep the code).
std::string words(ApDestination d);
std::string words(ApReason r);

/// Each pupil's placements (by UPN, non-empty), in start order (placements with no start last).
std::map<std::string, std::vector<const ApPlacement*>> placements_by_pupil(const Dataset& data);

/// The ended placements that reintegrated the pupil (destination same_school or other_mainstream, end
/// on or after start).
bool reintegrated_placement(const ApPlacement& p);

/// Whether any placement comes from a source that records planned ends, reviews and destinations
/// (ap_placements.csv; the AP census records none of them). The rules that need them read only those.
bool any_carries_plan(const Dataset& data);
inline constexpr std::string_view no_plan_fields =
    "the AP placements come from the AP census, which records no planned end, review or destination "
    "(ap_placements.csv does: set ap_placements_from: csv to read it)";

/// What ended a reintegration within sustain_weeks of its end (end < date <= end + sustain_weeks),
/// if anything: a new placement, or a permanent exclusion in this census or the previous one.
struct Breakdown {
  std::string what; ///< "new placement AP-0002" or "permanent exclusion"
  Date date;
};
std::optional<Breakdown> breakdown_after(const Dataset& data, const ApPlacement& reintegration,
                                         const std::vector<const ApPlacement*>& pupil_placements, const Limits& limits);

} // namespace censusqa::ap_reintegration
