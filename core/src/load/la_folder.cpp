// Discovers an LA folder's inputs, loads them (census XML files on all threads, merged in file
// order so that a run is deterministic) and checks census returns against the register.
#include "la_folder.hpp"

#include "csv_reader.hpp"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

namespace censusqa::load {
namespace fs = std::filesystem;
namespace {

// Registers an input file. Census XML files are hashed later, by the thread that parses them.
std::uint32_t add_file(Dataset& data, const fs::path& path, const fs::path& root, std::string kind, bool hash = true) {
  InputFile f;
  std::error_code ec;
  auto rel = fs::relative(path, root, ec);
  f.path = (ec || rel.empty() || rel.native().rfind("..", 0) == 0) ? path.string() : rel.generic_string();
  f.kind = std::move(kind);
  if (hash) f.sha256 = sha256_file(path);
  data.files.push_back(std::move(f));
  return static_cast<std::uint32_t>(data.files.size() - 1);
}

bool starts_with_ci(const std::string& name, std::string_view prefix) {
  return name.size() >= prefix.size() && iequals(std::string_view(name).substr(0, prefix.size()), prefix);
}

// census/census.json: {"term": "SPR", "year": 2025, "reference_date": "2025-01-16"} for CSV returns.
void read_census_json(const fs::path& path, std::uint32_t file, CsvCensusHeader& hdr, InputReport& report) {
  std::ifstream in(path);
  try {
    const auto obj = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
    if (obj->has("term")) {
      const auto v = obj->getValue<std::string>("term");
      if (auto t = parse_term(v))
        hdr.term = t;
      else
        report.unknown_code({file, 1}, {}, {}, "census.json", "term", v, "AUT, SPR, SUM");
    }
    if (obj->has("year")) hdr.year = obj->getValue<int>("year");
    if (obj->has("reference_date")) {
      const auto v = obj->getValue<std::string>("reference_date");
      if (auto d = Date::parse(v))
        hdr.reference_date = d;
      else
        report.unparseable({file, 1}, {}, {}, "census.json", "reference_date", v, "a date as YYYY-MM-DD");
    }
  } catch (const std::exception& e) {
    report.add(IN001, {file, 1}, {}, {}, "file", std::string("census.json is not valid JSON: ") + e.what());
  }
}

} // namespace

std::string sha256_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  // OpenSSL's SHA-256 through Poco::Crypto: several times faster than Poco's portable one (it uses the
  // CPU's SHA instructions), which matters when every census file is hashed on every run.
  Poco::Crypto::DigestEngine sha("SHA256");
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) sha.update(buf.data(), static_cast<unsigned>(in.gcount()));
  }
  return Poco::DigestEngine::digestToHex(sha.digest());
}

