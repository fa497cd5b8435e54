// Who a school is compared with, and how a difference is judged. Comparator groups: the LA's schools
// of the same phase, and "similar schools" (same phase and same free-school-meals quintile within
// the LA, falling back to same phase when that group is small); England from the DfE's SEN in
// England school-level file when reference/ holds it. The flag is a binomial (or, for rates that
// can pass 100, Poisson) band of two and three standard errors around the comparator.
#pragma once

#include "metrics.hpp"

#include <censusqa/dataset.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::report {

struct SchoolGroups {
  std::optional<Phase> phase;
  int fsm_quintile = 0; ///< 1 (lowest FSM share) to 5 among the LA's schools of the phase; 0 unknown
  /// The LA's schools of the same phase, and the similar-schools group (each listing this school
  /// too), in LAEstab order. Shared by every school of the group: memory stays linear in schools.
  /// A school is compared with the group's *other* schools only (comparator_total below).
  std::shared_ptr<const std::vector<std::string>> la_phase, similar;
  std::size_t la_others = 0, similar_others = 0; ///< the groups' schools other than this one
  std::string la_key, similar_key;               ///< the groups' names: "primary", "primary/q3"
  bool similar_is_phase_only = false;            ///< the FSM-quintile group was too small
};

struct Comparators {
  std::map<std::string, SchoolGroups> schools;
  /// England by phase, from the SEN in England school-level file: pupils_on_roll, sen_support,
  /// ehc_plan and need.<CODE>.sen_support / .ehc_plan, and `schools`.
  std::map<Phase, std::map<std::string, std::int64_t>> england;
  std::string england_source; ///< the reference file's path, when loaded
  int similar_min_schools = 5;
};

Comparators compute_comparators(const Dataset& data, const Metrics& metrics, int similar_min_schools = 5);

/// Adds `la.comparator_groups` (`schools`: per school phase, fsm_quintile, similar_basis, la_group,
/// similar_group; `groups`: each group's LAEstabs, listed once) and `la.england` (by phase) to the
/// metrics, so that every figure a workbook shows can be checked.
void add_comparator_metrics(Metrics& metrics, const Comparators& c);

/// What a school's flags compare it with: the similar schools (other than itself); the LA's other
/// schools of the phase when the similar group is the phase anyway (one column, not two that repeat);
/// England when no other school of the phase has a return and the DfE reference is loaded; else
/// nothing ("no comparator", nothing flagged). The one definition the Overview, the sheets and the
/// metrics use.
enum class Basis : std::uint8_t { similar, la, england, none };
Basis flag_basis(const SchoolGroups& g, bool england_loaded);
std::string_view basis_name(Basis b); ///< "similar schools", "LA", "England", "none" (metrics.json)

/// A group's figure for one school's comparator: the group's total less the school's own, so that a
/// school is never in its own comparator; nothing when the group has no other school (a group of one
/// is the school itself, not a comparator) or no figure.
std::optional<std::int64_t> comparator_total(std::optional<std::int64_t> group_total, std::optional<std::int64_t> own,
                                             std::size_t other_schools);

/// The small-number rule: counts of 1 to 4 are shown but never flagged, in every table (the DfE's
/// and Ofsted's practice of not reading meaning into a handful of cases). The one test every flag
/// and every "small number" note uses.
inline constexpr int small_number_max = 4;
constexpr bool is_small_number(std::int64_t count) { return count >= 1 && count <= small_number_max; }

/// The five-level flag.
enum class Flag { well_below, below, in_line, above, well_above };
std::string_view flag_text(Flag f);

/// How a school's x of n compares with a comparator share p (x/n is a proportion) or rate r (events
/// per pupil, which may exceed 1). Counts of 1 to 4 (is_small_number) have no flag and small_number
/// set. Nothing when n is 0 or there is no comparator.
struct FlagResult {
  std::optional<Flag> flag;
  bool small_number = false;
};
FlagResult compare_proportion(std::int64_t x, std::int64_t n, std::optional<double> p);
FlagResult compare_rate(std::int64_t x, std::int64_t n, std::optional<double> r);

} // namespace censusqa::report
