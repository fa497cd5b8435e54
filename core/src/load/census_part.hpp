// What loading one census file yields, before it is merged into the Dataset, and the one place
// where census field text becomes typed values (shared by the XML and CSV loaders).
#pragma once

#include "input_report.hpp"

#include <censusqa/dataset.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

/// Census fields the loaders understand; the XML element map and the CSV columns name them.
enum class CensusField : std::uint8_t {
  // header
  term,
  year,
  reference_date,
  lea,
  estab,
  urn,
  phase,
  // pupil
  upn,
  dob,
  sex,
  enrol_status,
  nc_year,
  entry_date,
  fsm_eligible,
  sen_provision,
  sessions_possible,
  sessions_authorised,
  sessions_unauthorised,
  // need
  need_rank,
  need_type,
  // exclusion
  exclusion_category,
  exclusion_reason,
  exclusion_start_date,
  exclusion_sessions,
  // read only to be discarded (names) or deliberately unused
  ignored,
};

struct RawValue {
  Entity entity;
  std::uint32_t index; ///< index local to the part
  Field field;
  std::string text;
};

/// One census file's contribution. Indexes inside are local to the part until merged.
struct CensusPart {
  std::vector<CensusReturn> returns;
  std::vector<Pupil> pupils;
  std::vector<SenNeed> needs;
  std::vector<Exclusion> exclusions;
  std::vector<RawValue> raws;
  InputReport report;
  std::set<std::string> unknown_names; ///< already reported in this part
  std::uint32_t records = 0;
  std::string fatal; ///< set when the file could not be opened at all

  /// Sets a pupil field from its text, reporting IN003/IN004 for values that do not parse. An
  /// empty text means the field is missing and is not reported here (rules decide).
  void set_pupil_field(std::uint32_t pupil, CensusField field, std::string_view text, SourceRef src,
                       std::string_view field_label);
  void set_need_field(std::uint32_t need, std::uint32_t pupil, CensusField field, std::string_view text, SourceRef src,
                      std::string_view field_label);
  void set_exclusion_field(std::uint32_t excl, std::uint32_t pupil, CensusField field, std::string_view text,
                           SourceRef src, std::string_view field_label);

private:
  std::string laestab_of(std::uint32_t pupil) const;
  std::string record_key(std::uint32_t pupil) const;
};

/// Appends `part` to `data`, shifting its indexes; its findings go to `findings`.
void merge_part(CensusPart&& part, Dataset& data, std::vector<Finding>& findings,
                std::set<std::string>& unknown_names_seen);

} // namespace censusqa::load
