// Output files are written to a temporary name in the same folder and renamed when complete, so
// a failed or killed run never leaves a half-written file under the final name.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace censusqa::report {

class AtomicFile {
public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile(); ///< removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  const std::filesystem::path& temp_path() const { return temp_; }
  /// Flushes, closes and renames onto the target; throws std::runtime_error on failure.
  void commit();

private:
  std::filesystem::path target_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

} // namespace censusqa::report
