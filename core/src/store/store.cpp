// The history store; see store.hpp. SQL is written once with `?` placeholders and the few type
// names that differ between SQLite and PostgreSQL written as {id}; both are translated per dialect.
#include "store.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

namespace censusqa::store {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace {

// Each migration takes the schema from version n-1 to n. A shipped migration never changes: a new
// need is a new migration at the end (and its own test in tests/store).
struct Migration {
  int version;
  const char* what;
  std::vector<const char*> statements;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list{
      {1,
       "runs, their findings and per-school metrics",
       {"CREATE TABLE runs (id {id}, started TEXT NOT NULL, la_code TEXT NOT NULL, term TEXT NOT NULL, "
        "reference_date TEXT NOT NULL, version TEXT NOT NULL, inputs TEXT NOT NULL, errors BIGINT NOT NULL, "
        "queries BIGINT NOT NULL, infos BIGINT NOT NULL)",
        "CREATE TABLE findings (run_id BIGINT NOT NULL REFERENCES runs(id), finding_id TEXT NOT NULL, "
        "rule TEXT NOT NULL, severity TEXT NOT NULL, scope TEXT NOT NULL, plugin TEXT NOT NULL, laestab TEXT NOT "
        "NULL, upn TEXT NOT NULL, subject TEXT NOT NULL, file TEXT NOT NULL, line BIGINT NOT NULL, message TEXT NOT "
        "NULL, values_json TEXT NOT NULL, PRIMARY KEY (run_id, finding_id))",
        "CREATE INDEX findings_by_id ON findings (finding_id, run_id)",
        "CREATE TABLE school_metrics (run_id BIGINT NOT NULL REFERENCES runs(id), laestab TEXT NOT NULL, metric "
        "TEXT NOT NULL, value BIGINT NOT NULL, denominator BIGINT, PRIMARY KEY (run_id, laestab, metric))"}},
      {2,
       "pupils' primary needs (term-on-term rules) and explanations",
       {"CREATE TABLE pupil_needs (run_id BIGINT NOT NULL REFERENCES runs(id), laestab TEXT NOT NULL, upn TEXT NOT "
        "NULL, enrol_status TEXT NOT NULL, sen_provision TEXT NOT NULL, primary_need TEXT NOT NULL)",
        "CREATE INDEX pupil_needs_by_run ON pupil_needs (run_id)",
        "CREATE TABLE explanations (id {id}, finding_id TEXT NOT NULL, explanation_text TEXT NOT NULL, by_name "
        "TEXT NOT NULL, given TEXT NOT NULL, until_date TEXT NOT NULL, values_json TEXT NOT NULL, source TEXT NOT "
        "NULL, status TEXT NOT NULL, note TEXT NOT NULL, run_id BIGINT NOT NULL)",
        "CREATE INDEX explanations_by_finding ON explanations (finding_id)"}},
      {3,
       "permanent exclusions (AP tracking across terms)",
       {"CREATE TABLE permanent_exclusions (run_id BIGINT NOT NULL REFERENCES runs(id), laestab TEXT NOT NULL, upn "
        "TEXT NOT NULL, start_date TEXT NOT NULL)",
        "CREATE INDEX permanent_exclusions_by_run ON permanent_exclusions (run_id)"}},
      {4,
       "the profiles each run wrote (the LA's Returns sheet: which school has its profile, since when)",
       {"CREATE TABLE profiles_written (run_id BIGINT NOT NULL REFERENCES runs(id), laestab TEXT NOT NULL, file "
        "TEXT NOT NULL, PRIMARY KEY (run_id, laestab))"}},
      {5,
       "the schools' replies read by explain --import (when each came back, and what it said)",
       {"CREATE TABLE replies (id {id}, laestab TEXT NOT NULL, file TEXT NOT NULL, received TEXT NOT NULL, "
        "explained BIGINT NOT NULL, disputed BIGINT NOT NULL, fixed BIGINT NOT NULL, refused BIGINT NOT NULL)",
        "CREATE INDEX replies_by_school ON replies (laestab)"}},
      {6,
       "who acts on each finding (a school's reply may answer only the rows that are the school's)",
       {"ALTER TABLE findings ADD COLUMN actor TEXT NOT NULL DEFAULT ''"}},
      {7,
       "every pupil on roll in each run's census (pupil movement from a stored census)",
       {"CREATE TABLE pupil_roll (run_id BIGINT NOT NULL REFERENCES runs(id), seq BIGINT NOT NULL, laestab TEXT NOT "
        "NULL, upn TEXT NOT NULL, former_upn TEXT NOT NULL, enrol_status TEXT NOT NULL, nc_year TEXT NOT NULL, "
        "sen_provision TEXT NOT NULL, fsm TEXT NOT NULL, dob TEXT NOT NULL, entry_date TEXT NOT NULL)",
        "CREATE INDEX pupil_roll_by_run ON pupil_roll (run_id)"}},
      {8,
       "every suspension in each run's census (pupils suspended in an academic year, across its censuses)",
       {"CREATE TABLE suspensions (run_id BIGINT NOT NULL REFERENCES runs(id), laestab TEXT NOT NULL, upn TEXT NOT "
        "NULL, start_date TEXT NOT NULL, category TEXT NOT NULL, sen_provision TEXT NOT NULL)",
        "CREATE INDEX suspensions_by_run ON suspensions (run_id)"}},
      {9,
       "each run's reply secret (the key of its profiles' reply checks, which the profiles do not show)",
       {"ALTER TABLE runs ADD COLUMN reply_secret TEXT NOT NULL DEFAULT ''"}},
  };
  return list;
}

void register_connectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

} // namespace

std::string describe(const std::exception& e) {
  if (const auto* p = dynamic_cast<const Poco::Exception*>(&e)) return p->displayText();
  return e.what();
}

bool is_sqlite(const std::string& db) { return db.rfind("postgresql://", 0) != 0 && db.rfind("postgres://", 0) != 0; }

Location parse_location(const std::string& db) {
  Location l;
  if (is_sqlite(db)) {
    if (db.empty()) throw std::invalid_argument("--db needs a file name or a postgresql:// address");
    l.connector = "SQLite";
    l.connection = db;
    l.display = db;
    return l;
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(db);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("--db " + db + " is not a valid address: " + e.displayText());
  }
  l.connector = "PostgreSQL";
  auto add = [&](const std::string& key, const std::string& value) {
    if (value.empty()) return;
    if (value.find_first_of(" '\\") != std::string::npos)
      throw std::invalid_argument("--db: the " + key + " may not contain spaces, quotes or backslashes");
    l.connection += (l.connection.empty() ? "" : " ") + key + "=" + value;
  };
  const std::string host = uri.getHost().empty() ? "localhost" : uri.getHost();
  const std::string port = uri.getPort() ? std::to_string(uri.getPort()) : "";
  const std::string info = uri.getUserInfo();
  const auto colon = info.find(':');
  const std::string user = info.substr(0, colon);
  add("host", host);
  add("port", port);
  add("user", user);
  if (colon != std::string::npos) add("password", info.substr(colon + 1));
  std::string dbname = uri.getPath();
  if (!dbname.empty() && dbname[0] == '/') dbname.erase(0, 1);
  add("dbname", dbname);
  for (const auto& [k, v] : uri.getQueryParameters())
    add(k, v);
  l.display =
      "postgresql://" + (user.empty() ? "" : user + "@") + host + (port.empty() ? "" : ":" + port) + "/" + dbname;
  return l;
}

namespace {
// The dialect's SQL: `?` -> $1, $2... for PostgreSQL; {id} -> an auto-numbered key.
std::string dialect_sql(std::string_view text, bool pg) {
  std::string out;
  int n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '?' && pg) {
      out += "$" + std::to_string(++n);
    } else if (text.substr(i, 4) == "{id}") {
      out += pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}
} // namespace

namespace {
// How long a run waits for another run's write to the SQLite store to finish (CENSUSQA_DB_WAIT, in
// seconds; 30 by default): long enough for another run's record_run, short enough to say so.
int wait_seconds() {
  if (const char* v = std::getenv("CENSUSQA_DB_WAIT")) {
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (end != v && *end == '\0' && n >= 0 && n <= 3600) return static_cast<int>(n);
  }
  return 30;
}

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

// An SQLite store's path, checked before SQLite opens it: SQLite's own messages for a folder or a
// folder that cannot be written are "unable to open database file", after a wait.
void check_sqlite_path(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw std::runtime_error("the history store " + file +
                               " is a folder: --db takes an SQLite file (created on "
                               "first use), for example " +
                               (std::filesystem::path(file) / "history.sqlite").string());
    if (!S_ISREG(st.st_mode))
      throw std::runtime_error("the history store " + file + " is not a regular file: --db takes an SQLite file");
    return;
  }
  const int err = errno;
  if (err != ENOENT) throw std::runtime_error("cannot open the history store " + file + ": " + errno_text(err));
  std::filesystem::path dir = std::filesystem::path(file).parent_path();
  if (dir.empty()) dir = ".";
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw std::runtime_error("cannot create the history store " + file + ": its folder " + dir.string() +
                             " does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw std::runtime_error("cannot create the history store " + file + ": its folder " + dir.string() +
                             " is not writable (" + errno_text(errno) + ")");
}
} // namespace

