// Fixtures for core tests: a temporary folder removed at the end of the test, and the shipped
// census map and code lists.
#pragma once

#include "load/census_xml.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace censusqa::testkit {

class TempDir {
public:
  TempDir() {
    static std::atomic<int> n{0};
    path_ = std::filesystem::temp_directory_path() /
            ("censusqa-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& rel, const std::string& content) const {
    const auto p = path_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

private:
  std::filesystem::path path_;
};

/// The census map and code lists shipped in schemas/.
inline const load::CensusMap& census_map() {
  static const load::CensusMap map = load::CensusMap::from_file(CENSUSQA_SOURCE_DIR "/schemas/census-xml-map.json");
  return map;
}
inline const load::CodeSets& census_codes() {
  static const load::CodeSets codes = load::CodeSets::from_file(CENSUSQA_SOURCE_DIR "/schemas/census-codes.json");
  return codes;
}
inline load::CensusXmlContext census_context() { return {&census_map(), &census_codes(), std::nullopt}; }

} // namespace censusqa::testkit
