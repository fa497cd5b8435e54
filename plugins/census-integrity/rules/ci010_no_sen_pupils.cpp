// CI010: a school returns no pupils with SEN (DfE rule 2200).
#include "rules.hpp"

#include <map>

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI010",
    Severity::query,
    Scope::school,
    Actor::school,
    "No pupils with SEN in the school",
    "About one pupil in six has SEN nationally; a school whose return (everyone on roll, any enrolment status) has "
    "none at SEN support or with an EHC plan has usually lost its SEN data in the export. COLLECT queries any "
    "such school, whatever its size, and so does this rule: it used to wait for 20 pupils, a threshold the DfE "
    "does not state (DfE rule 2200).",
    "Check that SEN provision is recorded in the MIS and included in the census export; if the school truly has no "
    "pupils with SEN, explain the query.",
    needs_census,
    "SENprovision",
    "2200",
    DfeMatch::exact};

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
    if (c.pupils > 0 && c.sen == 0)
      ctx.report_school(laestab, laestab, c.first->source,
                        "The return has " + std::to_string(c.pupils) +
                            " pupils and none with SEN support (K) or an EHC plan (E)",
                        {{"pupils", std::to_string(c.pupils)}, {"sen_pupils", "0"}});
}

} // namespace

const Rule ci010_no_sen_pupils{&info, check};

} // namespace censusqa::census_integrity
