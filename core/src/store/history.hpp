// What a run takes from and gives to the history store: the rows it records, the previous spring
// census it can stand in for (PN013), the explanations it applies, the previous terms' figures, and
// the comparison of two runs (`censusqa history diff`).
#pragma once

#include "../report/findings_writer.hpp"
#include "../report/metrics.hpp"
#include "../report/profile.hpp"
#include "store.hpp"

#include <censusqa/dataset.hpp>
#include <censusqa/version.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::store {

/// The LA of a run: the configuration's code, else the LEA most returns carry.
std::string la_code_of(const RunInfo& run, const Dataset& data);

/// The run as the store records it; `reply_secret` is the run's (report::new_reply_secret).
RunRow run_row(const report::RunSummary& summary, const Dataset& data, const std::string& la_code,
               const std::vector<report::IdentifiedFinding>& findings, const std::string& reply_secret);
FindingRow finding_row(const report::IdentifiedFinding& f, const Dataset& data);
/// Every pupil on a return with a recorded need: enough to stand in for previous/ in PN013.
std::vector<PupilNeedRow> pupil_need_rows(const Dataset& data);
/// Every permanent exclusion (with a UPN and a start date) in the census.
std::vector<ExclusionRow> permanent_exclusion_rows(const Dataset& data);
/// Every pupil on roll with a UPN: enough for the store to stand in for a whole previous census.
std::vector<RosterRow> roster_rows(const Dataset& data);
/// Every suspension (SUSP, or FIXD before August 2021) with a UPN and a start date, of pupils on roll and leavers.
std::vector<SuspensionRow> suspension_rows(const Dataset& data);
/// The suspensions the LA's stored censuses with a reference date in [since, before) recorded (the latest
/// run of each), and those censuses' terms and reference dates: the earlier terms of an academic year.
struct StoredSuspensions {
  std::vector<SuspensionRow> rows;
  std::vector<std::pair<std::string, std::string>> censuses; ///< term, reference date
};
StoredSuspensions stored_suspensions(Store& store, const std::string& la_code, const Date& since, const Date& before);

/// The latest stored run of this LA in the spring term before `before` (PN013 compares with the
/// previous spring census), or nothing.
std::optional<RunRow> previous_spring(Store& store, const std::string& la_code, const Date& before);

/// A census-only Dataset rebuilt from stored runs, standing in for previous/: the primary needs of
/// `spring`'s pupils (for PN013), and the permanent exclusions of earlier runs (for AP tracking: a
/// return from AP that broke down in a term whose census the current one no longer shows). Each
/// run's schools become returns with that run's term and reference date.
/// With `roster` (a run recorded from schema 7), `spring`'s whole roll instead, each pupil with its stored
/// need, a census pupil movement can follow.
std::shared_ptr<const Dataset>
dataset_from_store(const std::optional<RunRow>& spring, const std::vector<PupilNeedRow>& needs,
                   const std::vector<std::pair<RunRow, std::vector<ExclusionRow>>>& exclusions,
                   const std::vector<RosterRow>& roster = {});

/// What the store can stand in for previous/ with: the previous spring run's needs and the permanent
/// exclusions of the LA's runs in the 12 months before `before`. data is null when it has neither.
struct StoredPrevious {
  std::shared_ptr<const Dataset> data;
  std::string from; ///< for messages: which runs
  /// A whole census (the spring run kept its roll, schema 7) or the needs-only stand-in.
  PreviousKind kind = PreviousKind::needs_from_store;
};
StoredPrevious previous_from_store(Store& store, const std::string& la_code, const Date& before);

/// The up to `count` census terms before `before` in the store for this LA (the latest run of each
/// reference date), oldest first.
struct PastTerm {
  RunRow run;
  std::string label; ///< e.g. "Spring 2024"
  SchoolMetrics schools;
};
std::vector<PastTerm> past_terms(Store& store, const std::string& la_code, const Date& before, std::size_t count);

/// Which stored explanations apply to this run's findings. An explanation applies when its finding
/// occurs with the same values, is a query or info (errors must be fixed), and its `until` date is
/// not before the reference date. Otherwise it goes to review (values changed, finding gone, an
/// error) or expires; it is never silently reused.
struct ExplanationDecision {
  std::int64_t explanation = 0;
  std::string finding_id;
  std::string status; ///< status::active (applied), review or expired
  std::string reason; ///< why not applied
};
/// `ran(rule)` says whether a rule ran in this run: an explanation of a finding whose rule did not run
/// (its plugin failed or is not loaded, or the rule was skipped for a missing input) is left as it is,
/// since its finding's absence says nothing.
std::vector<ExplanationDecision> decide_explanations(const std::vector<ExplanationRow>& active,
                                                     const std::vector<report::IdentifiedFinding>& findings,
                                                     const std::optional<Date>& reference_date,
                                                     const std::function<bool(std::string_view rule)>& ran);

/// decide_explanations on the store's active explanations, then marks each finding an explanation
/// applies to (IdentifiedFinding::explained). Returns the decisions, to record with the run, and the
/// run summary's history block (store, explained count, explanations to review).
struct AppliedExplanations {
  std::vector<ExplanationDecision> decisions;
  report::RunSummary::History history;
};
AppliedExplanations apply_explanations(Store& store, std::vector<report::IdentifiedFinding>& findings,
                                       const std::optional<Date>& reference_date,
                                       const std::function<bool(std::string_view rule)>& ran);

/// `censusqa history diff A B`.
struct Diff {
  RunRow a, b;
  std::vector<FindingRow> introduced, resolved, persisting;
  /// Persisting findings whose values or message changed: (in A, in B).
  std::vector<std::pair<FindingRow, FindingRow>> changed;
  struct MetricChange {
    std::string laestab, metric;
    std::optional<std::int64_t> before, after;
  };
  std::vector<MetricChange> metrics;
};
Diff diff_runs(Store& store, std::int64_t a, std::int64_t b);

/// What the store knows of the LA's chase loop, for the Returns sheet: the profiles its runs wrote,
/// the replies imported, and the schools' disputes awaiting the LA. The profiles are this census's
/// (`reference_date`, YYYY-MM-DD): one written for another census was not this one's.
report::ReportContext::Chase chase_from_store(Store& store, const std::string& la_code,
                                              const std::string& reference_date);

/// "Spring 2025" from a stored run's term and reference date.
std::string term_label(const RunRow& run);

} // namespace censusqa::store
