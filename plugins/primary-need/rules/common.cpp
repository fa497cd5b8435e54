// What the primary-need rules share; see rules.hpp.
#include "rules.hpp"

#include <cmath>
#include <cstdio>

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

double binomial_two_sided_p(int k, int n, double p) {
  if (n <= 0) return 1.0;
  if (p <= 0.0) return k == 0 ? 1.0 : 0.0;
  if (p >= 1.0) return k == n ? 1.0 : 0.0;
  auto log_pmf = [&](int i) {
    return std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) + i * std::log(p) +
           (n - i) * std::log1p(-p);
  };
  const double observed = log_pmf(k);
  const double tolerance = std::log1p(1e-7); // outcomes as likely as k, up to rounding, count too
  double total = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double l = log_pmf(i);
    if (l <= observed + tolerance) total += std::exp(l);
  }
  return std::min(1.0, total);
}

std::string pct_text(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", share * 100.0);
  return buf;
}

} // namespace censusqa::primary_need
