// dfe-census: the DfE's numbered census validation rules. The plugin's single export; each group's rules
// come from its own file (rules/<group>.cpp), in group order.
#include "rules/rules.hpp"

#include <vector>

namespace censusqa::dfe_census {
namespace {

constexpr const char* plugin_id = "dfe-census";
constexpr const char* plugin_version = "1.0.0";

RulePlugin* make_plugin() {
  // Built on first use (not at load time), so no static-initialisation order is involved.
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> all;
    for (auto group : {identity_rules(), status_rules(), nc_year_rules(), sen_rules(), exclusion_rules(), fsm_rules(),
                       attendance_rules(), ap_rules(), term_on_term_rules()})
      all.insert(all.end(), group.begin(), group.end());
    return all;
  }();
  return new RuleListPlugin({.id = plugin_id,
                             .name = "DfE census validation",
                             .version = plugin_version,
                             .description = "The DfE's own numbered school census validation rules (COLLECT's "
                                            "errors and queries) that no other plugin makes, by number: identity, "
                                            "status, NC year, SEN, exclusions, FSM periods, attendance, "
                                            "school-arranged AP and the term-on-term queries.",
                             .rules = rules,
                             .options = options()});
}

} // namespace
} // namespace censusqa::dfe_census

CENSUSQA_PLUGIN("dfe-census", "1.0.0", censusqa::dfe_census::make_plugin())
