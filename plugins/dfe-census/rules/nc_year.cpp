// dfe-census, NC year: the pupil's national curriculum year against the school's own range, its phase and
// the pupil's age (DfE rules 200 and 2002-2112; a missing NC year is CI011's 2000, and a year two or more
// from the pupil's age CI007's 2020). Each rule: its metadata, its check, its Rule.
#include "common.hpp"
#include "rules.hpp"

#include <censusqa/school_age.hpp>

#include <algorithm>
#include <array>
#include <optional>

namespace censusqa::dfe_census {

namespace {

/// The school said it does not follow the national curriculum: its lowest or highest NC year is X.
bool no_national_curriculum(const CensusReturn& r) {
  return (r.lowest_nc_year && r.lowest_nc_year->is_x()) || (r.highest_nc_year && r.highest_nc_year->is_x());
}

std::string code_of(int v) {
  static constexpr std::string_view codes[] = {"E1", "E2", "N1", "N2", "R",  "1",  "2",  "3",  "4", "5",
                                               "6",  "7",  "8",  "9",  "10", "11", "12", "13", "14"};
  return v >= -4 && v <= 14 ? std::string(codes[v + 4]) : std::string("?");
}

constexpr std::string_view no_x_school = "no return's school says it does not follow the national curriculum (lowest "
                                         "or highest NC year X)";

// DFE200: a school not following the national curriculum returns pupils with an NC year other than X.
constexpr RuleInfo dfe200_info{
    .code = "DFE200",
    .severity = Severity::error,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "School without the national curriculum returns pupils in NC year groups",
    .why = "A school that gives X as its lowest or highest NC year says it does not follow the national curriculum, "
           "so every pupil's NC year must be X too; COLLECT rejects the return when pupils have another year "
           "(DfE rule 200, checked against the school's characteristics; rule 2112 is the same check pupil by "
           "pupil, DFE2112).",
    .how_to_fix = "Either correct the school's lowest and highest NC years in the MIS (if it does follow the national "
                  "curriculum) or record the pupils' NC year as X.",
    .needs = needs_census,
    .fields = "LowestNCyear, HighestNCyear, NCyearActual",
    .dfe_rule = "200",
    .dfe_match = DfeMatch::exact};

void dfe200_check(RuleContext& ctx) {
  for_each_return(ctx, no_national_curriculum, no_x_school, [&](const CensusReturn& r) {
    std::int64_t count = 0;
    for (const Pupil& p : ctx.data.pupils_of(r))
      count += p.nc_year && !p.nc_year->is_x();
    if (count > 0)
      ctx.report_school(r.laestab, r.laestab, r.source,
                        std::to_string(count) + (count == 1 ? " pupil has" : " pupils have") +
                            " an NC year other than X, but the school's NC years are X",
                        {{"LowestNCyear", r.lowest_nc_year ? std::string(r.lowest_nc_year->code()) : ""},
                         {"HighestNCyear", r.highest_nc_year ? std::string(r.highest_nc_year->code()) : ""},
                         {"pupils", std::to_string(count)}});
  });
}

// DFE2002: a pupil's NC year outside the school's lowest and highest NC years.
constexpr RuleInfo dfe2002_info{
    .code = "DFE2002",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil's NC year outside the school's lowest and highest NC years",
    .why = "The school's characteristics give the lowest and highest NC years it teaches; a pupil in a year outside "
           "them means a wrong NC year or wrong characteristics, and COLLECT rejects it (DfE rule 2002).",
    .how_to_fix = "Correct the pupil's NC year in the MIS, or the school's lowest or highest NC year if the school "
                  "does teach that year.",
    .needs = needs_census,
    .fields = "NCyearActual, LowestNCyear, HighestNCyear",
    .dfe_rule = "2002",
    .dfe_match = DfeMatch::exact};

void dfe2002_check(RuleContext& ctx) {
  for_each_return(
      ctx, [](const CensusReturn& r) { return own_years(r).has_value(); },
      "no return gives its lowest and highest NC years as year groups (a CSV census carries neither)",
      [&](const CensusReturn& r) {
        const YearRange years = *own_years(r);
        for (const Pupil& p : ctx.data.pupils_of(r)) {
          if (!p.nc_year || p.nc_year->no_year_group()) continue;
          const int v = p.nc_year->value();
          if (v < years.lowest || v > years.highest)
            ctx.report_pupil(p,
                             "NC year " + std::string(p.nc_year->code()) + " is outside the school's NC years " +
                                 code_of(years.lowest) + " to " + code_of(years.highest),
                             {{"NCyearActual", std::string(p.nc_year->code())},
                              {"LowestNCyear", code_of(years.lowest)},
                              {"HighestNCyear", code_of(years.highest)}});
        }
      });
}

// DFE2010: 10% or more of the school's pupils are in an NC year other than their age's.
constexpr RuleInfo dfe2010_info{
    .code = "DFE2010",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "10% or more of the pupils are in a year group other than their age's",
    .why = "Pupils are placed in the year group of their age on 31 August; when one in ten or more is not (counted "
           "over the pupils on roll with a date of birth and an NC year group, not X or M), the dates of birth or NC "
           "years are probably wrong in bulk (a year rolled over twice, or not at all), and COLLECT queries it (DfE "
           "rule 2010).",
    .how_to_fix = "Check the NC years and dates of birth in the MIS (a year-end rollover done twice or not at all); "
                  "if the school does teach many pupils out of their year group, explain the query with the reason.",
    .needs = needs_census,
    .fields = "DOB, NCyearActual",
    .dfe_rule = "2010",
    .dfe_match = DfeMatch::exact};

void dfe2010_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    if (!r.reference_date) return;
    std::int64_t counted = 0, differing = 0;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (!p.dob || !p.nc_year || p.nc_year->no_year_group()) continue;
      ++counted;
      const auto expected = expected_nc_year(*p.dob, *r.reference_date);
      differing += !expected || expected->value() != p.nc_year->value();
    }
    if (counted > 0 && differing * 10 >= counted)
      ctx.report_school(r.laestab, r.laestab, r.source,
                        std::to_string(differing) + " of " + std::to_string(counted) + " pupils (" +
                            percent(differing, counted) + ") are in a year group other than their age's",
                        {{"pupils", std::to_string(counted)},
                         {"differing", std::to_string(differing)},
                         {"percent", percent(differing, counted)}});
  });
}

