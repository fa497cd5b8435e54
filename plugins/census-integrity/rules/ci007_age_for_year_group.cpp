// CI007: age out of line with the national curriculum year group.
#include "rules.hpp"

#include <cstdlib>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI007",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "Age more than a year out of line with the year group",
    "Pupils are placed in the year group for their age on 31 August at the start of the academic year (Reception "
    "at 4, year n at n + 4). A pupil taught a year out of cohort is plausible; more than a year apart usually means "
    "a wrong date of birth or NC year (COLLECT queries it: DfE rule 2020).",
    "Check the date of birth and NCyearActual in the MIS; if the pupil is genuinely taught out of cohort by more than "
    "a year, explain the query.",
    needs_census,
    "DOB, NCyearActual",
    // COLLECT's rule 2020 (a query) asks why a pupil is two or more years outside its expected NC year (the
    // DfE's guide to the query): the same condition as CI007's "more than a year apart".
    "2020",
    DfeMatch::exact,
};

std::string year_label(NcYear y) {
  if (y.value() == -2) return "N1";
  if (y.value() == -1) return "N2";
  if (y.value() == 0) return "R";
  return std::to_string(y.value());
}

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (!p.dob || !p.nc_year || p.nc_year->is_x()) continue;
    const auto& ret = ctx.data.return_of(p);
    const std::optional<Date> ref = ret.reference_date ? ret.reference_date : ctx.run.reference_date;
    if (!ref || *p.dob > *ref) continue; // CI006's finding
    const Date aug31 = academic_year_start_eve(*ref);
    const int age = p.dob->age_on(aug31);
    const int expected = *p.nc_year->expected_age();
    if (std::abs(age - expected) > 1)
      ctx.report_pupil(p,
                       "Pupil was " + std::to_string(age) + " on " + aug31.iso() + " but NC year " +
                           year_label(*p.nc_year) + " is for pupils aged " + std::to_string(expected) +
                           " then: more than a year apart",
                       {{"DOB", p.dob->iso()},
                        {"NCyearActual", year_label(*p.nc_year)},
                        {"age_on_31_august", std::to_string(age)},
                        {"expected_age", std::to_string(expected)}});
  }
}

} // namespace

const Rule ci007_age_for_year_group{&info, check};

} // namespace censusqa::census_integrity
