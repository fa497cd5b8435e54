// Progress on stderr: a redrawn line when stderr is a terminal, plain lines when it is not (logs,
// CI), nothing with --quiet.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <unistd.h>

namespace censusqa::engine {

class Progress {
public:
  explicit Progress(bool quiet) : quiet_{quiet}, tty_{::isatty(2) == 1} {}
  void step(const std::string& what, std::size_t done, std::size_t total) {
    if (quiet_ || total == 0) return;
    std::lock_guard lock(mu_);
    if (tty_) {
      std::fprintf(stderr, "\r%s %zu/%zu (%zu%%)%s", what.c_str(), done, total, done * 100 / total,
                   done == total ? "\n" : "");
    } else {
      // Plain lines at every tenth, so a log shows movement without a line per file.
      const std::size_t tenth = done * 10 / total;
      if (done == total || tenth != last_tenth_) std::fprintf(stderr, "%s %zu/%zu\n", what.c_str(), done, total);
      last_tenth_ = done == total ? static_cast<std::size_t>(-1) : tenth;
    }
  }
  void note(const std::string& line) {
    if (quiet_) return;
    std::lock_guard lock(mu_);
    std::fprintf(stderr, "%s\n", line.c_str());
  }

private:
  bool quiet_, tty_;
  std::mutex mu_;
  std::size_t last_tenth_ = static_cast<std::size_t>(-1);
};

} // namespace censusqa::engine
