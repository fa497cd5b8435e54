// census-integrity: identity and structure checks on the census returns. The plugin's single
// export and its rule list, one line per rule, in code order.
#include "rules/rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr const char* plugin_id = "census-integrity";
constexpr const char* plugin_version = "1.0.0";

RulePlugin* make_plugin() {
  // Built on first use (not at load time), so no static-initialisation order is involved.
  static const Rule rules[] = {
      ci001_upn_format,
      ci002_upn_check_letter,
      ci003_upn_la_number,
      ci004_duplicate_upn_in_school,
      ci005_upn_at_several_schools,
      ci006_dob,
      ci007_age_for_year_group,
      ci008_sen_provision,
      ci009_return_header,
      ci010_no_sen_pupils,
      ci011_required_item,
      ci012_entry_after_census,
      ci013_leaving_date,
      ci014_sessions_missed,
      ci015_totals_and_detail,
      ci016_perm_with_sessions,
      ci017_two_perms,
      ci018_exclusion_outside_term,
      ci019_special_school_no_sen,
      ci020_no_pupils_on_roll,
  };
  return new RuleListPlugin(
      {.id = plugin_id,
       .name = "Census integrity",
       .version = plugin_version,
       .description = "Pupil identity (UPN), duplicates across and within schools, dates of birth, year "
                      "groups, SEN provision codes, return headers, required items, entry and leaving dates, "
                      "attendance sessions and exclusions, and pupils at special schools without SEN.",
       .rules = rules});
}

} // namespace
} // namespace censusqa::census_integrity

CENSUSQA_PLUGIN("census-integrity", "1.0.0", censusqa::census_integrity::make_plugin())
