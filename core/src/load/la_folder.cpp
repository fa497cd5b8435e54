// Loading an LA folder: the register first, then the census files (XML read on all threads, each
// identified by its root before it is read as a return), then the decision of which school each
// return belongs to and which return of a school is used, then the LA's own records. Parts are merged
// in file order so that a run is deterministic.
#include "la_folder.hpp"
#include "huge_pages.hpp"

#include "ap_census_xml.hpp"
#include "sen2_xml.hpp"

#include "../engine/timed.hpp"
#include "csv_reader.hpp"
#include "identifiers.hpp"
#include "sha256.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
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
  // The path within the LA folder as it was listed: a census/ file that is a link to a shared drive is
  // still census/x.xml (fs::relative follows the link, and would show its whole target path instead).
  auto rel = path.lexically_normal().lexically_relative(root.lexically_normal());
  if (rel.empty() || rel.native().rfind("..", 0) == 0) rel = fs::relative(path, root, ec);
  // A file name is bytes: shown as valid UTF-8 (bytes that are not read as Windows-1252).
  f.path = valid_utf8((ec || rel.empty() || rel.native().rfind("..", 0) == 0) ? path.string() : rel.generic_string());
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

/// The census folder's files, by what their names say they are.
struct CensusFiles {
  std::vector<fs::path> xml;
  CsvCensusFiles csv; ///< file indexes filled in when registered
  std::optional<fs::path> census_json;
  std::vector<std::string> skipped;                            ///< entries that are not regular files (reported)
  std::vector<std::pair<std::string, std::size_t>> folders;    ///< folders in census/ and the files in them (reported)
  std::vector<std::pair<std::string, std::string>> unreadable; ///< name, why: a symbolic link loop (reported)
};

// A folder in census/ is reported with how many files it holds, counted up to this many.
constexpr std::size_t folder_count_limit = 100000;

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
      if (type_ec)
        out.unreadable.emplace_back(valid_utf8(it->path().filename().string()), type_ec.message());
      else if (!it->is_directory(type_ec))
        out.skipped.push_back(valid_utf8(it->path().filename().string()));
      else {
        std::size_t files = 0;
        std::error_code sub_ec;
        for (fs::recursive_directory_iterator f(it->path(), sub_ec), end;
             !sub_ec && f != end && files < folder_count_limit; f.increment(sub_ec))
          files += f->is_regular_file(type_ec);
        out.folders.emplace_back(valid_utf8(it->path().filename().string()), files);
      }
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
        out.skipped.push_back(valid_utf8(name));
    } else if (iequals(name, "census.json"))
      out.census_json = it->path();
    else
      out.skipped.push_back(valid_utf8(name));
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

