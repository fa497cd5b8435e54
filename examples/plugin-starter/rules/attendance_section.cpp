// The plugin's contribution to each school's inclusion profile: persistent absence by SEN status,
// on a sheet of its own ("Attendance"). Data only: the host lays it out.
#include "rules.hpp"

namespace starter {
namespace {

using namespace censusqa;

void compute(RunContext& ctx) {
  for (const CensusReturn& r : ctx.data.returns) {
    // [0] no SEN, [1] SEN support, [2] EHC plan: pupils with attendance, persistent absentees.
    std::int64_t pupils[3] = {}, persistent[3] = {};
    for (const Pupil& p : ctx.data.pupils_of(r))
      if (const auto a = absence_of(ctx.data, p)) {
        const int g = p.sen_provision == SenProvision::E ? 2 : p.sen_provision == SenProvision::K ? 1 : 0;
        ++pupils[g];
        persistent[g] += a->persistent();
      }
    ProfileSection s;
    s.sheet = "Attendance";
    s.title = "Persistent absence by SEN status";
    s.columns = {"Pupils", "With attendance recorded", "Persistently absent", "% persistently absent"};
    const char* labels[] = {"No SEN", "SEN support", "EHC plan"};
    for (int g = 0; g < 3; ++g) {
      const Value pc = percent_1dp(persistent[g], pupils[g]);
      s.rows.push_back({ProfileCell::of(labels[g]), ProfileCell::of_count(pupils[g]),
                        ProfileCell::of_count(persistent[g]),
                        ProfileCell::of_percent(pc.is_null() ? std::nullopt : std::optional<double>(pc.as_number()))});
    }
    s.notes = {"Persistently absent: missed 10% or more of possible sessions this term (pupils on roll)."};
    ctx.profile.section(r.laestab, std::move(s));
    ctx.metrics.school(r.laestab, "starter.persistent_absentees.sen", persistent[1] + persistent[2]);
  }
}

} // namespace

const MetricProducer attendance_section{"persistent absence by SEN status, for the profile", needs_census, compute};

} // namespace starter
