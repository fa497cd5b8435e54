// CI009: the return's LA number or reference date differs from the LA configuration.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI009",
    Severity::error,
    Scope::school,
    "Return is for another LA or census date",
    "A return whose header names another LA, or another census reference date, was exported for the wrong "
    "collection: its pupils would be counted in the wrong place or term.",
    "Re-export the return from the MIS for this census (check the MIS's census date and LA settings).",
    needs_census,
    "LEA, ReferenceDate"};

void check(RuleContext& ctx) {
  if (ctx.run.la_code.empty()) {
    ctx.skip("no la_code in the LA configuration");
    return;
  }
  for (const CensusReturn& r : ctx.data.returns) {
    std::vector<std::pair<std::string, std::string>> values;
    std::string says, expected;
    if (r.lea != ctx.run.la_code) {
      says = "LA " + (r.lea.empty() ? std::string("(none)") : r.lea);
      expected = "LA " + ctx.run.la_code;
      values.emplace_back("LEA", r.lea);
    }
    if (ctx.run.reference_date_configured && r.reference_date != ctx.run.reference_date) {
      const std::string date = r.reference_date ? r.reference_date->iso() : "(none)";
      says += (says.empty() ? "" : " and ") + std::string("reference date ") + date;
      expected += (expected.empty() ? "" : " and ") + std::string("reference date ") + ctx.run.reference_date->iso();
      values.emplace_back("ReferenceDate", r.reference_date ? date : "");
    }
    if (values.empty()) continue;
    ctx.report_school(r.laestab, r.laestab, r.source,
                      "The return says " + says + ", but the LA configuration says " + expected, std::move(values));
  }
}

} // namespace

const Rule ci009_return_header{&info, check};

} // namespace censusqa::census_integrity
