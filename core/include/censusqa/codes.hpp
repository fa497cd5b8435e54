// censusqa SDK: the census code lists (DfE school census and LA record codes). Codes are
// case-insensitive on input and upper-case in output.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace censusqa {

namespace detail {
constexpr char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (upper(a[i]) != upper(b[i])) return false;
  return true;
}
template <typename E, std::size_t N>
constexpr std::optional<E> parse_code(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (iequals(names[i], s)) return static_cast<E>(i);
  return std::nullopt;
}
} // namespace detail

/// Census term.
enum class Term : std::uint8_t { AUT, SPR, SUM };
inline constexpr std::array<std::string_view, 3> term_names{"AUT", "SPR", "SUM"};
constexpr std::optional<Term> parse_term(std::string_view s) { return detail::parse_code<Term>(term_names, s); }
constexpr std::string_view name(Term t) { return term_names[static_cast<std::size_t>(t)]; }

/// Enrolment status: C single registration, M main dual, S subsidiary dual, F FE college, O other.
enum class EnrolStatus : std::uint8_t { C, M, S, F, O };
inline constexpr std::array<std::string_view, 5> enrol_status_names{"C", "M", "S", "F", "O"};
constexpr std::optional<EnrolStatus> parse_enrol_status(std::string_view s) {
  return detail::parse_code<EnrolStatus>(enrol_status_names, s);
}
constexpr std::string_view name(EnrolStatus e) { return enrol_status_names[static_cast<std::size_t>(e)]; }
/// On roll as the DfE counts pupils: single registration or main dual registration.
constexpr bool counts_on_roll(EnrolStatus e) { return e == EnrolStatus::C || e == EnrolStatus::M; }

/// SEN provision: N no SEN, K SEN support, E EHC plan.
enum class SenProvision : std::uint8_t { N, K, E };
inline constexpr std::array<std::string_view, 3> sen_provision_names{"N", "K", "E"};
constexpr std::optional<SenProvision> parse_sen_provision(std::string_view s) {
  return detail::parse_code<SenProvision>(sen_provision_names, s);
}
constexpr std::string_view name(SenProvision p) { return sen_provision_names[static_cast<std::size_t>(p)]; }

/// SEN type of need (SENtype). NSA: SEN support but no specialist assessment of type of need.
enum class NeedType : std::uint8_t { SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA };
inline constexpr std::size_t need_type_count = 13;
inline constexpr std::array<std::string_view, need_type_count> need_type_names{
    "SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH", "NSA"};
constexpr std::optional<NeedType> parse_need_type(std::string_view s) {
  return detail::parse_code<NeedType>(need_type_names, s);
}
constexpr std::string_view name(NeedType n) { return need_type_names[static_cast<std::size_t>(n)]; }
/// The need types in plain words, as the DfE's SEN2 guidance names them.
inline constexpr std::array<std::string_view, need_type_count> need_type_labels{
    "Specific learning difficulty",
    "Moderate learning difficulty",
    "Severe learning difficulty",
    "Profound and multiple learning difficulty",
    "Social, emotional and mental health",
    "Speech, language and communication needs",
    "Hearing impairment",
    "Visual impairment",
    "Multi-sensory impairment",
    "Physical disability",
    "Autistic spectrum disorder",
    "Other difficulty or disability",
    "SEN support but no specialist assessment of type of need"};
constexpr std::string_view label(NeedType n) { return need_type_labels[static_cast<std::size_t>(n)]; }

/// Broad area of need, as the SEND Code of Practice groups need types.
enum class BroadArea : std::uint8_t { CommunicationInteraction, CognitionLearning, Semh, SensoryPhysical, Other, Nsa };
inline constexpr std::array<std::string_view, 6> broad_area_names{"Communication and interaction",
                                                                  "Cognition and learning",
                                                                  "Social, emotional and mental health",
                                                                  "Sensory and/or physical",
                                                                  "Other",
                                                                  "No specialist assessment"};
