// CB006: a balances row the scheme does not apply to.
#include "rules.hpp"

#include <map>
#include <set>

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB006",
    Severity::info,
    Scope::school,
    Actor::la_finance,
    "Balances or commitments row ignored",
    "Academies that converted on or before the financial year end keep their own balances and are outside the LA's "
    "scheme; a row for a school not in the register cannot be placed in a phase; a school's balance is the one for "
    "the financial year being calculated, once. Any other row is left out of the calculation.",
    "Nothing for an academy; for an unknown school, add it to the register or correct the LAEstab; for a second "
    "row or another year's, remove it or correct its year.",
    needs_schools | needs_balances,
    "balances.csv: laestab, financial_year_end; commitments.csv: laestab"};

// Why a school is outside the scheme.
std::string outside(const RuleContext& ctx, const std::string& laestab) {
  const School* school = ctx.data.find_school(laestab);
  if (!school) return "is not in the register";
  if (school->governance == Governance::academy)
    return "is an academy" +
           (school->conversion_date ? " (converted " + school->conversion_date->iso() + ")" : std::string());
  return "has no phase or governance in the register";
}

void check(RuleContext& ctx) {
  std::map<std::string, const SchoolBalance*> used; // in scope: the row its calculation uses (or none)
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end))
    used[s.school->laestab] = s.balance;
  for (const SchoolBalance& b : ctx.data.balances) {
    if (b.laestab.empty()) {
      ctx.report_school({}, "line" + std::to_string(b.source.line), b.source,
                        "Balances row at line " + std::to_string(b.source.line) + " ignored: it has no LAEstab", {});
      continue;
    }
    const auto it = used.find(b.laestab);
    const std::string subject = b.laestab + ".line" + std::to_string(b.source.line);
    if (it == used.end()) {
      ctx.report_school(b.laestab, b.laestab, b.source,
                        "Balances row ignored: " + b.laestab + " " + outside(ctx, b.laestab), {{"laestab", b.laestab}});
    } else if (it->second == &b) {
      continue;
    } else if (b.financial_year_end && ctx.run.financial_year_end &&
               *b.financial_year_end != *ctx.run.financial_year_end) {
      ctx.report_school(b.laestab, subject, b.source,
                        "Balances row ignored: it is for the financial year ending " + b.financial_year_end->iso() +
                            ", and the clawback is for the year ending " + ctx.run.financial_year_end->iso(),
                        {{"laestab", b.laestab}, {"financial_year_end", b.financial_year_end->iso()}});
    } else {
      ctx.report_school(b.laestab, subject, b.source,
                        "Balances row ignored: " + b.laestab + " has an earlier row for the year (line " +
                            std::to_string(it->second ? it->second->source.line : 0) + "), which is used",
                        {{"laestab", b.laestab}});
    }
  }
  std::set<std::string> told; // one finding per school's commitments, not one per row
  for (const Commitment& c : ctx.data.commitments)
    if (!c.laestab.empty() && !used.count(c.laestab) && told.insert(c.laestab).second)
      ctx.report_school(c.laestab, c.laestab + ".commitments", c.source,
                        "Commitments of " + c.laestab + " ignored: it " + outside(ctx, c.laestab),
                        {{"laestab", c.laestab}});
}

} // namespace

const Rule cb006_ignored_row{&info, check};

} // namespace censusqa::clawback
