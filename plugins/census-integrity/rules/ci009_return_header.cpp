// CI009: the return's LA number, reference date or term differs from the LA configuration.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI009",
    Severity::error,
    Scope::school,
    Actor::school,
    "Return is for another LA, census date or term",
    "A return whose header names another LA, another school, or another census reference date or term, was exported "
    "for "
    "the wrong collection or with the MIS's settings wrong: COLLECT would count its pupils in the wrong place or "
    "term (censusqa reads it as the register school its Estab or URN names).",
    "Re-export the return from the MIS for this census (check the MIS's census date and LA settings).",
    needs_census,
    "LEA, Estab, ReferenceDate, Term"};

void check(RuleContext& ctx) {
  if (ctx.run.la_code.empty()) {
    ctx.skip("no la_code in the LA configuration");
    return;
  }
  for (const CensusReturn& r : ctx.data.returns) {
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::string> says;
    if (r.lea != ctx.run.la_code) {
      says.push_back((r.lea.empty() ? std::string("no LA number") : "LA " + r.lea) + " (the LA is " + ctx.run.la_code +
                     ")");
      values.emplace_back("LEA", r.lea);
    }
    // The loader reads a return whose header names no register school as the school its Estab or URN
    // names: say so, since the MIS will send the same wrong header to the DfE.
    if (r.laestab.size() == 7 && r.estab != r.laestab.substr(3)) {
      says.push_back((r.estab.empty() ? std::string("no Estab") : "Estab " + r.estab) + ", yet it is " + r.laestab +
                     "'s return by its " + (r.estab.empty() ? "URN" : "number"));
      values.emplace_back("Estab", r.estab);
    }
    if (ctx.run.reference_date_configured && r.reference_date != ctx.run.reference_date) {
      const std::string date = r.reference_date ? r.reference_date->iso() : "(none)";
      says.push_back("reference date " + date + " (the census is " + ctx.run.reference_date->iso() + ")");
      values.emplace_back("ReferenceDate", r.reference_date ? date : "");
    }
    // A header naming another term was exported for another collection: its exclusion and attendance
    // periods and its code lists would be read as that term's.
    if (ctx.run.term && r.term && *r.term != *ctx.run.term) {
      says.push_back("term " + std::string(name(*r.term)) + " (the census is " + std::string(name(*ctx.run.term)) +
                     ")");
      values.emplace_back("Term", std::string(name(*r.term)));
    }
    if (values.empty()) continue;
    std::string message = "The return's header says ";
    for (std::size_t i = 0; i < says.size(); ++i)
      message += (i == 0 ? "" : i + 1 == says.size() ? " and " : ", ") + says[i];
    ctx.report_school(r.laestab, r.laestab.empty() ? "(unidentified return)" : r.laestab, r.source, message,
                      std::move(values));
  }
}

} // namespace

const Rule ci009_return_header{&info, check};

} // namespace censusqa::census_integrity
