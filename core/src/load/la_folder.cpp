// Loading an LA folder: the register first, then the census files (XML read on all threads, each
// identified by its root before it is read as a return), then the decision of which school each
// return belongs to and which return of a school is used, then the LA's own records. Parts are merged
// in file order so that a run is deterministic.
#include "la_folder.hpp"

#include "csv_reader.hpp"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace censusqa::load {
namespace fs = std::filesystem;
namespace {

// Registers an input file. Census XML files are hashed later, by the thread that reads them.
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

bool is_digits(std::string_view s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789") == std::string_view::npos;
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

/// The census folder's files, by what their names say they are.
struct CensusFiles {
  std::vector<fs::path> xml;
  CsvCensusFiles csv; ///< file indexes filled in when registered
  std::optional<fs::path> census_json;
  std::vector<std::string> skipped; ///< entries that are not regular files (reported)
};

std::string discover_census(const fs::path& census, CensusFiles& out) {
  std::error_code ec;
  if (fs::is_regular_file(census, ec)) {
    if (iequals(census.extension().string(), ".csv"))
      out.csv.pupils.emplace_back(census, 0);
    else
      out.xml.push_back(census);
    return {};
  }
  if (!fs::is_directory(census, ec))
    return "no census returns: " + census.string() +
           " does not exist (an LA folder needs census/ with one XML file per school, or pupils*.csv)";
  for (fs::directory_iterator it(census, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) {
      if (!it->is_directory(type_ec)) out.skipped.push_back(it->path().filename().string());
      continue;
    }
    const std::string name = it->path().filename().string();
    const std::string ext = lower(it->path().extension().string());
    if (ext == ".xml")
      out.xml.push_back(it->path());
    else if (ext == ".csv") {
      if (starts_with_ci(name, "pupils"))
        out.csv.pupils.emplace_back(it->path(), 0);
      else if (starts_with_ci(name, "exclusions"))
        out.csv.exclusions.emplace_back(it->path(), 0);
      else if (starts_with_ci(name, "fsm_periods"))
        out.csv.fsm_periods.emplace_back(it->path(), 0);
      else if (starts_with_ci(name, "attendance"))
        out.csv.attendance.emplace_back(it->path(), 0);
      else if (starts_with_ci(name, "session_details"))
        out.csv.session_details.emplace_back(it->path(), 0);
      else if (starts_with_ci(name, "school_arranged_ap"))
        out.csv.school_ap.emplace_back(it->path(), 0);
      else
        out.skipped.push_back(name);
    } else if (iequals(name, "census.json"))
      out.census_json = it->path();
    else
      out.skipped.push_back(name);
  }
  if (ec) return "cannot list " + census.string() + ": " + ec.message();
  std::sort(out.xml.begin(), out.xml.end());
  for (auto* v : {&out.csv.pupils, &out.csv.exclusions, &out.csv.fsm_periods, &out.csv.attendance,
                  &out.csv.session_details, &out.csv.school_ap})
    std::sort(v->begin(), v->end());
  if (out.xml.empty() && out.csv.pupils.empty())
    return "no census returns in " + census.string() + ": expected *.xml files or pupils*.csv";
  return {};
}

// Every XML file read on all threads, each into its own part (hashed from the same read).
std::vector<CensusPart> read_xml_returns(const std::vector<fs::path>& files, const std::vector<std::uint32_t>& index,
                                         Dataset& data, const LoadOptions& opt) {
  std::vector<CensusPart> parts(files.size());
  const CensusXmlContext ctx{opt.census_map, opt.codes, opt.csv_header.reference_date};
  std::atomic<std::size_t> next{0}, done{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
      // Each worker writes only its own file's entry.
      parts[i] = load_census_xml(files[i], index[i], ctx, &data.files[index[i]].sha256);
      const std::size_t d = done.fetch_add(1) + 1;
      if (opt.progress) opt.progress(d, files.size());
    }
  };
  const unsigned n = std::max(1u, std::min<unsigned>(opt.threads, static_cast<unsigned>(files.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool)
    t.join();
  return parts;
}

// The LA's number: the configuration's, else the one most register schools have, else the one most
// returns give.
std::string la_number_of(const LoadOptions& opt, const Dataset& data, const std::vector<CensusPart>& parts) {
  if (is_digits(opt.la_code, 3)) return opt.la_code;
  std::map<std::string, std::size_t> count;
  for (const auto& s : data.schools)
    if (is_digits(s.laestab, 7)) ++count[s.laestab.substr(0, 3)];
  if (count.empty())
    for (const auto& p : parts)
      if (!p.returns.empty() && !p.returns[0].lea.empty()) ++count[p.returns[0].lea];
  if (count.empty()) return {};
  return std::max_element(count.begin(), count.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

/// Which school a return belongs to, and how that was decided.
struct Identified {
  std::string laestab; ///< 7 digits, or empty
  std::string how;     ///< header, estab, urn, file name, unregistered, or empty when unidentified
};

// The header's LEA and Estab when they name a register school; else its Estab with the LA's number;
// else its URN; else LEA + Estab as they are (a school missing from the register, IN005). A broken
// file whose header was never reached is named by its file, but only when that is a register school's
// LAEstab: a name is never taken for an identifier otherwise.
Identified identify_school(const CensusPart& part, const fs::path& path, const Dataset& data,
                           const std::string& la_number, const std::unordered_map<std::string, std::string>& by_urn) {
  const CensusReturn& r = part.returns[0];
  const bool registered = data.has(needs_schools);
  auto in_register = [&](const std::string& l) { return data.find_school(l) != nullptr; };
  if (!r.lea.empty() && !r.estab.empty() && (!registered || in_register(r.lea + r.estab)))
    return {r.lea + r.estab, "header"};
  if (registered) {
    if (!r.estab.empty() && !la_number.empty() && in_register(la_number + r.estab))
      return {la_number + r.estab, "estab"};
    if (!r.urn.empty())
      if (const auto it = by_urn.find(r.urn); it != by_urn.end()) return {it->second, "urn"};
    const std::string stem = path.stem().string();
    if (part.parse_failed && r.lea.empty() && r.estab.empty() && is_digits(stem, 7) && in_register(stem))
      return {stem, "file name"};
  }
  if (!r.lea.empty() && !r.estab.empty()) return {r.lea + r.estab, "unregistered"};
  return {};
}

// A return's order among two of one school: the later export wins (DateTime, then SerialNo, then the
// later file name, so that the choice never depends on the order files were listed in).
bool earlier_export(const CensusReturn& a, const std::string& file_a, const CensusReturn& b,
                    const std::string& file_b) {
  return std::tie(a.date_time, a.serial_no, file_a) < std::tie(b.date_time, b.serial_no, file_b);
}

std::string export_label(const CensusReturn& r) {
  std::string s = r.date_time.empty() ? "no DateTime" : "DateTime " + r.date_time;
  s += r.serial_no ? ", SerialNo " + std::to_string(*r.serial_no) : ", no SerialNo";
  return s;
}

// Decides, for each XML file, whether it is read into the run and as whose return, and reports what
// was decided (IN009 not a return, IN002 no school, IN008 a second return). The part's own findings
// are given its school. Returns, per part, whether it is used.
std::vector<bool> decide_returns(std::vector<CensusPart>& parts, const std::vector<fs::path>& files,
                                 const std::vector<std::uint32_t>& index, Dataset& data, const std::string& la_number,
                                 InputReport& report, std::set<std::string>& schools_with_broken_file) {
  std::vector<bool> use(parts.size(), false);
  std::unordered_map<std::string, std::string> by_urn;
  for (const auto& s : data.schools)
    if (!s.urn.empty()) by_urn.emplace(s.urn, s.laestab);
  std::map<std::string, std::vector<std::size_t>> by_school;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    CensusPart& part = parts[i];
    const std::string& shown = data.files[index[i]].path;
    const SourceRef at{index[i], 1};
    switch (part.kind) {
    case FileKind::unreadable: continue; // the caller stops the run
    case FileKind::transfer:
      data.files[index[i]].kind = "census-xml: transfer file, not read";
      report.add(IN009, at, {}, {}, shown,
                 shown + " is a " + (part.root_name == "ATfile" ? "admissions" : "common") + " transfer file (" +
                     part.root_name + ")" +
                     (part.transfer_from.empty() && part.transfer_to.empty()
                          ? std::string()
                          : " from " + (part.transfer_from.empty() ? "?" : part.transfer_from) + " to " +
                                (part.transfer_to.empty() ? "?" : part.transfer_to)) +
                     ", not a census return: its pupils are not counted on any school's roll",
                 {{"root", part.root_name}, {"from", part.transfer_from}, {"to", part.transfer_to}});
      continue;
    case FileKind::other_collection:
      data.files[index[i]].kind = "census-xml: another collection, not read";
      report.add(IN009, at, {}, {}, shown,
                 shown + " is a return of another DfE collection (Collection " + part.collection +
                     "), not a school census return (Collection SC): it is not read",
                 {{"collection", part.collection}});
      continue;
    case FileKind::not_census:
      data.files[index[i]].kind = "census-xml: not a census return, not read";
      report.add(IN009, at, {}, {}, shown,
                 shown + " is not a school census return: its root element is <" + part.root_name +
                     "> (a census return's is <Message> with Collection SC); it is not read",
                 {{"root", part.root_name}});
      continue;
    case FileKind::census: break;
    }
    if (part.returns.empty()) {
      // Broken before its root element: nothing of it is a return. Its IN001 says so, named by the file
      // when that is a register school's LAEstab.
      const std::string stem = files[i].stem().string();
      const std::string school = is_digits(stem, 7) && data.find_school(stem) ? stem : std::string();
      for (auto& f : part.report.findings())
        f.laestab = school;
      if (!school.empty()) schools_with_broken_file.insert(school);
      use[i] = true; // its findings are merged; it has no pupils
      continue;
    }
    const Identified id = identify_school(part, files[i], data, la_number, by_urn);
    CensusReturn& r = part.returns[0];
    r.laestab = id.laestab;
    for (auto& f : part.report.findings())
      f.laestab = id.laestab;
    if (id.laestab.empty()) {
      report.add(IN002, at, {}, {}, shown + ".header",
                 "The return's header has no usable LEA and Estab" +
                     std::string(r.urn.empty() ? "" : " and its URN " + r.urn + " is no register school's") +
                     ": the school it belongs to cannot be identified, so its pupils are counted under no school",
                 {{"field", "LEA/Estab"}, {"expected", "a 3-digit LEA and a 4-digit Estab"}});
    } else {
      if (part.parse_failed) schools_with_broken_file.insert(id.laestab);
      by_school[id.laestab].push_back(i);
    }
    use[i] = true;
  }
  for (auto& [laestab, list] : by_school) {
    if (list.size() < 2) continue;
    std::size_t latest = list[0];
    for (const std::size_t i : list)
      if (earlier_export(parts[latest].returns[0], data.files[index[latest]].path, parts[i].returns[0],
                         data.files[index[i]].path))
        latest = i;
    std::string others;
    std::vector<std::pair<std::string, std::string>> values{{"used", data.files[index[latest]].path}};
    for (const std::size_t i : list) {
      if (i == latest) continue;
      use[i] = false;
      data.files[index[i]].kind = "census-xml: superseded by " + data.files[index[latest]].path + ", not read";
      others +=
          (others.empty() ? "" : "; ") + data.files[index[i]].path + " (" + export_label(parts[i].returns[0]) + ")";
      values.emplace_back("superseded", data.files[index[i]].path);
    }
    report.add(IN008, {index[latest], 1}, laestab, {}, laestab,
               std::to_string(list.size()) + " census returns for " + laestab + ": " + data.files[index[latest]].path +
                   " (" + export_label(parts[latest].returns[0]) + ") is used, the later export; not read: " + others,
               std::move(values));
  }
  return use;
}

// The previous census term (for term-on-term rules), loaded the same way, census only.
std::string load_previous(const LoadOptions& opt, Dataset& data) {
  const fs::path prev = opt.la_dir / "previous";
  std::error_code ec;
  if (!fs::is_directory(prev / "census", ec)) return {};
  LoadOptions po = opt;
  po.la_dir = prev;
  po.census.reset();
  po.schools.reset();
  po.progress = nullptr;
  po.csv_header = {};
  if (fs::exists(prev / "censusqa.json", ec)) {
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
  if (!previous.fatal.empty()) return "previous term: " + previous.fatal;
  // Its files are listed with the run's inputs; its findings belong to that term and are not repeated.
  for (std::size_t i = 1; i < previous.data.files.size(); ++i) {
    InputFile f = previous.data.files[i];
    f.path = "previous/" + f.path;
    f.kind = "previous-" + f.kind;
    data.files.push_back(std::move(f));
  }
  data.previous = std::make_shared<const Dataset>(std::move(previous.data));
  data.available |= needs_previous;
  return {};
}

// Returns for schools missing from the register (IN005, once per school), and register schools of the
// LA with no return (IN007), unless a broken file of theirs is already reported (IN001).
void check_register(const Dataset& data, const std::string& la_number, const std::set<std::string>& broken,
                    InputReport& report) {
  if (!data.has(needs_schools)) return;
  std::set<std::string> reported, returned;
  for (const auto& r : data.returns) {
    returned.insert(r.laestab);
    if (r.laestab.empty() || data.find_school(r.laestab) || !reported.insert(r.laestab).second) continue;
    report.add(IN005, r.source, r.laestab, {}, r.laestab,
               "The census return for " + r.laestab + " is for a school that is not in the register",
               {{"laestab", r.laestab}});
  }
  for (const auto& s : data.schools) {
    if (!is_digits(s.laestab, 7) || returned.count(s.laestab) || broken.count(s.laestab)) continue;
    if (!la_number.empty() && s.laestab.rfind(la_number, 0) != 0) continue; // another LA's school
    report.add(IN007, s.source, s.laestab, {}, s.laestab,
               "No census return from " + s.laestab + (s.name.empty() ? "" : " (" + s.name + ")") +
                   ": the register lists it, but census/ holds no return of it, so its pupils are in no figure "
                   "of this census",
               {{"laestab", s.laestab}});
  }
}

// An unknown element or column is reported once per name per run (the first place it was met).
void keep_first_unknown_names(std::vector<Finding>& findings) {
  std::unordered_set<std::string> seen;
  std::erase_if(findings, [&](const Finding& f) { return f.rule == "IN091" && !seen.insert(f.subject).second; });
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
  std::error_code ec;

  // The register first: returns are checked against it.
  const fs::path schools = opt.schools.value_or(root / "schools.csv");
  if (fs::exists(schools, ec)) {
    const auto file = add_file(data, schools, root, "schools");
    if (!load_schools(schools, file, data, report)) {
      result.fatal = "cannot read " + schools.string();
      return result;
    }
    data.available |= needs_schools;
  }
  data.build_indexes(); // the register's index, for deciding whose each return is

  CensusFiles census;
  if (std::string error = discover_census(opt.census.value_or(root / "census"), census); !error.empty()) {
    result.fatal = std::move(error);
    return result;
  }
  data.available |= needs_census;
  for (const auto& name : census.skipped)
    report.unknown_name({}, "file", "census/" + name, {}, "File not read: not a census return by its name");

  CsvCensusHeader csv_header = opt.csv_header;
  if (census.census_json)
    read_census_json(*census.census_json, add_file(data, *census.census_json, root, "census-json"), csv_header, report);

  // XML returns: read on all threads, then decided on and merged in file-name order.
  std::vector<std::uint32_t> xml_index;
  for (const auto& p : census.xml)
    xml_index.push_back(add_file(data, p, root, "census-xml", /*hash=*/false)); // hashed while read
  std::vector<CensusPart> parts = read_xml_returns(census.xml, xml_index, data, opt);
  for (const auto& part : parts)
    if (!part.fatal.empty()) {
      result.fatal = part.fatal;
      return result;
    }
  const std::string la_number = la_number_of(opt, data, parts);
  std::set<std::string> broken;
  const std::vector<bool> use = decide_returns(parts, census.xml, xml_index, data, la_number, report, broken);
  // Room for every used part at once: growing a vector of millions of pupils by doubling would copy them
  // several times. Each part is freed as soon as it is merged, so the peak stays near one copy.
  std::size_t n_pupils = 0, n_leavers = 0, n_needs = 0, n_excl = 0, n_att = 0, n_detail = 0;
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (use[i])
      n_pupils += parts[i].pupils.size(), n_leavers += parts[i].leavers.size(), n_needs += parts[i].needs.size(),
          n_excl += parts[i].exclusions.size(), n_att += parts[i].attendance.size(),
          n_detail += parts[i].absence_sessions.size();
  data.pupils.reserve(n_pupils);
  data.leavers.reserve(n_leavers);
  data.needs.reserve(n_needs);
  data.exclusions.reserve(n_excl);
  data.attendance.reserve(n_att);
  data.absence_sessions.reserve(n_detail);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    data.files[xml_index[i]].records = parts[i].records;
    if (use[i])
      merge_part(std::move(parts[i]), data, result.findings);
    else
      parts[i] = CensusPart{};
  }
  parts.clear();

  if (!census.csv.pupils.empty()) {
    for (auto* v : {&census.csv.pupils, &census.csv.exclusions, &census.csv.fsm_periods, &census.csv.attendance,
                    &census.csv.session_details, &census.csv.school_ap})
      for (auto& [path, index] : *v)
        index = add_file(data, path, root, "census-csv");
    std::string error;
    if (!load_census_csv(census.csv, csv_header, *opt.codes, data, result.findings, error)) {
      result.fatal = error;
      return result;
    }
  }

  // The LA's own records and published reference data (all optional).
  if (const fs::path cases = root / "ehcp_cases.csv"; fs::exists(cases, ec)) {
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
    if (!fs::exists(f, ec)) continue;
    if (!loader(f, add_file(data, f, root, std::string(name).substr(0, std::string(name).find('.'))), data, report)) {
      result.fatal = "cannot read " + f.string();
      return result;
    }
    data.available |= bit;
  }
  if (const fs::path ref = root / "reference"; fs::is_directory(ref, ec)) {
    std::vector<fs::path> files;
    for (fs::directory_iterator it(ref, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec) && iequals(it->path().extension().string(), ".csv")) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (!load_reference(f, add_file(data, f, root, "reference"), data, report)) {
        result.fatal = "cannot read " + f.string();
        return result;
      }
    if (!data.reference.empty()) data.available |= needs_reference;
  }
  if (std::string error = load_previous(opt, data); !error.empty()) {
    result.fatal = std::move(error);
    return result;
  }

  check_register(data, la_number, broken, report);
  for (auto& f : report.findings())
    result.findings.push_back(std::move(f));
  keep_first_unknown_names(result.findings);
  data.build_indexes();
  return result;
}

} // namespace censusqa::load
