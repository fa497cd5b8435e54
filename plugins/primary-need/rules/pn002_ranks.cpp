// PN002: need ranks malformed.
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN002",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Need ranks malformed",
    "A pupil has one primary need (rank 1) and at most one secondary need (rank 2). Without exactly one rank 1 the "
    "pupil's primary need, which the DfE counts, is unknown or ambiguous.",
    "In the MIS, give the pupil exactly one need at rank 1 and at most one at rank 2.",
    needs_census,
    "SENtypeRank"};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (p.need_count == 0) continue;
      int rank1 = 0, rank2 = 0, other = 0;
      std::string ranks;
      for (const SenNeed& n : ctx.data.needs_of(p)) {
        rank1 += n.rank == 1;
        rank2 += n.rank == 2;
        other += n.rank != 1 && n.rank != 2;
        if (!ranks.empty()) ranks += ',';
        ranks += n.rank ? std::to_string(*n.rank) : std::string("blank");
      }
      std::vector<std::string> problems;
      if (rank1 == 0) problems.emplace_back("no rank 1");
      if (rank1 > 1) problems.emplace_back(std::to_string(rank1) + " needs at rank 1");
      if (rank2 > 1) problems.emplace_back(std::to_string(rank2) + " needs at rank 2");
      if (other)
        problems.emplace_back(std::to_string(other) + (other == 1 ? " rank" : " ranks") + " other than 1 or 2");
      if (p.need_count > 2) problems.emplace_back(std::to_string(p.need_count) + " needs (at most 2)");
      if (problems.empty()) continue;
      std::string message = "Need ranks malformed: ";
      for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i) message += ", ";
        message += problems[i];
      }
      ctx.report_pupil(p, message, {{"SENtypeRank", ranks}});
    }
  }
}

} // namespace

const Rule pn002_ranks{&info, check};

} // namespace censusqa::primary_need
