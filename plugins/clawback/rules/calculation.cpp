// The A-K calculation and the scheme; see rules.hpp.
#include "rules.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace censusqa::clawback {
namespace {

// Basis points from a configured percentage (8, 7.5): configuration is the one place a decimal
// appears, and it becomes an integer before any money is touched.
std::int64_t basis_points(const ConfigValue& v, const std::string& key) {
  if (!v.is_number() || v.as_number() < 0 || v.as_number() > 100)
    throw ConfigError("configuration clawback." + key + " must be a percentage from 0 to 100");
  return std::llround(v.as_number() * 100.0);
}

// Checked: the loader keeps every amount within max_school_amount, so an overflow here means a
// broken input reached the calculation, and the plugin stops with the reason rather than report a
// wrapped-around sum.
Pence checked(std::optional<Pence> v, const char* what) {
  if (!v) throw std::overflow_error(std::string("clawback: ") + what + " does not fit in 64-bit pence");
  return *v;
}

// x * bp / 10000, rounded half away from zero, in integers.
Pence apply_bp(Pence x, std::int64_t bp) {
  const Pence scaled = checked(checked_mul(x, bp), "budget share x percentage");
  return scaled >= 0 ? (scaled + 5000) / 10000 : -((-scaled + 5000) / 10000);
}

} // namespace

Scheme read_scheme(const PluginConfig& config) {
  Scheme s;
  // The host has checked the declared types and ranges and applied the defaults; what is left to
  // check here is what a declaration cannot say.
  const ConfigValue* percent = config.find("percent");
  if (!percent || !percent->is_object())
    throw ConfigError("configuration clawback.percent must map phases to percentages");
  for (const auto& [phase, value] : percent->as_object()) {
    const auto p = parse_phase(phase);
    if (!p)
      throw ConfigError("configuration clawback.percent has unknown phase \"" + phase +
                        "\"; phases are nursery, primary, middle, secondary, all-through, special, pru");
    s.percent_bp[static_cast<std::size_t>(*p)] = basis_points(value, "percent." + phase);
  }
  if (config.get_number("floor") < 0)
    throw ConfigError("configuration clawback.floor must be a sum in pounds, 0 or more");
  s.floor = std::llround(config.get_number("floor") * 100.0); // pounds to pence: the one decimal, here
  s.max_assignment_years = static_cast<int>(config.get_int("max_assignment_years"));
  return s;
}

void check_config(const PluginConfig& config) { (void)read_scheme(config); }

Calculation calculate(Pence A, Pence B, Pence F, Pence D, std::int64_t percent_bp, Pence floor) {
  Calculation c;
  c.A = A;
  c.B = B;
  c.C = checked(checked_sub(A, B), "C = A - B");
  c.D = D;
  c.E = checked(checked_sub(c.C, c.D), "E = C - D");
  c.F = F;
  c.G = apply_bp(F, percent_bp);
  c.H = floor;
  c.I = std::max(c.G, c.H);
  c.J = std::max<Pence>(0, checked(checked_sub(c.E, c.I), "E - I"));
  c.K = std::max<Pence>(0, checked(checked_sub(checked(checked_sub(c.C, c.I), "C - I"), c.J), "C - I - J"));
  return c;
}

bool SchoolFinance::complete() const {
  if (!balance || !balance->total_balance || !balance->capital_balance || !balance->budget_share) return false;
  return *balance->budget_share > 0 || school->phase == Phase::nursery;
}

std::vector<SchoolFinance> schools_in_scope(const Dataset& data, std::optional<Date> year_end) {
  std::map<std::string, SchoolFinance> out;
  for (const School& s : data.schools) {
    if (!s.phase || !s.governance) continue;
    const bool maintained_at_year_end =
        *s.governance == Governance::maintained ||
        (s.conversion_date && year_end && *s.conversion_date > *year_end); // converted after the year end
    if (maintained_at_year_end) out[s.laestab].school = &s;
  }
  // A school's row: the first for the year (a row with no readable year stands for it, IN003 says why);
  // a row for another year or a second one is not used (CB006 says so).
  const auto for_year = [&](const SchoolBalance& b) {
    return !year_end || !b.financial_year_end || *b.financial_year_end == *year_end;
  };
  for (const auto& b : data.balances)
    if (auto it = out.find(b.laestab); it != out.end() && !it->second.balance && for_year(b)) it->second.balance = &b;
  for (const auto& c : data.commitments)
    if (auto it = out.find(c.laestab); it != out.end()) it->second.commitments.push_back(&c);
  std::vector<SchoolFinance> v;
  for (auto& [k, s] : out)
    v.push_back(std::move(s));
  return v;
}

bool counts_in_d(const Commitment& c) {
  return c.category && (*c.category != CommitmentCategory::other || c.forum_decision == ForumDecision::approved);
}

Pence committed(const SchoolFinance& s, bool with_pending) {
  Pence d = 0;
  for (const Commitment* c : s.commitments) {
    if (!c->amount) continue;
    const bool pending = c->category == CommitmentCategory::other && !c->forum_decision;
    if (counts_in_d(*c) || (with_pending && pending))
      d = checked(checked_add(d, *c->amount), "D, the commitments' sum");
  }
  return d;
}

Calculation calculate(const SchoolFinance& s, const Scheme& scheme, bool with_pending) {
  return calculate(*s.balance->total_balance, *s.balance->capital_balance, *s.balance->budget_share,
                   committed(s, with_pending), scheme.percent_bp[static_cast<std::size_t>(*s.school->phase)],
                   scheme.floor);
}

std::string pounds(Pence p) {
  const std::int64_t whole = round_to_pounds(p);
  const std::string digits = std::to_string(whole < 0 ? -whole : whole);
  // Appended digit by digit, commas between thousands: inserting into `digits` makes GCC 12 -O3 report
  // -Wrestrict (GCC bug 105329).
  std::string out = whole < 0 ? "-\xC2\xA3" : "\xC2\xA3";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

} // namespace censusqa::clawback
