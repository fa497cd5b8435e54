// The output folder (--out) published whole. A run writes everything into a new folder beside OUT
// (same parent, so the same file system) and, when all of it is complete, swaps it in for the previous
// outputs with one rename: at every moment OUT is either the previous run's outputs or this run's,
// never a mix, and what this run does not produce (a profile of a school no longer in the run) does
// not survive. OUT is locked for the whole run (flock on a lock file beside it): a second run into the
// same OUT fails at once with a message naming the run that holds it.
//
// censusqa never deletes what it did not write: every published OUT holds a manifest of its files
// (.censusqa-outputs.json); an OUT without one (written by an earlier censusqa) may hold only the
// output names censusqa writes. A folder that holds anything else is refused before any work.
// docs/publish-and-store-security.md has the whole contract.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace censusqa::report {

/// Why OUT cannot be published into: what is wrong, where, and what to do.
class OutputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* manifest_name = ".censusqa-outputs.json";

/// The entries of `dir` that censusqa did not write (relative paths, "profiles/x" for one in profiles/),
/// by the folder's manifest, or without one by censusqa's output names. Throws OutputError when the
/// manifest cannot be read.
std::vector<std::string> unowned_entries(const std::filesystem::path& dir);

class OutputFolder {
public:
  struct Options {
    /// false: swap with two renames (the fallback for file systems without RENAME_EXCHANGE), for tests.
    bool exchange = true;
  };
  /// Resolves `out` (relative, ".", a trailing slash, a symbolic link: the folder it names), creates
  /// its parent folders, takes its lock, restores or removes what a stopped run left beside it, and
  /// checks that it can be published into. Throws OutputError naming what is wrong.
  explicit OutputFolder(const std::filesystem::path& out) : OutputFolder(out, Options{}) {}
  OutputFolder(const std::filesystem::path& out, Options options);
  ~OutputFolder(); ///< removes the staging folder unless it was published or kept; releases the lock
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  /// Where the outputs are published: absolute, symbolic links resolved.
  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& lock_path() const { return lock_path_; }
  /// What was done on the way (a stopped run's leftovers), for the run's progress notes.
  const std::vector<std::string>& notes() const { return notes_; }

  /// Throws OutputError when `file` (given as option `what`) lies inside path(): publishing would
  /// replace it with the rest of the previous outputs.
  void refuse_inside(const std::filesystem::path& file, const std::string& what) const;

  /// Creates the staging folder beside path() (once); the run writes everything there.
  const std::filesystem::path& stage();

  struct Published {
    std::vector<std::string> files;   ///< what OUT holds now (its manifest)
    std::vector<std::string> removed; ///< files of the previous outputs this run did not produce
    std::vector<std::string> notes;   ///< anything else to say (a previous folder kept, with why)
    /// "removed 3 file(s) of the previous outputs that this run does not produce: ...", for the progress notes.
    std::string removed_summary() const;
  };
  /// Writes the staging folder's manifest, checks that OUT still holds only censusqa's files, swaps
  /// the staging folder in with one rename, then removes the previous outputs. Throws OutputError;
  /// OUT is then as it was.
  Published publish();

private:
  void clear_leftovers();
  std::filesystem::path path_, parent_, lock_path_, stage_;
  std::string name_;
  Options options_;
  int lock_fd_ = -1;
  bool published_ = false, keep_stage_ = false;
  std::vector<std::string> notes_;
};

/// The time now, UTC, ISO 8601 to the second ("2025-01-20T09:14:03Z"): the manifest's and the lock's
/// time, and the run's (engine::utc_now).
std::string utc_now();

} // namespace censusqa::report