struct Store::Impl {
  explicit Impl(const Location& l) : pg{l.connector == "PostgreSQL"}, session(l.connector, l.connection) {
    if (!pg) session << "PRAGMA busy_timeout = " + std::to_string(wait_seconds() * 1000), now;
  }
  bool pg;
  Session session;
  std::string sql(std::string_view text) const { return dialect_sql(text, pg); }
};

Store::Store(const std::string& db) : Store(db, latest_version()) {}

Store::Store(const std::string& db, int version) : location_{parse_location(db)} {
  register_connectors();
  if (location_.connector == "SQLite") check_sqlite_path(location_.connection);
  try {
    impl_ = std::make_unique<Impl>(location_);
    // Under the store's write lock (begin): two runs creating a store at once would both find it
    // missing. Asked rather than CREATE ... IF NOT EXISTS, which makes PostgreSQL print a notice.
    transaction([&] {
      Poco::Int64 exists = 0;
      impl_->session << (impl_->pg ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
                                     "'censusqa_schema' AND table_schema = current_schema()"
                                   : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
                                     "'censusqa_schema'"),
          into(exists), now;
      if (!exists) impl_->session << "CREATE TABLE censusqa_schema (version BIGINT NOT NULL)", now;
    });
  } catch (const Poco::Exception& e) { // begin()'s own message (a locked store) says all there is
    throw std::runtime_error("cannot open the history store " + location_.display + ": " + describe(e));
  }
  if (schema_version() > latest_version())
    throw std::runtime_error("the history store " + location_.display + " has schema version " +
                             std::to_string(schema_version()) + ", newer than this censusqa knows (" +
                             std::to_string(latest_version()) + "): use a newer censusqa");
  migrate(version);
}

