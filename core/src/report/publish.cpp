// The output folder published whole; see publish.hpp.
#include "publish.hpp"

#include "atomic_file.hpp"

#include <censusqa/version.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace censusqa::report {
namespace fs = std::filesystem;

namespace {

std::string error_text(int err) { return std::error_code(err, std::generic_category()).message(); }

// lstat: nullopt when nothing is there; throws OutputError on any other failure.
std::optional<struct stat> lstat_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) == 0) return st;
  const int err = errno;
  if (err == ENOENT) return std::nullopt;
  throw OutputError("cannot look at " + p.string() + ": " + error_text(err));
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), s.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

constexpr const char* old_staging_prefix = ".censusqa-staging-"; // inside OUT: censusqa before the swap
constexpr std::size_t manifest_limit = 64u << 20;                // a national run's is about 2 MB

// The names censusqa writes, for a folder without a manifest (outputs of an earlier censusqa).
bool legacy_owns(const std::string& rel) {
  static const std::set<std::string> top{"findings.json", "findings.csv", "metrics.json", "validation-report.xlsx"};
  if (top.count(rel)) return true;
  if (!starts_with(rel, "profiles/")) return false;
  const std::string name = rel.substr(9);
  return !name.empty() && name.find('/') == std::string::npos && ends_with_ci(name, ".xlsx");
}

// A writer's temporary file (xlsx_writer, AtomicFile): only in what a stopped run left behind.
bool temporary_name(const std::string& name) {
  return name.size() > 1 && name[0] == '.' && name.find(".tmp") != std::string::npos;
}

// The manifest's file list, or nullopt when the folder has none. Throws OutputError when it cannot
// be read: then nothing in the folder can be told to be censusqa's.
std::optional<std::set<std::string>> read_manifest(const fs::path& dir) {
  const fs::path m = dir / manifest_name;
  const auto st = lstat_of(m);
  if (!st) return std::nullopt;
  const auto bad = [&](const std::string& why) {
    return OutputError(m.string() + " cannot be read (" + why + "): censusqa cannot tell which files in " +
                       dir.string() + " it wrote. If that folder holds only censusqa's outputs, delete " +
                       m.filename().string() + " and run again; otherwise choose another --out");
  };
  if (!S_ISREG(st->st_mode)) throw bad("it is not a regular file");
  if (static_cast<std::uintmax_t>(st->st_size) > manifest_limit) throw bad("larger than 64 MB");
  std::ifstream in(m, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw bad("read error");
  std::set<std::string> files;
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    const auto list = root ? root->getArray("files") : nullptr;
    if (!list) throw bad("no \"files\" list");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Poco::Dynamic::Var v = list->get(static_cast<unsigned>(i));
      if (!v.isString()) throw bad("files[" + std::to_string(i) + "] is not a string");
      files.insert(v.extract<std::string>());
    }
  } catch (const OutputError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw bad(e.displayText());
  } catch (const std::exception& e) {
    throw bad(e.what());
  }
  return files;
}

struct Entry {
  fs::path path;
  std::string rel; ///< "name", or "profiles/name"
  bool owned = false;
  bool directory = false; ///< profiles/ itself, or an earlier censusqa's staging folder inside OUT
};

