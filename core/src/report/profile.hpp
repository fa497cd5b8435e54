// The inclusion profile (one workbook per school) and the LA validation workbook, built as
// book::Book data from metrics, comparators and findings (spec/profile.md). Builders format and
// arrange figures; they compute no rule and hold no libxlsxwriter call.
#pragma once

#include "comparators.hpp"
#include "findings_writer.hpp"
#include "metrics.hpp"
#include "profile_template.hpp"
#include "workbook.hpp"

#include <censusqa/dataset.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace censusqa::report {

/// What a workbook says of a rule: from the loaded plugins' metadata (and the loaders' own).
struct RuleText {
  std::string title, why, how_to_fix, plugin;
};

struct ReportContext {
  const Dataset& data;
  const RunSummary& summary;
  const Metrics& metrics;
  const std::vector<IdentifiedFinding>& findings; ///< sorted by LAEstab first, as written
  const std::map<std::string, RuleText>& rules;
  const Comparators& comparators;
  const ProfileTemplate& tpl;
  std::string version;
  /// Each school's findings, as indexes into `findings` in their order: its own, and the LA-level
  /// ones shown to it (IdentifiedFinding::shown_to).
  std::map<std::string, std::vector<std::size_t>> by_school;
  /// Group figures, shared by the profiles of every school in the group (thread safe).
  struct Cache {
    std::mutex mu;
    std::map<std::string, std::optional<std::int64_t>> sums;
  };
  std::shared_ptr<Cache> cache = std::make_shared<Cache>();
  /// Earlier census terms from the history store, oldest first: the Overview shows each indicator
  /// for them beside this run.
  struct PastTerm {
    std::string label; ///< "Spring 2024"
    std::map<std::string, std::map<std::string, std::int64_t>> schools;
  };
  std::vector<PastTerm> history = {};
  /// From censusqa.json's "replies": the date the LA wants profiles back by, and whom to ask.
  std::optional<Date> reply_deadline = std::nullopt;
  std::string reply_contact = {};
  /// From the history store, for the LA workbook's Returns sheet: what earlier runs and imported
  /// replies say of each school (known only with --db).
  struct Chase {
    bool store = false;                                 ///< a store was given
    std::map<std::string, std::string> profile_written; ///< LAEstab -> when a stored run last wrote its profile
    struct Reply {
      std::string received, file; ///< the latest reply's import time (UTC) and file name
      std::size_t replies = 0;    ///< how many have come back
    };
    std::map<std::string, Reply> reply;           ///< LAEstab -> its replies
    std::map<std::string, std::int64_t> disputed; ///< LAEstab -> the school's disputes awaiting the LA
  };
  Chase chase = {};
  /// The key of the run's reply checks (reply_check.hpp: reply_key).
  std::string reply_key = {};
};

/// Fills ReportContext::by_school from the sorted findings.
void index_findings_by_school(ReportContext& ctx);

/// A census as column headings and lists name it: "Spring 2025" ("Spring" without a year, empty
/// without a term).
std::string census_label(std::optional<Term> term, std::optional<int> year);

/// The protective marking every printed page of both workbooks carries.
inline constexpr const char* print_marking = "OFFICIAL-SENSITIVE: contains pupil identifiers";

/// How a sheet of either workbook prints: whose it is (the school, or the LA), the marking and the
/// census ("Spring 2025 census") in the header; `footer` (the workbook and sheet), "Page x of y" and
/// the marking in the footer.
book::Print sheet_print(const std::string& whose, const RunInfo& run, const std::string& footer);

/// A profile's file name: the LAEstab and a slug of the school's name ("8882001-oak-primary.xlsx").
/// Throws std::invalid_argument unless `laestab` is 7 digits.
std::string profile_file_name(const Dataset& data, const std::string& laestab);
/// 7 digits: the only identifier a school's file is named by.
bool is_laestab(std::string_view s);

/// A phase (or clawback phase group) as a reader says it: "pupil referral unit" for "pru", otherwise
/// the word itself ("primary").
std::string phase_words(std::string_view phase);

/// One school's inclusion profile.
book::Book build_profile(const ReportContext& ctx, const std::string& laestab);

struct LaWorkbookOptions {
  std::size_t constant_memory_above = 50000; ///< findings; above it, no Excel table on Findings
  std::vector<std::pair<std::string, long long>> timings_ms;
  std::vector<std::string> profile_schools; ///< sorted: the schools whose profile this run writes
};

/// The LA's validation-report.xlsx.
book::Book build_la_workbook(const ReportContext& ctx, const LaWorkbookOptions& options);

/// Replaces every UPN-shaped token in `text` that is not in `allowed` (sorted) with a mask, so that a
/// school's workbook never names another school's pupil.
std::string mask_other_upns(std::string_view text, const std::vector<std::string>& allowed);

} // namespace censusqa::report
