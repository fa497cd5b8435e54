// Builds a register, balances and commitments for clawback tests, with money written as LAs write it.
#pragma once

#include "testkit.hpp"

#include <censusqa/censusqa.hpp>

namespace censusqa::testkit {

class FinanceBuilder {
public:
  FinanceBuilder() { d_.available = needs_schools | needs_balances | needs_commitments; }
  FinanceBuilder& school(std::string laestab, Phase phase, Governance g = Governance::maintained,
                         std::string converted = "") {
    School s;
    s.laestab = std::move(laestab);
    s.name = "School " + s.laestab;
    s.phase = phase;
    s.governance = g;
    s.conversion_date = Date::parse(converted);
    d_.schools.push_back(std::move(s));
    return *this;
  }
  /// A, B and F in pounds as text ("142,310.55", "(12,666)"); "" for missing.
  FinanceBuilder& balance(std::string laestab, std::string A, std::string B, std::string F) {
    SchoolBalance b;
    b.laestab = std::move(laestab);
    b.financial_year_end = Date::parse("2024-03-31");
    b.total_balance = parse_money(A);
    b.capital_balance = parse_money(B);
    b.budget_share = parse_money(F);
    b.source = {1, static_cast<std::uint32_t>(d_.balances.size() + 2)};
    d_.balances.push_back(std::move(b));
    return *this;
  }
  FinanceBuilder& commitment(std::string laestab, std::string category, std::string amount, std::string decision = "",
                             std::string assigned = "2024-03-12", std::string description = "") {
    Commitment c;
    c.laestab = std::move(laestab);
    c.category = parse_commitment_category(category);
    c.amount = parse_money(amount);
    c.forum_decision = parse_forum_decision(decision);
    c.assigned_date = Date::parse(assigned);
    c.description = description.empty() ? category : description;
    c.source = {2, static_cast<std::uint32_t>(d_.commitments.size() + 2)};
    d_.commitments.push_back(std::move(c));
    return *this;
  }
  Dataset build() {
    d_.build_indexes();
    return std::move(d_);
  }

private:
  Dataset d_;
};

inline RunInfo year_end_2024() {
  RunInfo r;
  r.financial_year_end = Date::parse("2024-03-31");
  r.la_code = "888";
  return r;
}

} // namespace censusqa::testkit