void Store::check_writable() const {
  if (location_.connector != "SQLite") return; // PostgreSQL: the server says so on the first write
  const std::string& file = location_.connection;
  std::filesystem::path dir = std::filesystem::path(file).parent_path();
  if (dir.empty()) dir = ".";
  const auto refuse = [&](const std::string& what, int err) {
    return std::runtime_error("the history store " + file + " cannot record this run: " + what + " is read-only (" +
                              errno_text(err) +
                              "). Give a --db you can write to, or use censusqa profile, "
                              "which only reads the store");
  };
  if (::access(file.c_str(), W_OK) != 0) throw refuse("the file", errno);
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw refuse("its folder " + dir.string() + " (SQLite's journal)", errno);
}

Store::~Store() = default;

int Store::latest_version() { return migrations().back().version; }

int Store::schema_version() {
  std::vector<Poco::Int64> v;
  impl_->session << "SELECT version FROM censusqa_schema", into(v), now;
  return v.empty() ? 0 : static_cast<int>(v.front());
}

void Store::migrate(int to) {
  for (const auto& m : migrations()) {
    if (m.version > to) break;
    try {
      // The version is read again under the write lock: another run may have migrated meanwhile.
      transaction([&] {
        const int current = schema_version();
        if (m.version <= current) return;
        for (const char* s : m.statements)
          impl_->session << impl_->sql(s), now;
        Poco::Int64 v = m.version;
        if (current == 0)
          impl_->session << impl_->sql("INSERT INTO censusqa_schema (version) VALUES (?)"), use(v), now;
        else
          impl_->session << impl_->sql("UPDATE censusqa_schema SET version = ?"), use(v), now;
      });
    } catch (const std::exception& e) {
      throw std::runtime_error("history store " + location_.display + ": migration to schema version " +
                               std::to_string(m.version) + " (" + m.what + ") failed: " + describe(e));
    }
  }
}

