// Timing a part of a stage: with CENSUSQA_TIMINGS set in the environment, each part timed says on
// stderr how long it took ("  what: N ms"); the benchmarks read these lines. Internal to the host.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace censusqa::engine {

inline bool timings_on() {
  static const bool on = std::getenv("CENSUSQA_TIMINGS") != nullptr;
  return on;
}

/// Runs `part` and returns what it returns; with CENSUSQA_TIMINGS, says how long it took.
template <class F> decltype(auto) timed(const char* what, F&& part) {
  using Clock = std::chrono::steady_clock;
  struct Say {
    const char* what;
    Clock::time_point t;
    ~Say() {
      if (timings_on())
        std::fprintf(
            stderr, "  %s: %lld ms\n", what,
            static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count()));
    }
  } say{what, Clock::now()};
  return part();
}

} // namespace censusqa::engine
