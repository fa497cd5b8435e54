// censusqa SDK: rule metadata. Each rule declares its metadata once, beside its logic; the host's
// `censusqa rules`, the generated docs and the workbooks all read it from here.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace censusqa {

/// error: must be fixed; query: must be fixed or explained; info: for the record.
enum class Severity : unsigned char { error, query, info };
inline constexpr std::array<std::string_view, 3> severity_names{"error", "query", "info"};
constexpr std::string_view name(Severity s) { return severity_names[static_cast<std::size_t>(s)]; }

/// What a finding is about.
enum class Scope : unsigned char { pupil, case_record, placement, school, la };
inline constexpr std::array<std::string_view, 5> scope_names{"pupil", "case", "placement", "school", "la"};
constexpr std::string_view name(Scope s) { return scope_names[static_cast<std::size_t>(s)]; }

/// Who acts on a rule's findings: the school (in its MIS, then re-sending its return, or by explaining),
/// or one of the LA's teams, in the LA's own records. Added in SDK 4. For the core's input rules (IN
/// codes) `school` means "whoever owns the input": the engine gives a finding on ehcp_cases.csv to
/// the SEN team, one on ap_placements.csv to the AP team, and so on.
enum class Actor : unsigned char { school, la_data, la_sen, la_ap, la_finance };
/// As people read them (workbooks, findings.csv, `censusqa rules`).
inline constexpr std::array<std::string_view, 5> actor_names{"School", "LA data team", "LA SEN team", "LA AP team",
                                                             "LA finance team"};
/// As findings.json and the history store keep them.
inline constexpr std::array<std::string_view, 5> actor_ids{"school", "la_data", "la_sen", "la_ap", "la_finance"};
constexpr std::string_view name(Actor a) { return actor_names[static_cast<std::size_t>(a)]; }
constexpr std::string_view id(Actor a) { return actor_ids[static_cast<std::size_t>(a)]; }

/// A valid rule code: 2 to 4 capital letters (A-Z) and then 3 or 4 digits, "PN010", "ATT003", "DFE2360"
/// (SDK 6: four digits, so that a rule named after a DfE rule can carry its number). One definition for
/// the host (which refuses a plugin declaring any other code), the scaffold (censusqa-new-rule) and the
/// docs; a test keeps the scaffold's pattern the same as this one.
inline constexpr std::string_view rule_code_pattern = "[A-Z]{2,4}[0-9]{3,4}";
constexpr bool is_valid_rule_code(std::string_view code) {
  std::size_t letters = 0;
  while (letters < code.size() && code[letters] >= 'A' && code[letters] <= 'Z')
    ++letters;
  const std::size_t digits = code.size() - letters;
  if (letters < 2 || letters > 4 || digits < 3 || digits > 4) return false;
  for (std::size_t i = letters; i < code.size(); ++i)
    if (code[i] < '0' || code[i] > '9') return false;
  return true;
}

/// How a rule stands to the DfE's COLLECT rule it names (RuleInfo::dfe_rule). SDK 6.
///   exact:    the same condition and the same severity: COLLECT raises what the rule raises;
///   stricter: the rule also raises records COLLECT accepts (an LA-level check built on a DfE rule);
///   partial:  the rule checks part of the DfE condition (for example the UPN but not the former UPN,
///             which censusqa does not read); what it raises, COLLECT raises too.
/// A rule that names no DfE rule is an LA-level check: COLLECT has no counterpart.
enum class DfeMatch : unsigned char { exact, stricter, partial };
inline constexpr std::array<std::string_view, 3> dfe_match_names{"exact", "stricter", "partial"};
constexpr std::string_view name(DfeMatch m) { return dfe_match_names[static_cast<std::size_t>(m)]; }

/// The DfE rules a RuleInfo::dfe_rule names: numbers ("2170") or the DfE's term-on-term query ids
/// ("TonT4B"), separated by ", ". Calls fn(std::string_view) for each.
template <typename Fn> constexpr void for_each_dfe_rule(std::string_view list, Fn&& fn) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view one = list.substr(0, comma);
    while (!one.empty() && one.front() == ' ')
      one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ')
      one.remove_suffix(1);
    if (!one.empty()) fn(one);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}
/// Whether `list` (a RuleInfo::dfe_rule) names `number`.
constexpr bool names_dfe_rule(std::string_view list, std::string_view number) {
  bool found = false;
  for_each_dfe_rule(list, [&](std::string_view one) { found = found || one == number; });
  return found;
}
/// A well-formed DfE rule id: 3 or 4 digits, or "TonT" and a digit or two and a capital letter.
constexpr bool is_valid_dfe_rule(std::string_view id) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (id.size() >= 3 && id.size() <= 4) {
    for (char c : id)
      if (!digit(c)) return false;
    return true;
  }
  if (id.size() < 6 || id.size() > 7 || id.substr(0, 4) != "TonT") return false;
  for (std::size_t i = 4; i + 1 < id.size(); ++i)
    if (!digit(id[i])) return false;
  return id.back() >= 'A' && id.back() <= 'Z';
}

/// A rule's metadata. Every text is plain English for LA officers and school staff. Every member has a
/// default, so the rule's file declares it with designated initialisers and names what it needs.
struct RuleInfo {
  std::string_view code{}; ///< unique across all loaded plugins, is_valid_rule_code, e.g. "CI002"
  Severity severity = Severity::error;
  Scope scope = Scope::pupil;
  Actor actor = Actor::school;   ///< who acts on its findings (SDK 4)
  std::string_view title{};      ///< one line: what the rule detects
  std::string_view why{};        ///< why it matters (statutory basis, DfE definition)
  std::string_view how_to_fix{}; ///< what the school or LA should do
  unsigned needs = 0;            ///< `Needs` bits: inputs without which the rule is skipped (IN090)
  std::string_view fields{};     ///< the input fields it reads, comma-separated, for the docs
  /// SDK 6: the DfE COLLECT rule (or rules, ", "-separated) this rule corresponds to, "2170"; empty for
  /// an LA-level check COLLECT does not make. `censusqa rules --dfe` and docs/dfe-parity.md read it.
  std::string_view dfe_rule{};
  DfeMatch dfe_match = DfeMatch::exact; ///< SDK 6: how it stands to dfe_rule (unused when that is empty)
};

} // namespace censusqa
