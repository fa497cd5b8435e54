// Which DfE COLLECT rule a loader's own finding is: a census field the loader could not read (IN003) or
// whose code is not in the DfE's list (IN004) is, for many fields, exactly what a numbered DfE rule
// rejects (an invalid NC year is rule 2000). The loaders put the number on the finding
// (Finding::dfe_rule); `censusqa rules --dfe` lists these as covered by the loader.
#pragma once

#include <censusqa/codes.hpp>
#include <censusqa/dataset.hpp>

#include <optional>
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

/// The DfE rule of one loader finding, from the same table: `input_rule` "IN003" or "IN004", the
/// field (Field, as the raw values name it), whether the record is a leaver's, the attendance module's
/// period for an attendance field, and the value returned (some codes have their own rule: SEN
/// provision S is 2115). Empty when no DfE rule is exactly that finding.
std::string_view loader_dfe_rule(std::string_view input_rule, Field field, bool leaver,
                                 std::optional<AttendancePeriod> period, std::string_view value);

} // namespace censusqa::load
