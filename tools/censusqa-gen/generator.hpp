// censusqa-gen: writes a synthetic LA folder (spec/inputs.md) with realistic rates calibrated on
// the DfE's published figures (calibration.hpp), injects known defects at a set rate, and lists
// every injected defect with the rule that must find it in truth.json. Deterministic for a seed:
// it uses only mt19937_64 (whose sequence the standard fixes) and its own distributions.
// This header is the generator as one class; its parts are in the .cpp files named after what
// they make (calendar, population, defects, census_writer, ehc_cases, finance, placements).
// The census returns are written in the shape schools' MIS software writes (SHAPE.md says what,
// and where each choice comes from).
//
// Two random streams, so that the terms of one academic year are the same LA (SHAPE.md, "Terms"):
// r_ draws everything that does not depend on the term (schools, pupils on roll and their
// characteristics, FSM, defects on pupils on roll, EHC cases, finance, AP placements), and it never
// draws a number of times that depends on the term; term_r_ draws what a term's return carries
// (attendance, exclusions, joiners' entry dates, leavers, placements after permanent exclusions).
#pragma once

#include "calibration.hpp"

#include <censusqa/codes.hpp>
#include <censusqa/date.hpp>
#include <censusqa/upn.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace censusqa::gen {

namespace fs = std::filesystem;
namespace cal = calibration;

class Random {
public:
  explicit Random(std::uint64_t seed) : rng_{seed} {}
  double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  int between(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); } // inclusive
  bool chance(double p) { return uniform() < p; }
  template <std::size_t N> std::size_t pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights)
      total += w;
    double x = uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }
  template <typename T> const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(between(0, static_cast<int>(v.size()) - 1))];
  }

private:
  std::mt19937_64 rng_;
};

// One attendance module (TermlyAttendance, SummerHalfTerm2Attendance) as the MIS holds it: the
// non-zero sessions by reason code, and the totals it would write (the sums of the valid codes,
// unless a defect made them disagree). Which parts are written depends on the school's software.
struct Attendance {
  bool present = false;
  int possible = 0;
  std::vector<std::pair<std::string, int>> detail;
  int authorised = 0, unauthorised = 0;
};

inline bool authorised_code(const std::string& c) {
  return c.size() == 1 && std::string_view("CEHIMRST").find(c[0]) != std::string_view::npos;
}
inline bool unauthorised_code(const std::string& c) {
  return c.size() == 1 && std::string_view("GNOU").find(c[0]) != std::string_view::npos;
}

// Elements a defect leaves out of a pupil's record (CI011).
enum Omit : unsigned { omit_enrol = 1, omit_year = 2, omit_sex = 4, omit_entry = 8, omit_leaving = 16 };

struct GenPupil {
  std::string upn, surname, forename, dob, sex, enrol = "C", nc_year, entry_date, sen = "N";
  std::string uln;          // PupilIdentifiers/ULN: pupils aged 13 or over on census day (dfe.cpp)
  bool uln_removed = false; // DFE1570's defect
  std::string leaving_date; // a leaver (PupilNoLongerOnRoll) when set
  std::string ethnicity, language, postcode;
  std::vector<std::pair<int, std::string>> needs;
  struct Excl {
    std::string category, reason, start;
    int sessions;    // -1: none written (PERM)
    std::string sen; // the pupil's SEN provision when excluded
  };
  std::vector<Excl> exclusions;
  struct FsmPeriod {
    std::string start, end, country; // end empty while open
  };
  std::vector<FsmPeriod> fsm_periods;
  Attendance termly, summer2;
  struct ApDetail { // SchoolArrangedAPDetail
    std::string urn, ukprn, entry, leaving, setting, reason, sen_entry, sen_leaving, pattern;
    int sessions_per_week = 0;
  };
  std::vector<ApDetail> ap;
  bool part_time = false, top_up = false, sen_unit = false, resourced = false;
  bool joiner = false;    // joined since the previous census (its entry date is the term's)
  unsigned omit = 0;      // Omit flags
  bool touched = false;   // carries an injected defect or is the partner of one
  bool has_plan = false;  // the LA holds an active EHC plan for this pupil (ehcp_cases.csv)
  bool no_plan = false;   // PN008: recorded E with no plan held
  std::string plan_need;  // PN007: the plan's need when it differs from the census
  std::uint32_t line = 0; // where the writer put it (for subjects keyed by line)
};

