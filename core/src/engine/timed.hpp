// Timing a part of a stage: with CENSUSQA_TIMINGS set in the environment, each part timed says on
// stderr how long it took ("  what: N ms"); the benchmarks read these lines. Internal to the host.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace censusqa::engine {

inline bool timings_on() {
  static const bool on = std::getenv("CENSUSQA_TIMINGS") != nullptr;
  return on;
}

/// The memory in use and the peak so far ("memory N MB, peak M MB": VmRSS and VmHWM from
/// /proc/self/status, Linux; empty elsewhere).
inline std::string memory_in_use() {
  std::ifstream in("/proc/self/status");
  std::string line, rss, peak;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      rss = std::to_string(std::atol(line.c_str() + 6) / 1024);
    else if (line.rfind("VmHWM:", 0) == 0)
      peak = std::to_string(std::atol(line.c_str() + 6) / 1024);
  return rss.empty() ? std::string() : "memory " + rss + " MB, peak " + peak + " MB";
}

/// Runs `part` and returns what it returns; with CENSUSQA_TIMINGS, says how long it took and the memory
/// in use after it ("  what: N ms, memory M MB, peak P MB").
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