// A transaction holds the store's write lock from its start. SQLite: BEGIN IMMEDIATE (a deferred
// BEGIN that reads and then writes can deadlock with another run doing the same, and SQLite then
// fails at once rather than wait); it waits up to wait_seconds() for another run's transaction.
// PostgreSQL: an advisory lock for the transaction, so that schema changes are one at a time.
void Store::begin() {
  if (impl_->pg) {
    impl_->session.begin();
    impl_->session << "SELECT pg_advisory_xact_lock(7271372)", now; // any constant: censusqa's schema lock
    return;
  }
  const auto t0 = std::chrono::steady_clock::now();
  try {
    impl_->session << "BEGIN IMMEDIATE", now;
  } catch (const Poco::Data::SQLite::DBLockedException&) {
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(waited.count()) / 1000.0);
    throw std::runtime_error("the history store " + location_.display +
                             " is locked by another process (another censusqa run recording, or a program holding "
                             "it open in a transaction); waited " +
                             secs + " s. Try again when it is done (CENSUSQA_DB_WAIT sets the wait, in seconds)");
  }
}
void Store::commit() {
  if (impl_->pg)
    impl_->session.commit();
  else
    impl_->session << "COMMIT", now;
}
void Store::rollback() {
  try {
    if (impl_->pg)
      impl_->session.rollback();
    else
      impl_->session << "ROLLBACK", now;
  } catch (...) { // the connection may be gone; the original error is the one to report
  }
}

namespace {
// Inserts n rows given as columns. SQLite: one prepared statement run per row (in-process, that is
// the fastest). PostgreSQL: many rows per statement (multi-row VALUES), one round trip per batch
// rather than per row: an LA's run went from 3.4 s to a fraction of that, even on loopback. A batch
// stays under libpq's 30,000-byte limit on the server's parameter description (4 bytes each).
template <typename... Cols>
void insert_columns(Session& session, bool pg, const std::string& head, std::size_t n, std::vector<Cols>&... cols) {
  const auto sql = [pg](std::string_view text) { return dialect_sql(text, pg); };
  if (n == 0) return;
  constexpr std::size_t k = sizeof...(Cols);
  std::string one = "(";
  for (std::size_t c = 0; c < k; ++c)
    one += c ? ", ?" : "?";
  one += ")";
  if (!pg) {
    Statement st(session);
    st << sql(head + " VALUES " + one);
    (st.addBind(use(cols)), ...);
    st.execute();
    return;
  }
  const std::size_t batch = 7000 / k;
  for (std::size_t at = 0; at < n; at += batch) {
    const std::size_t m = std::min(batch, n - at);
    std::string text = head + " VALUES ";
    text.reserve(text.size() + m * (one.size() + 2));
    for (std::size_t i = 0; i < m; ++i)
      text += (i ? ", " : "") + one;
    Statement st(session);
    st << sql(text);
    for (std::size_t i = at; i < at + m; ++i)
      (st.addBind(use(cols[i])), ...);
    st.execute();
  }
}
} // namespace

