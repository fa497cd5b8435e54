// CB007: a revenue deficit.
#include "rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB007",
    Severity::info,
    Scope::school,
    Actor::la_finance,
    "Revenue deficit",
    "A school whose revenue balance (C = A - B) is below zero is in deficit; it has nothing to claw back and is "
    "listed for the LA's deficit monitoring.",
    "Nothing here; the LA's deficit recovery process applies.",
    needs_schools | needs_balances,
    "balances.csv: total_balance, capital_balance"};

void check(RuleContext& ctx) {
  const Scheme scheme = read_scheme(ctx.config);
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end)) {
    if (!s.complete()) continue;
    const Calculation c = calculate(s, scheme);
    if (c.C < 0)
      ctx.report_school(s.school->laestab, s.school->laestab, s.balance->source, "Revenue deficit of " + pounds(-c.C),
                        {{"C", std::to_string(round_to_pounds(c.C))}});
  }
}

} // namespace

const Rule cb007_deficit{&info, check};

} // namespace censusqa::clawback