LoadResult load_la_folder(const LoadOptions& opt) {
  LoadResult result;
  Dataset& data = result.data;
  const fs::path root = opt.la_dir;
  InputReport report;
  std::set<std::string> unknown_names_seen;

  // The register first: returns are checked against it.
  const fs::path schools = opt.schools.value_or(root / "schools.csv");
  if (fs::exists(schools)) {
    const auto file = add_file(data, schools, root, "schools");
    if (!load_schools(schools, file, data, report)) {
      result.fatal = "cannot read " + schools.string();
      return result;
    }
    data.available |= needs_schools;
  }

  const fs::path census = opt.census.value_or(root / "census");
  std::vector<fs::path> xml_files, pupil_csv, excl_csv;
  std::optional<fs::path> census_json;
  if (fs::is_regular_file(census)) {
    (iequals(census.extension().string(), ".csv") ? pupil_csv : xml_files).push_back(census);
  } else if (fs::is_directory(census)) {
    for (const auto& e : fs::directory_iterator(census)) {
      if (!e.is_regular_file()) continue;
      const std::string name = e.path().filename().string();
      const std::string ext = lower(e.path().extension().string());
      if (ext == ".xml")
        xml_files.push_back(e.path());
      else if (ext == ".csv" && starts_with_ci(name, "pupils"))
        pupil_csv.push_back(e.path());
      else if (ext == ".csv" && starts_with_ci(name, "exclusions"))
        excl_csv.push_back(e.path());
      else if (iequals(name, "census.json"))
        census_json = e.path();
    }
  } else {
    result.fatal = "no census returns: " + census.string() +
                   " does not exist (an LA folder needs census/ with one XML file per school, or pupils*.csv)";
    return result;
  }
  std::sort(xml_files.begin(), xml_files.end());
  std::sort(pupil_csv.begin(), pupil_csv.end());
  std::sort(excl_csv.begin(), excl_csv.end());
  if (xml_files.empty() && pupil_csv.empty()) {
    result.fatal = "no census returns in " + census.string() + ": expected *.xml files or pupils*.csv";
    return result;
  }
  data.available |= needs_census;

  CsvCensusHeader csv_header = opt.csv_header;
  if (census_json)
    read_census_json(*census_json, add_file(data, *census_json, root, "census-json"), csv_header, report);

  // XML returns: parsed on all threads into parts, merged in file-name order.
  std::vector<std::uint32_t> xml_index;
  for (const auto& p : xml_files)
    xml_index.push_back(add_file(data, p, root, "census-xml", /*hash=*/false)); // hashed while parsed
  std::vector<CensusPart> parts(xml_files.size());
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < xml_files.size();) {
      // Parsed and hashed in one read; each worker writes only its own file's entry.
      parts[i] = load_census_xml(xml_files[i], xml_index[i], *opt.xml_map, &data.files[xml_index[i]].sha256);
      const std::size_t d = done.fetch_add(1) + 1;
      if (opt.progress) opt.progress(d, xml_files.size());
    }
  };
  const unsigned n_threads = std::max(1u, std::min<unsigned>(opt.threads, static_cast<unsigned>(xml_files.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n_threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool)
    t.join();
  // Room for every part at once: growing a vector of millions of pupils by doubling would copy them
  // several times and briefly hold two copies.
  std::size_t n_pupils = data.pupils.size(), n_needs = data.needs.size(), n_excl = data.exclusions.size();
  for (const auto& part : parts)
    n_pupils += part.pupils.size(), n_needs += part.needs.size(), n_excl += part.exclusions.size();
  data.pupils.reserve(n_pupils);
  data.needs.reserve(n_needs);
  data.exclusions.reserve(n_excl);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].fatal.empty()) {
      result.fatal = parts[i].fatal;
      return result;
    }
    data.files[xml_index[i]].records = parts[i].records;
    merge_part(std::move(parts[i]), data, result.findings, unknown_names_seen);
  }
  parts.clear();

  if (!pupil_csv.empty() || !excl_csv.empty()) {
    std::vector<std::pair<fs::path, std::uint32_t>> pf, ef;
    for (const auto& p : pupil_csv)
      pf.emplace_back(p, add_file(data, p, root, "census-csv"));
    for (const auto& p : excl_csv)
      ef.emplace_back(p, add_file(data, p, root, "census-csv"));
    std::string error;
    if (!load_census_csv(pf, ef, csv_header, data, result.findings, unknown_names_seen, error)) {
      result.fatal = error;
      return result;
    }
  }

  // The LA's own records and published reference data (all optional).
  if (const fs::path cases = root / "ehcp_cases.csv"; fs::exists(cases)) {
    if (!load_ehcp_cases(cases, add_file(data, cases, root, "ehcp-cases"), data, report)) {
      result.fatal = "cannot read " + cases.string();
      return result;
    }
    data.available |= needs_ehcp_cases;
  }
  for (const auto& [name, loader, bit] : {std::tuple{"balances.csv", &load_balances, needs_balances},
                                          std::tuple{"commitments.csv", &load_commitments, needs_commitments},
                                          std::tuple{"ap_placements.csv", &load_ap_placements, needs_ap_placements}}) {
    const fs::path f = root / name;
    if (!fs::exists(f)) continue;
    if (!loader(f, add_file(data, f, root, std::string(name).substr(0, std::string(name).find('.'))), data, report)) {
      result.fatal = "cannot read " + f.string();
      return result;
    }
    data.available |= bit;
  }
  if (const fs::path ref = root / "reference"; fs::is_directory(ref)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(ref))
      if (e.is_regular_file() && iequals(e.path().extension().string(), ".csv")) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (!load_reference(f, add_file(data, f, root, "reference"), data, report)) {
        result.fatal = "cannot read " + f.string();
        return result;
      }
    if (!data.reference.empty()) data.available |= needs_reference;
  }

  // The previous census term (for term-on-term rules), loaded the same way, census only.
  if (const fs::path prev = root / "previous"; fs::is_directory(prev / "census")) {
    LoadOptions po = opt;
    po.la_dir = prev;
    po.census.reset();
    po.schools.reset();
    po.progress = nullptr;
    po.csv_header = {};
    if (fs::exists(prev / "censusqa.json")) {
      // Only term and reference date matter here; the main configuration was validated already.
      std::ifstream in(prev / "censusqa.json");
      try {
        const auto obj = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        if (obj->has("term")) po.csv_header.term = parse_term(obj->getValue<std::string>("term"));
        if (obj->has("reference_date"))
          po.csv_header.reference_date = Date::parse(obj->getValue<std::string>("reference_date"));
      } catch (const std::exception&) {
      }
    }
    LoadResult previous = load_la_folder(po);
    if (!previous.fatal.empty()) {
      result.fatal = "previous term: " + previous.fatal;
      return result;
    }
    // Its files are listed with the run's inputs; its findings belong to that term and are not repeated.
    for (std::size_t i = 1; i < previous.data.files.size(); ++i) {
      InputFile f = previous.data.files[i];
      f.path = "previous/" + f.path;
      f.kind = "previous-" + f.kind;
      data.files.push_back(std::move(f));
    }
    data.previous = std::make_shared<const Dataset>(std::move(previous.data));
    data.available |= needs_previous;
  }

  // Returns for schools missing from the register (once per school).
  if (data.has(needs_schools)) {
    std::set<std::string> reported;
    std::set<std::string> registered;
    for (const auto& s : data.schools)
      registered.insert(s.laestab);
    for (const auto& r : data.returns)
      if (!registered.count(r.laestab) && reported.insert(r.laestab).second)
        report.add(IN005, r.source, r.laestab, {}, r.laestab,
                   "The census return for " + (r.laestab.empty() ? std::string("an unidentified school") : r.laestab) +
                       " is for a school that is not in the register",
                   {{"laestab", r.laestab}});
  }

  for (auto& f : report.findings()) {
    if (f.rule == "IN091" && !unknown_names_seen.insert(f.subject).second) continue;
    result.findings.push_back(std::move(f));
  }
  data.build_indexes();
  return result;
}

} // namespace censusqa::load
