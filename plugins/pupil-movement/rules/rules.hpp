// pupil-movement: where the pupils of each school's roll at the previous census are now, who joined,
// and the exits nothing on record explains. The rules (one per file, listed in module.cpp) and the
// metrics share one measurement of the two censuses (measure(), movement.cpp), made once per run.
#pragma once

#include <censusqa/censusqa.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace censusqa::pupil_movement {

extern const Rule mv001_vanished;
extern const Rule mv002_sen_exits_outlier;
extern const Rule mv003_excluded_nowhere;
/// metrics.json: movement.* per school (with breakdowns) and la.movement.
extern const MetricProducer movement_metrics;

/// The plugin's options, declared once: module.cpp gives them to the host, which checks the LA's values
/// and applies the defaults, so the rules read them without fallbacks (the tests too).
inline constexpr OptionInfo options[] = {
    {.key = "alpha",
     .type = "number",
     .default_value = "0.001",
     .description = "MV002: significance level of the exact binomial test",
     .minimum = 0,
     .maximum = 1},
    {.key = "min_sen_pupils",
     .type = "integer",
     .default_value = "10",
     .description = "MV002: fewest pupils with SEN of compulsory school age on the previous roll a school needs "
                    "to be tested",
     .minimum = 1},
    {.key = "min_gap_pct",
     .type = "number",
     .default_value = "5",
     .description = "MV002: smallest gap, in percentage points, between the school's unexplained exit rate and "
                    "its comparator's worth reporting",
     .minimum = 0,
     .maximum = 100},
};

/// What became of a pupil on a school's roll at the previous census. The first that applies: stayed,
/// completed_phase, into_ap by a PRU's roll, moved_out, into_ap by a placement or S at a PRU, left_on_record,
/// vanished.
enum class Outcome : std::uint8_t {
  stayed,          ///< on this school's roll now (status C or M)
  completed_phase, ///< the school's top year group (or Year 11) then, and a school year has passed
  into_ap,   ///< on a PRU's roll now; or, on no other school's roll, an AP placement open on census day or S at a PRU
  moved_out, ///< on another school's roll now (C or M), not a PRU's: moved within the LA
  left_on_record, ///< in this school's leavers' list now, leaving date by census day
  vanished,       ///< none of these: on no roll, in no leavers' list, in no AP placement
};
inline constexpr std::string_view outcome_names[] = {"stayed",    "completed_phase", "into_ap",
                                                     "moved_out", "left_on_record",  "vanished"};
constexpr std::string_view name(Outcome o) { return outcome_names[static_cast<std::size_t>(o)]; }

/// The breakdowns of every count: all pupils, by SEN provision (K, E, other), FSM, Years 10 and 11. The
/// previous roll's pupils are grouped by their record then, joiners by their record now.
enum class Group : std::uint8_t { all, sen_support, ehc_plan, no_sen, fsm, y10_11 };
inline constexpr std::string_view group_suffixes[] = {"", ".sen_support", ".ehc_plan", ".no_sen", ".fsm", ".y10_11"};
inline constexpr std::size_t group_count = std::size(group_suffixes);

/// The groups a pupil record is in (Group::all always).
struct Groups {
  bool in[group_count] = {true, false, false, false, false, false};
};
Groups groups_of(const Pupil& p);
/// Of compulsory school age as the DfE's statistics count it: 5 to 15 on the 31 August before the school
/// year that contains `day`. False without a date of birth.
bool of_compulsory_age(const Pupil& p, Date day);

