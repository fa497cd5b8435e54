// censusqa SDK: the Dataset, one immutable object holding everything the loaders read. Plugins
// get it by const reference; nothing is copied per plugin. Pupil names are never in it.
#pragma once

#include <censusqa/codes.hpp>
#include <censusqa/date.hpp>
#include <censusqa/money.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace censusqa {

/// Where a record came from: an index into Dataset::files (0 = no file) and a 1-based line.
struct SourceRef {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
};

/// One input file the run read.
/// How InputFile::kind ends for a file whose reading stopped at an error (IN001): its records before
/// the error were kept, those after it are missing (SDK 9.1).
inline constexpr std::string_view read_in_part_kind = ": read in part";

struct InputFile {
  std::string path;   ///< as shown to users: relative to the LA folder where possible
  std::string kind;   ///< "schools", "census-xml", "census-csv", "config", ... (read_in_part_kind)
  std::string sha256; ///< hex digest of the bytes read
  std::uint32_t records = 0;
};

/// An establishment in the LA register (schools.csv or a GIAS extract).
struct School {
  std::string laestab; ///< 7 digits: LA number + establishment number
  std::string urn;
  std::string name;
  std::optional<Phase> phase;
  std::optional<Governance> governance;
  std::optional<Date> conversion_date;
  bool sen_unit = false;
  bool resourced_provision = false;
  SourceRef source;
};

/// A whole number that may be missing, in four bytes (std::optional<int> takes eight): the counts of
/// the census's attendance records, of which a national run holds tens of millions. It reads like a
/// std::optional<int>: `if (c) use(*c)`, `c.value_or(0)`.
class Count {
public:
  constexpr Count() = default;
  constexpr Count(std::nullopt_t) {}
  constexpr Count(std::int32_t v) : v_{v < 0 ? missing : v} {}
  constexpr Count(std::optional<int> v) : v_{v && *v >= 0 ? static_cast<std::int32_t>(*v) : missing} {}
  constexpr bool has_value() const { return v_ != missing; }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr std::int32_t operator*() const { return v_; }
  constexpr std::int32_t value_or(std::int32_t otherwise) const { return has_value() ? v_ : otherwise; }
  friend constexpr bool operator==(Count, Count) = default;

private:
  static constexpr std::int32_t missing = -1; // counts are never negative: the loaders refuse them
  std::int32_t v_ = missing;
};

/// The header of one school's census return (one XML file, or one school's rows in a CSV file).
struct CensusReturn {
  /// The school the return was read as: the register's LAEstab when the header (or, failing that, its
  /// Estab with the LA's number) names a register school; otherwise LEA + Estab when both are numbers
  /// of the right length; otherwise empty. Never anything but 7 digits or empty.
  std::string laestab;
  std::string lea;        ///< Source/LEA as returned (3 digits, or empty when missing or not a number)
  std::string estab;      ///< Source/Estab as returned (4 digits, or empty when missing or not a number)
  std::string urn;        ///< Source/URN (digits, or empty)
  std::string phase_code; ///< SchoolCharacteristics/Phase (PS, SS, SP, PR, ...), as given
  std::optional<Term> term;
  std::optional<int> year;
  std::optional<Date> reference_date;
  std::optional<std::int64_t> serial_no; ///< Source/SerialNo: the MIS's count of its exports
  std::string date_time;                 ///< Source/DateTime, when it is a valid ISO date and time
  std::string software; ///< Source/SoftwareCode: the MIS ("SIMS", "ARBOR"), letters, digits, space . - _ only
  std::string release;  ///< Source/Release: the MIS's version ("7.214"), the same characters
  std::optional<NcYear> lowest_nc_year, highest_nc_year; ///< SchoolCharacteristics
  SourceRef source;
  std::uint32_t first_pupil = 0; ///< index of its first pupil on roll in Dataset::pupils
  std::uint32_t pupil_count = 0;
  std::uint32_t first_leaver = 0; ///< index of its first leaver in Dataset::leavers
  std::uint32_t leaver_count = 0;
};

/// One SEN need of a pupil. Either field may be missing (unparseable or absent in the return).
struct SenNeed {
  std::optional<NeedType> type;
  std::optional<int> rank; ///< 1 primary, 2 secondary (other values kept for rules to report)
  SourceRef source;
};

