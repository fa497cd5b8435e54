// One plugin's findings, metrics and profile sections, kept only if the plugin finishes without
// throwing (or, under --isolate, without crashing); see engine.cpp and isolate.cpp.
#pragma once

#include <censusqa/plugin.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace censusqa::engine {

class BufferSink final : public FindingSink, public MetricSink, public ProfileSink {
public:
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

private:
  std::mutex mu_;
};

} // namespace censusqa::engine
