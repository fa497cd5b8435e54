// dfe-census: what several groups' rules share.
#pragma once

#include <censusqa/censusqa.hpp>
#include <censusqa/school_age.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace censusqa::dfe_census {

/// The return's phase as returned (SchoolCharacteristics/Phase): "NS", "PS", "SS", "SP", "PR", "AT", ...
inline bool phase_is(const CensusReturn& r, std::string_view code) { return r.phase_code == code; }
/// A special school or a PRU (phase SP or PR).
inline bool special_or_pru(const CensusReturn& r) { return phase_is(r, "SP") || phase_is(r, "PR"); }

/// Runs fn(return) over every census return `applies(return)` accepts. When there are returns and the
/// rule applies to none of them, says so once (IN090) with `why_not` ("need types are collected only in
/// the spring census"), so that a rule never reports "nothing found" for a module the run did not have.
template <typename Applies, typename Fn>
void for_each_return(RuleContext& ctx, Applies&& applies, std::string_view why_not, Fn&& fn) {
  bool any = false;
  for (const CensusReturn& r : ctx.data.returns)
    if (applies(r)) {
      any = true;
      fn(r);
    }
  if (!any && !ctx.data.returns.empty()) ctx.skip(why_not);
}

/// Runs fn(pupil) over the pupils on roll (and, with leavers = true, the leavers) of the returns
/// `applies` accepts; IN090 as for_each_return when it accepts none.
template <typename Applies, typename Fn>
void for_each_pupil(RuleContext& ctx, bool leavers, Applies&& applies, std::string_view why_not, Fn&& fn) {
  for_each_return(ctx, applies, why_not, [&](const CensusReturn& r) {
    for (const Pupil& p : ctx.data.pupils_of(r))
      fn(p);
    if (leavers)
      for (const Pupil& p : ctx.data.leavers_of(r))
        fn(p);
  });
}

/// A return read from a CSV census (census/pupils*.csv), whose optional columns may be absent altogether:
/// a rule then skips the return rather than report every pupil.
inline bool from_csv(const Dataset& d, const CensusReturn& r) {
  return r.source.file < d.files.size() && d.files[r.source.file].kind == "census-csv";
}

/// NC years, in NcYear::value() units (E1 = -4, R = 0, year n = n).
struct YearRange {
  int lowest, highest;
};
/// The NC years the DfE's phase codes imply. The DfE publishes no table: these are censusqa's, from what
/// the phases mean (nursery E1-R, primary up to year 6 with its nursery classes, middle deemed primary up to
/// year 8, middle deemed secondary years 4-9, secondary 7-14, 16 plus 12-14). All-through, special, PRU
/// and any other phase: none (they may teach any year).
std::optional<YearRange> phase_years(std::string_view phase_code);
/// The school's own lowest and highest NC years, when both are year groups (not X or M).
std::optional<YearRange> own_years(const CensusReturn& r);
/// The years expected of a return's school: its phase's, else its own lowest and highest.
std::optional<YearRange> expected_years(const CensusReturn& r);
/// The ages on 31 August (youngest, oldest) of a school teaching `years`, one year's grace either side
/// for a pupil taught out of cohort (the DfE states no threshold): DFE1601 and DFE2050.
struct AgeRange {
  int youngest, oldest;
};
constexpr int age_grace_years = 1;
constexpr AgeRange expected_ages(YearRange years) {
  return {years.lowest + 4 - age_grace_years, years.highest + 4 + age_grace_years};
}

/// Every return: for rules whose module every census carries.
inline bool every_return(const CensusReturn&) { return true; }

/// The census day of the census before a return's, the previous *term's* (COLLECT compares with the
/// last collection): the school's return in previous/ when it is that census (at most 200 days before;
/// this project's previous/ usually holds the previous spring, a year before, which is not), otherwise
/// the DfE's pattern of census days: the first Thursday in October, the third Thursday in January and
/// the third Thursday in May (3 October 2024, 16 January 2025, 15 May 2025; 5 October 2023, 18 January
/// 2024, 16 May 2024). Nothing without the return's term and census day. Built once per rule run.
class PreviousCensusDay {
public:
  explicit PreviousCensusDay(const Dataset& data);
  std::optional<Date> of(const CensusReturn& r) const;

private:
  std::unordered_map<std::string, Date> by_school_;
};

/// A whole-number percentage as the findings show it: "96.2%".
std::string percent(long long part, long long whole);

} // namespace censusqa::dfe_census
