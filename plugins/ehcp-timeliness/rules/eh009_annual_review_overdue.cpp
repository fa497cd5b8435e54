// EH009: an active plan not reviewed in the 12 months before the reference date.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH009",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Annual review overdue",
    "Every EHC plan must be reviewed at least every 12 months (Children and Families Act 2014, s.44); a plan whose "
    "last review (or issue, if never reviewed) is more than 12 months before the reference date is overdue.",
    "Hold the review and record its date; if a review was held, enter its date; if the plan has ceased, record "
    "plan_ceased_date.",
    needs_ehcp_cases,
    "plan_issue_date, last_review_date, plan_ceased_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) {
    ctx.skip("no reference date (configure reference_date or load census returns)");
    return;
  }
  const Date ref = *ctx.run.reference_date;
  const Date due_after = one_year_before(ref);
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.plan_issue_date || *c.plan_issue_date > ref || !c.plan_active(ref)) continue;
    const Date last = c.last_review_date.value_or(*c.plan_issue_date);
    if (last >= due_after) continue;
    ctx.report_case(
        c,
        std::string(c.last_review_date ? "The last annual review was on " : "The plan was issued on ") + last.iso() +
            (c.last_review_date ? "" : " and has never been reviewed") +
            ", more than 12 months before the reference date " + ref.iso(),
        {{c.last_review_date ? "last_review_date" : "plan_issue_date", last.iso()}, {"reference_date", ref.iso()}});
  }
}

} // namespace

const Rule eh009_annual_review_overdue{&info, check};

} // namespace censusqa::ehcp_timeliness