constexpr BroadArea broad_area(NeedType n) {
  switch (n) {
  case NeedType::SLCN:
  case NeedType::ASD: return BroadArea::CommunicationInteraction;
  case NeedType::SPLD:
  case NeedType::MLD:
  case NeedType::SLD:
  case NeedType::PMLD: return BroadArea::CognitionLearning;
  case NeedType::SEMH: return BroadArea::Semh;
  case NeedType::HI:
  case NeedType::VI:
  case NeedType::MSI:
  case NeedType::PD: return BroadArea::SensoryPhysical;
  case NeedType::OTH: return BroadArea::Other;
  case NeedType::NSA: return BroadArea::Nsa;
  }
  return BroadArea::Other;
}

/// Exclusion category: PERM permanent, SUSP suspension (FIXD, "fixed period", in returns before the
/// 2021/22 change; read as SUSP), LNCH lunchtime. Which code is valid when is data
/// (schemas/census-codes.json); this is what each means.
enum class ExclusionCategory : std::uint8_t { PERM, SUSP, LNCH };
inline constexpr std::array<std::string_view, 3> exclusion_category_names{"PERM", "SUSP", "LNCH"};
constexpr std::optional<ExclusionCategory> parse_exclusion_category(std::string_view s) {
  if (detail::iequals(s, "FIXD")) return ExclusionCategory::SUSP;
  return detail::parse_code<ExclusionCategory>(exclusion_category_names, s);
}
constexpr std::string_view name(ExclusionCategory c) { return exclusion_category_names[static_cast<std::size_t>(c)]; }

/// What an attendance reason code (AttendanceReason) counts as: authorised or unauthorised absence
/// (both are sessions missed), attendance (present, or an approved educational activity away from
/// school), or not counted in sessions possible. From schemas/census-codes.json, by the year the
/// sessions belong to; `unknown` for a code the year's list does not have.
enum class AbsenceCategory : std::uint8_t { authorised, unauthorised, attendance, not_counted, unknown };
inline constexpr std::array<std::string_view, 5> absence_category_names{"authorised", "unauthorised", "attendance",
                                                                        "not_counted", "unknown"};
constexpr std::string_view name(AbsenceCategory c) { return absence_category_names[static_cast<std::size_t>(c)]; }
constexpr std::optional<AbsenceCategory> parse_absence_category(std::string_view s) {
  return detail::parse_code<AbsenceCategory>(absence_category_names, s);
}

/// The period an attendance module covers: TermlyAttendance (the term before the census),
/// SummerHalfTerm2Attendance (autumn returns: the second half of the summer term), AnnualAttendance
/// (PRUs and, in older autumn returns, special schools: the previous academic year).
enum class AttendancePeriod : std::uint8_t { termly, summer_half_term_2, annual };
inline constexpr std::array<std::string_view, 3> attendance_period_names{"termly", "summer_half_term_2", "annual"};
constexpr std::string_view name(AttendancePeriod p) { return attendance_period_names[static_cast<std::size_t>(p)]; }
constexpr std::optional<AttendancePeriod> parse_attendance_period(std::string_view s) {
  return detail::parse_code<AttendancePeriod>(attendance_period_names, s);
}
/// The module's element in the census message.
constexpr std::string_view element_name(AttendancePeriod p) {
  constexpr std::array<std::string_view, 3> names{"TermlyAttendance", "SummerHalfTerm2Attendance", "AnnualAttendance"};
  return names[static_cast<std::size_t>(p)];
}

/// A short code exactly as returned, upper-cased (an attendance reason such as "I" or "C1", an
/// exclusion reason, an AP setting type): at most four characters, kept in four bytes because a
/// national run holds tens of millions of them. The code lists that give them meaning are data
/// (schemas/census-codes.json).
class ShortCode {
public:
  constexpr ShortCode() = default;
  /// The code for `s` (trimmed by the caller), or nothing when it is empty or longer than four characters.
  static constexpr std::optional<ShortCode> make(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    ShortCode c;
    for (std::size_t i = 0; i < s.size(); ++i)
      c.c_[i] = detail::upper(s[i]);
    return c;
  }
  constexpr std::string_view str() const {
    std::size_t n = 0;
    while (n < 4 && c_[n])
      ++n;
    return {c_.data(), n};
  }
  constexpr bool empty() const { return c_[0] == 0; }
  friend constexpr bool operator==(const ShortCode&, const ShortCode&) = default;
  friend constexpr bool operator==(const ShortCode& a, std::string_view b) { return a.str() == b; }

private:
  std::array<char, 4> c_{};
};

