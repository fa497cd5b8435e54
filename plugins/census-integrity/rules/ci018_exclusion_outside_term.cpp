// CI018: an exclusion dated outside the period the return's exclusions module reports (two terms).
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI018",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "Exclusion dated outside the terms the return reports",
    "A census reports the exclusions of the two terms before it, one and two terms in arrears (spring: Easter "
    "Monday to 31 December; summer: 1 August to Easter Sunday; autumn: 1 January to 31 July; before autumn 2019, "
    "the term two in arrears only; a PRU's annual exclusions: the previous year of those terms, 1 August to 31 July). "
    "An exclusion dated "
    "outside them is counted in the wrong term, twice, or not at all.",
    "Check the exclusion's start date in the MIS; an exclusion of another term belongs in that term's census.",
    needs_census,
    "StartDate"};

void check(RuleContext& ctx) {
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    const auto& ret = ctx.data.return_of(p);
    const std::optional<Date> day = ret.reference_date ? ret.reference_date : ctx.run.reference_date;
    const std::optional<Term> term = ret.term ? ret.term : ctx.run.term;
    if (!day || !term) return;
    for (const Exclusion& e : ctx.data.exclusions_of(p)) {
      if (!e.start_date) continue;
      const DateSpan period = e.annual ? previous_exclusions_year(*day) : exclusions_period(*term, *day);
      if (period.contains(*e.start_date)) continue;
      const std::string who = p.upn.empty() ? "line " + std::to_string(e.source.line) : p.upn;
      ctx.report_school(ret.laestab, who + "." + e.start_date->iso(), e.source,
                        "Exclusion from " + e.start_date->iso() + " is outside the period this return reports (" +
                            period.from.iso() + " to " + period.to.iso() + ")",
                        {{"StartDate", e.start_date->iso()}, {"from", period.from.iso()}, {"to", period.to.iso()}},
                        p.upn);
    }
  });
}

} // namespace

const Rule ci018_exclusion_outside_term{&info, check};

} // namespace censusqa::census_integrity
