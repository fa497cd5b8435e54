// CI011: an item every pupil record must have is missing (on roll: EnrolStatus, NCyearActual, Sex,
// EntryDate; a leaver: Sex, EntryDate, LeavingDate).
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI011",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Required item missing",
    "Every pupil on roll needs an enrolment status, a year group, a sex and an entry date, and every leaver a sex, an "
    "entry date and a leaving date: without them the pupil cannot be counted on roll, by year group or by age, and "
    "COLLECT rejects the return (DfE rules 1860 enrolment status, 2000 NC year, 1610 sex, 1880 entry date and 1920 "
    "leaving date).",
    "Record the missing item on the pupil's record in the MIS and re-export the return.",
    needs_census,
    "EnrolStatus, NCyearActual, Sex, EntryDate, LeavingDate",
    // Each finding names the DfE rule of its item (check() below).
    "1610, 1860, 1880, 1920, 2000",
    DfeMatch::exact,
};

void check(RuleContext& ctx) {
  auto missing = [&](const Pupil& p, bool present, Field field, std::string_view element) {
    // A value that was given but could not be read is the loader's finding (IN003/IN004), not a missing one.
    if (present || ctx.data.raw_value(p, field)) return;
    const std::string who = p.upn.empty() ? "line " + std::to_string(p.source.line) : p.upn;
    const std::string_view dfe = field == Field::enrol_status ? "1860"
                                 : field == Field::nc_year    ? "2000"
                                 : field == Field::sex        ? "1610"
                                 : field == Field::entry_date ? "1880"
                                                              : "1920";
    ctx.for_dfe(dfe).report_school(ctx.data.return_of(p).laestab, who + "." + std::string(element), p.source,
                                   std::string(p.leaver ? "Leaver " : "Pupil ") + (p.upn.empty() ? "at " : "") + who +
                                       " has no " + std::string(element),
                                   {{std::string(element), ""}}, p.upn);
  };
  for (const Pupil& p : ctx.data.pupils) {
    missing(p, p.enrol_status.has_value(), Field::enrol_status, "EnrolStatus");
    missing(p, p.nc_year.has_value(), Field::nc_year, "NCyearActual");
    missing(p, p.sex != 0, Field::sex, "Sex");
    missing(p, p.entry_date.has_value(), Field::entry_date, "EntryDate");
  }
  for (const Pupil& p : ctx.data.leavers) {
    missing(p, p.sex != 0, Field::sex, "Sex");
    missing(p, p.entry_date.has_value(), Field::entry_date, "EntryDate");
    missing(p, p.leaving_date.has_value(), Field::leaving_date, "LeavingDate");
  }
}

} // namespace

const Rule ci011_required_item{&info, check};

} // namespace censusqa::census_integrity