std::int64_t Store::record_run(const RunRow& run, const std::vector<FindingRow>& findings, const SchoolMetrics& metrics,
                               const std::vector<PupilNeedRow>& needs, const std::vector<ExclusionRow>& exclusions,
                               const std::vector<RosterRow>& roster, const std::vector<SuspensionRow>& suspensions) {
  Poco::Int64 id = 0;
  transaction([&] {
    RunRow r = run;
    Poco::Int64 errors = r.errors, queries = r.queries, infos = r.infos;
    if (schema_version() >= 9)
      impl_->session << impl_->sql("INSERT INTO runs (started, la_code, term, reference_date, version, inputs, "
                                   "errors, queries, infos, reply_secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                   "RETURNING id"),
          use(r.started), use(r.la_code), use(r.term), use(r.reference_date), use(r.version), use(r.inputs),
          use(errors), use(queries), use(infos), use(r.reply_secret), into(id), now;
    else // a store kept at an older schema (the migration tests)
      impl_->session << impl_->sql("INSERT INTO runs (started, la_code, term, reference_date, version, inputs, "
                                   "errors, queries, infos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
          use(r.started), use(r.la_code), use(r.term), use(r.reference_date), use(r.version), use(r.inputs),
          use(errors), use(queries), use(infos), into(id), now;
    {
      const std::size_t n = findings.size();
      std::vector<Poco::Int64> run_ids(n, id), lines(n);
      std::vector<std::string> fid(n), rule(n), sev(n), scope(n), plugin(n), laestab(n), upn(n), subject(n), file(n),
          message(n), values(n), actor(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& f = findings[i];
        fid[i] = f.id, rule[i] = f.rule, sev[i] = f.severity, scope[i] = f.scope, plugin[i] = f.plugin;
        laestab[i] = f.laestab, upn[i] = f.upn, subject[i] = f.subject, file[i] = f.file, lines[i] = f.line;
        message[i] = f.message, values[i] = f.values, actor[i] = f.actor;
      }
      if (schema_version() >= 6)
        insert_columns(
            impl_->session, impl_->pg,
            "INSERT INTO findings (run_id, finding_id, rule, severity, scope, plugin, laestab, upn, subject, "
            "file, line, message, values_json, actor)",
            n, run_ids, fid, rule, sev, scope, plugin, laestab, upn, subject, file, lines, message, values, actor);
      else // a store kept at an older schema (the migration tests)
        insert_columns(
            impl_->session, impl_->pg,
            "INSERT INTO findings (run_id, finding_id, rule, severity, scope, plugin, laestab, upn, subject, "
            "file, line, message, values_json)",
            n, run_ids, fid, rule, sev, scope, plugin, laestab, upn, subject, file, lines, message, values);
    }
    {
      std::vector<Poco::Int64> run_ids, value;
      std::vector<std::string> laestab, metric;
      for (const auto& [school, values] : metrics)
        for (const auto& [k, v] : values) {
          run_ids.push_back(id);
          laestab.push_back(school);
          metric.push_back(k);
          value.push_back(v);
        }
      insert_columns(impl_->session, impl_->pg, "INSERT INTO school_metrics (run_id, laestab, metric, value)",
                     run_ids.size(), run_ids, laestab, metric, value);
    }
    {
      const std::size_t n = needs.size();
      std::vector<Poco::Int64> ids(n, id);
      std::vector<std::string> school(n), upn(n), enrol(n), sen(n), need(n);
      for (std::size_t i = 0; i < n; ++i) {
        school[i] = needs[i].laestab, upn[i] = needs[i].upn, enrol[i] = needs[i].enrol_status;
        sen[i] = needs[i].sen_provision, need[i] = needs[i].primary_need;
      }
      insert_columns(impl_->session, impl_->pg,
                     "INSERT INTO pupil_needs (run_id, laestab, upn, enrol_status, sen_provision, primary_need)", n,
                     ids, school, upn, enrol, sen, need);
    }
    {
      const std::size_t n = exclusions.size();
      std::vector<Poco::Int64> ids(n, id);
      std::vector<std::string> school(n), upn(n), start(n);
      for (std::size_t i = 0; i < n; ++i)
        school[i] = exclusions[i].laestab, upn[i] = exclusions[i].upn, start[i] = exclusions[i].start_date;
      insert_columns(impl_->session, impl_->pg, "INSERT INTO permanent_exclusions (run_id, laestab, upn, start_date)",
                     n, ids, school, upn, start);
    }
    if (!roster.empty() && schema_version() >= 7) {
      const std::size_t n = roster.size();
      std::vector<Poco::Int64> ids(n, id), seq(n);
      std::vector<std::string> school(n), upn(n), former(n), enrol(n), year(n), sen(n), fsm(n), dob(n), entry(n);
      for (std::size_t i = 0; i < n; ++i) {
        const RosterRow& r = roster[i];
        seq[i] = static_cast<Poco::Int64>(i); // the census's own order: a UPN given twice is read back as it came
        school[i] = r.laestab, upn[i] = r.upn, former[i] = r.former_upn, enrol[i] = r.enrol_status;
        year[i] = r.nc_year, sen[i] = r.sen_provision, fsm[i] = r.fsm, dob[i] = r.dob, entry[i] = r.entry_date;
      }
      insert_columns(impl_->session, impl_->pg,
                     "INSERT INTO pupil_roll (run_id, seq, laestab, upn, former_upn, enrol_status, nc_year, "
                     "sen_provision, fsm, dob, entry_date)",
                     n, ids, seq, school, upn, former, enrol, year, sen, fsm, dob, entry);
    }
    if (!suspensions.empty() && schema_version() >= 8) {
      const std::size_t n = suspensions.size();
      std::vector<Poco::Int64> ids(n, id);
      std::vector<std::string> school(n), upn(n), start(n), category(n), sen(n);
      for (std::size_t i = 0; i < n; ++i) {
        const SuspensionRow& r = suspensions[i];
        school[i] = r.laestab, upn[i] = r.upn, start[i] = r.start_date, category[i] = r.category;
        sen[i] = r.sen_provision;
      }
      insert_columns(impl_->session, impl_->pg,
                     "INSERT INTO suspensions (run_id, laestab, upn, start_date, category, sen_provision)", n, ids,
                     school, upn, start, category, sen);
    }
  });
  return id;
}

std::vector<ExclusionRow> Store::permanent_exclusions(std::int64_t run_id) {
  Poco::Int64 id = run_id;
  std::vector<std::string> school, upn, start;
  impl_->session << impl_->sql("SELECT laestab, upn, start_date FROM permanent_exclusions WHERE run_id = ? ORDER BY "
                               "laestab, upn, start_date"),
      into(school), into(upn), into(start), use(id), now;
  std::vector<ExclusionRow> out(school.size());
  for (std::size_t i = 0; i < school.size(); ++i)
    out[i] = {school[i], upn[i], start[i]};
  return out;
}

std::vector<RosterRow> Store::pupil_roll(std::int64_t run_id) {
  std::vector<RosterRow> out;
  if (schema_version() < 7) return out;
  Poco::Int64 id = run_id;
  std::vector<std::string> school, upn, former, enrol, year, sen, fsm, dob, entry;
  impl_->session << impl_->sql("SELECT laestab, upn, former_upn, enrol_status, nc_year, sen_provision, fsm, dob, "
                               "entry_date FROM pupil_roll WHERE run_id = ? ORDER BY seq"),
      into(school), into(upn), into(former), into(enrol), into(year), into(sen), into(fsm), into(dob), into(entry),
      use(id), now;
  out.resize(school.size());
  for (std::size_t i = 0; i < school.size(); ++i)
    out[i] = {school[i], upn[i], former[i], enrol[i], year[i], sen[i], fsm[i], dob[i], entry[i]};
  return out;
}

std::vector<SuspensionRow> Store::suspensions(std::int64_t run_id) {
  std::vector<SuspensionRow> out;
  if (schema_version() < 8) return out;
  Poco::Int64 id = run_id;
  std::vector<std::string> school, upn, start, category, sen;
  impl_->session << impl_->sql("SELECT laestab, upn, start_date, category, sen_provision FROM suspensions WHERE run_id "
                               "= ? ORDER BY laestab, upn, start_date, category"),
      into(school), into(upn), into(start), into(category), into(sen), use(id), now;
  out.resize(school.size());
  for (std::size_t i = 0; i < school.size(); ++i)
    out[i] = {school[i], upn[i], start[i], category[i], sen[i]};
  return out;
}

namespace {
std::vector<RunRow> read_runs(Session& session, const std::string& sql, Poco::Int64* id, std::string* la) {
  std::vector<Poco::Int64> ids, errors, queries, infos;
  std::vector<std::string> started, la_code, term, date, version, inputs, secret;
  Statement st(session);
  st << sql, into(ids), into(started), into(la_code), into(term), into(date), into(version), into(inputs), into(errors),
      into(queries), into(infos), into(secret);
  if (id) st, use(*id);
  if (la) st, use(*la);
  st.execute();
  std::vector<RunRow> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    out[i] = {ids[i],    started[i], la_code[i], term[i],  date[i],  version[i],
              inputs[i], errors[i],  queries[i], infos[i], secret[i]};
  return out;
}
// The runs' columns; a store kept at an older schema (the migration tests) has no reply secret.
std::string run_columns(int schema) {
  return std::string("SELECT id, started, la_code, term, reference_date, version, inputs, errors, queries, infos, ") +
         (schema >= 9 ? "reply_secret" : "''") + " FROM runs ";
}
} // namespace

std::vector<RunRow> Store::runs(const std::string& la_code) {
  std::string la = la_code;
  if (la.empty()) return read_runs(impl_->session, run_columns(schema_version()) + "ORDER BY id", nullptr, nullptr);
  return read_runs(impl_->session, impl_->sql(run_columns(schema_version()) + "WHERE la_code = ? ORDER BY id"), nullptr,
                   &la);
}

std::optional<RunRow> Store::run(std::int64_t id) {
  Poco::Int64 i = id;
  auto r = read_runs(impl_->session, impl_->sql(run_columns(schema_version()) + "WHERE id = ?"), &i, nullptr);
  if (r.empty()) return std::nullopt;
  return r.front();
}

namespace {
std::vector<FindingRow> read_findings(Session& session, const std::string& sql, Poco::Int64* run_id,
                                      std::string* finding_id, Poco::Int64* run_out = nullptr) {
  std::vector<Poco::Int64> lines, runs;
  std::vector<std::string> fid, rule, sev, scope, plugin, laestab, upn, subject, file, message, values, actor;
  Statement st(session);
  st << sql, into(fid), into(rule), into(sev), into(scope), into(plugin), into(laestab), into(upn), into(subject),
      into(file), into(lines), into(message), into(values), into(runs), into(actor);
  if (run_id) st, use(*run_id);
  if (finding_id) st, use(*finding_id);
  st.execute();
  std::vector<FindingRow> out(fid.size());
  for (std::size_t i = 0; i < fid.size(); ++i)
    out[i] = {fid[i],     rule[i], sev[i],   scope[i],   plugin[i], laestab[i], upn[i],
              subject[i], file[i], lines[i], message[i], values[i], actor[i]};
  if (run_out && !runs.empty()) *run_out = runs.front();
  return out;
}
// Who acts (actor) is stored from schema 6; a store kept at an older version (the migration tests) reads
// it as empty.
std::string finding_columns(bool with_actor) {
  return std::string("SELECT finding_id, rule, severity, scope, plugin, laestab, upn, subject, file, line, message, "
                     "values_json, run_id, ") +
         (with_actor ? "actor" : "''") + " FROM findings ";
}
} // namespace

std::vector<FindingRow> Store::findings(std::int64_t run_id) {
  Poco::Int64 id = run_id;
  return read_findings(impl_->session,
                       impl_->sql(finding_columns(schema_version() >= 6) + "WHERE run_id = ? ORDER BY finding_id"), &id,
                       nullptr);
}

std::optional<std::pair<std::int64_t, FindingRow>> Store::latest_finding(const std::string& finding_id) {
  std::string fid = finding_id;
  Poco::Int64 run = 0;
  auto rows = read_findings(
      impl_->session,
      impl_->sql(finding_columns(schema_version() >= 6) + "WHERE finding_id = ? ORDER BY run_id DESC LIMIT 1"), nullptr,
      &fid, &run);
  if (rows.empty()) return std::nullopt;
  return std::make_pair(static_cast<std::int64_t>(run), rows.front());
}

SchoolMetrics Store::school_metrics(std::int64_t run_id) {
  Poco::Int64 id = run_id;
  std::vector<std::string> laestab, metric;
  std::vector<Poco::Int64> value;
  impl_->session << impl_->sql("SELECT laestab, metric, value FROM school_metrics WHERE run_id = ?"), into(laestab),
      into(metric), into(value), use(id), now;
  SchoolMetrics out;
  for (std::size_t i = 0; i < laestab.size(); ++i)
    out[laestab[i]][metric[i]] = value[i];
  return out;
}

std::vector<PupilNeedRow> Store::pupil_needs(std::int64_t run_id) {
  Poco::Int64 id = run_id;
  std::vector<std::string> school, upn, enrol, sen, need;
  impl_->session << impl_->sql("SELECT laestab, upn, enrol_status, sen_provision, primary_need FROM pupil_needs "
                               "WHERE run_id = ? ORDER BY laestab, upn"),
      into(school), into(upn), into(enrol), into(sen), into(need), use(id), now;
  std::vector<PupilNeedRow> out(school.size());
  for (std::size_t i = 0; i < school.size(); ++i)
    out[i] = {school[i], upn[i], enrol[i], sen[i], need[i]};
  return out;
}

void Store::record_profiles(std::int64_t run_id, const std::vector<std::pair<std::string, std::string>>& files) {
  transaction([&] {
    const std::size_t n = files.size();
    std::vector<Poco::Int64> ids(n, run_id);
    std::vector<std::string> school(n), file(n);
    for (std::size_t i = 0; i < n; ++i)
      school[i] = files[i].first, file[i] = files[i].second;
    insert_columns(impl_->session, impl_->pg, "INSERT INTO profiles_written (run_id, laestab, file)", n, ids, school,
                   file);
  });
}

std::vector<ProfileRow> Store::profiles(const std::string& la_code, const std::string& reference_date) {
  std::string la = la_code, day = reference_date;
  std::vector<Poco::Int64> ids;
  std::vector<std::string> school, file, started;
  impl_->session << impl_->sql("SELECT p.run_id, p.laestab, p.file, r.started FROM profiles_written p JOIN runs r ON "
                               "r.id = p.run_id WHERE r.la_code = ? AND (? = '' OR r.reference_date = ?) "
                               "ORDER BY p.run_id, p.laestab"),
      into(ids), into(school), into(file), into(started), use(la), use(day), use(day), now;
  std::vector<ProfileRow> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    out[i] = {ids[i], school[i], file[i], started[i]};
  return out;
}

std::int64_t Store::add_reply(const ReplyRow& row) {
  ReplyRow r = row;
  Poco::Int64 id = 0, explained = r.explained, disputed = r.disputed, fixed = r.fixed, refused = r.refused;
  impl_->session << impl_->sql("INSERT INTO replies (laestab, file, received, explained, disputed, fixed, refused) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"),
      use(r.laestab), use(r.file), use(r.received), use(explained), use(disputed), use(fixed), use(refused), into(id),
      now;
  return id;
}

std::vector<ReplyRow> Store::replies() {
  std::vector<Poco::Int64> ids, explained, disputed, fixed, refused;
  std::vector<std::string> school, file, received;
  impl_->session << "SELECT id, laestab, file, received, explained, disputed, fixed, refused FROM replies ORDER BY id",
      into(ids), into(school), into(file), into(received), into(explained), into(disputed), into(fixed), into(refused),
      now;
  std::vector<ReplyRow> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    out[i] = {ids[i], school[i], file[i], received[i], explained[i], disputed[i], fixed[i], refused[i]};
  return out;
}

std::int64_t Store::add_explanation(const ExplanationRow& row) {
  ExplanationRow e = row;
  if (e.status.empty()) e.status = status::active;
  Poco::Int64 id = 0, run_id = e.run_id;
  impl_->session << impl_->sql("INSERT INTO explanations (finding_id, explanation_text, by_name, given, until_date, "
                               "values_json, source, status, note, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "RETURNING id"),
      use(e.finding_id), use(e.text), use(e.by), use(e.given), use(e.until), use(e.values), use(e.source),
      use(e.status), use(e.note), use(run_id), into(id), now;
  return id;
}

std::vector<ExplanationRow> Store::explanations(const std::string& status_filter) {
  std::vector<Poco::Int64> ids, runs;
  std::vector<std::string> fid, text, by, given, until, values, source, st, note;
  std::string filter = status_filter;
  Statement q(impl_->session);
  q << impl_->sql(std::string("SELECT id, finding_id, explanation_text, by_name, given, until_date, values_json, "
                              "source, status, note, run_id FROM explanations ") +
                  (filter.empty() ? "" : "WHERE status = ? ") + "ORDER BY id"),
      into(ids), into(fid), into(text), into(by), into(given), into(until), into(values), into(source), into(st),
      into(note), into(runs);
  if (!filter.empty()) q, use(filter);
  q.execute();
  std::vector<ExplanationRow> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    out[i] = {ids[i], fid[i], text[i], by[i], given[i], until[i], values[i], source[i], st[i], note[i], runs[i]};
  return out;
}

void Store::set_explanation_status(std::int64_t id, const std::string& st, const std::string& note,
                                   std::int64_t run_id) {
  Poco::Int64 i = id, r = run_id;
  std::string s = st, n = note;
  impl_->session << impl_->sql("UPDATE explanations SET status = ?, note = ?, run_id = ? WHERE id = ?"), use(s), use(n),
      use(r), use(i), now;
}

} // namespace censusqa::store
