// Loading a whole LA folder (spec/inputs.md) into one Dataset plus its input findings.
#pragma once

#include "ap_census_xml.hpp"
#include "census_xml.hpp"
#include "loaders.hpp"
#include "sha256.hpp"

#include <censusqa/dataset.hpp>
#include <censusqa/finding.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::load {

struct LoadOptions {
  std::filesystem::path la_dir;
  std::optional<std::filesystem::path> census;  ///< overrides <la>/census
  std::optional<std::filesystem::path> schools; ///< overrides <la>/schools.csv
  /// A SEN2 return (a file) or a folder of them: overrides <la>/sen2.
  std::optional<std::filesystem::path> sen2;
  /// The EHC cases from ehcp_cases.csv even when SEN2 returns are there (configuration
  /// ehc_cases_from: "csv"); by default the SEN2 returns are read and the CSV is not.
  bool ehc_cases_from_csv = false;
  /// An AP census return (a file) or a folder of them: overrides <la>/ap_census.
  std::optional<std::filesystem::path> ap_census;
  /// The AP placements from ap_placements.csv even when AP census returns are there (configuration
  /// ap_placements_from: "csv"); by default the AP census is read and the CSV is not.
  bool ap_placements_from_csv = false;
  const ApCensusMap* ap_census_map = nullptr; ///< schemas/ap-census-xml-map.json, needed when there are returns
  CsvCensusHeader csv_header;                 ///< from the LA configuration; census/census.json wins
  std::string la_code;                        ///< the configuration's LA number, when it gives one
  const CensusMap* census_map = nullptr;
  const CodeSets* codes = nullptr;
  unsigned threads = 2;
  /// Called as files finish: (files done, files in all).
  std::function<void(std::size_t, std::size_t)> progress;
};

struct LoadResult {
  Dataset data;
  std::vector<Finding> findings;
  /// Set when the run cannot go on: a required input is missing or a file cannot be opened (exit 2).
  std::string fatal;
};

LoadResult load_la_folder(const LoadOptions& options);

} // namespace censusqa::load
