// Temp-and-rename output files; see atomic_file.hpp.
#include "atomic_file.hpp"

#include <stdexcept>
#include <unistd.h>

namespace censusqa::report {

AtomicFile::AtomicFile(std::filesystem::path target) : target_{std::move(target)} {
  // Appended piece by piece: '"." + std::string&&' makes GCC 12 -O3 report -Wrestrict (GCC bug 105329).
  std::string name = ".";
  name += target_.filename().string();
  name += ".tmp-";
  name += std::to_string(::getpid());
  temp_ = target_.parent_path() / name;
  out_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot write " + temp_.string());
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  out_.flush();
  if (!out_) throw std::runtime_error("writing " + target_.string() + " failed");
  out_.close();
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw std::runtime_error("cannot rename " + temp_.string() + " to " + target_.string() + ": " + ec.message());
  committed_ = true;
}

} // namespace censusqa::report
