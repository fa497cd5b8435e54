// EH011: one child or young person with two requests open at once.
#include "rules.hpp"

#include <algorithm>
#include <map>

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH011",
    Severity::query,
    Scope::case_record,
    Actor::la_sen,
    "Two open requests for one child",
    "An LA assesses a child's needs once at a time: a second request while the first is open is either a duplicate "
    "record (which the DfE counts as a second request) or a first request whose outcome was never recorded, which "
    "then looks late. The DfE's SEN2 validation rules for this were not found in public material; liia-tools' and "
    "Mastodon C's SEN2 checks make the same one.",
    "Record the outcome of the earlier request (N, W, or the plan), or remove the duplicate.",
    needs_ehcp_cases,
    "person (UPN), request_date, request_outcome, assessment_outcome, plan_issue_date"};

// Open: not refused, withdrawn or historical at either stage, with no plan.
bool open(const EhcCase& c) {
  const auto settled = [](const std::optional<Decision>& d) {
    return d == Decision::N || d == Decision::W || d == Decision::H;
  };
  return c.request_date && !c.plan_issue_date && !settled(c.request_outcome) && !settled(c.assessment_outcome);
}

void check(RuleContext& ctx) {
  // By person: the UPN, else the SEN2 return's person (a CSV case without UPN is its own person).
  std::map<std::string, std::vector<const EhcCase*>> by_person;
  for (const EhcCase& c : ctx.data.ehc_cases) {
    const std::string& person = !c.person.empty() ? c.person : c.upn;
    if (!person.empty() && open(c)) by_person[person].push_back(&c);
  }
  for (auto& [person, list] : by_person) {
    if (list.size() < 2) continue;
    std::sort(list.begin(), list.end(),
              [](const EhcCase* a, const EhcCase* b) { return *a->request_date < *b->request_date; });
    const EhcCase& first = *list.front();
    for (std::size_t i = 1; i < list.size(); ++i)
      ctx.report_case(*list[i],
                      "This request (received " + list[i]->request_date->iso() + ") is open while an earlier one, " +
                          first.case_id + " received " + first.request_date->iso() +
                          ", has no outcome either: the child has " + std::to_string(list.size()) + " open requests",
                      {{"request_date", list[i]->request_date->iso()}, {"earlier_case", first.case_id}});
  }
}

} // namespace

const Rule eh011_two_open_requests{&info, check};

} // namespace censusqa::ehcp_timeliness
