// censusqa SDK: findings and the sink rules emit them into.
#pragma once

#include <censusqa/dataset.hpp>
#include <censusqa/rule.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace censusqa {

/// One problem found. The host fills `plugin`, `severity` and `scope` from the rule's metadata.
struct Finding {
  std::string rule; ///< the rule code
  Severity severity = Severity::error;
  Scope scope = Scope::pupil;
  std::string plugin;  ///< id of the plugin that raised it ("core" for input findings)
  std::string laestab; ///< the school it is about; empty for LA-scope findings
  std::string upn;     ///< the pupil, where one is involved
  std::string subject; ///< the UPN, case id, placement id, LAEstab or LA code it is about
  SourceRef source;    ///< file and line of the record
  std::string message; ///< one sentence, plain English
  std::vector<std::pair<std::string, std::string>> values; ///< field -> value, as they were
  /// SDK 6: the DfE COLLECT rule that raises the same record ("1520"), empty when none: one of the
  /// numbers its rule's RuleInfo::dfe_rule names (the host fills it when that names just one), or,
  /// for the core's input findings, the DfE rule of the field the loader could not read.
  std::string dfe_rule;
};

/// Where findings go. Thread safe: a plugin may emit from several threads.
class FindingSink {
public:
  virtual ~FindingSink() = default;
  virtual void emit(Finding finding) = 0;
  /// Say once that a rule did not run, and why (reported as IN090 info).
  virtual void rule_skipped(std::string_view rule_code, std::string_view reason) = 0;
};

} // namespace censusqa