/// Phase of a school in the LA register.
enum class Phase : std::uint8_t { nursery, primary, middle, secondary, all_through, special, pru };
inline constexpr std::array<std::string_view, 7> phase_names{"nursery",     "primary", "middle", "secondary",
                                                             "all-through", "special", "pru"};
constexpr std::optional<Phase> parse_phase(std::string_view s) { return detail::parse_code<Phase>(phase_names, s); }
constexpr std::string_view name(Phase p) { return phase_names[static_cast<std::size_t>(p)]; }

/// Governance: maintained (community, foundation, VA, VC, maintained special, PRU) or academy
/// (including free schools).
enum class Governance : std::uint8_t { maintained, academy };
inline constexpr std::array<std::string_view, 2> governance_names{"maintained", "academy"};
constexpr std::optional<Governance> parse_governance(std::string_view s) {
  return detail::parse_code<Governance>(governance_names, s);
}
constexpr std::string_view name(Governance g) { return governance_names[static_cast<std::size_t>(g)]; }

/// National curriculum year (NCyearActual, NCyearLeaving): E1, E2 (early years, below nursery), N1,
/// N2, R, 1..14, M or X (no national curriculum year group). Which codes a census year accepts is data
/// (schemas/census-codes.json).
class NcYear {
public:
  static constexpr std::int8_t X = 100;
  static constexpr std::int8_t M = 101;
  constexpr NcYear() = default;
  static constexpr std::optional<NcYear> parse(std::string_view s) {
    if (detail::iequals(s, "E1")) return NcYear{-4};
    if (detail::iequals(s, "E2")) return NcYear{-3};
    if (detail::iequals(s, "N1")) return NcYear{-2};
    if (detail::iequals(s, "N2")) return NcYear{-1};
    if (detail::iequals(s, "R")) return NcYear{0};
    if (detail::iequals(s, "X")) return NcYear{X};
    if (detail::iequals(s, "M")) return NcYear{M};
    if (s.empty() || s.size() > 2) return std::nullopt;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    if (v < 1 || v > 14) return std::nullopt;
    return NcYear{static_cast<std::int8_t>(v)};
  }
  /// -4 for E1, -3 for E2, -2 for N1, -1 for N2, 0 for R, 1..14, NcYear::X or NcYear::M.
  constexpr std::int8_t value() const { return v_; }
  constexpr bool is_x() const { return v_ == X; }
  /// X or M: not one national curriculum year group.
  constexpr bool no_year_group() const { return v_ == X || v_ == M; }
  /// The age on the 31 August that starts the academic year expected for this year group
  /// (R = 4, year n = n + 4, N2 = 3, N1 = 2, E2 = 1, E1 = 0); nothing for X and M.
  constexpr std::optional<int> expected_age() const {
    if (no_year_group()) return std::nullopt;
    return v_ + 4;
  }
  /// The code as the census writes it.
  std::string_view code() const {
    static constexpr std::array<std::string_view, 19> names{"E1", "E2", "N1", "N2", "R",  "1",  "2",  "3",  "4", "5",
                                                            "6",  "7",  "8",  "9",  "10", "11", "12", "13", "14"};
    if (v_ == X) return "X";
    if (v_ == M) return "M";
    return names[static_cast<std::size_t>(v_ + 4)];
  }
  friend constexpr bool operator==(NcYear, NcYear) = default;

private:
  constexpr explicit NcYear(std::int8_t v) : v_{v} {}
  std::int8_t v_ = 0;
};

