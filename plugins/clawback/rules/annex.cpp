// The Schools Forum annex, as figures for metrics.json and the LA workbook's Clawback sheet: the A-K
// row of every school the scheme applies to, in whole pounds; subtotals by phase group and the LA
// total, summed from those whole-pound rows so that every total equals the sum of its rows; and the
// exceptional requests with clawback if each were approved or rejected.
#include "rules.hpp"

#include <map>
#include <set>

namespace censusqa::clawback {
namespace {

constexpr const char* letters[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"};

std::array<std::int64_t, 11> whole_pounds(const Calculation& c) {
  const Pence v[] = {c.A, c.B, c.C, c.D, c.E, c.F, c.G, c.H, c.I, c.J, c.K};
  std::array<std::int64_t, 11> out{};
  for (std::size_t i = 0; i < 11; ++i)
    out[i] = round_to_pounds(v[i]);
  return out;
}

Value row_value(const std::array<std::int64_t, 11>& p) {
  Value v;
  for (std::size_t i = 0; i < 11; ++i)
    v.set(letters[i], p[i]);
  return v;
}

void compute(RunContext& run) {
  const Scheme scheme = read_scheme(run.config);
  Value rows = Value::Array{};
  Value requests = Value::Array{};
  std::map<std::string, std::pair<std::array<std::int64_t, 11>, std::int64_t>> groups; // phase -> sums, schools
  std::array<std::int64_t, 11> total{};
  std::int64_t schools = 0;
  Value left_out = Value::Array{};
  auto leave_out = [&](const School& school, const std::string& why) {
    Value v;
    v.set("laestab", school.laestab);
    v.set("name", school.name);
    v.set("reason", why);
    left_out.push_back(std::move(v));
  };
  const auto in_scope = schools_in_scope(run.data, run.run.financial_year_end);
  std::set<std::string> scoped;
  for (const SchoolFinance& s : in_scope)
    scoped.insert(s.school->laestab);
  // The register's other schools, each with the reason the scheme leaves it out.
  for (const School& school : run.data.schools) {
    if (scoped.count(school.laestab)) continue;
    if (!school.phase || !school.governance)
      leave_out(school, "the register gives no phase or governance, so the scheme cannot be applied");
    else
      leave_out(school, std::string("an academy at the financial year end") +
                            (school.conversion_date ? " (converted " + school.conversion_date->iso() + ")" : "") +
                            ": the LA's scheme for financing schools does not apply");
  }
  for (const SchoolFinance& s : in_scope) {
    if (!s.complete()) {
      leave_out(*s.school, !s.balance ? "maintained, but balances.csv has no year-end balance for it (CB001)"
                                      : "maintained, but its year-end balances cannot be used: the total, capital "
                                        "balance or budget share is missing or unreadable, or the budget share is "
                                        "not above zero (CB001)");
      continue;
    }
    const Calculation c = calculate(s, scheme);
    const auto p = whole_pounds(c);
    Value row = row_value(p);
    row.set("laestab", s.school->laestab);
    row.set("name", s.school->name);
    row.set("phase_group", std::string(name(*s.school->phase)));
    rows.push_back(std::move(row));
    auto& [sums, count] = groups[std::string(name(*s.school->phase))];
    for (std::size_t i = 0; i < 11; ++i)
      sums[i] += p[i], total[i] += p[i];
    ++count;
    ++schools;
    // Each exceptional request: clawback with it counted and without it (others as decided).
    for (const Commitment* r : s.commitments) {
      if (r->category != CommitmentCategory::other || !r->amount) continue;
      const Pence base = committed(s, false) - (counts_in_d(*r) ? *r->amount : 0);
      const auto with = calculate(c.A, c.B, c.F, base + *r->amount,
                                  scheme.percent_bp[static_cast<std::size_t>(*s.school->phase)], scheme.floor);
      const auto without =
          calculate(c.A, c.B, c.F, base, scheme.percent_bp[static_cast<std::size_t>(*s.school->phase)], scheme.floor);
      Value q;
      q.set("laestab", s.school->laestab);
      q.set("description", r->description);
      q.set("amount", round_to_pounds(*r->amount));
      q.set("decision", r->forum_decision == ForumDecision::approved   ? "approved"
                        : r->forum_decision == ForumDecision::rejected ? "rejected"
                                                                       : "pending");
      q.set("J_if_approved", round_to_pounds(with.J));
      q.set("J_if_rejected", round_to_pounds(without.J));
      requests.push_back(std::move(q));
    }
  }
  Value summary;
  Value group_rows = Value::Array{};
  for (const auto& [phase, g] : groups) {
    Value v = row_value(g.first);
    v.set("phase_group", phase);
    v.set("schools", g.second);
    group_rows.push_back(std::move(v));
  }
  summary.set("groups", std::move(group_rows));
  Value la = row_value(total);
  la.set("schools", schools);
  summary.set("la_total", std::move(la));
  run.metrics.la("clawback", std::move(rows));
  run.metrics.la("clawback_summary", std::move(summary));
  run.metrics.la("clawback_requests", std::move(requests));
  run.metrics.la("clawback_left_out", std::move(left_out));
}

} // namespace

const MetricProducer annex_metrics{"the Schools Forum clawback annex", needs_schools | needs_balances, compute};

} // namespace censusqa::clawback
