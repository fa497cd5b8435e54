// The DfE rules of the loaders' own findings; see dfe_fields.hpp.
#include "dfe_fields.hpp"

namespace censusqa::load {

std::span<const LoaderDfeRule> loader_dfe_rules() { return {}; }

} // namespace censusqa::load
