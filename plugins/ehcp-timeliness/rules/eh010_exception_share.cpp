// EH010: too many of a year's plans recorded as exception cases.
#include "rules.hpp"

#include <cstdio>

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH010",
    Severity::query,
    Scope::la,
    Actor::la_sen,
    "Unusually many exception cases in a year",
    "Exceptions remove a plan from the DfE's 'excluding exceptions' timeliness figure. Nationally about one plan in "
    "ten is an exception case; a share above the configured limit (max_exception_pct, default 25%) suggests "
    "exceptions recorded where none of the four permitted reasons applied.",
    "Audit a sample of that year's exception cases against the four permitted reasons and correct any that do "
    "not qualify.",
    needs_ehcp_cases,
    "plan_issue_date, exception"};

void check(RuleContext& ctx) {
  const double limit = ctx.config.get_number("max_exception_pct");
  for (const auto& [year, f] : figures_by_year(ctx.data, ctx.data.ehc_cases)) {
    const std::int64_t exceptions = f.plans_issued_den - f.plans_issued_den_ex;
    if (f.plans_issued_den == 0 ||
        static_cast<double>(exceptions) * 100.0 <= limit * static_cast<double>(f.plans_issued_den))
      continue;
    const Value pct = percent_1dp(exceptions, f.plans_issued_den);
    char pct_text[16];
    std::snprintf(pct_text, sizeof pct_text, "%.1f", pct.as_number());
    char limit_buf[16];
    std::snprintf(limit_buf, sizeof limit_buf, "%g", limit);
    const std::string limit_text = limit_buf;
    const std::string la = ctx.run.la_code.empty() ? "LA" : ctx.run.la_code;
    ctx.report_la(std::to_string(year), {},
                  "In " + std::to_string(year) + ", " + std::to_string(exceptions) + " of " +
                      std::to_string(f.plans_issued_den) + " plans issued (" + pct_text +
                      "%) were recorded as exception cases, more than the " + limit_text + "% limit",
                  {{"year", std::to_string(year)},
                   {"exception_cases", std::to_string(exceptions)},
                   {"plans_issued", std::to_string(f.plans_issued_den)},
                   {"la", la}});
  }
}

} // namespace

const Rule eh010_exception_share{&info, check};

} // namespace censusqa::ehcp_timeliness
