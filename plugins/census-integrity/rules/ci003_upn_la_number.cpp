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
    Severity::query,
    Scope::pupil,
    Actor::school,
    "UPN does not start with a known LA number",
    "Characters 2-4 of a UPN are the number of the LA where it was issued. A UPN whose number is no English LA's "
    "was probably invented or mistyped; UPNs issued in Wales or other nations are legitimate but rare.",
    "Check the UPN against the Common Transfer File; if the pupil came from outside England, explain the query.",
    needs_census,
    "UPN"};

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
