// PN007: the census primary need differs from the need on the LA's active EHC plan.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN007",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "Primary need differs from the EHC plan",
    "For a pupil with an EHC plan the census primary need should be the primary need on the plan the LA holds; a "
    "difference means one of the two records is out of date.",
    "Check the plan's section B: correct the MIS to match the plan, or tell the LA if the plan's need is out of date.",
    needs_census | needs_ehcp_cases,
    "SENprovision, SENtype; ehcp_cases la_primary_need"};

void check(RuleContext& ctx) {
  const auto plans = active_plans(ctx);
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (p.sen_provision != SenProvision::E || !main_registration(p)) continue;
      const auto it = plans.find(p.upn);
      const auto census_need = ctx.data.primary_need_of(p);
      if (it == plans.end() || !census_need || !it->second->la_primary_need) continue;
      const NeedType plan_need = *it->second->la_primary_need;
      if (plan_need == *census_need) continue;
      ctx.report_pupil(p,
                       "The census primary need is " + std::string(name(*census_need)) +
                           " but the LA's EHC plan (case " + it->second->case_id + ") records " +
                           std::string(name(plan_need)),
                       {{"SENtype", std::string(name(*census_need))},
                        {"la_primary_need", std::string(name(plan_need))},
                        {"case_id", it->second->case_id}});
    }
  }
}

} // namespace

const Rule pn007_plan_need_differs{&info, check};

} // namespace censusqa::primary_need