// DFE2030: a pupil in an NC year a school of its phase does not teach.
constexpr RuleInfo dfe2030_info{
    .code = "DFE2030",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil in a year group unexpected for the school's phase",
    .why = "A pupil in a year group the school's phase does not teach (a year 9 pupil in a primary school) usually "
           "has a wrong NC year, or the school a wrong phase. The DfE publishes no table: censusqa expects nursery "
           "E1-R, primary E1-6, middle deemed primary E1-8, middle deemed secondary 4-9, secondary 7-14 and 16 plus "
           "12-14, and nothing of all-through, special, PRU and other phases (their own NC years are DFE2002's). "
           "COLLECT queries the pupil (DfE rule 2030).",
    .how_to_fix = "Correct the pupil's NC year in the MIS, or the school's phase; if the pupil is rightly placed, "
                  "explain the query.",
    .needs = needs_census,
    .fields = "NCyearActual, Phase",
    .dfe_rule = "2030",
    .dfe_match = DfeMatch::exact};

void dfe2030_check(RuleContext& ctx) {
  for_each_return(
      ctx, [](const CensusReturn& r) { return phase_years(r.phase_code).has_value(); },
      "no return gives a phase with expected year groups (nursery, primary, middle, secondary, 16 plus)",
      [&](const CensusReturn& r) {
        const YearRange years = *phase_years(r.phase_code);
        for (const Pupil& p : ctx.data.pupils_of(r)) {
          if (!p.nc_year || p.nc_year->no_year_group()) continue;
          const int v = p.nc_year->value();
          if (v < years.lowest || v > years.highest)
            ctx.report_pupil(p,
                             "NC year " + std::string(p.nc_year->code()) + " is unexpected in a school of phase " +
                                 r.phase_code + " (years " + code_of(years.lowest) + " to " + code_of(years.highest) +
                                 ")",
                             {{"NCyearActual", std::string(p.nc_year->code())}, {"Phase", r.phase_code}});
        }
      });
}

// DFE2040: a year group between the school's lowest and highest (year 14 apart) has no pupils.
constexpr RuleInfo dfe2040_info{
    .code = "DFE2040",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Year group the school teaches has no pupils",
    .why = "A school's lowest and highest NC years say which year groups it teaches; one of them (year 14 apart) "
           "with no pupil on roll means wrong NC years, wrong characteristics, or a year group missing from the "
           "export, and COLLECT queries it (DfE rule 2040).",
    .how_to_fix = "Check that the return includes every year group, and the school's lowest and highest NC years; "
                  "if the year group is genuinely empty (a school opening year by year), explain the query.",
    .needs = needs_census,
    .fields = "LowestNCyear, HighestNCyear, NCyearActual",
    .dfe_rule = "2040",
    .dfe_match = DfeMatch::exact};

