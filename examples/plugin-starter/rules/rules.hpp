// attendance-starter: the plugin's rules, its profile section and the helpers they share.
#pragma once

#include <censusqa/censusqa.hpp>

namespace starter {

/// A pupil's absence in the term before the census, as the DfE counts it (the SDK's definition:
/// pupils of compulsory school age, on roll or leavers, with sessions possible); nothing otherwise.
/// Pupils on roll only, here.
inline std::optional<censusqa::TermlyAbsence> absence_of(const censusqa::Dataset& data, const censusqa::Pupil& p) {
  return data.termly_absence(p);
}

extern const censusqa::Rule st001_persistent_absence;
extern const censusqa::Rule st002_school_absence_rate;
extern const censusqa::MetricProducer attendance_section;

/// The plugin's options (module.cpp gives them to the host): the host checks the LA's value against
/// the declaration and applies the default, so ST002 reads max_pct without a fallback.
inline constexpr censusqa::OptionInfo options[] = {
    {.key = "max_pct",
     .type = "number",
     .default_value = "25",
     .description = "ST002: the share of pupils persistently absent above which a school is queried",
     .minimum = 0,
     .maximum = 100},
};

} // namespace starter
