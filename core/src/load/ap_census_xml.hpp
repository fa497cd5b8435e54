// The LA's alternative provision census return (ap_census/*.xml): the pupils the LA places in AP
// outside state schools, each with the placement module (the latest or last placement of the census
// period), read by path with the streaming scanner of xml_scan.hpp from the element map
// schemas/ap-census-xml-map.json and mapped onto ApPlacement (origin ApOrigin::ap_census).
// docs/ap-census-input.md has the tree and the evidence: the DfE's modules and items are public, its
// XML chapter was not found, so the element names are inferred and live in the map, not in the code.
#pragma once

#include "input_report.hpp"

#include <censusqa/dataset.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

extern const RuleInfo IN015, IN016, IN017, IN018;

/// schemas/ap-census-xml-map.json, read once per run.
class ApCensusMap {
public:
  enum class Kind : std::uint8_t { field, record, ignored };
  enum class Rec : std::uint8_t { message, pupil, placement };
  enum class Item : std::uint8_t {
    none,
    collection,
    year,
    reference_date,
    lea,
    serial_no,
    date_time,
    upn,
    uln,
    name,
    dob,
    sex,
    urn,
    ukprn,
    setting_type,
    reason,
    entry_date,
    leaving_date,
    sessions_per_week,
  };
  struct Entry {
    Kind kind = Kind::field;
    Item item = Item::none;    ///< for a field (none: known, not read)
    Rec record = Rec::message; ///< for a record: the kind it starts
  };

  /// Reads the map; throws std::runtime_error naming the file, the key and the problem.
  static ApCensusMap from_file(const std::filesystem::path& path);

  /// What `path` (relative to a record of kind `r`) is; nullptr when the map does not list it.
  const Entry* find(Rec r, std::string_view path) const;
  /// Whether `path` leads to listed paths of a record of kind `r` (a container such as Header).
  bool leads_somewhere(Rec r, std::string_view path) const;
  bool is_collection(std::string_view value) const; ///< compared in upper case
  /// The code lists: setting types, reasons (each with the censusqa reason it maps to) and sexes.
  const std::map<std::string, std::string>& codes(std::string_view list) const;
  std::string listed(std::string_view list) const; ///< "NFE, OOT, OTH, WBP"
  std::string code_source(std::string_view list) const;

private:
  // Ordered with a transparent comparison: find() and leads_somewhere() look up a path by its view, with
  // no string made per element read (the maps hold a few dozen paths each).
  std::map<std::string, Entry, std::less<>> entries_[3];
  std::set<std::string, std::less<>> containers_[3];
  std::vector<std::string> collections_;
  std::map<std::string, std::map<std::string, std::string>> codes_;
  std::map<std::string, std::string> code_sources_;
};

/// The header of an AP census return, as far as it was read.
struct ApCensusHeader {
  std::string collection;
  int year = 0;
  std::optional<Date> reference_date;
  std::string lea;
  std::string date_time;
  long long serial_no = -1;
};

/// One file read: its placements (not yet in a Dataset; home school still to be found) and findings.
struct ApCensusFile {
  enum class Kind : std::uint8_t { ap_census, census, sen2, transfer, other, broken };
  Kind kind = Kind::other;
  std::uint32_t file = 0;
  ApCensusHeader header;
  std::vector<ApPlacement> placements;
  std::size_t pupils = 0;
  InputReport report;
};

/// Reads one AP census file's bytes. `file` is its index in Dataset::files, `shown` its name in messages.
ApCensusFile read_ap_census_xml(std::string_view bytes, std::uint32_t file, std::string_view shown,
                                const ApCensusMap& map);

/// Adds the placements of the files read to data.ap_placements, each joined to its home school by
/// UPN (the school whose census has the pupil on roll, dual registered when its enrolment status there
/// is M or S, else the school the pupil left; the provider itself only when there is no other), and the
/// files' findings to `report`. A return of another LA (its header LEA is not `la_number`) or of another
/// census (its ReferenceDate more than 200 days from `reference_date`) is reported (IN015) and not added.
/// A placement (pupil and entry date) in several returns is read from the latest (header DateTime, then
/// SerialNo, then file name; IN016 per superseded file), one twice in a return once (IN017). Returns how
/// many placements were added.
std::size_t add_ap_census_placements(std::vector<ApCensusFile>& files, const std::vector<std::string>& shown,
                                     const std::string& la_number, std::optional<Date> reference_date, Dataset& data,
                                     InputReport& report);

/// Compares each AP census placement in data.ap_placements with the placements of ap_placements.csv
/// (`csv`, read but not used; `csv_file` its name in messages): the CSV placement of the same pupil that
/// runs over the same time (the nearest start when several do) should give the same entry and leaving
/// dates, provider URN and reason; where it does not, or the CSV has no placement for the pupil at all,
/// IN018 says which and how. Returns how many placements disagree.
std::size_t compare_ap_sources(const Dataset& data, const std::vector<ApPlacement>& csv, std::string_view csv_file,
                               InputReport& report);

} // namespace censusqa::load
