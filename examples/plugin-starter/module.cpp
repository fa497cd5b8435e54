// attendance-starter: a worked example of a censusqa plugin built out of tree. Its single export
// (CENSUSQA_PLUGIN: the descriptor and the factory), its rules in code order, its options and what
// it adds to the profiles.
#include "rules/rules.hpp"

namespace starter {
namespace {

constexpr const char* plugin_id = "attendance-starter";
constexpr const char* plugin_version = "1.0.0";

censusqa::RulePlugin* make_plugin() {
  static const censusqa::Rule rules[] = {
      st001_persistent_absence,
      st002_school_absence_rate,
  };
  static const censusqa::MetricProducer producers[] = {attendance_section};
  static constexpr std::string_view metric_names[] = {"starter."};
  return new censusqa::RuleListPlugin(
      {.id = plugin_id,
       .name = "Attendance (starter)",
       .version = plugin_version,
       .description = "Persistent absence from the census attendance: a worked example plugin.",
       .rules = rules,
       .options = options,
       .metrics = producers,
       .metric_names = metric_names});
}

} // namespace
} // namespace starter

CENSUSQA_PLUGIN("attendance-starter", "1.0.0", starter::make_plugin())
