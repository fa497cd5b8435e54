// The history store (spec/outputs.md, "History store"): runs, their findings and per-school metrics,
// pupils' primary needs (for term-on-term rules), and explanations that carry over between terms.
// One schema, versioned and migrated forward, through Poco::Data: an SQLite file by default, or a
// shared PostgreSQL database when the location is a postgresql:// address.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::store {

/// Where a store is: `postgresql://user:password@host:port/dbname` (libpq's keywords may follow `?`,
/// e.g. `?sslmode=require`), or a path to an SQLite file.
struct Location {
  std::string connector;  ///< "SQLite" or "PostgreSQL" (Poco::Data's connector names)
  std::string connection; ///< what the connector takes: a file path, or libpq keyword=value pairs
  std::string display;    ///< for messages: the path, or the address without its password
};
/// Whether --db names an SQLite file (not a postgresql:// address).
bool is_sqlite(const std::string& db);
/// Throws std::invalid_argument naming what is wrong with a postgresql:// address.
Location parse_location(const std::string& db);

/// An exception's message, with the database's own text for Poco's exceptions (whose what() is
/// only "SQLite" or "PostgreSQL").
std::string describe(const std::exception& e);

struct RunRow {
  std::int64_t id = 0;
  std::string started;                       ///< UTC, ISO 8601
  std::string la_code, term, reference_date; ///< term and date may be empty when the run had none
  std::string version;                       ///< censusqa's
  std::string inputs;                        ///< JSON: [{"path", "sha256"}]
  std::int64_t errors = 0, queries = 0, infos = 0;
  /// The key of the run's reply checks (report::new_reply_secret), from schema 9; empty for a run
  /// recorded before. Never shown: whoever has it can make any school's reply check.
  std::string reply_secret = {};
};

struct FindingRow {
  std::string id, rule, severity, scope, plugin, laestab, upn, subject, file;
  std::int64_t line = 0;
  std::string message;
  std::string values; ///< JSON object of the finding's field -> value pairs, as findings.json has them
  std::string actor;  ///< who acts: "school", "la_sen", ... (findings.json's actor); empty before schema 6
};

/// One pupil's primary need in a run's census (only pupils with a recorded need are kept).
struct PupilNeedRow {
  std::string laestab, upn, enrol_status, sen_provision, primary_need;
};

/// One pupil on roll in a run's census, with what pupil movement reads (schema 7): the store can then
/// stand in for a whole previous census, not only for its needs. Codes and dates as the census gives
/// them (empty when missing); fsm "Y", "N" or empty.
struct RosterRow {
  std::string laestab, upn, former_upn, enrol_status, nc_year, sen_provision, fsm, dob, entry_date;
};

/// A suspension in a run's census (schema 8: suspensions counted as pupils over an academic year, across the
/// censuses that report its terms). Category SUSP or FIXD as returned; sen_provision the pupil's at it.
struct SuspensionRow {
  std::string laestab, upn, start_date, category, sen_provision;
};

/// A permanent exclusion in a run's census (AP tracking: a reintegration that broke down).
struct ExclusionRow {
  std::string laestab, upn, start_date;
};

/// One school's metrics in a run: metric -> value (counts, as metrics.json has them).
using SchoolMetrics = std::map<std::string, std::map<std::string, std::int64_t>>;

/// An explanation of a finding, given once and reused while the finding stays the same.
struct ExplanationRow {
  std::int64_t id = 0;
  std::string finding_id;
  std::string text, by;
  std::string given;       ///< UTC, ISO 8601
  std::string until;       ///< YYYY-MM-DD, or empty: holds until the finding changes
  std::string values;      ///< the finding's values when it was explained (JSON, as FindingRow::values)
  std::string source;      ///< "command line", or the workbook it was read from
  std::string status;      ///< active, review (values changed, finding gone, disputed), expired
  std::string note;        ///< why it is under review or expired
  std::int64_t run_id = 0; ///< the last run that applied or reviewed it (0: none yet)
};

