// dfe-census: the plugin's options, declared once (censusqa.json "dfe-census").
#include "rules.hpp"

namespace censusqa::dfe_census {
namespace {

constexpr OptionInfo option_list[] = {
    {.key = "term_on_term_change_pct",
     .type = "number",
     .default_value = "20",
     .description = "The term-on-term queries (TonT, rules TT0n1 and TT0n2): a change from the previous census of "
                    "more than this percentage of the previous count is 'significant'. The DfE does not publish its "
                    "threshold. (TT0n3, none in the previous census and some now, has no threshold.)",
     .minimum = 0,
     .maximum = 1000},
    {.key = "term_on_term_min_count",
     .type = "integer",
     .default_value = "5",
     .description = "The term-on-term queries (TT0n1, TT0n2): a change of fewer pupils than this is never "
                    "significant, whatever its percentage (the DfE does not publish its threshold).",
     .minimum = 0},
};

} // namespace

std::span<const OptionInfo> options() { return option_list; }

} // namespace censusqa::dfe_census