/// One exclusion (suspension, permanent or lunchtime) from the census: Exclusions/TermlyExclusion
/// (or AnnualExclusion) of a pupil on roll or of a leaver.
struct Exclusion {
  std::optional<ExclusionCategory> category;
  std::array<ShortCode, 3> reasons{}; ///< Reason, as returned (up to three since 2021/22); empty when none
  std::optional<Date> start_date;
  Count sessions;                            ///< sessions excluded (none for PERM)
  std::optional<SenProvision> sen_provision; ///< the pupil's SEN provision when excluded, as returned
  bool annual = false; ///< an AnnualExclusion (PRUs: the previous academic year), not a TermlyExclusion
  SourceRef source;
  ShortCode reason() const { return reasons[0]; }
};

/// A free school meals eligibility period (PupilCharacteristics/FSMeligibility/FSMperiod).
struct FsmPeriod {
  std::optional<Date> start; ///< FSMstartDate
  std::optional<Date> end;   ///< FSMendDate; empty while the period is open
  ShortCode country;         ///< UKcountry (ENG, WLS, SCT, NIR); empty when not given
  SourceRef source;
  /// Covers `on`: started on or before it and not ended before it. A period without a readable start
  /// covers nothing.
  constexpr bool covers(Date on) const { return start && *start <= on && (!end || *end >= on); }
};

/// One SessionDetail of an attendance module: the sessions missed for one attendance reason code.
struct AbsenceSessions {
  ShortCode reason;                                    ///< AttendanceReason, as returned; empty when missing
  AbsenceCategory category = AbsenceCategory::unknown; ///< what the code counts as in that year
  Count sessions;                                      ///< AbsenceSessions
};

/// One attendance module of a pupil (Attendance/TermlyAttendance, SummerHalfTerm2Attendance or
/// AnnualAttendance): each covers its own period and is kept apart.
struct Attendance {
  AttendancePeriod period = AttendancePeriod::termly;
  bool has_detail = false;        ///< the module has SessionDetail rows (then the totals below come from them)
  std::uint16_t detail_count = 0; ///< its SessionDetail rows, from first_detail
  Count possible;                 ///< SessionsPossible
  /// Sessions missed, authorised and unauthorised: the sums of the SessionDetail rows by their codes'
  /// categories when the module has any, else SessionsAuthorised / SessionsUnauthorised as returned.
  Count authorised, unauthorised;
  /// SessionsAuthorised / SessionsUnauthorised exactly as returned (empty when absent), for checking
  /// them against the detail.
  Count authorised_given, unauthorised_given;
  std::uint32_t first_detail = 0; ///< into Dataset::absence_sessions
  std::uint32_t line = 0;         ///< the module's line in the pupil's file
  /// Authorised plus unauthorised, when either is known.
  Count missed() const {
    if (!authorised && !unauthorised) return std::nullopt;
    return authorised.value_or(0) + unauthorised.value_or(0);
  }
};

/// A school-arranged alternative provision placement (APPlacementDetails/SchoolArrangedAPDetail, from
/// 2022/23): where the school sends a pupil on its roll for part of the week.
struct SchoolArrangedAp {
  std::string urn, ukprn; ///< the provider's URN or UKPRN (digits), as returned
  std::optional<Date> entry_date, leaving_date;
  Count sessions_per_week;
  ShortCode setting_type;       ///< APSettingType
  ShortCode reason;             ///< PlacementReason
  ShortCode attendance_pattern; ///< APAttendancePattern (FT, PT)
  std::optional<SenProvision> sen_provision_entry, sen_provision_leaving;
  SourceRef source;
};

