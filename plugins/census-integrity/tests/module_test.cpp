// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"

using namespace censusqa;
using namespace censusqa::census_integrity;

TEST_CASE("census-integrity rules have complete, unique metadata") {
  testkit::check_rule_list("CI",
                           {&ci001_upn_format, &ci002_upn_check_letter, &ci003_upn_la_number,
                            &ci004_duplicate_upn_in_school, &ci005_upn_at_several_schools, &ci006_dob,
                            &ci007_age_for_year_group, &ci008_sen_provision, &ci009_return_header, &ci010_no_sen_pupils},
                           needs_census);
}
