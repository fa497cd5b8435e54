// dfe-census: the DfE's own numbered census validation rules (COLLECT's), one censusqa rule per DfE rule
// that no other plugin already makes. Each rule's code is DFE and the DfE's number ("DFE2166"), and its
// metadata names the number again (RuleInfo::dfe_rule), so that `censusqa rules --dfe` and
// docs/dfe-parity.md list it. The rules are grouped by the census module they read, one file per group
// (rules/<group>.cpp, tests/<group>_test.cpp); within a file each rule is one unit: its RuleInfo, then
// its check, then its Rule.
#pragma once

#include <censusqa/censusqa.hpp>

#include <span>

namespace censusqa::dfe_census {

// Each group's rules, in code order (module.cpp lists them all).
std::span<const Rule> identity_rules();
std::span<const Rule> status_rules();
std::span<const Rule> nc_year_rules();
std::span<const Rule> sen_rules();
std::span<const Rule> exclusion_rules();
std::span<const Rule> fsm_rules();
std::span<const Rule> attendance_rules();
std::span<const Rule> ap_rules();
std::span<const Rule> term_on_term_rules();

/// The plugin's options (module.cpp and the tests).
std::span<const OptionInfo> options();

} // namespace censusqa::dfe_census