/// A pupil on a census return: on roll (PupilOnRoll) or a leaver since the previous census
/// (PupilNoLongerOnRoll, in Dataset::leavers, with a leaving date). Fields that were absent or
/// unparseable are empty; the raw text of an unparseable value is in Dataset::raw_value. A leaver's
/// return carries no enrolment status, NC year, SEN module or FSM (the evidence in
/// docs/census-input.md), so those are usually empty for leavers.
struct Pupil {
  std::string upn;                 ///< trimmed and upper-cased; empty when missing
  std::uint32_t census_return = 0; ///< index into Dataset::returns
  SourceRef source;
  std::optional<Date> dob;
  std::optional<Date> entry_date;
  std::optional<Date> leaving_date; ///< leavers only
  std::optional<EnrolStatus> enrol_status;
  std::optional<NcYear> nc_year; ///< NCyearActual (on roll) or NCyearLeaving (leavers)
  std::optional<SenProvision> sen_provision;
  /// Eligible for free school meals on the return's census day: an FSM period covers it (or, in a
  /// CSV extract without periods, its fsm_eligible column says so).
  std::optional<bool> fsm_eligible;
  std::optional<bool> part_time, top_up_funding, sen_unit, resourced_provision;
  /// SDK 6: PupilIdentifiers/ULN, the unique learner number (10 digits), 0 when missing or unreadable
  /// (its raw text then in Dataset::raw_value, Field::uln).
  std::uint64_t uln = 0;
  char sex = 0; ///< 'M', 'F', or 0 when missing
  /// SDK 6: the return gave the pupil no surname (or no forename): the element or column is there and
  /// empty, or the element is absent. The names themselves never leave the loader; only this does.
  bool surname_missing = false, forename_missing = false;
  bool leaver = false; ///< in Dataset::leavers, not on roll
  std::uint8_t need_count = 0;
  std::uint8_t attendance_count = 0;
  std::uint8_t fsm_count = 0;
  std::uint8_t ap_count = 0;
  std::uint16_t exclusion_count = 0;
  std::uint32_t first_need = 0;
  std::uint32_t first_exclusion = 0;
  std::uint32_t first_attendance = 0;
  std::uint32_t first_fsm = 0;
  std::uint32_t first_ap = 0;
};

/// A pupil's absence as the DfE's absence statistics count it (TermlyAbsence::of, Dataset::termly_absence).
struct TermlyAbsence {
  std::int64_t possible = 0, authorised = 0, unauthorised = 0;
  std::int64_t missed() const { return authorised + unauthorised; }
  /// A persistent absentee misses 10% or more of its sessions possible.
  bool persistent() const { return missed() * 10 >= possible; }
};

/// Where an EHC case was read from (SDK 7).
enum class EhcOrigin : std::uint8_t {
  csv,  ///< ehcp_cases.csv, the LA's own extract
  sen2, ///< the SEN2 person-level return (sen2/*.xml): one case per Person/Requests
};

/// One request for an EHC needs assessment and what became of it (ehcp_cases.csv, or one
/// Person/Requests of a SEN2 return).
struct EhcCase {
  /// ehcp_cases.csv's case_id; for SEN2, which has no request id, the person and the request's
  /// received date ("A123456789012 2024-03-01", or "P17 ..." for the file's 17th person when it has no
  /// UPN), so that a request keeps its id from one year's return to the next.
  std::string case_id;
  std::string upn;     ///< may be empty for children not in school
  std::string laestab; ///< the school attended at the request; empty if none
  std::optional<Date> request_date;
  std::optional<Decision> request_outcome; ///< whether to assess
  std::optional<Date> request_outcome_date;
  std::optional<Decision> assessment_outcome; ///< whether to issue a plan
  std::optional<Date> assessment_outcome_date;
  std::optional<Date> plan_issue_date;
  std::optional<bool> exception; ///< a permitted exception to the 20-week limit applied
  std::optional<ExceptionReason> exception_reason;
  std::optional<NeedType> la_primary_need;
  std::optional<Date> last_review_date;
  std::optional<Date> plan_ceased_date;
  SourceRef source;
  // SDK 7: what the SEN2 return adds (empty or false for ehcp_cases.csv).
  EhcOrigin origin = EhcOrigin::csv;
  /// The child or young person the request is for, the same for each of their requests: the UPN, else
  /// (SEN2) "P<n>", the return's n-th person. Never a name.
  std::string person;
  std::string upn_unknown;                  ///< SEN2 UPNunknown (UN1 to UN10) when the person has no UPN
  std::optional<std::uint8_t> cease_reason; ///< SEN2 NamedPlan/CeaseReason, 1 to 9
  /// Any of SEN2's six mediation and tribunal flags is set on the request (RequestMediation,
  /// RequestTribunal, AssessmentMediation, AssessmentTribunal, OtherMediation, OtherTribunal).
  bool mediation_or_tribunal = false;

  /// A plan has been issued and not ceased (by `on`, when given).
  bool plan_active(std::optional<Date> on = std::nullopt) const {
    return plan_issue_date && (!plan_ceased_date || (on && *plan_ceased_date > *on));
  }
};

