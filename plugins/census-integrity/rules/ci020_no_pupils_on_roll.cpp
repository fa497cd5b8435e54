// CI020: a school's return lists no pupil on roll.
#include "rules.hpp"

#include <map>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI020",
    Severity::query,
    Scope::school,
    Actor::school,
    "The return lists no pupils on roll",
    "A census return lists every pupil on roll on census day. One that lists none (its PupilsOnRoll module empty or "
    "missing) is nearly always an export that went wrong: every figure of the school reads 0, and a pupil of the "
    "previous census seems to have left for nowhere, so pupil movement leaves the school out instead of querying "
    "each pupil. A return read only up to an error is IN001, not this. The DfE's validation rules published with "
    "the census do not number this check that we have found, so no DfE rule is named.",
    "Export the return again with its pupils on roll and send it; if the school truly had no pupils on census day "
    "(it is closing), explain the query.",
    needs_census,
    "PupilsOnRoll"};

void check(RuleContext& ctx) {
  struct Count {
    std::size_t pupils = 0, leavers = 0;
    bool cut_short = false;
    const CensusReturn* first = nullptr;
  };
  std::map<std::string, Count> schools; // a school may have more than one return (several CSV files)
  for (const CensusReturn& r : ctx.data.returns) {
    if (r.laestab.empty()) continue;
    auto& c = schools[r.laestab];
    if (!c.first) c.first = &r;
    c.pupils += r.pupil_count;
    c.leavers += r.leaver_count;
    c.cut_short = c.cut_short || ctx.data.read_in_part(r);
  }
  for (const auto& [laestab, c] : schools)
    if (c.pupils == 0 && !c.cut_short)
      ctx.report_school(laestab, laestab, c.first->source,
                        "The return lists no pupils on roll" +
                            (c.leavers
                                 ? " (and " + std::to_string(c.leavers) + (c.leavers == 1 ? " leaver)" : " leavers)")
                                 : std::string()),
                        {{"pupils_on_roll", "0"}, {"leavers", std::to_string(c.leavers)}});
}

} // namespace

const Rule ci020_no_pupils_on_roll{&info, check};

} // namespace censusqa::census_integrity