/// A school's profile written by a recorded run (`run` records them; `profile` only reads the store).
struct ProfileRow {
  std::int64_t run_id = 0;
  std::string laestab, file;
  std::string written; ///< the run's start, UTC, ISO 8601
};

/// A returned profile that `explain --import` read as a school's reply, and what its rows said.
struct ReplyRow {
  std::int64_t id = 0;
  std::string laestab, file;
  std::string received;                                ///< UTC, ISO 8601: when it was imported
  std::int64_t explained = 0, disputed = 0, fixed = 0; ///< rows kept as explanations, disputes; "Fixed in MIS"
  std::int64_t refused = 0;                            ///< rows refused (listed by the import)
};

namespace status {
inline constexpr const char* active = "active";
inline constexpr const char* review = "review";
inline constexpr const char* expired = "expired";
} // namespace status

class Store {
public:
  /// Opens the store, creating it on first use, and migrates its schema to the latest version.
  /// Throws std::runtime_error with the location and the database's own message.
  explicit Store(const std::string& db);
  /// Opens without migrating past `version` (tests build an old store this way).
  Store(const std::string& db, int version);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// Throws std::runtime_error when this run could not record into an SQLite store (the file or its
  /// folder read-only), before the run's work rather than after it.
  void check_writable() const;

  static int latest_version();
  int schema_version();
  const Location& location() const { return location_; }
  /// Applies every migration above the current version, each in its own transaction.
  void migrate(int to);

  /// Records a run and everything it found, in one transaction; returns the run's id.
  std::int64_t record_run(const RunRow& run, const std::vector<FindingRow>& findings, const SchoolMetrics& metrics,
                          const std::vector<PupilNeedRow>& needs, const std::vector<ExclusionRow>& exclusions = {},
                          const std::vector<RosterRow>& roster = {},
                          const std::vector<SuspensionRow>& suspensions = {});
  /// Runs, oldest first (all LAs when la_code is empty).
  std::vector<RunRow> runs(const std::string& la_code = {});
  std::optional<RunRow> run(std::int64_t id);
  std::vector<FindingRow> findings(std::int64_t run_id);
  SchoolMetrics school_metrics(std::int64_t run_id);
  std::vector<PupilNeedRow> pupil_needs(std::int64_t run_id);
  std::vector<ExclusionRow> permanent_exclusions(std::int64_t run_id);
  /// The run's pupils on roll (schema 7; empty for runs recorded before it), in the census's order.
  std::vector<RosterRow> pupil_roll(std::int64_t run_id);
  /// The run's suspensions (schema 8; empty for runs recorded before it).
  std::vector<SuspensionRow> suspensions(std::int64_t run_id);
  /// The finding with this id in the latest run that has it, and that run's id.
  std::optional<std::pair<std::int64_t, FindingRow>> latest_finding(const std::string& finding_id);

  std::int64_t add_explanation(const ExplanationRow& e);
  /// Every explanation, oldest first; only those with this status when one is given.
  std::vector<ExplanationRow> explanations(const std::string& status_filter = {});
  void set_explanation_status(std::int64_t id, const std::string& status, const std::string& note, std::int64_t run_id);

  /// The profiles a run wrote: (LAEstab, file name) pairs.
  void record_profiles(std::int64_t run_id, const std::vector<std::pair<std::string, std::string>>& files);
  /// Every profile the LA's runs wrote, oldest run first; with a reference date (YYYY-MM-DD), only
  /// those of that census's runs.
  std::vector<ProfileRow> profiles(const std::string& la_code, const std::string& reference_date = {});
  std::int64_t add_reply(const ReplyRow& r);
  /// Every reply, oldest first.
  std::vector<ReplyRow> replies();

  /// Runs `fn` in one transaction (rolled back if it throws).
  template <typename Fn> void transaction(Fn&& fn) {
    begin();
    try {
      fn();
      commit();
    } catch (...) {
      rollback();
      throw;
    }
  }

private:
  struct Impl;
  void begin();
  void commit();
  void rollback();
  Location location_;
  std::unique_ptr<Impl> impl_;
};

} // namespace censusqa::store