/// A pupil of a school's previous roll and what became of them.
struct PreviousPupil {
  const Pupil* then = nullptr; ///< in Dataset::previous
  Outcome outcome = Outcome::vanished;
  const Pupil* now = nullptr;               ///< the record now: the roll (stayed, moved_out, into_ap) or the leaver
  const ApPlacement* placement = nullptr;   ///< into_ap by a placement
  std::string now_at;                       ///< moved_out, into_ap: the school now (LAEstab)
  bool by_former_upn = false;               ///< found now through the record's FormerUPN
  bool compulsory_age = false;              ///< 5 to 15 on the 31 August before the previous census's school year
  std::string_view explained;               ///< an exit's explanation ("permanent exclusion", ...); empty if none
  std::optional<Date> leaving_after_census; ///< a leaver record here dated after census day (not evidence)
  Groups groups;
  /// An exit: moved out, into AP, left or vanished (not stayed, not completed phase).
  bool exit() const { return outcome != Outcome::stayed && outcome != Outcome::completed_phase; }
  /// Counted in movement.unexplained_exits: an exit of a pupil of compulsory school age with no explanation.
  bool unexplained_exit() const { return exit() && compulsory_age && explained.empty(); }
};

/// A pupil on the roll now (C or M) who was not on it at the previous census.
struct Joiner {
  const Pupil* now = nullptr;
  std::string from; ///< the school of the LA whose roll they were on then; empty when none
  Groups groups;
};

/// A pupil who joined after the previous census and is in this return's leavers' list (an exit two
/// snapshots cannot see, counted as EPI counts it).
struct InWindowExit {
  const Pupil* leaver = nullptr;
  std::string_view explained;
  Groups groups;
};

struct SchoolMovement {
  std::string laestab;
  std::optional<Phase> phase; ///< the register's
  Date previous_day, day;     ///< the two census days: the window is (previous_day, day]
  bool crosses_year_end = false;
  std::vector<PreviousPupil> previous_roll; ///< distinct UPNs, in the previous return's order
  std::vector<Joiner> joiners;
  std::vector<InWindowExit> in_window_exits;
  /// movement.unexplained_exits for a group.
  std::int64_t unexplained_exits(Group g = Group::all) const;
};

struct Movement {
  /// Why nothing could be measured (no previous census, the store's stand-in, another LA's census, no
  /// census days); empty when measured.
  std::string refused;
  std::string source;                  ///< "previous/", or the stored run that stands in for it ("history store run 4")
  std::vector<SchoolMovement> schools; ///< measured, in LAEstab order
  std::vector<std::pair<std::string, std::string>> not_measured; ///< LAEstab, why
  std::optional<Date> previous_day, day;                         ///< the LA's: the most common census days
  std::int64_t former_upn_links = 0;                             ///< pupils found now through their FormerUPN
  std::int64_t former_upn_conflicts = 0; ///< FormerUPNs not used: another current pupil's UPN, or given twice
  std::int64_t no_upn_previous = 0;      ///< previous main registrations without a UPN (not followed)
  /// Schools whose return in this census was read only up to an error (Dataset::read_in_part): a pupil
  /// found on no roll may be on one of theirs.
  std::vector<std::string> read_in_part;
  const SchoolMovement* find(std::string_view laestab) const;
};

/// Measures the movement between Dataset::previous and this census. `run` gives the census day when a
/// return has none.
Movement measure(const Dataset& data, const RunInfo& run);
/// The run's measurement: made once while the plugin runs (every rule and the metrics share it), else
/// (a rule's own test) made now and kept until the next call on this thread.
const Movement& movement(const Dataset& data, const RunInfo& run);
/// Makes the run's measurement available to movement() while it lives (module.cpp).
class MeasuredRun {
public:
  MeasuredRun(const Dataset& data, const RunInfo& run);
  ~MeasuredRun();
  MeasuredRun(const MeasuredRun&) = delete;
  MeasuredRun& operator=(const MeasuredRun&) = delete;
};

/// A previous-census record as a reader finds it: "previous/census/8882001.xml line 214", or the stored
/// run it came from ("history store run 4").
std::string previous_record(const Dataset& data, const Pupil& then);
/// The school a message names: its register name and LAEstab, else the LAEstab.
std::string school_words(const Dataset& data, std::string_view laestab);

} // namespace censusqa::pupil_movement