/// An LA decision on an EHC needs assessment request or on issuing a plan: Y yes, N no, A not
/// yet decided, W withdrawn, H historical (SEN2's RequestOutcome and AssessmentOutcome, SDK 7: the
/// decision was made before the return's collection period, or the plan was transferred in from
/// another LA; such a request is settled, and its dates may predate the period).
enum class Decision : std::uint8_t { Y, N, A, W, H };
inline constexpr std::array<std::string_view, 5> decision_names{"Y", "N", "A", "W", "H"};
constexpr std::optional<Decision> parse_decision(std::string_view s) {
  return detail::parse_code<Decision>(decision_names, s);
}
constexpr std::string_view name(Decision d) { return decision_names[static_cast<std::size_t>(d)]; }

/// The permitted exceptions to the 20-week limit (SEND Regulations 2014, reg. 13(3)).
enum class ExceptionReason : std::uint8_t { school_closure, ey_closure, personal_circumstances, absence };
inline constexpr std::array<std::string_view, 4> exception_reason_names{"school_closure", "ey_closure",
                                                                        "personal_circumstances", "absence"};
constexpr std::optional<ExceptionReason> parse_exception_reason(std::string_view s) {
  return detail::parse_code<ExceptionReason>(exception_reason_names, s);
}
constexpr std::string_view name(ExceptionReason r) { return exception_reason_names[static_cast<std::size_t>(r)]; }

/// What a commitment against a school's balance is for: the standard purposes of the LA's scheme,
/// or `other` (an exceptional request that Schools Forum decides).
enum class CommitmentCategory : std::uint8_t {
  unspent_grant,
  prior_year_commitment,
  capital_project,
  ict_equipment,
  redundancy,
  falling_rolls,
  staff_sickness,
  other
};
inline constexpr std::array<std::string_view, 8> commitment_category_names{
    "unspent_grant", "prior_year_commitment", "capital_project", "ict_equipment",
    "redundancy",    "falling_rolls",         "staff_sickness",  "other"};
constexpr std::optional<CommitmentCategory> parse_commitment_category(std::string_view s) {
  return detail::parse_code<CommitmentCategory>(commitment_category_names, s);
}
constexpr std::string_view name(CommitmentCategory c) { return commitment_category_names[static_cast<std::size_t>(c)]; }

/// Schools Forum's decision on an exceptional (`other`) commitment; none yet means pending.
enum class ForumDecision : std::uint8_t { approved, rejected };
inline constexpr std::array<std::string_view, 2> forum_decision_names{"approved", "rejected"};
constexpr std::optional<ForumDecision> parse_forum_decision(std::string_view s) {
  return detail::parse_code<ForumDecision>(forum_decision_names, s);
}

/// Why a pupil was placed in alternative provision.
enum class ApReason : std::uint8_t {
  permanent_exclusion,
  suspension,
  preventive,
  medical,
  awaiting_placement,
  managed_move,
  other
};
inline constexpr std::array<std::string_view, 7> ap_reason_names{
    "permanent_exclusion", "suspension", "preventive", "medical", "awaiting_placement", "managed_move", "other"};
constexpr std::optional<ApReason> parse_ap_reason(std::string_view s) {
  return detail::parse_code<ApReason>(ap_reason_names, s);
}
constexpr std::string_view name(ApReason r) { return ap_reason_names[static_cast<std::size_t>(r)]; }

/// Where a pupil went when an AP placement ended.
enum class ApDestination : std::uint8_t {
  same_school,
  other_mainstream,
  special,
  other_ap,
  post16,
  ehe,
  neet,
  moved_away,
  unknown
};
inline constexpr std::array<std::string_view, 9> ap_destination_names{
    "same_school", "other_mainstream", "special", "other_ap", "post16", "ehe", "neet", "moved_away", "unknown"};
constexpr std::optional<ApDestination> parse_ap_destination(std::string_view s) {
  return detail::parse_code<ApDestination>(ap_destination_names, s);
}
constexpr std::string_view name(ApDestination d) { return ap_destination_names[static_cast<std::size_t>(d)]; }
/// Reintegrated: back in mainstream school, the home school or another.
constexpr bool reintegrated(ApDestination d) {
  return d == ApDestination::same_school || d == ApDestination::other_mainstream;
}

/// Case-insensitive comparison for code values.
constexpr bool iequals(std::string_view a, std::string_view b) { return detail::iequals(a, b); }

} // namespace censusqa