// Reads every XML file on all threads (each hashed from the same read) and hands each part to `take`
// in file-name order as soon as it and every file before it are read, with the share of the census
// bytes read so far. At most a few parts per thread wait to be taken, so a run holds the dataset and
// the parts in flight, not every file's records twice. Returns the first unreadable file's error.
std::string read_xml_returns(const std::vector<fs::path>& files, const std::vector<std::uint32_t>& index, Dataset& data,
                             const LoadOptions& opt,
                             const std::function<void(std::size_t, CensusPart&&, double)>& take) {
  const CensusXmlContext ctx{opt.census_map, opt.codes, opt.csv_header.reference_date};
  std::vector<std::uintmax_t> bytes(files.size(), 0);
  std::uintmax_t total = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    bytes[i] = fs::file_size(files[i], ec);
    if (ec) bytes[i] = 0;
    total += bytes[i];
  }
  const unsigned n = std::max(1u, std::min<unsigned>(opt.threads, static_cast<unsigned>(files.size())));
  const std::size_t window = 4 * static_cast<std::size_t>(n);
  std::vector<CensusPart> parts(files.size());
  std::vector<char> ready(files.size(), 0);
  std::mutex m;
  std::condition_variable part_ready, room;
  std::size_t next = 0, taken = 0, done = 0;
  bool stop = false;
  auto worker = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(m);
        room.wait(lock, [&] { return stop || next >= files.size() || next < taken + window; });
        if (stop || next >= files.size()) return;
        i = next++;
      }
      // Each worker writes only its own file's entries.
      CensusPart part = load_census_xml(files[i], index[i], ctx, &data.files[index[i]].sha256);
      std::lock_guard lock(m);
      parts[i] = std::move(part);
      ready[i] = 1;
      ++done;
      if (opt.progress) opt.progress(done, files.size());
      part_ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < n; ++t)
    pool.emplace_back(worker);
  std::string fatal;
  std::uintmax_t read = 0;
  long long take_ns = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    CensusPart part;
    {
      std::unique_lock lock(m);
      part_ready.wait(lock, [&] { return ready[i] != 0; });
      part = std::move(parts[i]);
      parts[i] = CensusPart{};
    }
    if (!part.fatal.empty()) {
      fatal = std::move(part.fatal);
      break;
    }
    read += bytes[i];
    const auto t_take = std::chrono::steady_clock::now();
    take(i, std::move(part), read > 0 && total > read ? static_cast<double>(total) / static_cast<double>(read) : 1.0);
    take_ns += (std::chrono::steady_clock::now() - t_take).count();
    std::lock_guard lock(m);
    taken = i + 1;
    room.notify_all();
  }
  {
    std::lock_guard lock(m);
    stop = true;
  }
  room.notify_all();
  for (auto& t : pool)
    t.join();
  if (engine::timings_on()) std::fprintf(stderr, "  (merging on the main thread: %lld ms)\n", take_ns / 1000000);
  return fatal;
}

