// One plugin's findings, metrics and profile sections, kept only if the plugin finishes without
// throwing (or, isolated, without crashing or running out of time); and its messages to the person
// running censusqa (Log), kept either way. See engine.cpp and isolate.cpp.
#pragma once

#include "../load/csv_reader.hpp"

#include <censusqa/plugin.hpp>

#include <cstddef>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace censusqa::engine {

class BufferSink final : public FindingSink, public MetricSink, public ProfileSink, public Log {
public:
  /// The messages kept per plugin; of the rest, only how many (messages_dropped).
  static constexpr std::size_t max_messages = 100;
  static constexpr std::size_t max_message_bytes = 2000; ///< a longer message is cut, "..." added
  struct Message {
    Level level = Level::info;
    std::string message;
  };
  /// A message as the plugin wrote it, made one line of valid UTF-8 of at most max_message_bytes (a control character,
  /// a line break included, becomes a space): it is printed and written out like any input's text.
  void write(Level level, std::string_view message) override {
    std::lock_guard lock(mu_);
    if (messages.size() >= max_messages) {
      ++messages_dropped;
      return;
    }
    std::string text = load::valid_utf8(message);
    if (text.size() > max_message_bytes) { // cut at a character's first byte
      std::size_t n = max_message_bytes;
      while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
        --n;
      text.resize(n);
      text += "...";
    }
    for (char& c : text)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    messages.push_back({level, std::move(text)});
  }
  void school(std::string_view laestab, std::string_view name, std::int64_t value) override {
    std::lock_guard lock(mu_);
    school_metrics[std::string(laestab)][std::string(name)] = value;
  }
  void la(std::string_view name, Value value) override {
    std::lock_guard lock(mu_);
    la_metrics[std::string(name)] = std::move(value);
  }
  void emit(Finding f) override {
    std::lock_guard lock(mu_);
    findings.push_back(std::move(f));
  }
  void rule_skipped(std::string_view code, std::string_view reason) override {
    std::lock_guard lock(mu_);
    skipped.emplace(std::string(code), std::string(reason));
  }
  void section(std::string_view laestab, ProfileSection s) override {
    std::lock_guard lock(mu_);
    sections[std::string(laestab)].push_back(std::move(s));
  }
  std::vector<Finding> findings;
  std::map<std::string, std::string> skipped;
  std::map<std::string, std::map<std::string, std::int64_t>> school_metrics;
  std::map<std::string, Value> la_metrics;
  std::map<std::string, std::vector<ProfileSection>> sections;
  std::vector<Message> messages;
  std::size_t messages_dropped = 0;

private:
  std::mutex mu_;
};

} // namespace censusqa::engine
