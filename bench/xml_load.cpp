// censusqa-bench-xml: census XML load throughput on one core. Loads every census/*.xml of an LA
// folder with the loader censusqa uses (read, hash, parse, records), one file after another on one
// thread, and prints MB/s; then, for where the time goes, the same bytes read only, read and hashed
// (SHA-256), and read, checked as UTF-8 and scanned with no records kept. Not part of ctest.
// Usage: censusqa-bench-xml LA_FOLDER [--repeat N]
#include "../core/src/engine/plugin_host.hpp"
#include "../core/src/load/census_xml.hpp"
#include "../core/src/load/sha256.hpp"
#include "../core/src/load/xml_scan.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
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
  double best = 1e9, best_raw = 1e9, best_hash = 1e9, best_scan = 1e9;
  // The files' bytes in memory, for the hash-only and scan-only passes (the loader reads its own).
  std::vector<std::string> contents;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    contents.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  struct Null {
    std::size_t elements = 0;
    bool start(std::string_view, std::string_view, std::size_t) { return ++elements, true; }
    void end() {}
    void text(std::string_view, bool) {}
    void cdata(std::string_view) {}
    bool wants_text() const { return false; }
  };
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
    const auto t2 = std::chrono::steady_clock::now();
    for (const auto& c : contents) {
      (void)censusqa::load::sha256_hex(c.data(), c.size());
    }
    best_hash = std::min(best_hash, std::chrono::duration<double>(std::chrono::steady_clock::now() - t2).count());
    const auto t3 = std::chrono::steady_clock::now();
    Null null;
    for (const auto& c : contents) {
      std::string converted, encoding;
      std::optional<censusqa::load::xml::ScanError> error;
      const auto doc = censusqa::load::xml::prepare_xml_text(c, converted, encoding, error);
      (void)censusqa::load::xml::scan(doc, null);
    }
    best_scan = std::min(best_scan, std::chrono::duration<double>(std::chrono::steady_clock::now() - t3).count());
  }
  std::printf("files=%zu pupil_records=%zu xml=%.0fMB best_of=%d load=%.3fs (%.0f MB/s on one core) raw_read=%.3fs "
              "(%.0f MB/s) ratio=%.1fx\n  of which: SHA-256 alone %.3fs (%.0f MB/s), UTF-8 check and scan alone %.3fs "
              "(%.0f MB/s)\n",
              files.size(), pupils, mb, repeat, best, mb / best, best_raw, mb / best_raw, best / best_raw, best_hash,
              mb / best_hash, best_scan, mb / best_scan);
  return 0;
}
