// census-integrity: the plugin's rules, one per file, listed in module.cpp.
#pragma once

#include <censusqa/censusqa.hpp>

namespace censusqa::census_integrity {

extern const Rule ci001_upn_format;
extern const Rule ci002_upn_check_letter;
extern const Rule ci003_upn_la_number;
extern const Rule ci004_duplicate_upn_in_school;
extern const Rule ci005_upn_at_several_schools;
extern const Rule ci006_dob;
extern const Rule ci007_age_for_year_group;
extern const Rule ci008_sen_provision;
extern const Rule ci009_return_header;
extern const Rule ci010_no_sen_pupils;
extern const Rule ci011_required_item;
extern const Rule ci012_entry_after_census;
extern const Rule ci013_leaving_date;
extern const Rule ci014_sessions_missed;
extern const Rule ci015_totals_and_detail;
extern const Rule ci016_perm_with_sessions;
extern const Rule ci017_two_perms;
extern const Rule ci018_exclusion_outside_term;
extern const Rule ci019_special_school_no_sen;
extern const Rule ci020_no_pupils_on_roll;

/// Whether `la` (3 digits) is an English LA number, current or pre-reorganisation, from the
/// DfE list in templates/la-numbers.csv.
bool is_la_number(std::string_view la);

} // namespace censusqa::census_integrity
