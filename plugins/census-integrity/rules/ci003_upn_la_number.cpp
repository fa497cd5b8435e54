// CI003: UPN characters 2-4 are not a recognised LA number.
#include "rules.hpp"

#include <algorithm>
#include <array>

namespace censusqa::census_integrity {
namespace {

// From templates/la-numbers.csv (DfE LA code lists, current and pre-reorganisation), sorted.
constexpr std::string_view la_numbers[] = {
#include "la_numbers.inc"
};

constexpr RuleInfo info{
    "CI003",
    Severity::error, // COLLECT's severity (DfE rule 1530): an error, not a query
    Scope::pupil,
    Actor::school,
    "UPN does not start with a known LA number",
    "Characters 2-4 of a UPN are the number of the LA where it was issued. A UPN whose number is no LA's was "
    "probably invented or mistyped, and COLLECT rejects it as an error that cannot be explained away (DfE rule "
    "1530).",
    "Check the UPN against the Common Transfer File or the previous school's records and correct it in the MIS; "
    "where the pupil has no valid UPN, generate a temporary one in the MIS.",
    needs_census,
    "UPN",
    "1530",
    DfeMatch::exact,
};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (!upn_well_formed(p.upn)) continue; // CI001's finding
    const std::string_view la = std::string_view(p.upn).substr(1, 3);
    if (!is_la_number(la))
      ctx.report_pupil(
          p, "UPN '" + p.upn + "' was issued by LA number " + std::string(la) + ", which is not an English LA number",
          {{"UPN", p.upn}, {"la_number", std::string(la)}});
  }
}

} // namespace

bool is_la_number(std::string_view la) { return std::binary_search(std::begin(la_numbers), std::end(la_numbers), la); }

const Rule ci003_upn_la_number{&info, check};

} // namespace censusqa::census_integrity
