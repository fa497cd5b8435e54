// CI004: the same UPN more than once in one school's return.
#include "rules.hpp"

#include <map>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI004",
    Severity::error,
    Scope::school,
    "UPN appears more than once in the school's return",
    "Each pupil is on a school's census once; a repeated UPN double-counts a pupil in funding and statistics or "
    "hides a second pupil whose UPN was overwritten.",
    "Find both records in the MIS: merge them if they are the same pupil, or correct the UPN of the one that is not.",
    needs_census,
    "UPN"};

void check(RuleContext& ctx) {
  const auto by_upn = ctx.data.pupils_by_upn();
  for (std::size_t i = 0; i < by_upn.size();) {
    std::size_t j = i;
    const std::string& upn = ctx.data.pupils[by_upn[i]].upn;
    while (j < by_upn.size() && ctx.data.pupils[by_upn[j]].upn == upn)
      ++j;
    if (j - i > 1) {
      std::map<std::string, std::vector<const Pupil*>> by_school;
      for (std::size_t k = i; k < j; ++k) {
        const Pupil& p = ctx.data.pupils[by_upn[k]];
        by_school[ctx.data.return_of(p).laestab].push_back(&p);
      }
      for (const auto& [laestab, records] : by_school) {
        if (records.size() < 2) continue;
        std::string lines;
        for (const Pupil* p : records)
          lines += (lines.empty() ? "" : ", ") + std::to_string(p->source.line);
        ctx.report_school(laestab, upn, records[1]->source,
                          "UPN " + upn + " appears " + std::to_string(records.size()) +
                              " times in this school's return (lines " + lines + ")",
                          {{"UPN", upn}, {"count", std::to_string(records.size())}}, upn);
      }
    }
    i = j;
  }
}

} // namespace

const Rule ci004_duplicate_upn_in_school{&info, check};

} // namespace censusqa::census_integrity
