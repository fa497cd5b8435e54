// What the primary-need rules share; see rules.hpp.
#include "rules.hpp"

namespace censusqa::primary_need {

bool needs_collected(const RuleContext& ctx, const CensusReturn& r) {
  if (!r.term) return true;
  const ConfigValue* terms = ctx.config.find("need_terms"); // declared: the host checked it and applied the default
  if (!terms || !terms->is_array()) throw ConfigError("configuration primary-need.need_terms is not an array");
  for (const auto& t : terms->as_array())
    if (t.is_string() && parse_term(t.as_string()) == r.term) return true;
  return false;
}

std::unordered_map<std::string, const EhcCase*> active_plans(const RuleContext& ctx) {
  std::unordered_map<std::string, const EhcCase*> out;
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (c.upn.empty() || !c.plan_issue_date) continue;
    if (ctx.run.reference_date && *c.plan_issue_date > *ctx.run.reference_date) continue;
    if (!c.plan_active(ctx.run.reference_date)) continue;
    const auto [it, fresh] = out.emplace(c.upn, &c);
    if (!fresh && *c.plan_issue_date > *it->second->plan_issue_date) it->second = &c; // the latest plan
  }
  return out;
}

} // namespace censusqa::primary_need
