// AP001: start date missing, invalid or in the future; end before start; duplicate placement id.
#include "rules.hpp"

#include <set>

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP001",
    Severity::error,
    Scope::placement,
    Actor::la_ap,
    "Placement dates or id unusable",
    "Every placement needs a start date on or before the reference date, an end no earlier than its start, and an "
    "id of its own; otherwise it cannot be counted as open or ended, and its weeks in AP are unknown.",
    "Correct the placement's dates from the commissioning record, and give each placement its own id.",
    needs_ap_placements,
    "placement_id, start_date, end_date"};

void check(RuleContext& ctx) {
  std::set<std::string> ids;
  for (const ApPlacement& p : ctx.data.ap_placements) {
    std::vector<std::string> problems;
    if (!p.start_date) {
      const auto raw = ctx.data.raw_value(Entity::placement, ctx.data.index_of(p), Field::start_date);
      problems.push_back(raw ? "start_date '" + std::string(*raw) + "' is not a valid date" : "start_date is missing");
    } else if (ctx.run.reference_date && *p.start_date > *ctx.run.reference_date) {
      problems.push_back("start_date " + p.start_date->iso() + " is after the reference date " +
                         ctx.run.reference_date->iso());
    }
    if (p.start_date && p.end_date && *p.end_date < *p.start_date)
      problems.push_back("end_date " + p.end_date->iso() + " is before start_date " + p.start_date->iso());
    if (!p.placement_id.empty() && !ids.insert(p.placement_id).second)
      problems.push_back("placement_id " + p.placement_id + " is used by an earlier row");
    if (problems.empty()) continue;
    std::string message;
    for (std::size_t i = 0; i < problems.size(); ++i)
      message += (i ? "; " : "") + problems[i];
    message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    ctx.report_school(p.home_laestab, p.placement_id, p.source, message, {{"placement_id", p.placement_id}}, p.upn);
  }
}

} // namespace

const Rule ap001_dates_and_ids{&info, check};

} // namespace censusqa::ap_reintegration
