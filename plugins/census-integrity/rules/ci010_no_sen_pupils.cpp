// CI010: a school with 20 or more pupils returns no pupils with SEN.
#include "rules.hpp"

#include <map>

namespace censusqa::census_integrity {
namespace {

constexpr int min_pupils = 20;

constexpr RuleInfo info{
    "CI010",
    Severity::query,
    Scope::school,
    Actor::school,
    "No pupils with SEN in a school of 20 or more",
    "About one pupil in six has SEN nationally; a school of 20 or more pupils (everyone on its return, any "
    "enrolment status) with none at SEN support or with an EHC plan has almost certainly lost its SEN data in the "
    "export.",
    "Check that SEN provision is recorded in the MIS and included in the census export; if the school truly has no "
    "pupils with SEN, explain the query.",
    needs_census,
    "SENprovision"};

void check(RuleContext& ctx) {
  struct Count {
    int pupils = 0, sen = 0;
    const CensusReturn* first = nullptr;
  };
  std::map<std::string, Count> schools; // a school may have more than one return (several CSV files)
  for (const CensusReturn& r : ctx.data.returns) {
    auto& c = schools[r.laestab];
    if (!c.first) c.first = &r;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      ++c.pupils;
      c.sen += p.sen_provision == SenProvision::K || p.sen_provision == SenProvision::E;
    }
  }
  for (const auto& [laestab, c] : schools)
    if (c.pupils >= min_pupils && c.sen == 0)
      ctx.report_school(laestab, laestab, c.first->source,
                        "The return has " + std::to_string(c.pupils) +
                            " pupils and none with SEN support (K) or an EHC plan (E)",
                        {{"pupils", std::to_string(c.pupils)}, {"sen_pupils", "0"}});
}

} // namespace

const Rule ci010_no_sen_pupils{&info, check};

} // namespace censusqa::census_integrity
