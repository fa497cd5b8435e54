// CI002: UPN check letter wrong.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI002",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "UPN check letter wrong",
    "The first letter of a UPN is a check letter computed from the other twelve characters (weights 2 to 13, sum "
    "mod 23); a wrong one means a mistyped digit, so the UPN belongs to no one or to another pupil.",
    "Re-enter the UPN from the Common Transfer File or the previous school; do not change the check letter to fit.",
    needs_census,
    "UPN",
    // COLLECT's rule 1510 checks the former UPN's check letter too, which censusqa does not read.
    "1510",
    DfeMatch::partial,
};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    const auto expected = upn_check_letter(p.upn); // nothing for a malformed UPN: CI001's finding
    if (expected && *expected != p.upn[0])
      ctx.report_pupil(p,
                       "UPN '" + p.upn + "' has check letter " + p.upn[0] + " but its digits call for " + *expected +
                           ": a character is probably mistyped",
                       {{"UPN", p.upn}, {"expected_check_letter", std::string(1, *expected)}});
  }
}

} // namespace

const Rule ci002_upn_check_letter{&info, check};

} // namespace censusqa::census_integrity
