// censusqa-gen: writes a synthetic LA folder (spec/inputs.md) with realistic rates calibrated on
// the DfE's published figures (calibration.hpp), injects known defects at a set rate, and lists
// every injected defect with the rule that must find it in truth.json. Deterministic for a seed:
// it uses only mt19937_64 (whose sequence the standard fixes) and its own distributions.
// This header is the generator as one class; its parts are in the .cpp files named after what
// they make (population, defects, census_writer, ehc_cases, finance, placements).
#pragma once

#include "calibration.hpp"

#include <censusqa/codes.hpp>
#include <censusqa/date.hpp>
#include <censusqa/upn.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
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

struct GenPupil {
  std::string upn, surname, forename, dob, sex, enrol = "C", nc_year, entry_date, sen = "N";
  std::vector<std::pair<int, std::string>> needs;
  struct Excl {
    std::string category, reason, start;
    int sessions;
  };
  std::vector<Excl> exclusions;
  bool fsm = false;
  int possible = 0, authorised = 0, unauthorised = 0;
  bool touched = false;   // carries an injected defect or is the partner of one
  bool has_plan = false;  // the LA holds an active EHC plan for this pupil (ehcp_cases.csv)
  bool no_plan = false;   // PN008: recorded E with no plan held
  std::string plan_need;  // PN007: the plan's need when it differs from the census
  std::uint32_t line = 0; // where the writer put it (for subjects keyed by line)
};

struct GenSchool {
  std::string laestab, urn, name, phase, governance, return_lea, reference_date;
  std::vector<GenPupil> pupils;
  double fsm_rate = 0.2;
  bool touched = false;
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
inline const std::vector<std::string> susp_reasons{"PA", "VA", "DB", "PP", "VP", "DM", "BU", "OT"};

inline std::string with_check_letter(const std::string& body12) {
  std::string upn = "A" + body12;
  upn[0] = *upn_check_letter(upn);
  return upn;
}

inline std::string pad(int v, int width) {
  std::string s = std::to_string(v);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

inline std::string year_code(int v) { return v == -2 ? "N1" : v == -1 ? "N2" : v == 0 ? "R" : std::to_string(v); }

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
};

class Generator {
public:
  explicit Generator(Options o) : opt_{std::move(o)}, r_{opt_.seed} {}

  void run();

private:
  void make_schools();

  void make_pupils(GenSchool& s);

  void assign_sen(const GenSchool& s, GenPupil& p);

  void make_sen(const GenSchool& s, GenPupil& p, const std::string& level);

  void make_dual_registrations();

  GenPupil* clean_pupil(GenSchool& s);

  void inject_defects();

  static bool self_contained(int kind);

  void introduce_term_changes();

  void inject(GenSchool& s, std::size_t si, std::size_t i, int kind);

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

  void expect_need_share_findings();

  static double binomial_p(int k, int n, double p);

  void write_previous_term();

  Date year_end() const;

  std::string money_text(std::int64_t pence);

  void make_finance();

  void write_finance();

  std::vector<std::pair<Date, Date>> holidays() const;
  Date sixth_school_day(Date from, int n) const;

  void make_placements();

  void write_placements();

  static Date ehcp_year_before(Date d);

  void inject_case_defects();

  void expect_exception_share();

  void write_ehc_cases();

  static std::string csv(const std::string& s);

  void write_schools();

  void write_xml(GenSchool& s);

  void write_csv();

  std::string holiday_json() const;

  void write_config();

  void write_truth();

  Options opt_;
  Random r_;
  Random changes_{opt_.seed ^ 0x7e57c4a9e5ull}; // --term-changes' own draws, apart from the LA's
  std::vector<Defect> fixed_, introduced_;
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
  std::vector<GenBalance> balances_;
  std::vector<GenCommitment> commitments_;
  std::vector<std::string> mix_altered_; // schools whose need mix was altered (the only ones PN010 may name)
  fs::path census_root_;                 // where the census writers write: the LA folder or previous/
  Date census_date_;                     // the reference date they write for CSV returns
  std::map<std::string, int> upn_serial_;
};

} // namespace censusqa::gen
