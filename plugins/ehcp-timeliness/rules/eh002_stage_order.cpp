// EH002: a later stage dated before an earlier one.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH002",
    Severity::error,
    Scope::case_record,
    Actor::la_sen,
    "Stages dated out of order",
    "A decision or plan dated before the request (or a plan before the decision to issue it) is impossible, so at "
    "least one date is wrong and the case's timeliness cannot be trusted. A plan dated before its request is counted "
    "among the year's plans issued but in no time band, as the DfE's own timeliness file counts such plans, so it "
    "lowers the share issued within 20 weeks.",
    "Check each date against the case file and correct the one entered wrongly.",
    needs_ehcp_cases,
    "request_date, request_outcome_date, assessment_outcome_date, plan_issue_date"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    std::vector<std::pair<std::string, std::string>> values;
    std::string problems;
    auto before = [&](const std::optional<Date>& later, const char* later_name, const std::optional<Date>& earlier,
                      const char* earlier_name) {
      if (!later || !earlier || *later >= *earlier) return;
      problems += (problems.empty() ? "" : "; ") + std::string(later_name) + " " + later->iso() + " is before " +
                  earlier_name + " " + earlier->iso();
      values.emplace_back(later_name, later->iso());
    };
    before(c.request_outcome_date, "request_outcome_date", c.request_date, "request_date");
    before(c.assessment_outcome_date, "assessment_outcome_date", c.request_date, "request_date");
    before(c.plan_issue_date, "plan_issue_date", c.request_date, "request_date");
    before(c.plan_issue_date, "plan_issue_date", c.assessment_outcome_date, "assessment_outcome_date");
    if (problems.empty()) continue;
    if (c.request_date) values.emplace(values.begin(), "request_date", c.request_date->iso());
    ctx.report_case(c, "Dates out of order: " + problems, std::move(values));
  }
}

} // namespace

const Rule eh002_stage_order{&info, check};

} // namespace censusqa::ehcp_timeliness
