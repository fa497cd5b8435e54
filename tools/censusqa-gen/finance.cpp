// censusqa-gen: school balances and commitments (balances.csv, commitments.csv) for the clawback rules.
#include "generator.hpp"

namespace censusqa::gen {

// The financial year end the balances are for: the last 31 March before the census.
Date Generator::year_end() const {
  const Date ref = opt_.reference_date;
  return *Date::from_ymd(ref.month() >= 4 ? ref.year() : ref.year() - 1, 3, 31);
}

// Money as LA finance exports write it, in several styles.
std::string Generator::money_text(std::int64_t pence) {
  const std::int64_t abs = pence < 0 ? -pence : pence;
  const std::string digits = std::to_string(abs / 100);
  const int style = r_.between(0, 3);
  // Appended piece by piece (commas between thousands from style 1): inserting into a string, or
  // '"." + std::string&&', makes GCC 12 -O3 report -Wrestrict (GCC bug 105329).
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (style >= 1 && i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  if (abs % 100 != 0 || style == 2) {
    text += '.';
    text += pad(static_cast<int>(abs % 100), 2);
  }
  if (style == 3 && pence >= 0) text = "\xC2\xA3" + text;
  if (pence < 0) text = style == 1 ? "(" + text + ")" : "-" + text;
  return text;
}

// Balances and commitments for the maintained schools. Each school follows a scenario; the truth
// follows from the scheme's arithmetic on the figures written (8%, or 5% for secondary; floor 25,000).
void Generator::make_finance() {
  const Date fye = year_end();
  const std::vector<std::string> purposes{"unspent_grant", "prior_year_commitment", "capital_project", "ict_equipment",
                                          "redundancy",    "falling_rolls",         "staff_sickness"};
  int i = 0;
  for (const auto& s : schools_) {
    if (s.governance != "maintained") continue;
    const std::int64_t per_pupil = s.phase == "secondary" ? 6500
                                   : s.phase == "special" ? 22000
                                   : s.phase == "pru"     ? 26000
                                                          : 5200;
    std::int64_t F = static_cast<std::int64_t>(s.pupils.size()) * per_pupil * 100;
    const int scenario = i < 9 ? i : r_.between(0, 8);
    ++i;
    if (scenario == 4) F = r_.between(150, 280) * 1'000'00; // a small budget share: the floor binds
    const std::int64_t bp = s.phase == "secondary" ? 500 : 800;
    const std::int64_t G = (F * bp + 5000) / 10000;
    const std::int64_t I = std::max<std::int64_t>(G, 25'000'00);
    std::int64_t C = 0, D = 0, pending = 0;
    std::vector<GenCommitment> rows;
    auto commit = [&](std::int64_t amount, const std::string& category, const std::string& decision, Date assigned) {
      rows.push_back({s.laestab, category, money_text(amount),
                      category == "other" ? "Exceptional request: additional support" : category, assigned.iso(),
                      decision});
      if (category != "other" || decision == "approved") D += amount;
      if (category == "other" && decision.empty()) pending += amount;
    };
    const Date recent = fye.plus_days(-r_.between(10, 300));
    switch (scenario) {
    case 0: C = I * r_.between(20, 90) / 100; break;        // comfortably within the maximum
    case 1: C = I + r_.between(1'000, 40'000) * 100; break; // liable
    case 2: {                                               // saved by its commitments
      const std::int64_t over = r_.between(2'000, 30'000) * 100;
      C = I + over;
      commit(over + r_.between(0, 5'000) * 100, purposes[static_cast<std::size_t>(r_.between(0, 6))], "", recent);
      break;
    }
    case 3: { // liable despite commitments
      const std::int64_t d = r_.between(5'000, 20'000) * 100;
      C = I + d + r_.between(1'000, 20'000) * 100;
      commit(d, purposes[static_cast<std::size_t>(r_.between(0, 6))], "", recent);
      break;
    }
    case 4: C = 25'000'00 + r_.between(500, 8'000) * 100; break; // over the floor
    case 5:                                                      // a deficit, sometimes with commitments
      C = -r_.between(2'000, 60'000) * 100;
      if (r_.chance(0.5)) commit(r_.between(500, 3'000) * 100, "staff_sickness", "", recent);
      break;
    case 6: { // an exceptional request pending
      C = I + r_.between(2'000, 15'000) * 100;
      commit(r_.between(1'000, 20'000) * 100, "other", "", recent);
      if (r_.chance(0.5))
        commit(r_.between(1'000, 5'000) * 100, "other", r_.chance(0.5) ? "approved" : "rejected", recent);
      break;
    }
    case 7: // an assignment from long ago
      C = I * r_.between(50, 90) / 100;
      commit(r_.between(1'000, 10'000) * 100, "capital_project", "", fye.plus_days(-r_.between(3 * 365 + 5, 6 * 365)));
      break;
    case 8: C = I + (r_.chance(0.5) ? 100 : 0); break; // at the maximum, or a pound over
    }
    const std::int64_t B = scenario == 5 ? r_.between(0, 5'000) * 100 : r_.between(0, 30'000) * 100;
    const std::int64_t A = C + B;
    balances_.push_back({s.laestab, money_text(A), money_text(B), money_text(F)});
    for (auto& r : rows)
      commitments_.push_back(std::move(r));
    // Expected findings, from the definitions.
    const std::int64_t E = C - D, J = std::max<std::int64_t>(0, E - I);
    if (J > 0) defects_.push_back({"CB002", s.laestab, s.laestab, "", "liable to clawback"});
    if (pending > 0) defects_.push_back({"CB003", s.laestab, s.laestab, "", "exceptional request pending"});
    if (D > 0 && D > C)
      defects_.push_back({"CB004", s.laestab, s.laestab, "", "commitments exceed the revenue balance"});
    if (scenario == 7) defects_.push_back({"CB005", s.laestab, s.laestab, "", "assignment older than 3 years"});
    if (C < 0) defects_.push_back({"CB007", s.laestab, s.laestab, "", "revenue deficit"});
  }
  if (opt_.defect_rate <= 0) return;
  // Data errors: a maintained school with no row, one with an unreadable budget share, a row for an
  // academy and one for a school that is not in the register.
  for (auto& b : balances_) {
    if (&b == &balances_.front()) continue;
    b.F = "1,2,3";
    defects_.push_back({"CB001", b.laestab, b.laestab, "", "budget share unreadable"});
    defects_.push_back({"IN003", b.laestab, b.laestab + ".budget_share", "", "budget share 1,2,3"});
    // Its other findings depended on F: the calculation cannot be made now.
    std::erase_if(defects_, [&](const Defect& d) {
      return d.laestab == b.laestab &&
             (d.rule == "CB002" || d.rule == "CB003" || d.rule == "CB004" || d.rule == "CB007");
    });
    break;
  }
  if (!balances_.empty()) {
    const std::string missing = balances_.front().laestab;
    balances_.erase(balances_.begin());
    std::erase_if(defects_, [&](const Defect& d) {
      return d.laestab == missing && d.rule.rfind("CB", 0) == 0 && d.rule != "CB005";
    });
    std::erase_if(commitments_, [&](const GenCommitment& c) { return c.laestab == missing; });
    std::erase_if(defects_, [&](const Defect& d) { return d.laestab == missing && d.rule == "CB005"; });
    defects_.push_back({"CB001", missing, missing, "", "no balances row"});
  }
  for (const auto& s : schools_)
    if (s.governance == "academy") {
      balances_.push_back({s.laestab, money_text(10'000'00), "0", money_text(1'000'000'00)});
      defects_.push_back({"CB006", s.laestab, s.laestab, "", "balances row for an academy"});
      break;
    }
  const std::string stranger = opt_.la + "9999";
  balances_.push_back({stranger, money_text(5'000'00), "0", money_text(500'000'00)});
  defects_.push_back({"CB006", stranger, stranger, "", "balances row for a school not in the register"});
}

void Generator::write_finance() {
  const std::string fye = year_end().iso();
  std::ofstream b(opt_.out / "balances.csv");
  b << "laestab,financial_year_end,total_balance,capital_balance,budget_share\n";
  for (const auto& r : balances_)
    b << r.laestab << ',' << fye << ',' << csv(r.A) << ',' << csv(r.B) << ',' << csv(r.F) << '\n';
  std::ofstream c(opt_.out / "commitments.csv");
  c << "laestab,category,amount,description,assigned_date,forum_decision\n";
  for (const auto& r : commitments_)
    c << r.laestab << ',' << r.category << ',' << csv(r.amount) << ',' << csv(r.description) << ',' << r.assigned << ','
      << r.decision << '\n';
}

} // namespace censusqa::gen
