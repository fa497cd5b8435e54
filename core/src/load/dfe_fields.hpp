// Which DfE COLLECT rule a loader's own finding is: a census field the loader could not read (IN003) or
// whose code is not in the DfE's list (IN004) is, for many fields, exactly what a numbered DfE rule
// rejects (an invalid NC year is rule 2000). The loaders put the number on the finding
// (Finding::dfe_rule); `censusqa rules --dfe` lists these as covered by the loader.
#pragma once

#include <span>
#include <string_view>

namespace censusqa::load {

struct LoaderDfeRule {
  std::string_view dfe_rule;   ///< "2000"
  std::string_view input_rule; ///< "IN003" or "IN004"
  std::string_view field;      ///< the census item, as the findings name it ("NCyearActual")
};

/// Every (DfE rule, input rule, field) the loaders report, in DfE rule order.
std::span<const LoaderDfeRule> loader_dfe_rules();

} // namespace censusqa::load
