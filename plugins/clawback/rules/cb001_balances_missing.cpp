// CB001: a maintained school's balances are missing or unusable.
#include "rules.hpp"

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB001",
    Severity::error,
    Scope::school,
    Actor::la_finance,
    "Balances missing or unusable",
    "The scheme applies to every school maintained at the financial year end. Without its total balance (A), "
    "capital balance (B) and budget share (F), or with a budget share of zero or less outside a nursery, the "
    "school's clawback cannot be calculated and it is missing from the Schools Forum table.",
    "Add or correct the school's row in balances.csv from the year-end return (CFR) and the budget share "
    "statement.",
    needs_schools | needs_balances,
    "balances.csv: total_balance, capital_balance, budget_share"};

void check(RuleContext& ctx) {
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end)) {
    const School& school = *s.school;
    if (!s.balance) {
      ctx.report_school(school.laestab, school.laestab, school.source,
                        "Maintained school " + school.laestab + " (" + school.name + ") has no row in balances.csv",
                        {{"laestab", school.laestab}});
      continue;
    }
    const SchoolBalance& b = *s.balance;
    std::vector<std::string> missing;
    std::vector<std::pair<std::string, std::string>> values;
    const std::pair<const char*, const std::optional<Pence>*> fields[] = {{"total_balance (A)", &b.total_balance},
                                                                          {"capital_balance (B)", &b.capital_balance},
                                                                          {"budget_share (F)", &b.budget_share}};
    const Field raw_fields[] = {Field::total_balance, Field::capital_balance, Field::budget_share};
    for (std::size_t i = 0; i < 3; ++i) {
      if (*fields[i].second) continue;
      const auto raw = ctx.data.raw_value(Entity::balance, ctx.data.index_of(b), raw_fields[i]);
      missing.push_back(std::string(fields[i].first) + (raw ? " '" + std::string(*raw) + "' unreadable" : " missing"));
      values.emplace_back(fields[i].first, raw ? std::string(*raw) : "");
    }
    if (missing.empty() && *b.budget_share <= 0 && school.phase != Phase::nursery) {
      missing.push_back("budget_share (F) is " + pounds(*b.budget_share) + ", not more than zero");
      values.emplace_back("budget_share (F)", std::to_string(round_to_pounds(*b.budget_share)));
    }
    if (missing.empty()) continue;
    std::string message = "Balances cannot be used: ";
    for (std::size_t i = 0; i < missing.size(); ++i)
      message += (i ? "; " : "") + missing[i];
    ctx.report_school(school.laestab, school.laestab, b.source, message, std::move(values));
  }
}

} // namespace

const Rule cb001_balances_missing{&info, check};

} // namespace censusqa::clawback