/// A maintained school's year-end balances (balances.csv), in pence.
struct SchoolBalance {
  std::string laestab;
  std::optional<Date> financial_year_end;
  std::optional<Pence> total_balance;   ///< A: revenue + capital
  std::optional<Pence> capital_balance; ///< B
  std::optional<Pence> budget_share;    ///< F: the year's budget share or resource allocation
  SourceRef source;
};

/// A sum committed or assigned against a school's balance (commitments.csv), in pence.
struct Commitment {
  std::string laestab;
  std::optional<CommitmentCategory> category;
  std::optional<Pence> amount;
  std::string description;
  std::optional<Date> assigned_date;
  std::optional<ForumDecision> forum_decision; ///< for `other` only; empty while pending
  SourceRef source;
};

/// Where an AP placement was read from (SDK 9).
enum class ApOrigin : std::uint8_t {
  csv,       ///< ap_placements.csv, the LA's own extract
  ap_census, ///< the LA's alternative provision census return (ap_census/*.xml): one placement module
};

/// An alternative provision placement (ap_placements.csv, or SDK 9 the AP census return).
struct ApPlacement {
  std::string placement_id;
  std::string upn;
  std::string home_laestab; ///< the school on whose roll the pupil is (or was)
  std::string provider_urn;
  std::string provider_name;
  std::string provider_type;
  std::optional<ApReason> reason;
  std::optional<Date> start_date;
  std::optional<Date> planned_end_date;
  std::optional<Date> end_date; ///< empty while the placement is open
  std::optional<ApDestination> destination;
  std::optional<Date> last_review_date;
  std::optional<bool> dual_registered;
  SourceRef source;
  // SDK 9: what the AP census adds (empty for ap_placements.csv). The AP census carries no planned end,
  // review or destination: a rule that needs them reads only placements that carry them (carries_plan()).
  ApOrigin origin = ApOrigin::csv;
  std::string provider_ukprn;           ///< the provider's UKPRN (8 digits) when it has no URN
  std::string reason_code;              ///< the AP census's primary reason for placement as returned
  std::optional<int> sessions_per_week; ///< AP census: sessions a week the pupil attends the placement

  /// Whether the placement's source records its planned end, reviews and destination (the LA's own
  /// extract does; the AP census does not).
  bool carries_plan() const { return origin == ApOrigin::csv; }

  /// Open on `on`: started on or before it and not ended by it.
  bool open_on(Date on) const { return start_date && *start_date <= on && (!end_date || *end_date > on); }
};

/// A published statistics table found in reference/ (DfE files), kept as text: the plugin that
/// uses it reads the columns it needs with parse_published_number().
struct ReferenceTable {
  std::string kind; ///< "ehcp-timeliness", "sen-school-level", ...
  std::uint32_t file = 0;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  /// The index of a column (exact name), or -1.
  int column(std::string_view name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i] == name) return static_cast<int>(i);
    return -1;
  }
};

