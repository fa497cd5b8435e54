// CI004: the same UPN more than once in one school's return.
#include "rules.hpp"

#include <map>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI004",
    Severity::error,
    Scope::school,
    Actor::school,
    "UPN appears more than once in the school's return",
    "Each pupil is on a school's census once; a repeated UPN double-counts a pupil in funding and statistics or "
    "hides a second pupil whose UPN was overwritten.",
    "Find both records in the MIS: merge them if they are the same pupil, or correct the UPN of the one that is not.",
    needs_census,
    "UPN",
    "1520",
    DfeMatch::exact,
};

void check(RuleContext& ctx) {
  ctx.data.for_each_shared_upn([&](std::string_view upn_view, std::span<const std::uint32_t> records) {
    const std::string upn(upn_view);
    std::map<std::string, std::vector<const Pupil*>> by_school;
    for (const auto i : records)
      by_school[ctx.data.return_of(ctx.data.pupils[i]).laestab].push_back(&ctx.data.pupils[i]);
    for (const auto& [laestab, in_school] : by_school) {
      if (in_school.size() < 2) continue;
      std::string lines;
      for (const Pupil* p : in_school)
        lines += (lines.empty() ? "" : ", ") + std::to_string(p->source.line);
      ctx.report_school(laestab, upn, in_school[1]->source,
                        "UPN " + upn + " appears " + std::to_string(in_school.size()) +
                            " times in this school's return (lines " + lines + ")",
                        {{"UPN", upn}, {"count", std::to_string(in_school.size())}}, upn);
    }
  });
}

} // namespace

const Rule ci004_duplicate_upn_in_school{&info, check};

} // namespace censusqa::census_integrity
