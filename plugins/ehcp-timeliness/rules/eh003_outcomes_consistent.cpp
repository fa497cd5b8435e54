// EH003: outcomes that contradict each other.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH003",
    Severity::error,
    Scope::case_record,
    Actor::la_sen,
    "Outcomes inconsistent",
    "A plan can only follow a decision to issue one (assessment_outcome Y); an assessment cannot follow a refusal "
    "(N) or withdrawal (W) of the request; and an exception to the 20-week limit must be one of the four the SEND "
    "Regulations permit, or the DfE counts the plan as late (ehcp_cases.csv only: the SEN2 return records that an "
    "exception applied, Week20, but not which).",
    "Correct the outcome codes to match the case file; record the exception reason (school_closure, ey_closure, "
    "personal_circumstances, absence) or remove the exception.",
    needs_ehcp_cases,
    "request_outcome, assessment_outcome, plan_issue_date, exception, exception_reason"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    std::vector<std::string> problems;
    std::vector<std::pair<std::string, std::string>> values;
    const auto code = [](const std::optional<Decision>& d) { return d ? std::string(name(*d)) : std::string(); };
    // H (SEN2: decided before the collection period, or transferred in) is a decision to issue too.
    if (c.plan_issue_date && c.assessment_outcome != Decision::Y && c.assessment_outcome != Decision::H) {
      problems.push_back("a plan was issued but assessment_outcome is " +
                         (c.assessment_outcome ? code(c.assessment_outcome) : std::string("blank")) + ", not Y");
      values.emplace_back("assessment_outcome", code(c.assessment_outcome));
    }
    if (c.assessment_outcome && (c.request_outcome == Decision::N || c.request_outcome == Decision::W)) {
      problems.push_back("an assessment outcome is recorded after request_outcome " + code(c.request_outcome));
      values.emplace_back("request_outcome", code(c.request_outcome));
    }
    // SEN2 collects only whether an exception applied (Week20), not which: its cases have no reason to check.
    if (c.exception == true && !c.exception_reason && c.origin == EhcOrigin::csv) {
      const auto raw = ctx.data.raw_value(Entity::ehc_case, ctx.data.index_of(c), Field::exception_reason);
      problems.push_back(raw ? "exception Y with an unknown exception_reason '" + std::string(*raw) + "'"
                             : std::string("exception Y with no exception_reason"));
      values.emplace_back("exception_reason", raw ? std::string(*raw) : "");
    }
    if (problems.empty()) continue;
    std::string message = "Outcomes inconsistent: ";
    for (std::size_t i = 0; i < problems.size(); ++i)
      message += (i ? "; " : "") + problems[i];
    ctx.report_case(c, message, std::move(values));
  }
}

} // namespace

const Rule eh003_outcomes_consistent{&info, check};

} // namespace censusqa::ehcp_timeliness