/// A number as DfE statistics publish it: `1310`, `"9,109"`, `23.1`, `57.900000000000`. The
/// suppression and special markers (`x`, `z`, `c`, `u`, `low`, `.`, `:`, `SUPP`, empty) are missing values,
/// never zeros.
inline std::optional<double> parse_published_number(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\r'))
    s.remove_suffix(1);
  std::string digits;
  bool seen_digit = false, seen_dot = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9')
      seen_digit = true, digits += c;
    else if (c == ',' && seen_digit && !seen_dot)
      continue;
    else if (c == '.' && !seen_dot)
      seen_dot = true, digits += c;
    else if (c == '-' && i == 0)
      digits += c;
    else
      return std::nullopt;
  }
  if (!seen_digit) return std::nullopt;
  // strtod, not stod: a number too large for a double is no published figure, and must not throw
  // (found by fuzzing: 335 digits).
  errno = 0;
  const double v = std::strtod(digits.c_str(), nullptr);
  if (errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

/// Fields whose unparseable raw text the loaders keep, so that rules can quote it.
enum class Field : std::uint8_t {
  upn,
  dob,
  entry_date,
  enrol_status,
  nc_year,
  sen_provision,
  fsm_eligible,
  sex,
  sessions_possible,
  sessions_authorised,
  sessions_unauthorised,
  need_type,
  need_rank,
  exclusion_category,
  exclusion_start_date,
  exclusion_sessions,
  request_date,
  request_outcome,
  request_outcome_date,
  assessment_outcome,
  assessment_outcome_date,
  plan_issue_date,
  exception,
  exception_reason,
  la_primary_need,
  last_review_date,
  plan_ceased_date,
  total_balance,
  capital_balance,
  budget_share,
  amount,
  start_date,
  planned_end_date,
  end_date,
  placement_review_date,
  // added in SDK 3: the census message's modules
  leaving_date,
  part_time,
  top_up_funding,
  sen_unit,
  resourced_provision,
  fsm_start_date,
  fsm_end_date,
  fsm_country,
  attendance_reason,
  absence_sessions,
  sessions_given_authorised,
  sessions_given_unauthorised,
  exclusion_reason,
  exclusion_sen_provision,
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
  serial_no,
  date_time,
  uln,        // SDK 6
  former_upn, ///< SDK 8: not unparseable text but PupilIdentifiers/FormerUPN itself (Dataset::former_upn_of)
};

/// What a raw value belongs to.
enum class Entity : std::uint8_t {
  pupil,
  need,
  exclusion,
  census_return,
  school,
  ehc_case,
  balance,
  commitment,
  placement,
  leaver,
  fsm_period,
  attendance,
  absence_sessions,
  school_ap,
};

/// Which optional inputs a run has; rules declare what they need in the same terms.
enum Needs : unsigned {
  needs_census = 1u << 0,
  needs_schools = 1u << 1,
  needs_ehcp_cases = 1u << 2,
  needs_ap_placements = 1u << 3,
  needs_balances = 1u << 4,
  needs_commitments = 1u << 5,
  needs_previous = 1u << 6,
  needs_reference = 1u << 7,
};

/// What Dataset::previous holds (SDK 8).
enum class PreviousKind : std::uint8_t {
  census,           ///< a whole census: the LA folder's previous/
  needs_from_store, ///< the history store's stand-in: pupils with a recorded need, and permanent exclusions, only
  /// SDK 9.1: the store has no earlier spring census of the LA, only the permanent exclusions of its
  /// censuses of the past 12 months.
  exclusions_from_store,
};

/// Why a previous census that is not PreviousKind::census cannot stand in for a whole one, for a rule's
/// skip (IN090): "the history store ..." (SDK 9.1).
inline std::string_view why_not_whole(PreviousKind k) {
  switch (k) {
  case PreviousKind::census: return {};
  case PreviousKind::needs_from_store:
    return "the previous census is the history store's record of a spring census recorded before the store kept "
           "whole rolls (store schema 7): it holds only pupils with a recorded need";
  case PreviousKind::exclusions_from_store:
    return "the history store holds no earlier spring census of this LA, only the permanent exclusions of its "
           "recent censuses";
  }
  return "the previous census is not a whole census";
}

/// Everything the run loaded. Built once by the host, then read-only.
class Dataset {
public:
  std::vector<InputFile> files{InputFile{}}; ///< files[0] is "no file"
  std::vector<School> schools;
  std::vector<CensusReturn> returns;
  std::vector<Pupil> pupils;  ///< on roll, grouped by return: returns[r] owns [first_pupil, +pupil_count)
  std::vector<Pupil> leavers; ///< no longer on roll, grouped by return likewise (first_leaver, leaver_count)
  // The pupils' modules, each pupil's contiguous (Pupil::first_* and *_count), for pupils and leavers alike.
  std::vector<SenNeed> needs;
  std::vector<Exclusion> exclusions;
  std::vector<FsmPeriod> fsm_periods;
  std::vector<Attendance> attendance;
  std::vector<AbsenceSessions> absence_sessions; ///< the SessionDetail rows (Attendance::first_detail)
  std::vector<SchoolArrangedAp> school_ap;
  std::vector<EhcCase> ehc_cases;
  std::vector<SchoolBalance> balances;
  std::vector<Commitment> commitments;
  std::vector<ApPlacement> ap_placements;
  std::vector<ReferenceTable> reference;
  /// The previous census term's LA folder (previous/), census only; null when not given.
  std::shared_ptr<const Dataset> previous;
  /// SDK 8: whether `previous` is a whole census or the store's needs-only stand-in. A rule that follows
  /// every pupil from one census to the next (pupil movement) must refuse the stand-in, in which every
  /// pupil without a need would seem to have gone.
  PreviousKind previous_kind = PreviousKind::census;
  unsigned available = 0; ///< a set of `Needs` bits: the inputs present in this run

  std::span<const SenNeed> needs_of(const Pupil& p) const { return {needs.data() + p.first_need, p.need_count}; }
  /// The pupil's primary need: the type of its need ranked 1, as the DfE counts primary needs
  /// (SUP_Primary_need_*, EHC_Primary_need_*); nothing when no readable need is ranked 1.
  std::optional<NeedType> primary_need_of(const Pupil& p) const {
    for (const SenNeed& n : needs_of(p))
      if (n.rank == 1 && n.type) return n.type;
    return std::nullopt;
  }
  std::span<const Exclusion> exclusions_of(const Pupil& p) const {
    return {exclusions.data() + p.first_exclusion, p.exclusion_count};
  }
  std::span<const FsmPeriod> fsm_periods_of(const Pupil& p) const {
    return {fsm_periods.data() + p.first_fsm, p.fsm_count};
  }
  /// Whether an FSM period of the pupil covers `on` (false when it has none).
  bool fsm_eligible_on(const Pupil& p, Date on) const {
    for (const FsmPeriod& f : fsm_periods_of(p))
      if (f.covers(on)) return true;
    return false;
  }
  /// The pupil's attendance modules, each for its own period.
  std::span<const Attendance> attendance_of(const Pupil& p) const {
    return {attendance.data() + p.first_attendance, p.attendance_count};
  }
  /// The pupil's module for one period, or null when the return has none (the first, if it has two).
  const Attendance* attendance_of(const Pupil& p, AttendancePeriod period) const {
    for (const Attendance& a : attendance_of(p))
      if (a.period == period) return &a;
    return nullptr;
  }
  /// A module's sessions by reason code (empty when it gave totals only).
  std::span<const AbsenceSessions> details_of(const Attendance& a) const {
    return {absence_sessions.data() + a.first_detail, a.detail_count};
  }
  /// The pupil's absence in the term before the census, as the DfE counts it: from the termly module,
  /// for a pupil of compulsory school age (5 to 15 on the 31 August before the year the term belongs
  /// to), on roll with enrolment status C or M or a leaver, whose sessions possible are above zero;
  /// nothing for any other pupil (docs/metrics.md).
  /// An autumn census's summer term is its two halves: the termly module (the first half) and
  /// SummerHalfTerm2Attendance (the second), the second left out for a pupil aged 15 (Year 11, gone
  /// after the exams) and never counted alone (a pupil who joined in the second half is not in the
  /// measure). A module with more sessions missed than possible is left out (SDK 9.2: both rules as
  /// NCER's account of the DfE's absence analysis gives them; the DfE's own text was not found).
  std::optional<TermlyAbsence> termly_absence(const Pupil& p) const {
    const CensusReturn& ret = return_of(p);
    if (!ret.reference_date || !p.dob) return std::nullopt;
    const int age = p.dob->age_on(absence_age_date(*ret.reference_date));
    if (!compulsory_school_age(age)) return std::nullopt;
    if (!p.leaver && (!p.enrol_status || !counts_on_roll(*p.enrol_status))) return std::nullopt;
    const auto counted = [](const Attendance* a) -> std::optional<TermlyAbsence> {
      if (!a || !a->possible || *a->possible <= 0) return std::nullopt;
      TermlyAbsence t{*a->possible, a->authorised.value_or(0), a->unauthorised.value_or(0)};
      if (t.missed() > t.possible) return std::nullopt;
      return t;
    };
    auto t = counted(attendance_of(p, AttendancePeriod::termly));
    if (!t) return std::nullopt;
    if (ret.term == Term::AUT && age < 15)
      if (const auto half2 = counted(attendance_of(p, AttendancePeriod::summer_half_term_2))) {
        t->possible += half2->possible;
        t->authorised += half2->authorised;
        t->unauthorised += half2->unauthorised;
      }
    return t;
  }
  std::span<const SchoolArrangedAp> school_ap_of(const Pupil& p) const {
    return {school_ap.data() + p.first_ap, p.ap_count};
  }
  std::span<const Pupil> pupils_of(const CensusReturn& r) const {
    return {pupils.data() + r.first_pupil, r.pupil_count};
  }
  std::span<const Pupil> leavers_of(const CensusReturn& r) const {
    return {leavers.data() + r.first_leaver, r.leaver_count};
  }
  const CensusReturn& return_of(const Pupil& p) const { return returns[p.census_return]; }
  /// The register entry for a LAEstab, or null.
  const School* find_school(std::string_view laestab) const {
    const auto it = school_index_.find(std::string(laestab));
    return it == school_index_.end() ? nullptr : &schools[it->second];
  }
  /// Indexes of the pupils with this UPN, across all returns (empty UPNs are not indexed).
  std::span<const std::uint32_t> pupils_with_upn(std::string_view upn) const {
    const auto lo = std::lower_bound(upn_index_.begin(), upn_index_.end(), upn,
                                     [&](std::uint32_t i, std::string_view u) { return pupils[i].upn < u; });
    auto hi = lo;
    while (hi != upn_index_.end() && pupils[*hi].upn == upn)
      ++hi;
    return {upn_index_.data() + (lo - upn_index_.begin()), static_cast<std::size_t>(hi - lo)};
  }
  /// Indexes of the leavers with this UPN, across all returns (empty UPNs are not indexed).
  std::span<const std::uint32_t> leavers_with_upn(std::string_view upn) const {
    const auto lo = std::lower_bound(leaver_index_.begin(), leaver_index_.end(), upn,
                                     [&](std::uint32_t i, std::string_view u) { return leavers[i].upn < u; });
    auto hi = lo;
    while (hi != leaver_index_.end() && leavers[*hi].upn == upn)
      ++hi;
    return {leaver_index_.data() + (lo - leaver_index_.begin()), static_cast<std::size_t>(hi - lo)};
  }
  /// Calls `fn(pupil)` for every pupil record of the census: those on roll, then the leavers.
  template <typename Fn> void for_each_pupil_and_leaver(Fn&& fn) const {
    for (const Pupil& p : pupils)
      fn(p);
    for (const Pupil& p : leavers)
      fn(p);
  }
  /// Pupil indexes sorted by UPN (then by position), for rules that group by UPN.
  std::span<const std::uint32_t> pupils_by_upn() const { return upn_index_; }
  /// Calls `fn(upn, indexes)` for every UPN on more than one pupil record (in any returns), with
  /// the records' pupil indexes in input order.
  template <typename Fn> void for_each_shared_upn(Fn&& fn) const {
    for (std::size_t i = 0; i < upn_index_.size();) {
      std::size_t j = i + 1;
      const std::string& upn = pupils[upn_index_[i]].upn;
      while (j < upn_index_.size() && pupils[upn_index_[j]].upn == upn)
        ++j;
      if (j - i > 1) fn(std::string_view{upn}, std::span<const std::uint32_t>{upn_index_.data() + i, j - i});
      i = j;
    }
  }
  /// The first reference table of a kind, or null.
  const ReferenceTable* reference_table(std::string_view kind) const {
    for (const auto& t : reference)
      if (t.kind == kind) return &t;
    return nullptr;
  }
  /// The raw text of a field that could not be parsed, or nothing when it parsed or was absent.
  std::optional<std::string_view> raw_value(Entity e, std::uint32_t index, Field f) const {
    const auto it = raw_.find(raw_key(e, index, f));
    if (it == raw_.end()) return std::nullopt;
    return std::string_view{it->second};
  }
  /// The same for a pupil on roll or a leaver.
  std::optional<std::string_view> raw_value(const Pupil& p, Field f) const {
    return raw_value(p.leaver ? Entity::leaver : Entity::pupil, index_of(p), f);
  }
  /// SDK 8: the pupil's former UPN (PupilIdentifiers/FormerUPN, trimmed and upper-cased; a temporary UPN
  /// replaced by the permanent one, or a UPN changed on adoption), empty when none was given. Kept beside
  /// the raw values, not in Pupil, since few pupils have one.
  std::string_view former_upn_of(const Pupil& p) const { return raw_value(p, Field::former_upn).value_or(""); }
  /// A pupil's index in its own list (Dataset::pupils, or Dataset::leavers for a leaver).
  std::uint32_t index_of(const Pupil& p) const {
    return static_cast<std::uint32_t>(&p - (p.leaver ? leavers.data() : pupils.data()));
  }
  std::uint32_t index_of(const Exclusion& e) const { return static_cast<std::uint32_t>(&e - exclusions.data()); }
  std::uint32_t index_of(const FsmPeriod& f) const { return static_cast<std::uint32_t>(&f - fsm_periods.data()); }
  std::uint32_t index_of(const Attendance& a) const { return static_cast<std::uint32_t>(&a - attendance.data()); }
  std::uint32_t index_of(const SchoolArrangedAp& a) const { return static_cast<std::uint32_t>(&a - school_ap.data()); }
  std::uint32_t index_of(const SenNeed& n) const { return static_cast<std::uint32_t>(&n - needs.data()); }
  std::uint32_t index_of(const ApPlacement& p) const { return static_cast<std::uint32_t>(&p - ap_placements.data()); }
  std::uint32_t index_of(const SchoolBalance& b) const { return static_cast<std::uint32_t>(&b - balances.data()); }
  std::uint32_t index_of(const EhcCase& c) const { return static_cast<std::uint32_t>(&c - ehc_cases.data()); }
  std::uint32_t index_of(const CensusReturn& r) const { return static_cast<std::uint32_t>(&r - returns.data()); }
  bool has(Needs n) const { return (available & n) != 0; }
  /// SDK 9.1: whether the return's file was read only up to an error that stopped the reading (IN001):
  /// the pupils after it are missing, so a rule that compares the roll with another (who left, who is
  /// new, a count against the previous census) leaves the school out.
  bool read_in_part(const CensusReturn& r) const {
    return r.source.file < files.size() && files[r.source.file].kind.ends_with(read_in_part_kind);
  }

  // Building (host side): set the raw text of an unparseable field, then build the indexes.
  void set_raw_value(Entity e, std::uint32_t index, Field f, std::string text) {
    raw_[raw_key(e, index, f)] = std::move(text);
  }
  void build_indexes() {
    school_index_.clear();
    for (std::uint32_t i = 0; i < schools.size(); ++i)
      school_index_.emplace(schools[i].laestab, i);
    upn_index_ = sorted_by_upn(pupils);
    leaver_index_ = sorted_by_upn(leavers);
  }

private:
  // Indexes of `list` sorted by (UPN, position), empty UPNs left out. A UPN of up to 16 bytes is packed
  // into two big-endian integers that compare as the text does, so the sort touches a compact array
  // rather than every Pupil.
  static std::vector<std::uint32_t> sorted_by_upn(const std::vector<Pupil>& list) {
    struct Key {
      std::uint64_t hi, lo;
      std::uint32_t i;
    };
    std::vector<Key> keys;
    keys.reserve(list.size());
    bool all_short = true;
    for (std::uint32_t i = 0; i < list.size() && all_short; ++i) {
      const std::string& u = list[i].upn;
      if (u.empty()) continue;
      if (u.size() > 16) all_short = false;
      Key k{0, 0, i};
      for (std::size_t c = 0; c < 16; ++c) {
        const std::uint64_t byte = c < u.size() ? static_cast<unsigned char>(u[c]) : 0;
        (c < 8 ? k.hi : k.lo) |= byte << (8 * (7 - c % 8));
      }
      keys.push_back(k);
    }
    std::vector<std::uint32_t> out;
    if (all_short) {
      const auto less = [](const Key& a, const Key& b) {
        return a.hi != b.hi ? a.hi < b.hi : a.lo != b.lo ? a.lo < b.lo : a.i < b.i;
      };
      // A national run sorts 9 million keys: its two halves are sorted on two threads, then merged.
      if (keys.size() >= (std::size_t{1} << 20)) {
        const auto mid = keys.begin() + static_cast<std::ptrdiff_t>(keys.size() / 2);
        std::thread first([&] { std::sort(keys.begin(), mid, less); });
        std::sort(mid, keys.end(), less);
        first.join();
        std::inplace_merge(keys.begin(), mid, keys.end(), less);
      } else {
        std::sort(keys.begin(), keys.end(), less);
      }
      out.reserve(keys.size());
      for (const Key& k : keys)
        out.push_back(k.i);
    } else {
      for (std::uint32_t i = 0; i < list.size(); ++i)
        if (!list[i].upn.empty()) out.push_back(i);
      std::stable_sort(out.begin(), out.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return list[a].upn < list[b].upn; });
    }
    return out;
  }
  static std::uint64_t raw_key(Entity e, std::uint32_t index, Field f) {
    return (static_cast<std::uint64_t>(e) << 56) | (static_cast<std::uint64_t>(f) << 40) | index;
  }
  std::unordered_map<std::string, std::uint32_t> school_index_;
  std::vector<std::uint32_t> upn_index_, leaver_index_;
  std::unordered_map<std::uint64_t, std::string> raw_;
};

} // namespace censusqa