// Every entry of `dir` (and of its profiles/), and whether censusqa wrote it: by the manifest when
// the folder has one, else by censusqa's output names. `leftover`: a folder a stopped run left, where
// a writer's temporary files are censusqa's too. The manifest itself is not listed.
std::vector<Entry> classify(const fs::path& dir, bool leftover) {
  const auto manifest = read_manifest(dir);
  const auto owns = [&](const std::string& rel, const std::string& name) {
    if (leftover && temporary_name(name)) return true;
    return manifest ? manifest->count(rel) > 0 : legacy_owns(rel);
  };
  std::vector<Entry> out;
  const auto list = [](const fs::path& d) {
    std::error_code ec;
    std::vector<fs::path> children;
    for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec))
      children.push_back(it->path());
    if (ec) throw OutputError("cannot list " + d.string() + ": " + ec.message());
    std::sort(children.begin(), children.end());
    return children;
  };
  for (const fs::path& p : list(dir)) {
    const std::string name = p.filename().string();
    if (name == manifest_name) continue;
    const auto st = lstat_of(p);
    if (!st) continue; // gone meanwhile
    if (S_ISDIR(st->st_mode) && name == "profiles") {
      bool all = true;
      for (const fs::path& c : list(p)) {
        const std::string cname = c.filename().string();
        const auto cst = lstat_of(c);
        if (!cst) continue;
        const bool owned = S_ISREG(cst->st_mode) && owns("profiles/" + cname, cname);
        all = all && owned;
        out.push_back({c, "profiles/" + cname, owned, false});
      }
      out.push_back({p, "profiles/", all, true});
    } else if (S_ISDIR(st->st_mode) && starts_with(name, old_staging_prefix)) {
      out.push_back({p, name + "/", true, true});
    } else {
      out.push_back({p, name, S_ISREG(st->st_mode) && owns(name, name), false});
    }
  }
  return out;
}

// Removes what censusqa wrote in `dir`, then `dir` if nothing else is left. Returns what was left
// (with why, when a removal failed).
std::vector<std::string> remove_owned(const fs::path& dir, bool leftover) {
  std::vector<std::string> left;
  std::vector<Entry> entries;
  try {
    entries = classify(dir, leftover);
  } catch (const OutputError& e) {
    return {e.what()};
  }
  for (const Entry& e : entries) {
    if (!e.owned) {
      if (!e.directory) left.push_back(e.rel);
      continue;
    }
    std::error_code ec;
    if (e.directory && e.rel != "profiles/")
      fs::remove_all(e.path, ec);
    else if (e.directory)
      fs::remove(e.path, ec); // empty by now: its files come before it
    else
      fs::remove(e.path, ec);
    if (ec) left.push_back(e.rel + " (" + ec.message() + ")");
  }
  if (!left.empty()) return left;
  std::error_code ec;
  fs::remove(dir / manifest_name, ec);
  if (!fs::remove(dir, ec) && ec) left.push_back(dir.string() + " (" + ec.message() + ")");
  return left;
}

std::string some(const std::vector<std::string>& names, std::size_t n = 5) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < n; ++i)
    s += (i ? ", " : "") + names[i];
  if (names.size() > n) s += " and " + std::to_string(names.size() - n) + " more";
  return s;
}

std::string foreign_files(const fs::path& out, const std::vector<std::string>& foreign) {
  return "--out " + out.string() + " holds files censusqa did not write: " + some(foreign) +
         ". Publishing replaces the whole folder, so censusqa will not publish over them: move them out, or "
         "choose a new or empty --out";
}

std::string random_tag() {
  static thread_local std::mt19937_64 gen{
      std::random_device{}() ^ static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(gen()));
  return std::to_string(::getpid()) + "-" + buf;
}

// Who holds a lock, as its holder wrote it: printable ASCII only, at most one line of 200 bytes.
std::string lock_holder(int fd) {
  char buf[201];
  const ssize_t n = ::pread(fd, buf, 200, 0);
  std::string s;
  for (ssize_t i = 0; i < n && buf[i] != '\n'; ++i)
    if (buf[i] >= 0x20 && buf[i] < 0x7f) s += buf[i];
  return s.empty() ? "a run that has only just started" : s;
}

void sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

} // namespace

std::vector<std::string> unowned_entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const Entry& e : classify(dir, false))
    if (!e.owned && !e.directory) out.push_back(e.rel);
  return out;
}

