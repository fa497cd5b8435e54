// CB004: commitments exceed the revenue balance.
#include "rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB004",
    Severity::query,
    Scope::school,
    Actor::la_finance,
    "Commitments exceed the revenue balance",
    "Commitments (D) can only be met from the revenue balance (C); more committed than held, including a deficit "
    "school with commitments, means the commitments are overstated or the school will need to fund them from its "
    "next budget.",
    "Check the commitments against the balance with the school; remove those already spent or not yet agreed.",
    needs_schools | needs_balances,
    "balances.csv, commitments.csv"};

void check(RuleContext& ctx) {
  const Scheme scheme = read_scheme(ctx.config);
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end)) {
    if (!s.complete()) continue;
    const Calculation c = calculate(s, scheme);
    if (c.D <= 0 || c.D <= c.C) continue;
    ctx.report_school(s.school->laestab, s.school->laestab, s.balance->source,
                      "Commitments of " + pounds(c.D) + " exceed the revenue balance of " + pounds(c.C),
                      {{"C", std::to_string(round_to_pounds(c.C))}, {"D", std::to_string(round_to_pounds(c.D))}});
  }
}

} // namespace

const Rule cb004_overcommitted{&info, check};

} // namespace censusqa::clawback
