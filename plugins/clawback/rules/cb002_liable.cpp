// CB002: the school is liable to clawback.
#include "rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB002",
    Severity::query,
    Scope::school,
    Actor::school,
    "Liable to clawback",
    "Under the scheme, an uncommitted revenue balance (E = revenue balance C less commitments D) above the maximum "
    "permitted (I: the greater of the phase percentage of budget share and the floor) may be clawed back (J = E - I).",
    "The school should evidence any further commitments or assignments for the standard purposes before the "
    "Schools Forum meeting; otherwise J is reported for clawback.",
    needs_schools | needs_balances,
    "balances.csv, commitments.csv"};

void check(RuleContext& ctx) {
  const Scheme scheme = read_scheme(ctx.config);
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end)) {
    if (!s.complete()) continue; // CB001's finding
    const Calculation c = calculate(s, scheme);
    if (c.J <= 0) continue;
    ctx.report_school(s.school->laestab, s.school->laestab, s.balance->source,
                      "Revenue balance " + pounds(c.C) + ", committed " + pounds(c.D) + ", uncommitted " + pounds(c.E) +
                          ", maximum permitted " + pounds(c.I) + ": liable to clawback of " + pounds(c.J),
                      {{"C", std::to_string(round_to_pounds(c.C))},
                       {"D", std::to_string(round_to_pounds(c.D))},
                       {"E", std::to_string(round_to_pounds(c.E))},
                       {"I", std::to_string(round_to_pounds(c.I))},
                       {"J", std::to_string(round_to_pounds(c.J))}});
  }
}

} // namespace

const Rule cb002_liable{&info, check};

} // namespace censusqa::clawback
