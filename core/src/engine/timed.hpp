// Timing a part of a stage: with CENSUSQA_TIMINGS set in the environment, each part timed says on
// stderr how long it took ("  what: N ms"); the benchmarks read these lines. Internal to the host.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <sys/resource.h>

namespace censusqa::engine {

inline bool timings_on() {
  static const bool on = std::getenv("CENSUSQA_TIMINGS") != nullptr;
  return on;
}

/// The memory in use and the peak so far, and the pages the process has faulted in since it began
/// ("memory N MB, peak M MB, faults F": VmRSS and VmHWM from /proc/self/status and the minor faults of
/// getrusage, Linux; empty elsewhere). The faults are the steadier measure of memory churn: on a virtual
/// machine that returns freed pages to its host, each one costs a host fault too.
inline std::string memory_in_use() {
  std::ifstream in("/proc/self/status");
  std::string line, rss, peak;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      rss = std::to_string(std::atol(line.c_str() + 6) / 1024);
    else if (line.rfind("VmHWM:", 0) == 0)
      peak = std::to_string(std::atol(line.c_str() + 6) / 1024);
  if (rss.empty()) return {};
  rusage use{};
  getrusage(RUSAGE_SELF, &use);
  return "memory " + rss + " MB, peak " + peak + " MB, faults " + std::to_string(use.ru_minflt);
}

/// Runs `part` and returns what it returns; with CENSUSQA_TIMINGS, says how long it took and the memory
/// in use after it ("  what: N ms, memory M MB, peak P MB, faults F").
template <class F> decltype(auto) timed(const char* what, F&& part) {
  using Clock = std::chrono::steady_clock;
  struct Say {
    const char* what;
    Clock::time_point t;
    ~Say() {
      if (timings_on())
        std::fprintf(
            stderr, "  %s: %lld ms, %s\n", what,
            static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count()),
            memory_in_use().c_str());
    }
  } say{what, Clock::now()};
  return part();
}

} // namespace censusqa::engine
