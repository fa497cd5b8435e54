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

/// A valid rule code: 2 to 4 capital letters (A-Z) and then 3 digits, "PN010", "ATT003", "DFEA123". One
/// definition for the host (which refuses a plugin declaring any other code), the scaffold
/// (censusqa-new-rule) and the docs; a test keeps the scaffold's pattern the same as this one.
inline constexpr std::string_view rule_code_pattern = "[A-Z]{2,4}[0-9]{3}";
constexpr bool is_valid_rule_code(std::string_view code) {
  if (code.size() < 5 || code.size() > 7) return false;
  const std::size_t letters = code.size() - 3;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (i < letters ? !(c >= 'A' && c <= 'Z') : !(c >= '0' && c <= '9')) return false;
  }
  return true;
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
};

} // namespace censusqa
