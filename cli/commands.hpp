// The subcommands that live outside main.cpp.
#pragma once

#include <string>
#include <vector>

namespace censusqa::cli {

/// censusqa history list|diff: the runs in the history store and what changed between two.
int cmd_history(const std::vector<std::string>& args);
/// censusqa explain: record, import (from returned workbooks) and list explanations of findings.
int cmd_explain(const std::vector<std::string>& args);

} // namespace censusqa::cli