void dfe2040_check(RuleContext& ctx) {
  for_each_return(
      ctx, [](const CensusReturn& r) { return own_years(r).has_value(); },
      "no return gives its lowest and highest NC years as year groups (a CSV census carries neither)",
      [&](const CensusReturn& r) {
        const YearRange years = *own_years(r);
        std::array<std::int64_t, 19> count{};
        for (const Pupil& p : ctx.data.pupils_of(r))
          if (p.nc_year && !p.nc_year->no_year_group()) ++count[static_cast<std::size_t>(p.nc_year->value() + 4)];
        std::string empty;
        for (int v = years.lowest; v <= years.highest && v <= 13; ++v)
          if (v >= -4 && count[static_cast<std::size_t>(v + 4)] == 0) empty += (empty.empty() ? "" : ", ") + code_of(v);
        if (!empty.empty())
          ctx.report_school(r.laestab, r.laestab, r.source,
                            "No pupil on roll in NC year " + empty + ", which the school teaches (years " +
                                code_of(years.lowest) + " to " + code_of(years.highest) + ")",
                            {{"NCyearActual", empty},
                             {"LowestNCyear", code_of(years.lowest)},
                             {"HighestNCyear", code_of(years.highest)}});
      });
}

// DFE2050: some pupils are outside the ages expected of the school's phase (the school-level DFE1601).

constexpr RuleInfo dfe2050_info{
    .code = "DFE2050",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Some pupils are outside the ages expected of the school's phase",
    .why = "When pupils are older or younger than a school of its phase teaches, the school's phase may be wrong "
           "rather than the pupils' dates of birth. The ages are DFE1601's: those of the NC years of the phase "
           "(nursery E1-R, primary E1-6, middle deemed primary E1-8, middle deemed secondary 4-9, secondary 7-14, 16 "
           "plus 12-14; otherwise the school's own lowest and highest NC years), one year either side allowed. "
           "COLLECT asks the school to check its type (DfE rule 2050).",
    .how_to_fix = "Check the school's phase in the MIS's school details, then the dates of birth of the pupils "
                  "DFE1601 names; if both are right, explain the query.",
    .needs = needs_census,
    .fields = "DOB, Phase, LowestNCyear, HighestNCyear",
    .dfe_rule = "2050",
    .dfe_match = DfeMatch::exact};

void dfe2050_check(RuleContext& ctx) {
  for_each_return(
      ctx, [](const CensusReturn& r) { return r.reference_date && expected_years(r).has_value(); },
      "no return gives a phase or its lowest and highest NC years (a CSV census carries neither)",
      [&](const CensusReturn& r) {
        const auto [youngest, oldest] = expected_ages(*expected_years(r));
        std::int64_t outside = 0;
        for (const Pupil& p : ctx.data.pupils_of(r)) {
          if (!p.dob) continue;
          const int age = age_at_start_of_school_year(*p.dob, *r.reference_date);
          outside += age < youngest || age > oldest;
        }
        if (outside > 0)
          ctx.report_school(r.laestab, r.laestab, r.source,
                            std::to_string(outside) + (outside == 1 ? " pupil is" : " pupils are") +
                                " outside the ages " + std::to_string(std::max(youngest, 0)) + " to " +
                                std::to_string(oldest) + " expected of a school of phase " +
                                (r.phase_code.empty() ? std::string("(none)") : r.phase_code) + ": is the phase right?",
                            {{"Phase", r.phase_code}, {"pupils", std::to_string(outside)}});
      });
}

// DFE2112: a pupil with an NC year other than X in a school not following the national curriculum.
constexpr RuleInfo dfe2112_info{
    .code = "DFE2112",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil has an NC year group in a school without the national curriculum",
    .why = "A school whose lowest or highest NC year is X does not follow the national curriculum, so its pupils' "
           "NC year must be X; COLLECT rejects each pupil with another (DfE rule 2112; DFE200 is the school's "
           "count).",
    .how_to_fix = "Record the pupil's NC year as X, or correct the school's lowest and highest NC years if it does "
                  "follow the national curriculum.",
    .needs = needs_census,
    .fields = "NCyearActual, LowestNCyear, HighestNCyear",
    .dfe_rule = "2112",
    .dfe_match = DfeMatch::exact};

void dfe2112_check(RuleContext& ctx) {
  for_each_return(ctx, no_national_curriculum, no_x_school, [&](const CensusReturn& r) {
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (p.nc_year && !p.nc_year->is_x())
        ctx.report_pupil(p,
                         "NC year " + std::string(p.nc_year->code()) +
                             " in a school that does not follow the national curriculum (its NC years are X)",
                         {{"NCyearActual", std::string(p.nc_year->code())}});
  });
}

const Rule nc_year[] = {
    {&dfe200_info, dfe200_check},   {&dfe2002_info, dfe2002_check}, {&dfe2010_info, dfe2010_check},
    {&dfe2030_info, dfe2030_check}, {&dfe2040_info, dfe2040_check}, {&dfe2050_info, dfe2050_check},
    {&dfe2112_info, dfe2112_check},
};

} // namespace

std::span<const Rule> nc_year_rules() { return nc_year; }

} // namespace censusqa::dfe_census
