// CB005: an assignment older than the scheme allows.
#include "rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB005",
    Severity::query,
    Scope::school,
    Actor::school,
    "Assignment older than the scheme allows",
    "Sums assigned for a purpose are meant to be spent within max_assignment_years (default 3) of being assigned; "
    "an older assignment that still shelters the balance from clawback should be spent, re-justified or released.",
    "Ask the school for the plan and timetable for each old assignment, or remove it from commitments.csv.",
    needs_schools | needs_balances | needs_commitments,
    "commitments.csv: assigned_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.financial_year_end) {
    ctx.skip("no financial year end (configure financial_year_end or give it in balances.csv)");
    return;
  }
  const Scheme scheme = read_scheme(ctx.config);
  const Date year_end = *ctx.run.financial_year_end;
  const Date limit = year_end.years_before(scheme.max_assignment_years);
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end)) {
    std::vector<const Commitment*> stale;
    for (const Commitment* c : s.commitments)
      if (c->assigned_date && *c->assigned_date < limit && c->forum_decision != ForumDecision::rejected)
        stale.push_back(c);
    if (stale.empty()) continue;
    Pence total = 0;
    std::string lines;
    Date oldest = *stale[0]->assigned_date;
    for (const Commitment* c : stale) {
      total += c->amount.value_or(0);
      lines += (lines.empty() ? "" : ", ") + std::to_string(c->source.line);
      oldest = std::min(oldest, *c->assigned_date);
    }
    ctx.report_school(s.school->laestab, s.school->laestab, stale[0]->source,
                      std::to_string(stale.size()) + (stale.size() == 1 ? " assignment" : " assignments") + " of " +
                          pounds(total) + " made before " + limit.iso() + " (more than " +
                          std::to_string(scheme.max_assignment_years) + " years before the year end), the oldest on " +
                          oldest.iso(),
                      {{"assignments", std::to_string(stale.size())}, {"lines", lines}, {"oldest", oldest.iso()}});
  }
}

} // namespace

const Rule cb005_stale_assignment{&info, check};

} // namespace censusqa::clawback
