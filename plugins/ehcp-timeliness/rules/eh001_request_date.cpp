// EH001: request date missing, invalid, or after the reference date.
#include "rules.hpp"

namespace censusqa::ehcp_timeliness {
namespace {

constexpr RuleInfo info{
    "EH001",
    Severity::error,
    Scope::case_record,
    Actor::la_sen,
    "Request date missing, invalid or in the future",
    "Every statutory time limit (6, 16 and 20 weeks) runs from the date the LA received the request; without it "
    "the case cannot be timed. A plan issued without one is counted among the year's plans issued but in no time "
    "band, as the DfE's own timeliness file counts such plans, so it lowers the share issued within 20 weeks until "
    "the date is recorded.",
    "Record the date the request was received (the date stamp on the request, not the date it was logged).",
    needs_ehcp_cases,
    "request_date"};

void check(RuleContext& ctx) {
  for (const EhcCase& c : ctx.data.ehc_cases) {
    if (!c.request_date) {
      const auto raw = ctx.data.raw_value(Entity::ehc_case, ctx.data.index_of(c), Field::request_date);
      if (raw)
        ctx.report_case(c, "Request date '" + std::string(*raw) + "' is not a valid date",
                        {{"request_date", std::string(*raw)}});
      else
        ctx.report_case(c, "Request date is missing", {{"request_date", ""}});
    } else if (ctx.run.reference_date && *c.request_date > *ctx.run.reference_date) {
      ctx.report_case(
          c, "Request date " + c.request_date->iso() + " is after the reference date " + ctx.run.reference_date->iso(),
          {{"request_date", c.request_date->iso()}, {"reference_date", ctx.run.reference_date->iso()}});
    }
  }
}

} // namespace

const Rule eh001_request_date{&info, check};

} // namespace censusqa::ehcp_timeliness
