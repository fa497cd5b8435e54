// CI005: the same UPN on roll at two or more schools without a valid dual registration.
#include "rules.hpp"

#include <set>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI005",
    Severity::query,
    Scope::la,
    "UPN on roll at several schools without a valid dual registration",
    "A pupil may be on two schools' rolls only as a dual registration: exactly one main (M) and one or more "
    "subsidiary (S). Anything else double-counts the pupil, or two pupils share a UPN.",
    "Contact the schools named: agree which holds the main registration and record the others as S, or remove the "
    "pupil from the school they have left.",
    needs_census,
    "UPN, EnrolStatus"};

void check(RuleContext& ctx) {
  const auto by_upn = ctx.data.pupils_by_upn();
  for (std::size_t i = 0; i < by_upn.size();) {
    std::size_t j = i;
    const std::string& upn = ctx.data.pupils[by_upn[i]].upn;
    while (j < by_upn.size() && ctx.data.pupils[by_upn[j]].upn == upn)
      ++j;
    std::set<std::string> schools;
    for (std::size_t k = i; k < j; ++k)
      schools.insert(ctx.data.return_of(ctx.data.pupils[by_upn[k]]).laestab);
    if (schools.size() >= 2) {
      std::size_t main = 0, subsidiary = 0;
      std::string where;
      for (std::size_t k = i; k < j; ++k) {
        const Pupil& p = ctx.data.pupils[by_upn[k]];
        const std::string status = p.enrol_status ? std::string(name(*p.enrol_status)) : "missing";
        main += p.enrol_status == EnrolStatus::M;
        subsidiary += p.enrol_status == EnrolStatus::S;
        where += (where.empty() ? "" : ", ") + ctx.data.return_of(p).laestab + " (" + status + ")";
      }
      const bool valid_dual = main == 1 && subsidiary == (j - i) - 1;
      if (!valid_dual)
        ctx.report_la(upn, ctx.data.pupils[by_upn[i]].source,
                      "UPN " + upn + " is on roll at " + std::to_string(schools.size()) + " schools: " + where +
                          "; a dual registration needs exactly one M and the rest S",
                      {{"UPN", upn}, {"registrations", where}}, upn);
    }
    i = j;
  }
}

} // namespace

const Rule ci005_upn_at_several_schools{&info, check};

} // namespace censusqa::census_integrity
