// dfe-census, fsm: (to be written). Each rule: its metadata, its check, its Rule.
#include "common.hpp"
#include "rules.hpp"

namespace censusqa::dfe_census {

std::span<const Rule> fsm_rules() { return {}; }

} // namespace censusqa::dfe_census
