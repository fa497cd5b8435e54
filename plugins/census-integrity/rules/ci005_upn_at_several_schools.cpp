// CI005: the same UPN on roll at two or more schools without a valid dual registration.
#include "rules.hpp"

#include <set>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI005",
    Severity::query,
    Scope::la,
    Actor::la_data,
    "UPN on roll at several schools without a valid dual registration",
    "A pupil may be on two schools' rolls only as a dual registration: exactly one main (M) and one or more "
    "subsidiary (S). Anything else double-counts the pupil, or two pupils share a UPN.",
    "The LA data team contacts the schools named (each sees this finding on its profile): they agree which holds "
    "the main registration (M) and record the others as subsidiary (S), or the school the pupil has left takes "
    "them off roll.",
    needs_census,
    "UPN, EnrolStatus"};

void check(RuleContext& ctx) {
  ctx.data.for_each_shared_upn([&](std::string_view upn_view, std::span<const std::uint32_t> records) {
    const std::string upn(upn_view);
    std::set<std::string> schools;
    for (const auto i : records)
      schools.insert(ctx.data.return_of(ctx.data.pupils[i]).laestab);
    if (schools.size() < 2) return; // repeats within one school are CI004's
    std::size_t main = 0, subsidiary = 0;
    std::string where;
    for (const auto i : records) {
      const Pupil& p = ctx.data.pupils[i];
      main += p.enrol_status == EnrolStatus::M;
      subsidiary += p.enrol_status == EnrolStatus::S;
      where += (where.empty() ? "" : ", ") + ctx.data.return_of(p).laestab + " (" +
               (p.enrol_status ? std::string(name(*p.enrol_status)) : "missing") + ")";
    }
    if (main == 1 && subsidiary == records.size() - 1) return; // a valid dual registration
    ctx.report_la(upn, ctx.data.pupils[records[0]].source,
                  "UPN " + upn + " is on roll at " + std::to_string(schools.size()) + " schools: " + where +
                      "; a dual registration needs exactly one M and the rest S",
                  {{"UPN", upn}, {"registrations", where}}, upn);
  });
}

} // namespace

const Rule ci005_upn_at_several_schools{&info, check};

} // namespace censusqa::census_integrity
