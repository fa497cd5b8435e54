// PN012: NSA is the primary need of too many of a school's SEN support pupils.
#include "rules.hpp"

#include <map>

namespace censusqa::primary_need {
namespace {

constexpr int min_support_pupils = 5;

constexpr RuleInfo info{
    "PN012",
    Severity::query,
    Scope::school,
    Actor::school,
    "Many SEN support pupils without an assessed need (NSA)",
    "NSA is meant for pupils newly at SEN support whose needs are still being assessed. When it is the primary need "
    "of more than nsa_max_pct (default 10%) of a school's SEN support pupils (schools with at least 5), the school's "
    "needs profile is unknown, and NSA has been growing 7% a year nationally.",
    "Review the pupils recorded as NSA: record the type of need identified since, or plan their assessment.",
    needs_census,
    "SENprovision, SENtype"};

void check(RuleContext& ctx) {
  const double limit = ctx.config.get_number("nsa_max_pct");
  struct Count {
    int support = 0, nsa = 0;
    SourceRef source;
  };
  std::map<std::string, Count> schools;
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    auto& c = schools[r.laestab];
    if (!c.source.file) c.source = r.source;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (p.sen_provision != SenProvision::K || !main_registration(p)) continue;
      ++c.support;
      c.nsa += ctx.data.primary_need_of(p) == NeedType::NSA;
    }
  }
  for (const auto& [laestab, c] : schools) {
    if (c.support < min_support_pupils || c.nsa * 100.0 <= limit * c.support) continue;
    ctx.report_school(laestab, laestab, c.source,
                      "NSA is the primary need of " + std::to_string(c.nsa) + " of " + std::to_string(c.support) +
                          " pupils at SEN support (" + pct_text(static_cast<double>(c.nsa) / c.support) +
                          "%), more than the " + pct_text(limit / 100.0) + "% expected",
                      {{"nsa_pupils", std::to_string(c.nsa)}, {"sen_support_pupils", std::to_string(c.support)}});
  }
}

} // namespace

const Rule pn012_nsa_share{&info, check};

} // namespace censusqa::primary_need
