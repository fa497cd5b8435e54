// PN008: the census says EHC plan, but the LA holds no active plan for the UPN.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN008",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "EHC plan in the census but none held by the LA",
    "Only the LA issues EHC plans; a pupil recorded as E whose UPN matches no active plan either has a plan from "
    "another LA, had one that has ceased, or is wrongly recorded (SEN support recorded as E).",
    "If the plan is from another LA, explain the query; otherwise correct SENprovision in the MIS (usually to K).",
    needs_census | needs_ehcp_cases,
    "SENprovision, UPN; ehcp_cases"};

void check(RuleContext& ctx) {
  const auto plans = active_plans(ctx);
  for (const Pupil& p : ctx.data.pupils)
    if (p.sen_provision == SenProvision::E && main_registration(p) && !p.upn.empty() && !plans.count(p.upn))
      ctx.report_pupil(p, "Pupil is recorded with an EHC plan (E) but the LA holds no active plan for UPN " + p.upn,
                       {{"SENprovision", "E"}});
}

} // namespace

const Rule pn008_no_active_plan{&info, check};

} // namespace censusqa::primary_need
