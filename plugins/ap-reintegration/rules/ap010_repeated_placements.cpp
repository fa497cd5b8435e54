// AP010: three or more placements starting within 12 months.
#include "rules.hpp"

namespace censusqa::ap_reintegration {
namespace {

constexpr RuleInfo info{
    "AP010",
    Severity::query,
    Scope::pupil,
    Actor::la_ap,
    "Three or more placements in 12 months",
    "A pupil moved in and out of AP three or more times in a year (starts within 365 days of each other) is not "
    "being helped by short placements; their needs may call for an assessment or a different plan.",
    "Review the pupil's needs with the school and the SEND team (consider an EHC needs assessment).",
    needs_ap_placements,
    "start_date"};

void check(RuleContext& ctx) {
  for (const auto& [upn, placements] : placements_by_pupil(ctx.data)) {
    std::vector<const ApPlacement*> started;
    for (const ApPlacement* p : placements)
      if (p->start_date) started.push_back(p);
    for (std::size_t i = 0; i + 2 < started.size(); ++i) {
      const int days = started[i + 2]->start_date->days_since(*started[i]->start_date);
      if (days > 365) continue;
      ctx.report_school(started[i + 2]->home_laestab, upn, started[i + 2]->source,
                        "Three placements started within " + std::to_string(days) +
                            " days: " + started[i]->placement_id + " (" + started[i]->start_date->iso() + "), " +
                            started[i + 1]->placement_id + " (" + started[i + 1]->start_date->iso() + "), " +
                            started[i + 2]->placement_id + " (" + started[i + 2]->start_date->iso() + ")",
                        {{"first", started[i]->placement_id}, {"third", started[i + 2]->placement_id}}, upn);
      break;
    }
  }
}

} // namespace

const Rule ap010_repeated_placements{&info, check};

} // namespace censusqa::ap_reintegration