OutputFolder::OutputFolder(const fs::path& out, Options options) : options_{options} {
  if (out.empty()) throw OutputError("--out is empty: give the folder to write the outputs into");
  const std::string shown = out.string();
  fs::path p = fs::absolute(out).lexically_normal();
  while (p.filename().empty() && p != p.root_path())
    p = p.parent_path(); // a trailing slash
  if (p == p.root_path())
    throw OutputError("--out " + shown + " is the root folder: give a folder of its own for the outputs");

  // A symbolic link: the outputs go to the folder it names, and the link stays.
  if (const auto st = lstat_of(p); st && S_ISLNK(st->st_mode)) {
    std::error_code ec;
    const fs::path target = fs::canonical(p, ec);
    if (ec) {
      std::error_code ec2;
      const fs::path to = fs::read_symlink(p, ec2);
      throw OutputError("--out " + shown + " is a symbolic link to " + to.string() + ", which cannot be used (" +
                        ec.message() + "): point it at a folder, or give the folder itself");
    }
    p = target;
  }
  name_ = p.filename().string();
  if (name_ == "." || name_ == "..")
    throw OutputError("--out " + shown + " does not name a folder: give the folder's path");
  {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (ec)
      throw OutputError("cannot create the folder " + p.parent_path().string() + " for --out " + shown + ": " +
                        ec.message());
    parent_ = fs::canonical(p.parent_path(), ec);
    if (ec) throw OutputError("cannot resolve the folder " + p.parent_path().string() + ": " + ec.message());
  }
  path_ = parent_ / name_;
  if (const auto st = lstat_of(path_); st && !S_ISDIR(st->st_mode))
    throw OutputError("--out " + shown + (S_ISREG(st->st_mode) ? " is a file" : " is not a folder") +
                      ": give a folder for the outputs (it is created if it does not exist)");
  {
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (!ec) {
      const fs::path rel = cwd.lexically_relative(path_);
      if (!rel.empty() && *rel.begin() != "..")
        throw OutputError("--out " + shown + (rel == "." ? " is the current folder" : " holds the current folder") +
                          ": censusqa replaces the output folder as a whole when it publishes, which would leave "
                          "this shell in the old, deleted one. Run censusqa from outside it (for example from " +
                          parent_.string() + " with --out " + name_ + ")");
    }
  }

  // The lock, beside OUT (OUT itself is replaced). O_NOFOLLOW: a link planted there cannot make
  // censusqa write into another file.
  lock_path_ = parent_ / ("." + name_ + ".censusqa-lock");
  lock_fd_ = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lock_fd_ < 0) {
    const int err = errno;
    if (err == EACCES || err == EPERM || err == EROFS)
      throw OutputError("cannot publish into --out " + shown + ": its folder " + parent_.string() +
                        " is not writable (" + error_text(err) +
                        "). censusqa writes a run's outputs beside the output folder and swaps them in whole, so it "
                        "needs to write in the folder that holds it: choose an --out in a folder you can write to");
    throw OutputError("cannot create the lock file " + lock_path_.string() + " for --out " + shown + ": " +
                      error_text(err) + (err == ELOOP ? " (it is a symbolic link: remove it)" : ""));
  }
  struct stat lst {};
  if (::fstat(lock_fd_, &lst) != 0 || !S_ISREG(lst.st_mode))
    throw OutputError("the lock file " + lock_path_.string() + " is not a regular file: remove it");
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EWOULDBLOCK)
      throw OutputError("--out " + shown + " is in use by another censusqa run (" + lock_holder(lock_fd_) +
                        "): wait for it to finish, or choose another --out (lock file " + lock_path_.string() + ")");
    throw OutputError("cannot lock --out " + shown + " (lock file " + lock_path_.string() + "): " + error_text(err));
  }
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  const std::string holder = "pid " + std::to_string(::getpid()) + " on " + host + ", since " + utc_now() + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, holder.data(), holder.size(), 0) < 0) {
    // The lock is held all the same; only the message a second run shows is poorer.
  }

  clear_leftovers();
  if (lstat_of(path_)) {
    if (::access(path_.c_str(), W_OK | X_OK) != 0)
      throw OutputError("--out " + shown + " is not writable (" + error_text(errno) +
                        "): censusqa removes the previous outputs from it once the new ones are in place");
    if (const auto foreign = unowned_entries(path_); !foreign.empty()) throw OutputError(foreign_files(path_, foreign));
  }
}

