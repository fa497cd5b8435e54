// PN002: need ranks malformed (DfE rules 2140, 2160, 2165, 2166).
#include "rules.hpp"

namespace censusqa::primary_need {
namespace {

constexpr RuleInfo info{
    "PN002",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "Need ranks malformed",
    "A pupil has one primary need (rank 1) and at most one secondary need (rank 2); otherwise the pupil's primary "
    "need, which the DfE counts, is unknown or ambiguous. COLLECT makes four checks, each reported apart with its "
    "number: a rank missing or not 1 or 2 (DfE rule 2140; a rank the loader could not read is its own finding), "
    "a single need not at rank 1 (2160), two needs at the same rank (2165), more than two needs (2166).",
    "In the MIS, give the pupil exactly one need at rank 1 and at most one at rank 2.",
    needs_census,
    "SENtypeRank",
    "2140, 2160, 2165, 2166",
    DfeMatch::exact};

void check(RuleContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (p.need_count == 0) continue;
      int rank1 = 0, rank2 = 0, bad = 0;
      for (const SenNeed& n : ctx.data.needs_of(p)) {
        rank1 += n.rank == 1;
        rank2 += n.rank == 2;
        // missing (not unreadable: the loader reported that) or a number other than 1 or 2
        bad += n.rank ? (*n.rank != 1 && *n.rank != 2)
                      : !ctx.data.raw_value(Entity::need, ctx.data.index_of(n), Field::need_rank).has_value();
      }
      if (rank1 == 0 && rank2 == 0 && bad == 0) continue; // only unreadable ranks: the loader's
      auto ranks = [&] {
        std::string out;
        for (const SenNeed& n : ctx.data.needs_of(p)) {
          if (!out.empty()) out += ',';
          out += n.rank ? std::to_string(*n.rank) : std::string("blank");
        }
        return out;
      };
      if (bad > 0)
        ctx.for_dfe("2140").report_pupil(p,
                                         std::to_string(bad) + (bad == 1 ? " SEN need has" : " SEN needs have") +
                                             " a rank missing or other than 1 or 2",
                                         {{"SENtypeRank", ranks()}});
      if (p.need_count == 1) {
        const SenNeed& n = ctx.data.needs_of(p)[0];
        if (n.rank && *n.rank != 1)
          ctx.for_dfe("2160").report_pupil(
              p, "The pupil's only SEN need is at rank " + std::to_string(*n.rank) + ", not rank 1 (primary)",
              {{"SENtypeRank", ranks()}});
      }
      if (rank1 > 1 || rank2 > 1) {
        std::string message;
        if (rank1 > 1) message = std::to_string(rank1) + " SEN needs at rank 1";
        if (rank2 > 1) message += (message.empty() ? "" : " and ") + std::to_string(rank2) + " SEN needs at rank 2";
        ctx.for_dfe("2165").report_pupil(p, message + ": each rank is given once", {{"SENtypeRank", ranks()}});
      }
      if (p.need_count > 2)
        ctx.for_dfe("2166").report_pupil(p,
                                         std::to_string(p.need_count) + " SEN needs returned; at most 2 are collected",
                                         {{"SENneed", std::to_string(p.need_count)}});
    }
  }
}

} // namespace

const Rule pn002_ranks{&info, check};

} // namespace censusqa::primary_need
