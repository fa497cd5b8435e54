// The SEN2 person-level return (sen2/*.xml): every EHC needs assessment request the LA sends the DfE,
// read by path with the streaming scanner of xml_scan.hpp, checked item by item against the year's
// schema and mapped onto the EHC case model (one EhcCase per Person/Requests). docs/sen2-input.md
// has the tree, the evidence (the 2024 XSD as modelled in SocialFinanceDigitalLabs/liia-tools) and
// what is not evidenced.
#pragma once

#include "input_report.hpp"

#include <censusqa/dataset.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace censusqa::load {

extern const RuleInfo IN011, IN012, IN013, IN014;

/// The header of a SEN2 return, as far as it was read.
struct Sen2Header {
  std::string collection; ///< "SEN2" in a SEN2 return
  int year = 0;           ///< Header/CollectionDetails/Year (the January of the collection), 0 when not given
  std::optional<Date> reference_date;
  std::string lea; ///< 3 digits, or empty
  std::string date_time;
  long long serial_no = -1;
};

/// What the loader needs besides the file: who the LA is and where its schools are, to give a
/// request its school (the rank-1 placement's URN, else the census school of the UPN).
struct Sen2Context {
  std::string la_number; ///< 3 digits, or empty when unknown
  const std::unordered_map<std::string, std::string>* laestab_by_urn = nullptr;
  const std::unordered_map<std::string, std::string>* laestab_by_upn = nullptr;
};

/// One file read: its cases (case_id, source and every field set; not yet in a Dataset), the raw
/// text of values that could not be read (for the EH rules' messages), and its findings.
struct Sen2File {
  enum class Kind : std::uint8_t { sen2, census, transfer, other, broken };
  Kind kind = Kind::other;
  std::uint32_t file = 0; ///< its index in Dataset::files
  Sen2Header header;
  std::vector<EhcCase> cases;
  struct Raw {
    std::uint32_t case_index; ///< into cases
    Field field;
    std::string text;
  };
  std::vector<Raw> raws;
  InputReport report;
  std::size_t persons = 0;
  /// For each case, what finds the same request in another return: the UPN or ULN, else the child's
  /// names, birth date and sex, with the received date. Never output; dropped with the file.
  std::vector<std::string> match_keys;
};

/// The schema years censusqa holds (2024 only: the one SEN2 XSD found in public). A return is checked
/// against its own year's, else the nearest earlier one, else the earliest; items the evidence dates
/// to other years (docs/sen2-input.md) are accepted in those years.
int sen2_schema_year_for(int return_year);

/// Reads one SEN2 file's bytes. `file` is its index in Dataset::files, `shown` its name in messages.
Sen2File read_sen2_xml(std::string_view bytes, std::uint32_t file, std::string_view shown, const Sen2Context& ctx);

/// Adds the cases of the SEN2 files read to data.ehc_cases (and their raw values), one case per
/// request: a request in several returns (the same person and received date) is taken from the latest
/// return (by Year, then the header's DateTime, SerialNo, then the order given), which is reported
/// (IN012) once per superseded return. Every file's findings go to `report`.
void add_sen2_cases(std::span<Sen2File> files, std::span<const std::string> shown, Dataset& data, InputReport& report);

} // namespace censusqa::load
