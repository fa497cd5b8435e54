// An isolated plugin run (engine/isolate.cpp): results and messages cross the process boundary, a
// crash and a hang fail the plugin alone, and whatever the plugin started is stopped with it.
#include "engine/isolate.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

using namespace censusqa;
using namespace censusqa::engine;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Whether a process is still running (a zombie waiting for init to reap it is not).
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z' && line[close + 2] != 'X';
}

bool stops_within(pid_t pid, std::chrono::seconds limit) {
  const auto t = Clock::now();
  while (running(pid) && Clock::now() - t < limit)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return !running(pid);
}

} // namespace

TEST_CASE("isolated: findings, metrics and messages cross the pipe, more than it holds, bounded") {
  BufferSink into;
  const auto failure = run_isolated(
      [](BufferSink& sink) {
        for (int i = 0; i < 200000; ++i) { // megabytes: the parent reads while the child writes
          Finding f;
          f.rule = "TX001";
          f.subject = std::to_string(i);
          sink.emit(std::move(f));
        }
        sink.school("8881001", "x.count", 7);
        sink.warning("a warning");
        sink.write(Log::Level::info, "bad \xFF byte\nsecond line");
        for (int i = 0; i < 150; ++i)
          sink.info("message " + std::to_string(i));
      },
      into, std::chrono::seconds{120});
  CHECK(failure.empty());
  REQUIRE(into.findings.size() == 200000);
  CHECK(into.findings.back().subject == "199999");
  CHECK(into.school_metrics.at("8881001").at("x.count") == 7);
  REQUIRE(into.messages.size() == BufferSink::max_messages);
  CHECK(into.messages[0].level == Log::Level::warning);
  CHECK(into.messages[0].message == "a warning");
  CHECK(into.messages[1].level == Log::Level::info);
  CHECK(into.messages[1].message == "bad \xC3\xBF byte second line"); // valid UTF-8, one line
  CHECK(into.messages[99].message == "message 97");
  CHECK(into.messages_dropped == 52);
}

TEST_CASE("isolated: a plugin that crashes fails alone with the signal named") {
  BufferSink into;
  const auto failure = run_isolated(
      [](BufferSink&) {
        std::signal(SIGSEGV, SIG_DFL); // not Catch's handler, which would report in the child
        std::raise(SIGSEGV);
      },
      into, std::chrono::seconds{60});
  if (!std::getenv("CENSUSQA_SANITIZERS")) CHECK(failure == "crashed with signal 11 (Segmentation fault)");
  CHECK(!failure.empty());
}

TEST_CASE("isolated: a plugin that hangs is stopped at the time limit, with the processes it started") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  BufferSink into;
  const auto t = Clock::now();
  const auto failure = run_isolated(
      [&](BufferSink&) {
        if (const pid_t child = fork(); child == 0) {
          for (;;)
            pause();
        } else {
          (void)!write(fds[1], &child, sizeof child);
        }
        for (;;)
          pause();
      },
      into, std::chrono::seconds{1});
  const double took = seconds_since(t);
  CHECK(failure == "did not finish within 1 s and was stopped (plugins.timeout_seconds / --plugin-timeout)");
  CHECK(took < 4);
  pid_t started = 0;
  REQUIRE(read(fds[0], &started, sizeof started) == sizeof started);
  close(fds[0]);
  close(fds[1]);
  CHECK(stops_within(started, std::chrono::seconds{5}));
}

TEST_CASE("isolated: a plugin that ends but leaves a process holding the pipe is not waited for") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  BufferSink into;
  const auto t = Clock::now();
  const auto failure = run_isolated(
      [&](BufferSink& sink) {
        if (const pid_t child = fork(); child == 0) {
          for (;;)
            pause();
        } else {
          (void)!write(fds[1], &child, sizeof child);
        }
        sink.info("done");
      },
      into, std::chrono::seconds{60});
  CHECK(failure.empty());
  CHECK(seconds_since(t) < 5);
  REQUIRE(into.messages.size() == 1);
  pid_t started = 0;
  REQUIRE(read(fds[0], &started, sizeof started) == sizeof started);
  close(fds[0]);
  close(fds[1]);
  CHECK(stops_within(started, std::chrono::seconds{5}));
}
