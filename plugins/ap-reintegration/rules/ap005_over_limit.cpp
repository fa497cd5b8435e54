// AP005: an open placement longer than its limit, or well past its planned end.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP005",
    Severity::query,
    Scope::placement,
    Actor::la_ap,
    "Open placement over its time limit",
    "Each kind of placement has a limit (max_weeks by reason: preventive 12, suspension 6, permanent exclusion 26, "
    "medical 52, awaiting placement 26, managed move 12, other 26), and a placement should not run more than two "
    "weeks past its planned end; beyond either, the pupil is drifting in AP.",
    "Review the placement now: agree the pupil's return or next step, or record why it continues.",
    needs_ap_placements,
    "reason, start_date, planned_end_date"};

void check(RuleContext& ctx) {
  if (!ctx.run.reference_date) return ctx.skip("no reference date");
  const Limits limits = read_limits(ctx.config);
  const Date ref = *ctx.run.reference_date;
  for (const ApPlacement& p : ctx.data.ap_placements) {
    if (!p.open_on(ref)) continue;
    const int days = ref.days_since(*p.start_date);
    std::vector<std::string> problems;
    std::vector<std::pair<std::string, std::string>> values{{"start_date", p.start_date->iso()}};
    if (p.reason) {
      const int limit = limits.max_weeks[static_cast<std::size_t>(*p.reason)];
      if (days > limit * 7) {
        problems.push_back("open " + std::to_string(days) + " days, beyond the " + std::to_string(limit) +
                           " weeks allowed for " + words(*p.reason));
        values.emplace_back("reason", std::string(name(*p.reason)));
      }
    }
    if (p.planned_end_date && ref.days_since(*p.planned_end_date) > 14) {
      problems.push_back(std::to_string(ref.days_since(*p.planned_end_date)) + " days past its planned end " +
                         p.planned_end_date->iso());
      values.emplace_back("planned_end_date", p.planned_end_date->iso());
    }
    if (problems.empty()) continue;
    std::string message = "The placement is ";
    for (std::size_t i = 0; i < problems.size(); ++i)
      message += (i ? " and " : "") + problems[i];
    ctx.report_school(p.home_laestab, p.placement_id, p.source, message, std::move(values), p.upn);
  }
}

} // namespace

const Rule ap005_over_limit{&info, check};

} // namespace censusqa::ap_reintegration
