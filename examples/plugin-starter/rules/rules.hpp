// attendance-starter: the plugin's rules, its profile section and the helpers they share.
#pragma once

#include <censusqa/censusqa.hpp>

namespace starter {

/// Sessions missed (authorised + unauthorised) and possible for a pupil on roll with attendance
/// recorded; nothing otherwise.
struct Absence {
  std::int64_t missed = 0, possible = 0;
  bool persistent() const { return missed * 10 >= possible; } // 10% or more, as the DfE defines it
};
inline std::optional<Absence> absence_of(const censusqa::Pupil& p) {
  if (!p.enrol_status || !censusqa::counts_on_roll(*p.enrol_status)) return std::nullopt;
  const auto& a = p.attendance;
  if (!a.possible || *a.possible <= 0) return std::nullopt;
  return Absence{a.authorised.value_or(0) + a.unauthorised.value_or(0), *a.possible};
}

extern const censusqa::Rule st001_persistent_absence;
extern const censusqa::Rule st002_school_absence_rate;
extern const censusqa::MetricProducer attendance_section;

} // namespace starter
