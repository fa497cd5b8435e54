// censusqa-bench-xml: census XML load throughput on one core. Loads every census/*.xml of an LA
// folder with the loader censusqa uses (parse, hash, records), one file after another on one thread,
// and prints MB/s; then reads the same bytes without parsing, for the ratio. Not part of ctest.
// Usage: censusqa-bench-xml LA_FOLDER [--repeat N]
#include "../core/src/engine/plugin_host.hpp"
#include "../core/src/load/census_xml.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: censusqa-bench-xml LA_FOLDER [--repeat N]\n");
    return 2;
  }
  const int repeat = argc >= 4 && std::string(argv[2]) == "--repeat" ? std::max(1, std::atoi(argv[3])) : 3;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(argv[1]) / "census"))
    if (e.path().extension() == ".xml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::uintmax_t bytes = 0;
  for (const auto& f : files)
    bytes += fs::file_size(f);
  const auto map =
      censusqa::load::CensusMap::from_file(censusqa::engine::share_dir() / "schemas" / "census-xml-map.json");
  const auto codes =
      censusqa::load::CodeSets::from_file(censusqa::engine::share_dir() / "schemas" / "census-codes.json");
  const censusqa::load::CensusXmlContext ctx{&map, &codes, std::nullopt};
  const double mb = static_cast<double>(bytes) / 1048576.0;
  double best = 1e9, best_raw = 1e9;
  std::size_t pupils = 0;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    pupils = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::string sha;
      const auto part = censusqa::load::load_census_xml(files[i], static_cast<std::uint32_t>(i + 1), ctx, &sha);
      pupils += part.pupils.size() + part.leavers.size();
    }
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    const auto t1 = std::chrono::steady_clock::now();
    std::vector<char> buf(1 << 16);
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
      }
    }
    best_raw = std::min(best_raw, std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
  }
  std::printf("files=%zu pupils=%zu xml=%.0fMB best_of=%d parse=%.3fs (%.0f MB/s on one core) raw_read=%.3fs "
              "(%.0f MB/s) ratio=%.1fx\n",
              files.size(), pupils, mb, repeat, best, mb / best, best_raw, mb / best_raw, best / best_raw);
  return 0;
}
