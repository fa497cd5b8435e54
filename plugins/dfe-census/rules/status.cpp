// dfe-census, status: enrolment status, entry and leaving dates, part-time and top-up funding (DfE rules
// 1860-1990). Each rule: its metadata, its check, its Rule.
#include "common.hpp"
#include "rules.hpp"

namespace censusqa::dfe_census {
namespace {

// DFE1940: a pupil of compulsory school age recorded as part-time.
constexpr RuleInfo dfe1940_info{
    .code = "DFE1940",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil aged 5 to 15 recorded as part-time",
    .why = "Part-time attendance is for pupils below compulsory school age (nursery and some reception pupils) "
           "and, rarely, over it: a pupil aged 5 to 15 on 31 August is of compulsory school age and is expected "
           "full-time, so COLLECT rejects the part-time indicator (DfE rule 1940).",
    .how_to_fix = "Set the pupil's part-time indicator to false in the MIS, or correct the date of birth if it "
                  "is wrong.",
    .needs = needs_census,
    .fields = "PartTime, DOB",
    .dfe_rule = "1940",
    .dfe_match = DfeMatch::exact};

void dfe1940_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    if (p.part_time != true || !p.dob) return;
    const auto day = ctx.data.return_of(p).reference_date;
    if (!day) return;
    const int age = age_at_start_of_school_year(*p.dob, *day);
    if (age >= 5 && age <= 15)
      ctx.report_pupil(p, "Part-time pupil aged " + std::to_string(age) + " on 31 August",
                       {{"PartTime", "true"}, {"DOB", p.dob->iso()}});
  });
}

const Rule status[] = {
    {&dfe1940_info, dfe1940_check},
};

} // namespace

std::span<const Rule> status_rules() { return status; }

} // namespace censusqa::dfe_census