// The LA's number: the configuration's, else the one most register schools have, else the one most
// returns give (`leas`, their headers' LEAs).
std::string la_number_of(const LoadOptions& opt, const Dataset& data, const std::vector<std::string>& leas) {
  if (is_digits(opt.la_code, 3)) return opt.la_code;
  std::map<std::string, std::size_t> count;
  for (const auto& s : data.schools)
    if (is_digits(s.laestab, 7)) ++count[s.laestab.substr(0, 3)];
  if (count.empty())
    for (const auto& lea : leas)
      if (!lea.empty()) ++count[lea];
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

// Decides, as each XML file comes in (in file-name order), whether it is read into the run and as
// whose return, merges it when it is, and reports what was decided (IN009 not a return, IN002 no
// school, IN008 a second return). The part's own findings are given its school. A school's later
// return replaces one merged before it: the earlier one's records are dropped at finish().
class ReturnMerger {
public:
  ReturnMerger(Dataset& data, const std::vector<fs::path>& files, const std::vector<std::uint32_t>& index,
               std::string la_number, InputReport& report, std::vector<Finding>& findings,
               std::set<std::string>& schools_with_broken_file)
      : data_(data), files_(files), index_(index), la_number_(std::move(la_number)), report_(report),
        findings_(findings), broken_(schools_with_broken_file) {
    for (const auto& s : data.schools)
      if (!s.urn.empty()) by_urn_.emplace(s.urn, s.laestab);
  }

  /// Takes file i's part; `growth` estimates how many times the records merged so far the whole run
  /// will hold, to reserve room once rather than grow lists of millions by doubling.
  void add(std::size_t i, CensusPart&& part, double growth) {
    const std::string& shown = data_.files[index_[i]].path;
    data_.files[index_[i]].records = part.records;
    if (!part.returns.empty()) leas_.push_back(part.returns[0].lea);
    if (!is_return(i, part, shown)) return;
    if (part.returns.empty()) {
      // Broken before its root element: nothing of it is a return. Its IN001 says so, named by the file
      // when that is a register school's LAEstab.
      const std::string stem = files_[i].stem().string();
      const std::string school = is_digits(stem, 7) && data_.find_school(stem) ? stem : std::string();
      for (auto& f : part.report.findings())
        f.laestab = school;
      if (!school.empty()) broken_.insert(school);
      merge(std::move(part), growth); // its findings; it has no pupils
      return;
    }
    const Identified id = identify_school(part, files_[i], data_, la_number_, by_urn_);
    CensusReturn& r = part.returns[0];
    r.laestab = id.laestab;
    for (auto& f : part.report.findings())
      f.laestab = id.laestab;
    if (id.laestab.empty()) {
      // Not read, as a transfer file is not: counted under no school, two such files would make one
      // school of both (a pupil in each a false CI004 duplicate) and add a school to the LA's figures.
      // Its own findings (the header's IN003) stay, so the school is told what to correct.
      const auto n = [](std::size_t k, const char* one, const char* many) {
        return std::to_string(k) + " " + (k == 1 ? one : many);
      };
      const std::string counts = n(part.pupils.size(), "pupil on roll", "pupils on roll") + " and " +
                                 n(part.leavers.size(), "leaver", "leavers");
      report_.add(IN002, {index_[i], 1}, {}, {}, shown + ".header",
                  "The return's header has no usable LEA and Estab" +
                      std::string(r.urn.empty() ? "" : " and its URN " + r.urn + " is no register school's") +
                      ": the school it belongs to cannot be identified, so its " + counts +
                      " are not read; correct the header and send the return again",
                  {{"field", "LEA/Estab"}, {"expected", "a 3-digit LEA and a 4-digit Estab"}});
      data_.files[index_[i]].kind = "census-xml: school not identified, not read";
      CensusPart findings_only;
      findings_only.report = std::move(part.report);
      merge(std::move(findings_only), growth);
      return;
    }
    if (part.parse_failed) {
      broken_.insert(id.laestab);
      data_.files[index_[i]].kind += read_in_part_kind;
    }
    auto& list = by_school_[id.laestab];
    Candidate c{i, r, npos};
    c.header.laestab.clear();
    const auto used = std::find_if(list.begin(), list.end(), [](const Candidate& x) { return x.merged != npos; });
    if (used == list.end() || earlier_export(used->header, data_.files[index_[used->file]].path, r, shown)) {
      if (used != list.end()) {
        drop_[used->merged] = true;
        used->merged = npos;
      }
      c.merged = merge(std::move(part), growth);
    }
    list.push_back(std::move(c));
  }

  /// Reports each school's second returns, drops the records of those merged before a later one came,
  /// and sets the raw values of the parts that stay.
  void finish() {
    for (auto& [laestab, list] : by_school_) {
      if (list.size() < 2) continue;
      const auto latest = std::find_if(list.begin(), list.end(), [](const Candidate& x) { return x.merged != npos; });
      const std::string& used = data_.files[index_[latest->file]].path;
      std::string others;
      std::vector<std::pair<std::string, std::string>> values{{"used", used}};
      for (const Candidate& c : list) {
        if (c.file == latest->file) continue;
        const std::string& path = data_.files[index_[c.file]].path;
        data_.files[index_[c.file]].kind = "census-xml: superseded by " + used + ", not read";
        others += (others.empty() ? "" : "; ") + path + " (" + export_label(c.header) + ")";
        values.emplace_back("superseded", path);
      }
      report_.add(IN008, {index_[latest->file], 1}, laestab, {}, laestab,
                  std::to_string(list.size()) + " census returns for " + laestab + ": " + used + " (" +
                      export_label(latest->header) + ") is used, the later export; not read: " + others,
                  std::move(values));
    }
    drop_parts(data_, findings_, merged_, drop_);
    for (std::size_t k = 0; k < merged_.size(); ++k)
      if (!drop_[k]) merge_raws(std::move(raws_[k]), merged_[k], data_);
    raws_.clear();
  }

  /// The headers' LEAs of every census return read, for the LA number when nothing else gives it.
  const std::vector<std::string>& leas() const { return leas_; }

private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  struct Candidate {
    std::size_t file;
    CensusReturn header;
    std::size_t merged; ///< into merged_, or npos when its records are not in the run
  };

  // A school census return, or a file reported as what it is instead (not read).
  bool is_return(std::size_t i, const CensusPart& part, const std::string& shown) {
    const SourceRef at{index_[i], 1};
    switch (part.kind) {
    case FileKind::unreadable: return false; // the caller stops the run
    case FileKind::transfer:
      data_.files[index_[i]].kind = "census-xml: transfer file, not read";
      report_.add(IN009, at, {}, {}, shown,
                  shown + " is a " + (part.root_name == "ATfile" ? "admissions" : "common") + " transfer file (" +
                      part.root_name + ")" +
                      (part.transfer_from.empty() && part.transfer_to.empty()
                           ? std::string()
                           : " from " + (part.transfer_from.empty() ? "?" : part.transfer_from) + " to " +
                                 (part.transfer_to.empty() ? "?" : part.transfer_to)) +
                      ", not a census return: its pupils are not counted on any school's roll",
                  {{"root", part.root_name}, {"from", part.transfer_from}, {"to", part.transfer_to}});
      return false;
    case FileKind::other_collection:
      data_.files[index_[i]].kind = "census-xml: another collection, not read";
      report_.add(IN009, at, {}, {}, shown,
                  shown + " is a return of another DfE collection (Collection " + part.collection +
                      "), not a school census return (Collection SC): it is not read",
                  {{"collection", part.collection}});
      return false;
    case FileKind::not_census:
      data_.files[index_[i]].kind = "census-xml: not a census return, not read";
      report_.add(IN009, at, {}, {}, shown,
                  shown + " is not a school census return: its root element is <" + part.root_name +
                      "> (a census return's is <Message> with Collection SC); it is not read",
                  {{"root", part.root_name}});
      return false;
    case FileKind::census: return true;
    }
    return false;
  }

  // Reserves the whole run's estimate with half as much again to spare. Schools differ in how many of
  // a list's records a byte of XML carries (a secondary's attendance modules, a primary's early-years
  // pupils), so an estimate from the first files can fall 10-20% short, and growing a list of millions
  // copies all of it into fresh pages (a national run copied 400 MB that way). The spare room costs
  // address space only: pages never written are never resident.
  template <class T> static void make_room(std::vector<T>& list, std::size_t add, double growth) {
    const std::size_t need = list.size() + add;
    if (need <= list.capacity()) return;
    list.reserve(std::max(need, static_cast<std::size_t>(static_cast<double>(need) * growth * 1.5)));
    advise_huge_pages(list);
  }

  std::size_t merge(CensusPart&& part, double growth) {
    make_room(data_.pupils, part.pupils.size(), growth);
    make_room(data_.leavers, part.leavers.size(), growth);
    make_room(data_.needs, part.needs.size(), growth);
    make_room(data_.exclusions, part.exclusions.size(), growth);
    make_room(data_.fsm_periods, part.fsm_periods.size(), growth);
    make_room(data_.attendance, part.attendance.size(), growth);
    make_room(data_.absence_sessions, part.absence_sessions.size(), growth);
    make_room(data_.school_ap, part.school_ap.size(), growth);
    make_room(data_.returns, part.returns.size(), growth);
    raws_.push_back(std::move(part.raws));
    part.raws.clear();
    merged_.push_back(merge_part(std::move(part), data_, findings_));
    drop_.push_back(false);
    return merged_.size() - 1;
  }

  Dataset& data_;
  const std::vector<fs::path>& files_;
  const std::vector<std::uint32_t>& index_;
  std::string la_number_;
  InputReport& report_;
  std::vector<Finding>& findings_;
  std::set<std::string>& broken_;
  std::unordered_map<std::string, std::string> by_urn_;
  std::map<std::string, std::vector<Candidate>> by_school_;
  std::vector<PartBases> merged_;
  std::vector<bool> drop_;
  std::vector<std::vector<RawValue>> raws_;
  std::vector<std::string> leas_;
};

// The previous census term (for term-on-term rules), loaded the same way, census only.
std::string load_previous(const LoadOptions& opt, Dataset& data) {
  const fs::path prev = opt.la_dir / "previous";
  std::error_code ec;
  if (!fs::is_directory(prev / "census", ec)) return {};
  LoadOptions po = opt;
  po.la_dir = prev;
  po.census.reset();
  // Its own register when it has one, else this census's: a return whose header LEA is mistyped is then
  // the same school's in both censuses, as the LA's register says (CI009's mapping).
  const bool own_register = fs::exists(prev / "schools.csv", ec);
  if (own_register)
    po.schools.reset();
  else if (const fs::path reg = opt.schools.value_or(opt.la_dir / "schools.csv"); fs::exists(reg, ec))
    po.schools = reg;
  else
    po.schools.reset();
  po.sen2.reset(); // --sen2 is this census's: previous/ has its own sen2/, if any
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
    if (f.kind == "schools" && !own_register) continue; // this census's register, listed already
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

// The XML returns of one kind to read: the file `given` names, or the .xml files of its folder (else of
// <la>/<folder>), in name order. Anything else in the folder is reported, not read. `flag` is the
// option that gives one ("--sen2"), `what` what the files are ("SEN2 return").
std::string find_xml_returns(const std::optional<fs::path>& given, const fs::path& root, std::string_view folder,
                             std::string_view flag, std::string_view what, std::vector<fs::path>& files,
                             InputReport& report) {
  std::error_code ec;
  const fs::path where = given.value_or(root / folder);
  const std::string f(flag), w(what), dir(folder);
  if (given && fs::is_regular_file(where, ec)) {
    files.push_back(where);
    return {};
  }
  if (!fs::is_directory(where, ec)) return given ? f + " " + where.string() + " is not a file or a folder" : "";
  for (fs::directory_iterator it(where, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = valid_utf8(it->path().filename().string());
    if (it->is_regular_file(ec) && iequals(it->path().extension().string(), ".xml"))
      files.push_back(it->path());
    else if (name.rfind('.', 0) != 0)
      report.unknown_name({}, "file", dir + "/" + name, {},
                          it->is_directory(ec) ? "Folder not read: " + w + "s are the .xml files of " + dir + "/ itself"
                                               : "File not read: not a " + w + " (.xml) by its name");
  }
  if (ec) return "cannot list " + where.string() + ": " + ec.message();
  if (given && files.empty()) return f + " " + where.string() + " holds no " + w + " (no .xml file)";
  std::sort(files.begin(), files.end());
  return {};
}

std::string read_whole_file(const fs::path& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path.string();
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return {};
}

// The EHC cases: from the SEN2 returns when there are any (sen2/ or --sen2), else from ehcp_cases.csv;
// when both are there one is read, the other not, and an info finding says which (IN012).
std::string load_ehc_cases(const LoadOptions& opt, const fs::path& root, const std::string& la_number, Dataset& data,
                           InputReport& report) {
  std::error_code ec;
  const fs::path csv = root / "ehcp_cases.csv";
  const bool csv_there = fs::exists(csv, ec);
  std::vector<fs::path> sen2;
  if (std::string error = find_xml_returns(opt.sen2, root, "sen2", "--sen2", "SEN2 return", sen2, report);
      !error.empty())
    return error;
  if (!sen2.empty() && csv_there && opt.ehc_cases_from_csv) {
    report.add(IN012, {}, {}, {}, "ehc-cases.source",
               "The EHC cases are read from ehcp_cases.csv, as the configuration says (ehc_cases_from: csv): the " +
                   std::to_string(sen2.size()) + " SEN2 return(s) are not read",
               {{"read", "ehcp_cases.csv"}, {"not read", "sen2"}});
    sen2.clear();
  }
  std::vector<Sen2File> returns;
  std::vector<std::string> shown;
  if (!sen2.empty()) {
    std::unordered_map<std::string, std::string> by_urn, by_upn;
    for (const auto& s : data.schools)
      if (!s.urn.empty()) by_urn.emplace(s.urn, s.laestab);
    for (const auto& p : data.pupils)
      if (!p.upn.empty() && p.census_return < data.returns.size())
        by_upn.emplace(p.upn, data.returns[p.census_return].laestab);
    const Sen2Context ctx{la_number, &by_urn, &by_upn};
    for (const auto& path : sen2) {
      const std::uint32_t file = add_file(data, path, root, "sen2");
      std::string bytes;
      if (std::string error = read_whole_file(path, bytes); !error.empty()) return error;
      shown.push_back(data.files[file].path);
      returns.push_back(read_sen2_xml(bytes, file, shown.back(), ctx));
      data.files[file].records = static_cast<std::uint32_t>(returns.back().cases.size());
    }
  }
  const std::size_t usable = static_cast<std::size_t>(
      std::count_if(returns.begin(), returns.end(), [](const Sen2File& f) { return f.kind == Sen2File::Kind::sen2; }));
  std::size_t persons = 0;
  for (const auto& f : returns)
    persons += f.kind == Sen2File::Kind::sen2 ? f.persons : 0;
  const std::size_t before = data.ehc_cases.size();
  add_sen2_cases(returns, shown, data, report);
  const std::string where = opt.sen2 ? opt.sen2->string() : "sen2/";
  if (usable) {
    data.available |= needs_ehcp_cases;
    if (csv_there)
      report.add(IN012, {}, {}, {}, "ehc-cases.source",
                 "The EHC cases are read from the SEN2 return(s) in " + where + " (" +
                     std::to_string(data.ehc_cases.size() - before) + " requests, from " + std::to_string(persons) +
                     " Person records in " + std::to_string(usable) + " of " + std::to_string(returns.size()) +
                     " files): ehcp_cases.csv is not read (set ehc_cases_from: csv in the configuration to read it "
                     "instead)",
                 {{"read", "sen2"}, {"not read", "ehcp_cases.csv"}});
    return {};
  }
  if (!returns.empty() && csv_there)
    report.add(IN012, {}, {}, {}, "ehc-cases.source",
               "None of the " + std::to_string(returns.size()) + " files in " + where +
                   " could be read as a SEN2 return (each is reported): the EHC cases are read from ehcp_cases.csv",
               {{"read", "ehcp_cases.csv"}, {"not read", "sen2"}});
  if (!csv_there) return {};
  const Source read = load_ehcp_cases(csv, add_file(data, csv, root, "ehcp-cases"), data, report);
  if (read == Source::unopenable) return "cannot read " + csv.string();
  if (read == Source::usable) data.available |= needs_ehcp_cases;
  return {};
}

// The AP placements: from the AP census returns when there are any (ap_census/ or --ap-census), else from
// ap_placements.csv; when both are there one is read, the other not, and an info finding says which (IN016).
std::string load_ap_placements_from(const LoadOptions& opt, const fs::path& root, const std::string& la_number,
                                    Dataset& data, InputReport& report) {
  std::error_code ec;
  const fs::path csv = root / "ap_placements.csv";
  const bool csv_there = fs::exists(csv, ec);
  std::vector<fs::path> xml;
  if (std::string error =
          find_xml_returns(opt.ap_census, root, "ap_census", "--ap-census", "AP census return", xml, report);
      !error.empty())
    return error;
  // --ap-census names the returns to read, whatever the configuration says.
  if (!xml.empty() && csv_there && opt.ap_placements_from_csv && !opt.ap_census) {
    report.add(IN016, {}, {}, {}, "ap-placements.source",
               "The AP placements are read from ap_placements.csv, as the configuration says (ap_placements_from: "
               "csv): the " +
                   std::to_string(xml.size()) + " AP census return(s) are not read",
               {{"read", "ap_placements.csv"}, {"not read", "ap_census"}});
    xml.clear();
  }
  if (!xml.empty() && !opt.ap_census_map) return "no AP census element map (schemas/ap-census-xml-map.json) was given";
  std::vector<ApCensusFile> files;
  std::vector<std::string> shown;
  for (const auto& path : xml) {
    const std::uint32_t file = add_file(data, path, root, "ap-census");
    std::string bytes;
    if (std::string error = read_whole_file(path, bytes); !error.empty()) return error;
    shown.push_back(data.files[file].path);
    files.push_back(read_ap_census_xml(bytes, file, shown.back(), *opt.ap_census_map));
  }
  // The run's census day: the configuration's, else the one most returns give (as the engine's run info).
  const std::optional<Date> census_day =
      opt.csv_header.reference_date ? opt.csv_header.reference_date : usual_reference_date(data);
  const std::size_t added = add_ap_census_placements(files, shown, la_number, census_day, data, report);
  const auto usable = static_cast<std::size_t>(std::count_if(
      files.begin(), files.end(), [](const ApCensusFile& f) { return f.kind == ApCensusFile::Kind::ap_census; }));
  const std::string where = opt.ap_census ? opt.ap_census->string() : "ap_census/";
  if (usable) {
    data.available |= needs_ap_placements;
    if (!csv_there) return {};
    // The CSV is not used, but compared: where it and the AP census describe one placement differently,
    // IN018 says how. Its own defects are not reported (it is not read for the rules).
    Dataset side;
    side.files = data.files;
    InputReport unused;
    std::size_t disagree = 0;
    if (load_ap_placements(csv, add_file(side, csv, root, "ap_placements"), side, unused) == Source::usable)
      disagree = compare_ap_sources(data, side.ap_placements, "ap_placements.csv", report);
    report.add(IN016, {}, {}, {}, "ap-placements.source",
               "The AP placements are read from the AP census return(s) in " + where + " (" + std::to_string(added) +
                   " placements in " + std::to_string(usable) + " of " + std::to_string(files.size()) +
                   " files): ap_placements.csv is not read for the rules (set ap_placements_from: csv in the "
                   "configuration to read it instead; it carries planned ends, reviews and destinations, which the "
                   "AP census does not). It was compared with the AP census: " +
                   (disagree ? std::to_string(disagree) + " placements disagree (IN018)" : std::string("they agree")),
               {{"read", "ap_census"}, {"not read", "ap_placements.csv"}});
    return {};
  }
  if (!files.empty() && csv_there)
    report.add(IN016, {}, {}, {}, "ap-placements.source",
               "None of the " + std::to_string(files.size()) + " files in " + where +
                   " could be read as an AP census return (each is reported): the AP placements are read from "
                   "ap_placements.csv",
               {{"read", "ap_placements.csv"}, {"not read", "ap_census"}});
  if (!csv_there) return {};
  const Source read = load_ap_placements(csv, add_file(data, csv, root, "ap_placements"), data, report);
  if (read == Source::unopenable) return "cannot read " + csv.string();
  if (read == Source::usable) data.available |= needs_ap_placements;
  return {};
}

} // namespace

std::optional<Date> usual_reference_date(const Dataset& data) {
  std::map<Date, std::size_t> days;
  for (const auto& r : data.returns)
    if (r.reference_date) ++days[*r.reference_date];
  const auto most =
      std::max_element(days.begin(), days.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return most == days.end() ? std::nullopt : std::optional<Date>(most->first);
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
    const Source read = load_schools(schools, file, data, report);
    if (read == Source::unopenable) {
      result.fatal = "cannot read " + schools.string();
      return result;
    }
    if (read == Source::usable) data.available |= needs_schools;
  }
  data.build_indexes(); // the register's index, for deciding whose each return is

  CensusFiles census;
  if (std::string error = discover_census(opt.census.value_or(root / "census"), census); !error.empty()) {
    result.fatal = std::move(error);
    return result;
  }
  data.available |= needs_census;
  for (const auto& [name, why] : census.unreadable)
    report.add(
        IN001, {}, {}, {}, "census/" + name,
        "census/" + name + " cannot be read: " + why +
            (why.find("symbolic links") != std::string::npos ? " (a symbolic link that leads back to itself)" : ""),
        {{"file", "census/" + name}});
  for (const auto& name : census.skipped)
    report.unknown_name({}, "file", "census/" + name, {}, "File not read: not a census return by its name");
  // A folder is not looked into: a return saved there (census/late/8882002.xml) is not read, and said so.
  for (const auto& [name, files] : census.folders)
    report.add(IN091, {}, {}, {}, "census/" + name + "/",
               "census/" + name + "/ is a folder, and censusqa reads only the files directly in census/: its " +
                   std::to_string(files) + (files >= folder_count_limit ? " or more" : "") +
                   (files == 1 ? " file is" : " files are") + " not read. Move any census return in it up into census/",
               {{"folder", "census/" + name + "/"}, {"files", std::to_string(files)}});

  CsvCensusHeader csv_header = opt.csv_header;
  if (census.census_json)
    read_census_json(*census.census_json, add_file(data, *census.census_json, root, "census-json"), csv_header, report);

  // XML returns: read on all threads, decided on and merged in file-name order as they come.
  std::vector<std::uint32_t> xml_index;
  for (const auto& p : census.xml)
    xml_index.push_back(add_file(data, p, root, "census-xml", /*hash=*/false)); // hashed while read
  std::set<std::string> broken;
  ReturnMerger merger(data, census.xml, xml_index, la_number_of(opt, data, {}), report, result.findings, broken);
  if (std::string fatal = engine::timed("read and merge census XML",
                                        [&] {
                                          return read_xml_returns(census.xml, xml_index, data, opt,
                                                                  [&](std::size_t i, CensusPart&& part, double growth) {
                                                                    merger.add(i, std::move(part), growth);
                                                                  });
                                        });
      !fatal.empty()) {
    result.fatal = std::move(fatal);
    return result;
  }
  engine::timed("finish merging returns", [&] { merger.finish(); });
  const std::string la_number = la_number_of(opt, data, merger.leas());

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
  if (std::string fatal = load_ehc_cases(opt, root, la_number, data, report); !fatal.empty()) {
    result.fatal = std::move(fatal);
    return result;
  }
  if (std::string fatal = load_ap_placements_from(opt, root, la_number, data, report); !fatal.empty()) {
    result.fatal = std::move(fatal);
    return result;
  }
  for (const auto& [name, loader, bit] : {std::tuple{"balances.csv", &load_balances, needs_balances},
                                          std::tuple{"commitments.csv", &load_commitments, needs_commitments}}) {
    const fs::path f = root / name;
    if (!fs::exists(f, ec)) continue;
    const Source read =
        loader(f, add_file(data, f, root, std::string(name).substr(0, std::string(name).find('.'))), data, report);
    if (read == Source::unopenable) {
      result.fatal = "cannot read " + f.string();
      return result;
    }
    if (read == Source::usable) data.available |= bit;
  }
  if (const fs::path ref = root / "reference"; fs::is_directory(ref, ec)) {
    std::vector<fs::path> files;
    for (fs::directory_iterator it(ref, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec) && iequals(it->path().extension().string(), ".csv")) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (load_reference(f, add_file(data, f, root, "reference"), data, report) == Source::unopenable) {
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
  engine::timed("keep first unknown names", [&] { keep_first_unknown_names(result.findings); });
  engine::timed("build indexes", [&] { data.build_indexes(); });
  return result;
}

} // namespace censusqa::load
