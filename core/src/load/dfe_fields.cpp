// The DfE rules of the loaders' own findings; see dfe_fields.hpp. One table: `censusqa rules --dfe`
// lists it, and the loaders look each IN003/IN004 up in it where they make the finding (CensusPart's
// bad() and coded()).
//
// A row is there only when the DfE rule rejects exactly what the loader rejects: a code outside the
// year's list, or a value that cannot be read as its type, which the loader then treats as missing
// (so for a "missing" rule such as 1600 the unreadable value is what COLLECT would not accept either).
// A value that is missing altogether is not the loader's finding: the rules report it (CI011, CI006,
// the dfe-census plugin), after checking that no raw value was kept for it.
#include "dfe_fields.hpp"

#include <array>

namespace censusqa::load {
namespace {

enum class Who : std::uint8_t { any, on_roll, leaver };

struct Row {
  LoaderDfeRule rule;
  Field field;
  Who who = Who::any;
  std::optional<AttendancePeriod> period{}; ///< attendance fields: the module it applies to
  std::string_view code{};                  ///< only this value (compared without regard to case)
};

using P = AttendancePeriod;

// In DfE rule order; a row naming a code comes before the general row of its field.
constexpr Row rows[] = {
    {{"1575", "IN003", "UniqueLearnerNumber"}, Field::uln},
    {{"1600", "IN003", "DOB"}, Field::dob},
    {{"1610", "IN004", "Sex"}, Field::sex},
    {{"1761", "IN003", "FSMstartDate"}, Field::fsm_start_date},
    {{"1764", "IN004", "UKcountry"}, Field::fsm_country},
    {{"1860", "IN004", "EnrolStatus"}, Field::enrol_status},
    {{"1869", "IN003", "TopUpFunding"}, Field::top_up_funding},
    {{"1880", "IN003", "EntryDate"}, Field::entry_date},
    {{"1920", "IN003", "LeavingDate"}, Field::leaving_date, Who::leaver},
    {{"1930", "IN003", "PartTime"}, Field::part_time},
    {{"2000", "IN004", "NCyearActual"}, Field::nc_year, Who::on_roll},
    {{"2115", "IN004", "SENprovision"}, Field::sen_provision, Who::any, {}, "S"},
    {{"2120", "IN004", "SENprovision"}, Field::sen_provision},
    {{"2140", "IN003", "SENtypeRank"}, Field::need_rank},
    {{"2170", "IN004", "SENtype"}, Field::need_type},
    {{"2275", "IN004", "TermlyExclusion/Category"}, Field::exclusion_category},
    {{"2280", "IN004", "TermlyExclusion/Reason"}, Field::exclusion_reason},
    {{"2290", "IN003", "TermlyExclusion/StartDate"}, Field::exclusion_start_date},
    {{"2310", "IN004", "TermlyExclusion/SENprovision"}, Field::exclusion_sen_provision},
    {{"2475", "IN004", "TermlyAttendance/AttendanceReason"}, Field::attendance_reason, Who::any, P::termly},
    {{"2500", "IN003", "TermlyAttendance/SessionsPossible"}, Field::sessions_possible, Who::on_roll, P::termly},
    {{"2510", "IN003", "TermlyAttendance/SessionsPossible"}, Field::sessions_possible, Who::leaver, P::termly},
    {{"2572", "IN004", "SummerHalfTerm2Attendance/AttendanceReason"},
     Field::attendance_reason,
     Who::any,
     P::summer_half_term_2},
    {{"2575", "IN003", "SummerHalfTerm2Attendance/SessionsPossible"},
     Field::sessions_possible,
     Who::on_roll,
     P::summer_half_term_2},
    {{"2579", "IN003", "SummerHalfTerm2Attendance/SessionsPossible"},
     Field::sessions_possible,
     Who::leaver,
     P::summer_half_term_2},
};

constexpr auto listed = [] {
  std::array<LoaderDfeRule, std::size(rows)> out{};
  for (std::size_t i = 0; i < std::size(rows); ++i)
    out[i] = rows[i].rule;
  return out;
}();

} // namespace

std::span<const LoaderDfeRule> loader_dfe_rules() { return listed; }

std::string_view loader_dfe_rule(std::string_view input_rule, Field field, bool leaver,
                                 std::optional<AttendancePeriod> period, std::string_view value) {
  for (const Row& r : rows) {
    if (r.field != field || r.rule.input_rule != input_rule) continue;
    if ((r.who == Who::on_roll && leaver) || (r.who == Who::leaver && !leaver)) continue;
    if (r.period && r.period != period) continue;
    if (!r.code.empty() && !detail::iequals(r.code, value)) continue;
    return r.rule.dfe_rule;
  }
  return {};
}

} // namespace censusqa::load
