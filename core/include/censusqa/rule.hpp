// censusqa SDK: rule metadata. Each rule declares its metadata once, beside its logic; the host's
// `censusqa rules`, the generated docs and the workbooks all read it from here.
#pragma once

#include <array>
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

/// A rule's metadata. Every text is plain English for LA officers and school staff.
struct RuleInfo {
  std::string_view code; ///< unique across all loaded plugins, e.g. "CI002"
  Severity severity;
  Scope scope;
  Actor actor;                 ///< who acts on its findings (SDK 4)
  std::string_view title;      ///< one line: what the rule detects
  std::string_view why;        ///< why it matters (statutory basis, DfE definition)
  std::string_view how_to_fix; ///< what the school or LA should do
  unsigned needs;              ///< `Needs` bits: inputs without which the rule is skipped (IN090)
  std::string_view fields;     ///< the input fields it reads, comma-separated, for the docs
};

} // namespace censusqa
