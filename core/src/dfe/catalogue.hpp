// The DfE's numbered school census validation rules that fall within what censusqa reads: their number,
// COLLECT's severity, their group and their meaning in our own words. The sources are named in
// docs/dfe-parity.md: chiefly the DfE's 2019 prototype (DFE-Digital/dfe-data-provider-hub,
// app/data/simulated-data/errors.js and queries.js), with MIS suppliers' support pages for the later
// school-arranged AP and attendance rules. Which censusqa rule covers each is not written here: it comes
// from the rules' own metadata (RuleInfo::dfe_rule), so that it cannot go stale.
#pragma once

#include <censusqa/rule.hpp>

#include <span>
#include <string_view>

namespace censusqa::dfe {

struct CatalogueEntry {
  std::string_view id;       ///< "2170", or a term-on-term query id, "TonT4B"
  Severity severity;         ///< COLLECT's: error or query
  std::string_view group;    ///< "identity", "status", "nc-year", "sen", "exclusions", "fsm", "attendance", "ap", "term-on-term"
  std::string_view meaning;  ///< what COLLECT checks, in our words
  std::string_view uncovered; ///< why no censusqa rule covers it (empty: one does, and a test keeps it so)
};

/// Every in-scope rule, in group order and then by number.
std::span<const CatalogueEntry> catalogue();
/// The entry for `id`, or null.
const CatalogueEntry* find(std::string_view id);
/// The groups in the order the parity table shows them, with their titles.
struct Group {
  std::string_view id, title;
};
std::span<const Group> groups();

} // namespace censusqa::dfe
