// CB006: a balances row the scheme does not apply to.
#include "rules.hpp"

#include <set>

namespace censusqa::clawback {
namespace {

constexpr RuleInfo info{
    "CB006",
    Severity::info,
    Scope::school,
    Actor::la_finance,
    "Balances row ignored: academy or unknown school",
    "Academies that converted on or before the financial year end keep their own balances and are outside the LA's "
    "scheme; a row for a school not in the register cannot be placed in a phase. Either way the row is left out of "
    "the calculation.",
    "Nothing for an academy; for an unknown school, add it to the register or correct the LAEstab.",
    needs_schools | needs_balances,
    "balances.csv: laestab"};

void check(RuleContext& ctx) {
  std::set<std::string> in_scope;
  for (const SchoolFinance& s : schools_in_scope(ctx.data, ctx.run.financial_year_end))
    in_scope.insert(s.school->laestab);
  for (const SchoolBalance& b : ctx.data.balances) {
    if (in_scope.count(b.laestab)) continue;
    const School* school = ctx.data.find_school(b.laestab);
    std::string why;
    if (b.laestab.empty()) {
      ctx.report_school({}, "line" + std::to_string(b.source.line), b.source,
                        "Balances row at line " + std::to_string(b.source.line) + " ignored: it has no LAEstab", {});
      continue;
    }
    if (!school)
      why = "is not in the register";
    else if (school->governance == Governance::academy)
      why = "is an academy" +
            (school->conversion_date ? " (converted " + school->conversion_date->iso() + ")" : std::string());
    else
      why = "has no phase or governance in the register";
    ctx.report_school(b.laestab, b.laestab, b.source, "Balances row ignored: " + b.laestab + " " + why,
                      {{"laestab", b.laestab}});
  }
}

} // namespace

const Rule cb006_ignored_row{&info, check};

} // namespace censusqa::clawback
