// What loading one census file yields, before it is merged into the Dataset, and the one place
// where census field text becomes typed values (shared by the XML and CSV loaders).
#pragma once

#include "census_codes.hpp"
#include "input_report.hpp"

#include <censusqa/dataset.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

/// Census fields the loaders understand; the XML map and the CSV columns name them.
enum class CensusField : std::uint8_t {
  // the return
  collection,
  term,
  year,
  reference_date,
  lea,
  estab,
  urn,
  serial_no,
  date_time,
  software,
  release,
  phase,
  lowest_nc_year,
  highest_nc_year,
  // a pupil on roll or a leaver
  upn,
  dob,
  sex,
  enrol_status,
  nc_year,
  nc_year_leaving,
  entry_date,
  leaving_date,
  part_time,
  top_up_funding,
  sen_provision,
  sen_unit,
  resourced_provision,
  uln,
  former_upn,
  surname,      ///< read only to note whether it is given (Pupil::surname_missing); its text is never kept
  forename,     ///< the same, for Pupil::forename_missing
  fsm_eligible, ///< CSV extracts only: eligible on census day, as a flag
  // a need
  need_rank,
  need_type,
  // an exclusion
  exclusion_category,
  exclusion_reason,
  exclusion_start_date,
  exclusion_sessions,
  exclusion_sen_provision,
  // an FSM period
  fsm_start_date,
  fsm_end_date,
  fsm_country,
  // an attendance module
  sessions_possible,
  sessions_authorised,
  sessions_unauthorised,
  // a SessionDetail
  attendance_reason,
  absence_sessions,
  // a school-arranged AP placement
  ap_urn,
  ap_ukprn,
  ap_entry_date,
  ap_leaving_date,
  ap_sessions_per_week,
  ap_setting_type,
  ap_reason,
  ap_sen_provision_entry,
  ap_sen_provision_leaving,
  ap_attendance_pattern,
  // read only to be discarded (names, addresses) or deliberately unused
  ignored,
};

/// The kinds of record in a census return.
enum class RecordKind : std::uint8_t {
  none,
  ret,
  pupil,
  leaver,
  need,
  exclusion,
  fsm_period,
  attendance,
  absence_sessions,
  school_ap
};
inline constexpr std::size_t record_kind_count = 10;
inline constexpr std::array<std::string_view, record_kind_count> record_kind_names{
    "none",      "return",     "pupil",      "leaver",           "need",
    "exclusion", "fsm_period", "attendance", "absence_sessions", "school_ap"};

struct RawValue {
  Entity entity;
  std::uint32_t index; ///< index local to the part
  Field field;
  std::string text;
};

/// How a field is named in findings: its element or column name, after its module's when the same name
/// sits in several modules ("TermlyAttendance/SessionsPossible"). Built into text only when a finding
/// needs it: fields are set millions of times, reported rarely.
struct FieldLabel {
  std::string_view prefix, name;
  FieldLabel(std::string_view n) : name{n} {}
  FieldLabel(const char* n) : name{n} {}
  FieldLabel(const std::string& n) : name{n} {}
  FieldLabel(std::string_view p, std::string_view n) : prefix{p}, name{n} {}
  std::string str() const { return prefix.empty() ? std::string(name) : std::string(prefix) + "/" + std::string(name); }
};

/// A pupil on roll or a leaver, by its index in the part's own list.
struct PupilRef {
  bool leaver = false;
  std::uint32_t index = 0;
};

/// What a file is, as its root element (and, for the Message root, its collection) says.
enum class FileKind : std::uint8_t { census, transfer, other_collection, not_census, unreadable };

/// The dates a return's codes are checked against (census-codes.json's `dated_by`).
struct CodeDates {
  std::optional<Date> census_day;  ///< the reference date
  std::optional<Date> census_year; ///< 1 September of the return's academic year
  std::optional<Date> sessions;    ///< 1 September of the academic year its attendance belongs to
  std::optional<Date> exclusions;  ///< the last day of the terms its exclusions cover (exclusions_period)
};

/// One census file's contribution. Indexes inside are local to the part until merged.
struct CensusPart {
  FileKind kind = FileKind::census;
  std::string root_name;                  ///< the root element's name when the file is not a census return
  std::string collection;                 ///< the Message's Collection, as read (validated to be short and printable)
  std::string transfer_from, transfer_to; ///< a CTF's source and destination LAEstab (digits only)
  std::string encoding;
  std::vector<CensusReturn> returns;
  std::vector<Pupil> pupils, leavers;
  std::vector<SenNeed> needs;
  std::vector<Exclusion> exclusions;
  std::vector<FsmPeriod> fsm_periods;
  std::vector<Attendance> attendance;
  std::vector<AbsenceSessions> absence_sessions;
  std::vector<SchoolArrangedAp> school_ap;
  std::vector<RawValue> raws;
  InputReport report;
  std::uint32_t records = 0;
  std::string fatal;         ///< set when the file could not be opened at all
  bool parse_failed = false; ///< reading stopped at an error (IN001 reported)
  const CodeSets* codes = nullptr;
  CodeDates dates;

  std::set<std::string, std::less<>> unknown_names; ///< elements already reported (IN091) in this part
  /// True the first time a name is met in this part.
  bool first_unknown(std::string_view name) { return unknown_names.emplace(name).second; }

  Pupil& pupil(PupilRef r) { return r.leaver ? leavers[r.index] : pupils[r.index]; }
  const Pupil& pupil(PupilRef r) const { return r.leaver ? leavers[r.index] : pupils[r.index]; }