OutputFolder::~OutputFolder() {
  if (!stage_.empty() && !published_ && !keep_stage_) {
    std::error_code ec;
    fs::remove_all(stage_, ec);
  }
  if (lock_fd_ >= 0) ::close(lock_fd_); // releases the lock; the file stays (removing it would race)
}

// What a run that was stopped left beside OUT: staging folders (its outputs, incomplete) and previous
// outputs moved aside. When OUT is missing, the run was stopped between the two renames of the
// fallback swap: the previous outputs are put back.
void OutputFolder::clear_leftovers() {
  const std::string prefix = "." + name_ + ".censusqa-";
  std::vector<fs::path> staging, old;
  std::error_code ec;
  for (fs::directory_iterator it(parent_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (!starts_with(n, prefix)) continue;
    const std::string rest = n.substr(prefix.size());
    const auto st = lstat_of(it->path());
    if (!st || !S_ISDIR(st->st_mode)) continue;
    if (starts_with(rest, "staging-")) staging.push_back(it->path());
    if (starts_with(rest, "old-")) old.push_back(it->path());
  }
  if (ec) throw OutputError("cannot list " + parent_.string() + ": " + ec.message());
  if (!lstat_of(path_) && !old.empty()) {
    std::sort(old.begin(), old.end(), [](const fs::path& a, const fs::path& b) {
      std::error_code e1, e2;
      return fs::last_write_time(a, e1) < fs::last_write_time(b, e2);
    });
    if (::rename(old.back().c_str(), path_.c_str()) == 0) {
      notes_.push_back("restored the previous outputs from " + old.back().string() +
                       ": a run was stopped while it swapped them for its own");
      old.pop_back();
    }
  }
  for (const auto* list : {&staging, &old})
    for (const fs::path& d : *list) {
      const auto left = remove_owned(d, true);
      if (left.empty())
        notes_.push_back("removed " + d.string() + ", left by a run that was stopped");
      else
        notes_.push_back("kept " + d.string() + ", left by a run that was stopped: it holds " + some(left) +
                         ", which censusqa did not write");
    }
}

void OutputFolder::refuse_inside(const fs::path& file, const std::string& what) const {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(file), ec);
  const fs::path rel = p.lexically_relative(path_);
  if (!ec && !rel.empty() && *rel.begin() != "..")
    throw OutputError(what + " " + file.string() + " is inside --out " + path_.string() +
                      ", which censusqa replaces as a whole on every run: keep it outside the output folder");
}

std::string OutputFolder::Published::removed_summary() const {
  return "removed " + std::to_string(removed.size()) +
         " file(s) of the previous outputs that this run does not produce: " + some(removed);
}

const fs::path& OutputFolder::stage() {
  if (!stage_.empty()) return stage_;
  for (int attempt = 0; attempt < 100 && stage_.empty(); ++attempt) {
    const fs::path p = parent_ / ("." + name_ + ".censusqa-staging-" + random_tag());
    if (::mkdir(p.c_str(), 0777) == 0) {
      stage_ = p;
    } else if (errno != EEXIST) {
      throw OutputError("cannot create the staging folder " + p.string() + ": " + error_text(errno));
    }
  }
  if (stage_.empty()) throw OutputError("cannot create a staging folder in " + parent_.string());
  // The new OUT keeps the previous one's permissions.
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) ::chmod(stage_.c_str(), st.st_mode & 07777);
  return stage_;
}