// How a school's MIS writes an attendance module: reason-code detail and totals, detail only,
// totals only, or (as Aspen's exporter does) the detail when there is any and the totals otherwise.
enum Style : int { style_both, style_detail, style_totals, style_aspen };

struct GenSchool {
  std::string laestab, urn, name, phase, governance, return_lea, reference_date;
  std::vector<GenPupil> pupils;  // PupilsOnRoll
  std::vector<GenPupil> leavers; // PupilsNoLongerOnRoll
  double fsm_rate = 0.2;
  bool touched = false;
  // How its MIS writes the return (SHAPE.md).
  std::string software, release, sex_tag = "Sex", gov_code, school_type, intake;
  int style = style_both, serial = 1, export_days = 0, export_minute = 0;
  bool bool_digits = false;       // booleans as 1/0 rather than true/false
  bool attendance_16plus = false; // attendance also for pupils over 15
  bool nursery = false;
  int termly_base = 0, summer2_base = 0; // sessions possible over the whole term (half term)
};

// The expected figures of one school's return (truth.json expected_figures).
struct Figures {
  std::int64_t pupils_in_return = 0, leavers_in_return = 0, pupils_on_roll = 0, fsm_eligible = 0, suspensions = 0,
               permanent_exclusions = 0, lunchtime_exclusions = 0, attendance_pupils = 0, sessions_possible = 0,
               sessions_authorised = 0, sessions_unauthorised = 0, persistent_absentees = 0;
};

struct Defect {
  std::string rule, laestab, subject, upn, note;
};

// One EHC needs assessment case as written to ehcp_cases.csv (dates as text, so that a defect can
// be an unreadable date).
struct GenCase {
  int school = -1, pupil = -1; // the census pupil it is for, when any
  std::string id, upn, laestab, request, request_outcome, request_outcome_date, assessment_outcome,
      assessment_outcome_date, plan, exception, reason, need, review, ceased;
};

inline const std::vector<std::string> places{"Meadow", "Castle", "Brook",  "Oak",  "Harbour", "Hill",
                                             "River",  "Abbey",  "Church", "Mill", "Green",   "Park",
                                             "Bridge", "Forest", "Vale",   "Moor", "Field",   "Lake"};
inline const std::vector<std::string> surnames{"Ashworth", "Okafor", "Nowak",    "Patel",  "Hughes", "Khan",
                                               "Evans",    "Clarke", "Begum",    "Murphy", "Singh",  "Walker",
                                               "Ahmed",    "Taylor", "Kowalski", "Brown"};
inline const std::vector<std::string> forenames{"Amelia", "Oliver", "Isla", "Noah", "Ava",  "Muhammad",
                                                "Freya",  "Leo",    "Maya", "Jack", "Zara", "Theo",
                                                "Aisha",  "Harry",  "Lily", "Yusuf"};
// Exclusion reasons (the 2021 code set, [L]) with invented weights in the order of the DfE's published
// shares: persistent disruptive behaviour first, then assault and abuse.
inline const std::vector<std::string> exclusion_reasons{"DB", "PP", "VA", "VP", "PA", "DA", "DM", "OW",
                                                        "BU", "RA", "SM", "TH", "MT", "LG", "DS"};
inline constexpr std::array<double, 15> exclusion_reason_weights{45,  17, 10, 7, 6, 3,   2.5, 2,
                                                                 1.5, 1,  1,  1, 1, 0.5, 0.5};
// Ethnicity (DfE main codes) and first language ([L] codes), invented shares.
inline const std::vector<std::string> ethnicities{"WBRI", "WOTH", "WIRI", "WROM", "MWBC", "MWBA",
                                                  "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
                                                  "BAFR", "BCRB", "BOTH", "CHNE", "OOTH", "REFU"};