  /// Sets a field from its text, reporting IN003/IN004 for values that do not parse. An empty text
  /// means the field is missing and is not reported here (rules decide). `label` names the field in
  /// findings (an element or column name).
  void set_pupil_field(PupilRef pupil, CensusField field, std::string_view text, SourceRef src,
                       const FieldLabel& label);
  void set_need_field(std::uint32_t need, PupilRef pupil, CensusField field, std::string_view text, SourceRef src,
                      const FieldLabel& label);
  void set_exclusion_field(std::uint32_t excl, PupilRef pupil, CensusField field, std::string_view text, SourceRef src,
                           const FieldLabel& label);
  void set_fsm_field(std::uint32_t period, PupilRef pupil, CensusField field, std::string_view text, SourceRef src,
                     const FieldLabel& label);
  void set_attendance_field(std::uint32_t module, PupilRef pupil, CensusField field, std::string_view text,
                            SourceRef src, const FieldLabel& label);
  void set_absence_field(std::uint32_t detail, PupilRef pupil, CensusField field, std::string_view text, SourceRef src,
                         const FieldLabel& label);
  void set_ap_field(std::uint32_t placement, PupilRef pupil, CensusField field, std::string_view text, SourceRef src,
                    const FieldLabel& label);
  /// Checks an exclusion's category and reasons against its start date (their validity depends on it).
  void finish_exclusion(std::uint32_t excl, PupilRef pupil);
  /// Works out a module's sessions missed: from its SessionDetail rows when it has any, else its totals.
  void finish_attendance(std::uint32_t module);
  /// Works out a pupil's FSM eligibility on census day from its periods.
  void finish_pupil(PupilRef pupil);

  /// Appends a record and returns its index; the pupil's counts and first indexes follow.
  std::uint32_t add_need(PupilRef pupil, SourceRef src);
  std::uint32_t add_exclusion(PupilRef pupil, SourceRef src);
  std::uint32_t add_fsm_period(PupilRef pupil, SourceRef src);
  std::uint32_t add_attendance(PupilRef pupil, AttendancePeriod period, std::uint32_t line);
  std::uint32_t add_absence_sessions(std::uint32_t module);
  std::uint32_t add_school_ap(PupilRef pupil, SourceRef src);

  /// The pupil's key in finding subjects: its UPN, or "line N" without one.
  std::string record_key(PupilRef pupil) const;

private:
  std::string laestab_of(PupilRef pupil) const;
  Entity entity_of(PupilRef p) const { return p.leaver ? Entity::leaver : Entity::pupil; }
  /// A coded value checked against the year's list: its entry, or nothing with IN004 reported.
  /// `dated`, when not empty, says what date the code was checked against ("the exclusion starts on ..."):
  /// it is said when the code is known but not valid on that date.
  const CodeEntry* coded(CodeSetId set, std::string_view text, std::optional<Date> on, PupilRef pupil, SourceRef src,
                         const FieldLabel& label, Entity entity, std::uint32_t index, Field field,
                         std::string_view dated = {});
  void bad(PupilRef pupil, Entity entity, std::uint32_t index, Field field, bool unknown_code, std::string_view text,
           SourceRef src, const FieldLabel& label, std::string_view expected);
  /// An exclusion's codes wait for its start date, which may come after them (one exclusion is open at a time).
  struct PendingCode {
    std::string text;
    SourceRef src;
    std::string label;
  };
  std::optional<PendingCode> pending_category_;
  /// The period of the module whose SessionDetail is being read (add_absence_sessions sets it).
  AttendancePeriod detail_period_ = AttendancePeriod::termly;
  /// The attendance period a finding on this record's field belongs to, for its DfE rule.
  std::optional<AttendancePeriod> period_of(Entity entity, std::uint32_t index) const;
  std::array<std::optional<PendingCode>, 3> pending_reasons_;
};

/// Where a merged part's records begin in the dataset's lists and in the findings it was merged with.
struct PartBases {
  std::uint32_t returns = 0, pupils = 0, leavers = 0, needs = 0, exclusions = 0, fsm_periods = 0, attendance = 0,
                absence_sessions = 0, school_ap = 0;
  std::size_t findings = 0;
};

/// Appends `part` to `data`, shifting its indexes; its findings go to `findings` and its raw values to
/// the dataset. The part is emptied (its memory freed). Returns where its records went.
PartBases merge_part(CensusPart&& part, Dataset& data, std::vector<Finding>& findings);
/// Sets a merged part's raw values (`raws`, indexed within the part) at `at`.
void merge_raws(std::vector<RawValue>&& raws, const PartBases& at, Dataset& data);
/// Removes merged parts from `data` and `findings` (`merged` in the order they were merged, `drop`
/// saying which go), moving the others down and shifting their indexes; `merged` is updated to where
/// the parts that stay now begin. Raw values are not moved: merge them after this.
void drop_parts(Dataset& data, std::vector<Finding>& findings, std::vector<PartBases>& merged,
                const std::vector<bool>& drop);

/// Parses a whole number of 0 or more that fits an int.
std::optional<int> parse_count(std::string_view s);

/// The UPN a census field's (trimmed) text gives its pupil, upper-cased; nothing for an empty text, one
/// too long to be a UPN, or one that may be a name (may_be_personal): the pupil is then named by its
/// line, and set_pupil_field reports the text (IN003) without keeping it.
std::optional<std::string> kept_upn(std::string_view text);
/// true/false, 1/0, Y/N, yes/no (case-insensitive), as MIS exports write flags.
std::optional<bool> parse_flag(std::string_view s);

} // namespace censusqa::load
