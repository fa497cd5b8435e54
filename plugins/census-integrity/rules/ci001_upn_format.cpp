// CI001: UPN missing or malformed.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI001",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "UPN missing or malformed",
    "The UPN identifies the pupil across schools and years; the DfE rejects a return whose UPN is missing or not "
    "13 characters of a letter, 11 digits and a final digit or letter (not I, O or S).",
    "Correct the UPN in the MIS from the pupil's previous school's records or the Common Transfer File; where none "
    "exists, generate a temporary UPN in the MIS.",
    needs_census,
    "UPN"};

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (p.upn.empty())
      ctx.report_pupil(p, "The UPN is missing", {{"UPN", ""}});
    else if (!upn_well_formed(p.upn))
      ctx.report_pupil(p, "UPN '" + p.upn + "' is not a letter, 11 digits and a final digit or letter (not I, O or S)",
                       {{"UPN", p.upn}});
  }
}

} // namespace

const Rule ci001_upn_format{&info, check};

} // namespace censusqa::census_integrity
