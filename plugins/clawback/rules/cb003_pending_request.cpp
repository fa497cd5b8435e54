// CB003: an exceptional (other) commitment awaits a Schools Forum decision.
#include "rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB003",
    Severity::query,
    Scope::school,
    Actor::la_finance,
    "Exceptional request pending a Schools Forum decision",
    "A commitment outside the standard purposes counts against the balance only if Schools Forum approves it, so "
    "the school's clawback depends on the decision; Forum needs both figures to decide.",
    "Put the request to Schools Forum with the two clawback figures; record the decision in commitments.csv.",
    needs_schools | needs_balances | needs_commitments,
    "commitments.csv: category other, forum_decision"};

void check(RuleContext& ctx) {
  const Scheme scheme = read_scheme(ctx.config);
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end)) {
    if (!s.complete()) continue;
    Pence pending = 0;
    int requests = 0;
    for (const Commitment* c : s.commitments)
      if (c->category == CommitmentCategory::other && !c->forum_decision && c->amount)
        pending += *c->amount, ++requests;
    if (requests == 0) continue;
    const Calculation rejected = calculate(s, scheme, false);
    const Calculation approved = calculate(s, scheme, true);
    ctx.report_school(s.school->laestab, s.school->laestab, s.balance->source,
                      std::to_string(requests) + (requests == 1 ? " exceptional request" : " exceptional requests") +
                          " of " + pounds(pending) + " pending: clawback " + pounds(approved.J) + " if approved, " +
                          pounds(rejected.J) + " if rejected",
                      {{"pending", std::to_string(round_to_pounds(pending))},
                       {"J_if_approved", std::to_string(round_to_pounds(approved.J))},
                       {"J_if_rejected", std::to_string(round_to_pounds(rejected.J))}});
  }
}

} // namespace

const Rule cb003_pending_request{&info, check};

} // namespace censusqa::clawback
