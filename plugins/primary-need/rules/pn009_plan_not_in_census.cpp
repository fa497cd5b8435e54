// PN009: the LA holds an active plan, but the census says SEN support or no SEN.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN009",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "LA holds an EHC plan but the census says K or N",
    "A pupil whose active EHC plan the LA maintains should be recorded as E; otherwise the school's and the LA's "
    "counts of plans disagree and the school may be missing high-needs funding.",
    "Record SENprovision E in the MIS; if the plan has ceased, tell the LA so that it records the date.",
    needs_census | needs_ehcp_cases,
    "SENprovision, UPN; ehcp_cases"};

void check(RuleContext& ctx) {
  const auto plans = active_plans(ctx);
  for (const Pupil& p : ctx.data.pupils) {
    if (!main_registration(p) || !p.sen_provision || *p.sen_provision == SenProvision::E) continue;
    const auto it = plans.find(p.upn);
    if (it == plans.end()) continue;
    ctx.report_pupil(p,
                     "The LA holds an active EHC plan (case " + it->second->case_id +
                         ") but the census records SEN provision " + std::string(name(*p.sen_provision)),
                     {{"SENprovision", std::string(name(*p.sen_provision))}, {"case_id", it->second->case_id}});
  }
}

} // namespace

const Rule pn009_plan_not_in_census{&info, check};

} // namespace censusqa::primary_need
