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
    "UPN",
    // The DfE checks the UPN character by character: each finding names the rule of the first part that is
    // wrong (dfe_number_for below). 1510 and 1530 are also CI002's and CI003's, which check a well-formed UPN.
    "1500, 1510, 1530, 1540, 1550",
    DfeMatch::exact,
};

/// The DfE rule a malformed UPN breaks first: 1500 missing, 1510 character 1 not a letter (no check
/// letter), 1530 characters 2-4 not digits (no LA number), 1540 characters 5-12 not all digits, 1550
/// character 13 missing or not a digit or an allowed letter (and anything after it).
std::string_view dfe_number_for(std::string_view upn) {
  if (upn.empty()) return "1500";
  if (upn[0] < 'A' || upn[0] > 'Z') return "1510";
  for (std::size_t i = 1; i < 12; ++i)
    if (i >= upn.size() || upn[i] < '0' || upn[i] > '9') return i < 4 ? "1530" : "1540";
  return "1550";
}

void check(RuleContext& ctx) {
  for (const Pupil& p : ctx.data.pupils) {
    if (p.upn.empty()) {
      // A UPN the loader could not keep (longer than any UPN field may be, or text that may be a name,
      // which the raw value does not show) is there, only unreadable: reported as malformed, beside the
      // loader's IN003 for the same field.
      if (const auto raw = ctx.data.raw_value(Entity::pupil, ctx.data.index_of(p), Field::upn))
        ctx.for_dfe(dfe_number_for(*raw))
            .report_pupil(p,
                          "UPN '" + std::string(*raw) +
                              "' is not a letter, 11 digits and a final digit or letter (not I, O or S)",
                          {{"UPN", std::string(*raw)}});
      else
        ctx.for_dfe("1500").report_pupil(p, "The UPN is missing", {{"UPN", ""}});
    } else if (!upn_well_formed(p.upn))
      ctx.for_dfe(dfe_number_for(p.upn))
          .report_pupil(p, "UPN '" + p.upn + "' is not a letter, 11 digits and a final digit or letter (not I, O or S)",
                        {{"UPN", p.upn}});
  }
}

} // namespace

const Rule ci001_upn_format{&info, check};

} // namespace censusqa::census_integrity
