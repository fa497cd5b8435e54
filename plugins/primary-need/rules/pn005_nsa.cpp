// PN005: NSA used where it is not allowed.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN005",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "NSA used where it is not allowed",
    "NSA ('SEN support but no specialist assessment of type of need') may only be the single need of a pupil at SEN "
    "support. A pupil with an EHC plan has been assessed, and NSA cannot sit beside another need or at rank 2.",
    "Record the assessed type of need instead of NSA; for an EHC plan use the primary need on the plan.",
    needs_census,
    "SENprovision, SENtype, SENtypeRank"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      const auto needs = ctx.data.needs_of(p);
      const auto nsa =
          std::find_if(needs.begin(), needs.end(), [](const SenNeed& n) { return n.type == NeedType::NSA; });
      if (nsa == needs.end()) continue;
      std::vector<std::string> problems;
      if (p.sen_provision == SenProvision::E) problems.emplace_back("with an EHC plan (E)");
      if (nsa->rank == 2) problems.emplace_back("at rank 2");
      if (needs.size() > 1) problems.emplace_back("together with another need");
      if (problems.empty()) continue;
      std::string message = "NSA recorded ";
      for (std::size_t i = 0; i < problems.size(); ++i)
        message += (i ? " and " : "") + problems[i];
      ctx.report_pupil(
          p, message,
          {{"SENprovision", p.sen_provision ? std::string(name(*p.sen_provision)) : ""}, {"SENtype", "NSA"}});
    }
  }
}

} // namespace

const Rule pn005_nsa{&info, check};

} // namespace censusqa::primary_need