inline constexpr std::array<double, 18> ethnicity_weights{65,  6,   0.5, 0.3, 1.5, 0.8, 1.2, 2, 3,
                                                          4.5, 1.8, 2,   4.5, 1,   1,   0.5, 2, 1};
inline const std::vector<std::string> other_languages{"POL", "URD", "PNJ", "BNG", "ARA", "RMN",
                                                      "SOM", "GUJ", "POR", "TUR", "LIT"};

inline std::string with_check_letter(const std::string& body12) {
  std::string upn = "A" + body12;
  upn[0] = *upn_check_letter(upn);
  return upn;
}

inline std::string pad(int v, int width) {
  std::string s = std::to_string(v);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

// The census Phase code of a generated school's phase.
inline const char* phase_code(const std::string& phase) {
  return phase == "secondary" ? "SS" : phase == "primary" ? "PS" : phase == "special" ? "SP" : "PR";
}

// E1 E2 N1 N2 R 1..14 in order (year_code's inverse).
inline int year_rank(const std::string& nc) {
  if (nc == "E1") return -4;
  if (nc == "E2") return -3;
  if (nc == "N1") return -2;
  if (nc == "N2") return -1;
  if (nc == "R") return 0;
  return std::atoi(nc.c_str());
}

// NC year codes: -4 E1, -3 E2, -2 N1, -1 N2, 0 R, 1..14.
inline std::string year_code(int v) {
  return v == -4 ? "E1" : v == -3 ? "E2" : v == -2 ? "N1" : v == -1 ? "N2" : v == 0 ? "R" : std::to_string(v);
}
inline bool early_years(const std::string& nc) { return !nc.empty() && (nc[0] == 'E' || nc[0] == 'N'); }

// A date of birth that puts the pupil at `age` on the 31 August starting the academic year.
inline std::string dob_for_age(Random& r, Date aug31, int age) {
  const Date latest = *Date::from_ymd(aug31.year() - age, 8, 31);
  return latest.plus_days(-r.between(0, 364)).iso();
}

struct Options {
  int schools = 10, pupils = 3000;
  std::uint64_t seed = 1;
  fs::path out;
  std::string la = "888", la_name = "Sampleshire (generated)", format = "xml";
  double defect_rate = 0.01;
  Date reference_date = *Date::parse("2025-01-16");
  std::string term = "SPR";
  int term_changes = 0; ///< a later term of the same LA: this many pupil defects fixed and as many new
  /// Where the EHC cases are written: "csv" (ehcp_cases.csv), "sen2" (sen2/, the LA's SEN2 return) or
  /// "both" (the run then reads sen2/); truth.json names the cases as the run will read them.
  std::string ehc_source = "both";
  std::string ap_source = "both"; ///< csv, or both (ap_placements.csv and ap_census/)
};

class Generator {
public:
  explicit Generator(Options o) : opt_{std::move(o)}, r_{opt_.seed} {}

  void run();

private:
  struct Span {
    Date from, to; // inclusive
    bool contains(Date d) const { return d >= from && d <= to; }
  };

  // calendar.cpp: the school year the generated schools keep, and what each return covers.
  static Date easter_sunday(int year);
  Date spring_term_end(int year) const; // of the spring term in calendar year `year`
  Date summer_term_start(int year) const;
  Date may_half_term(int year) const; // its Monday (the spring bank holiday)
  std::vector<std::pair<Date, Date>> make_holidays() const;
  bool school_day(Date d) const;
  int school_days(Date from, Date to) const;
  Date random_school_day(Span s, Random& r) const;
  Span termly_span() const;      // what TermlyAttendance covers
  Span summer2_span() const;     // SummerHalfTerm2Attendance (autumn returns)
  Span exclusion_term() const;   // the term whose exclusions the return carries
  Span exclusion_window() const; // CI018's window for an exclusion's start date
  Date previous_census() const;  // the census before this one (leavers left after it)
  Date random_date_between(Date after, Date before, Random& r) const; // strictly between (always one draw)

  void make_schools();
  void assign_software();

  void make_pupils(GenSchool& s);
  static int draw_year(const GenSchool& s, Random& r);
  GenPupil new_pupil(GenSchool& s, int year, Date aug31, Random& r);
  void make_suspensions(const GenSchool& s, GenPupil& p, Date last, Random& r) const;
  void attend(const GenSchool& s, GenPupil& p, Random& r) const;
  void make_module(const GenPupil& p, Attendance& m, Span span, int base, int full_days, Random& r) const;
  static void split_absence(Attendance& m, int authorised, int unauthorised, Random& r);
  static void add_sessions(Attendance& m, const std::string& code, int n);
  void make_fsm(const GenSchool& s, GenPupil& p, Random& r) const;
  void make_ap_detail(const GenSchool& s, GenPupil& p, Random& r) const;
  GenPupil& make_leaver(GenSchool& s, bool suspensions = true);

  static void assign_sen(const GenSchool& s, GenPupil& p, Random& r);

  static void make_sen(const GenSchool& s, GenPupil& p, const std::string& level, Random& r);

  void make_dual_registrations();

  GenPupil* clean_pupil(GenSchool& s);

  void inject_defects();

  static bool self_contained(int kind);

  bool applicable(const GenSchool& s, const GenPupil& p, int kind) const;
  bool attends_every_term(const GenSchool& s, const GenPupil& p) const;
  bool leaver_applicable(const GenSchool& s, const GenPupil& p, int kind) const;

  void introduce_term_changes();

  bool inject(GenSchool& s, std::size_t si, std::size_t i, int kind);
  bool inject_leaver(GenSchool& s, std::size_t i, int kind);
  void add_perm(const GenSchool& s, GenPupil& p, int sessions, Random& r) const;

  void make_return_situations();

  void place_excluded_pupils();

  void make_ehc_cases();

  void align_census_with_plans();

  static bool main_registration(const GenPupil& p);
  static std::string primary_of(const GenPupil& p);

  // An untouched pupil on roll (C) at an untouched school, matching `want`; marked touched.
  template <typename Pred> std::pair<GenSchool*, GenPupil*> pick_pupil(Pred want) {
    for (int tries = 0; tries < 4000; ++tries) {
      GenSchool& s = schools_[static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 1))];
      if (s.touched || s.pupils.empty()) continue;
      GenPupil& p = s.pupils[static_cast<std::size_t>(r_.between(0, static_cast<int>(s.pupils.size()) - 1))];
      if (p.touched || p.enrol != "C" || !want(s, p)) continue;
      p.touched = true;
      return {&s, &p};
    }
    return {nullptr, nullptr};
  }

  std::string other_need(const std::string& not_this);

  void inject_need_defects();

  void make_caseload_plans();
  void add_caseload_plan(std::size_t si, std::size_t pi, Random& r);

  void expect_need_share_findings();
  void expect_special_school_pupils_without_sen();

  static double binomial_p(int k, int n, double p);

  void write_previous_term();
  // movement.cpp: the previous roll as pupil movement sees it (its truth in truth.json "movement").
  void move_pupils(std::vector<GenSchool>& previous, Date prev_date);
  void expect_excluded_nowhere();
  struct MovementTruth {
    int moved_out = 0, moved_in = 0, vanished = 0, left_on_record = 0, joined = 0;
  };
  std::map<std::string, MovementTruth> movement_; // by LAEstab

  // dfe.cpp: what the DfE's own rules (the dfe-census plugin) read, clean, and their injected defects.
  void assign_ulns();
  std::map<std::string, std::string> ulns_; // by UPN
  std::uint64_t uln_next_ = 412000000;      // the next nine digits to try
  void inject_dfe_defects();
  void expect_dfe_queries();
  void expect_age_queries(const GenSchool& s, int lowest, int highest);
  void expect_part_time_queries(const GenSchool& s);
  void expect_entry_date_queries(const GenSchool& s);
  void change_previous_term(std::vector<GenSchool>& previous);
  void expect_term_on_term(const std::vector<GenSchool>& previous);

  Date year_end() const;

  std::string money_text(std::int64_t pence);

  void make_finance();

  void write_finance();

  std::vector<std::pair<Date, Date>> holidays() const { return hols_; }
  Date sixth_school_day(Date from, int n) const;

  void make_placements();

  void write_placements();
  void write_ap_census();

  static Date ehcp_year_before(Date d);
  Date ehc_first_request() const; // the earliest request of the generated cases

  void inject_case_defects();

  void expect_exception_share();

  void write_ehc_cases();
  void write_sen2();

  static std::string csv(const std::string& s);

  void write_schools();

  // census_writer.cpp
  struct Written {
    bool rows, totals;
  };
  static Written written(const GenSchool& s, const Attendance& m);
  const char* boolean(const GenSchool& s, bool v) const;
  void count(Figures& f, const GenSchool& s, const GenPupil& p, bool leaver) const;
  void write_returns();
  void write_xml(GenSchool& s, const fs::path& file, int serial, const std::string& datetime, bool counted);
  void xml_pupil(std::string& o, const GenSchool& s, const GenPupil& p, bool leaver) const;
  void xml_module(std::string& o, const char* tag, const GenSchool& s, const Attendance& m) const;
  std::string export_time(const GenSchool& s, int days_earlier) const;
  void write_ctf();
  void write_first_export();

  void write_csv(bool counted);

  std::string holiday_json() const;

  void write_config();

  void write_truth();

  static std::uint64_t term_seed(const Options& o);

  Options opt_;
  Random r_;                                    // the LA, whatever the term (see the top of this file)
  Random term_r_{term_seed(opt_)};              // what the term's return carries
  Random changes_{opt_.seed ^ 0x7e57c4a9e5ull}; // --term-changes' own draws, apart from the LA's
  std::vector<Defect> fixed_, introduced_;
  struct Fixable { // a pupil defect --term-changes may fix
    std::size_t school, pupil;
    int kind;
    GenPupil before;
    std::vector<Defect> defects;
  };
  std::vector<Fixable> fixable_;
  std::map<int, int> injected_; // pupil defects by kind
  std::vector<GenSchool> schools_;
  std::vector<GenSchool*> unused_;
  std::vector<Defect> defects_;
  std::vector<GenCase> cases_;
  struct GenBalance {
    std::string laestab, A, B, F;
  };
  struct GenCommitment {
    std::string laestab, category, amount, description, assigned, decision;
  };
  struct GenPlacement {
    std::string id, upn, home, reason, start, planned, end, destination, review;
  };
  std::vector<GenPlacement> placements_;
  int next_placement_ = 1;
  std::vector<GenBalance> balances_;
  std::vector<GenCommitment> commitments_;
  std::vector<std::string> mix_altered_; // schools whose need mix was altered (the only ones PN010 may name)
  fs::path census_root_;                 // where the census writers write: the LA folder or previous/
  Date census_date_;                     // the reference date they write for CSV returns
  std::string census_term_;              // the term they write
  std::map<std::string, int> upn_serial_;
  std::vector<std::pair<Date, Date>> hols_;
  int termly_days_ = 0, summer2_days_ = 0; // school days in the whole term (half term) each module covers
  std::map<std::string, Figures> figures_; // by LAEstab, from what was written
  // The LA's situations beyond single returns (make_return_situations), XML only apart from the first.
  std::vector<GenSchool> no_return_; // in the register, no return
  struct Ctf {
    std::string dest, source_lea, source_estab, source_name;
    std::vector<GenPupil> pupils;
  };
  std::optional<Ctf> ctf_;
  int duplicate_ = -1;                         // the school with an earlier export too
  std::set<std::string> first_export_missing_; // its pupils not yet on that export
  std::string first_export_still_on_roll_;     // a leaver still on roll in it
  int mistyped_ = -1;                          // the school whose header LEA is mistyped
};

} // namespace censusqa::gen