OutputFolder::Published OutputFolder::publish() {
  if (stage_.empty()) throw OutputError("nothing to publish: no staging folder");
  Published result;
  // The manifest: every file the run wrote. Nothing else belongs in the staging folder.
  for (const Entry& e : classify(stage_, false)) {
    if (e.directory && e.rel == "profiles/") continue;
    const auto st = lstat_of(e.path);
    if (!st || !S_ISREG(st->st_mode))
      throw OutputError("the staging folder " + stage_.string() + " holds " + e.rel + ", which is not a file");
    result.files.push_back(e.rel);
  }
  {
    Poco::JSON::Object root;
    Poco::JSON::Array files;
    for (const auto& f : result.files)
      files.add(f);
    root.set("written_by", std::string("censusqa ") + CENSUSQA_VERSION_STRING);
    root.set("written", utc_now());
    root.set("files", files);
    AtomicFile m(stage_ / manifest_name);
    root.stringify(m.stream(), 1);
    m.stream() << "\n";
    m.commit();
  }
  // On disk before the swap, so that a power cut after it cannot leave empty files under OUT.
  if (const int fd = ::open(stage_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
    ::syncfs(fd);
    ::close(fd);
  }

  // The previous outputs: still only censusqa's (the user may have added a file during the run).
  const bool had_previous = lstat_of(path_).has_value();
  std::vector<std::string> previous;
  if (had_previous) {
    std::vector<std::string> foreign;
    for (const Entry& e : classify(path_, false))
      if (!e.directory) (e.owned ? previous : foreign).push_back(e.rel);
    if (!foreign.empty()) {
      keep_stage_ = true;
      throw OutputError(foreign_files(path_, foreign) + ". This run's outputs are in " + stage_.string() +
                        " (the next run into this --out removes them)");
    }
  }

  // The swap.
  fs::path old;
  const auto move_failed = [&](const fs::path& from, const fs::path& to, int err) {
    return OutputError("cannot move " + from.string() + " to " + to.string() + ": " + error_text(err) +
                       "; the previous outputs are as they were");
  };
  if (!had_previous) {
    if (::renameat2(AT_FDCWD, stage_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
      const int err = errno;
      if (err != EINVAL && err != ENOSYS) throw move_failed(stage_, path_, err);
      if (::rename(stage_.c_str(), path_.c_str()) != 0) throw move_failed(stage_, path_, errno);
    }
  } else {
    int err = EINVAL;
    if (options_.exchange) {
      if (::renameat2(AT_FDCWD, stage_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) == 0)
        err = 0;
      else
        err = errno;
    }
    if (err == 0) {
      // The previous outputs are under the staging folder's name now; named as what they are.
      old = parent_ / ("." + name_ + ".censusqa-old-" + random_tag());
      if (::rename(stage_.c_str(), old.c_str()) != 0) old = stage_;
    } else if (err == EINVAL || err == ENOSYS || err == ENOTSUP) {
      // No RENAME_EXCHANGE here (some network and FUSE file systems): two renames. Between them OUT
      // does not exist; a run stopped there is undone by the next one, which moves the previous
      // outputs back (clear_leftovers).
      old = parent_ / ("." + name_ + ".censusqa-old-" + random_tag());
      if (::rename(path_.c_str(), old.c_str()) != 0) throw move_failed(path_, old, errno);
      if (::rename(stage_.c_str(), path_.c_str()) != 0) {
        const int e2 = errno;
        ::rename(old.c_str(), path_.c_str());
        throw move_failed(stage_, path_, e2);
      }
    } else {
      throw move_failed(stage_, path_, err);
    }
  }
  published_ = true;
  sync_dir(parent_);

  if (!old.empty()) {
    const std::set<std::string> now(result.files.begin(), result.files.end());
    for (const auto& f : previous)
      if (!now.count(f)) result.removed.push_back(f);
    if (const auto left = remove_owned(old, false); !left.empty())
      result.notes.push_back("kept the previous outputs' folder " + old.string() + ": it holds " + some(left) +
                             ", which censusqa did not write");
  }
  return result;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace censusqa::report
