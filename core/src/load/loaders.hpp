// The LA folder's CSV loaders (schools register, census CSV) and shared helpers.
#pragma once

#include "census_part.hpp"
#include "identifiers.hpp"
#include "input_report.hpp"

#include <censusqa/dataset.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::load {

/// Header values a CSV census return takes from census/census.json or the LA configuration.
/// The census day most returns give (the earliest of the most common), or nothing when none gives one.
std::optional<Date> usual_reference_date(const Dataset& data);

struct CsvCensusHeader {
  std::optional<Term> term;
  std::optional<int> year;
  std::optional<Date> reference_date;
};

/// A LAEstab as LAs write it (`8883001`, `888/3001`, `888-3001`, `888 3001`) as 7 digits; other text is
/// returned trimmed, unchanged, for the caller to report.
std::string normalise_laestab(std::string_view text);
/// The LAEstab a cell of the LA's records gives, as 7 digits, or empty. A value that is not one is
/// reported (IN003 for `record`'s `column`) and never used: an identifier from an input file names a
/// school only when it is one, and never reaches a file name. With `row_not_used` the finding says that
/// the caller drops the row (it cannot be placed without its school).
std::string read_laestab(std::string_view text, SourceRef source, std::string_view record, std::string_view column,
                         InputReport& report, bool row_not_used = false);

/// What a loader of one of the LA's files made of it. `unopenable`: the file cannot be opened (the run
/// stops). `unusable`: the file cannot be read as a whole (no header, a header and no record, no record
/// of the header's shape, or its last record cut short): it is reported (IN001), none of its records is
/// kept, and the rules that need it are skipped (IN090) as if it were absent. `usable`: read; each bad
/// record or value is reported on its own.
enum class Source { unopenable, unusable, usable };

/// Reads schools.csv (our columns) or a GIAS edubasealldata extract (detected by its header) into
/// data.schools.
Source load_schools(const std::filesystem::path& path, std::uint32_t file_index, Dataset& data, InputReport& report);

/// Reads ehcp_cases.csv into data.ehc_cases.
Source load_ehcp_cases(const std::filesystem::path& path, std::uint32_t file_index, Dataset& data, InputReport& report);

/// Reads one published DfE statistics file from reference/, recognised by its header, into
/// data.reference. An unrecognised file is reported (IN091) and skipped (unusable).
Source load_reference(const std::filesystem::path& path, std::uint32_t file_index, Dataset& data, InputReport& report);

/// Reads balances.csv / commitments.csv into data.balances / data.commitments (money in pence).
Source load_balances(const std::filesystem::path& path, std::uint32_t file_index, Dataset& data, InputReport& report);
Source load_commitments(const std::filesystem::path& path, std::uint32_t file_index, Dataset& data,
                        InputReport& report);

/// Reads ap_placements.csv into data.ap_placements.
Source load_ap_placements(const std::filesystem::path& path, std::uint32_t file_index, Dataset& data,
                          InputReport& report);

/// A CSV census's files, each with its index in Dataset::files: one table per module of the return,
/// joined to the pupils rows by laestab and upn.
struct CsvCensusFiles {
  using List = std::vector<std::pair<std::filesystem::path, std::uint32_t>>;
  List pupils, exclusions, fsm_periods, attendance, session_details, school_ap;
};

/// Reads a CSV census (appending its returns, pupils on roll, leavers and their modules to `data`).
/// Returns false, with `error` set, when a file cannot be opened.
bool load_census_csv(const CsvCensusFiles& files, const CsvCensusHeader& header, const CodeSets& codes, Dataset& data,
                     std::vector<Finding>& findings, std::string& error);

} // namespace censusqa::load
