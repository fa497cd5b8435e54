// censusqa-gen: writes a synthetic LA folder (spec/inputs.md) with realistic rates calibrated on
// the DfE's published figures (calibration.hpp), injects known defects at a set rate, and lists
// every injected defect with the rule that must find it in truth.json. Deterministic for a seed:
// it uses only mt19937_64 (whose sequence the standard fixes) and its own distributions.
#include "calibration.hpp"

#include <censusqa/codes.hpp>
#include <censusqa/date.hpp>
#include <censusqa/upn.hpp>

#include <boost/program_options.hpp>

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

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace censusqa;
namespace cal = censusqa::gen::calibration;

namespace {

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

const std::vector<std::string> places{"Meadow", "Castle", "Brook",  "Oak",  "Harbour", "Hill",
                                      "River",  "Abbey",  "Church", "Mill", "Green",   "Park",
                                      "Bridge", "Forest", "Vale",   "Moor", "Field",   "Lake"};
const std::vector<std::string> surnames{"Ashworth", "Okafor", "Nowak",    "Patel",  "Hughes", "Khan",
                                        "Evans",    "Clarke", "Begum",    "Murphy", "Singh",  "Walker",
                                        "Ahmed",    "Taylor", "Kowalski", "Brown"};
const std::vector<std::string> forenames{"Amelia", "Oliver", "Isla", "Noah", "Ava",   "Muhammad", "Freya", "Leo",
                                         "Maya",   "Jack",   "Zara", "Theo", "Aisha", "Harry",    "Lily",  "Yusuf"};
const std::vector<std::string> susp_reasons{"PA", "VA", "DB", "PP", "VP", "DM", "BU", "OT"};

std::string with_check_letter(const std::string& body12) {
  std::string upn = "A" + body12;
  upn[0] = *upn_check_letter(upn);
  return upn;
}

std::string pad(int v, int width) {
  std::string s = std::to_string(v);
  return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))), '0') + s;
}

std::string year_code(int v) { return v == -2 ? "N1" : v == -1 ? "N2" : v == 0 ? "R" : std::to_string(v); }

// A date of birth that puts the pupil at `age` on the 31 August starting the academic year.
std::string dob_for_age(Random& r, Date aug31, int age) {
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

  void run() {
    make_schools();
    for (auto& s : schools_)
      make_pupils(s);
    make_dual_registrations();
    inject_defects();
    make_ehc_cases();
    align_census_with_plans();
    inject_need_defects();
    make_caseload_plans();
    expect_exception_share();
    expect_need_share_findings();
    make_finance();
    make_placements();
    introduce_term_changes();
    fs::create_directories(opt_.out / "census");
    census_root_ = opt_.out;
    census_date_ = opt_.reference_date;
    write_schools();
    if (opt_.format == "csv")
      write_csv();
    else
      for (auto& s : schools_)
        write_xml(s);
    write_ehc_cases();
    write_finance();
    write_placements();
    write_previous_term();
    write_config();
    write_truth();
  }

private:
  void make_schools() {
    const int n = opt_.schools;
    const int special = n >= 5 ? std::max(1, n * 4 / 100) : 0;
    const int pru = n >= 8 ? std::max(1, n * 2 / 100) : 0;
    const int secondary = std::max(n >= 3 ? 1 : 0, n * 17 / 100);
    const int primary = n - special - pru - secondary;
    int next_primary = 2000, next_secondary = 4000, next_special = 7000, next_pru = 1100;
    auto add = [&](const std::string& phase, int& estab, const std::string& kind) {
      GenSchool s;
      s.laestab = opt_.la + pad(estab++, 4);
      s.urn = pad(100000 + static_cast<int>(schools_.size()) + 1 + std::stoi(opt_.la) * 1000 % 800000, 6);
      s.name = r_.pick(places) + " " + r_.pick(places) + " " + kind;
      s.phase = phase;
      s.governance = phase == "pru" || r_.chance(0.55) ? "maintained" : "academy";
      s.return_lea = opt_.la;
      s.reference_date = opt_.reference_date.iso();
      s.fsm_rate = 0.05 + 0.40 * r_.uniform(); // LA schools range from few to many FSM-eligible pupils
      schools_.push_back(std::move(s));
    };
    for (int i = 0; i < primary; ++i)
      add("primary", next_primary, "Primary School");
    for (int i = 0; i < secondary; ++i)
      add("secondary", next_secondary, "Academy");
    for (int i = 0; i < special; ++i)
      add("special", next_special, "Special School");
    for (int i = 0; i < pru; ++i)
      add("pru", next_pru, "Short Stay School");
  }

  void make_pupils(GenSchool& s) {
    // Relative sizes: a secondary is about four primaries; special schools and PRUs are small.
    auto weight = [](const std::string& phase) {
      return phase == "secondary" ? 4.0 : phase == "special" ? 0.45 : phase == "pru" ? 0.2 : 1.0;
    };
    double total = 0;
    for (const auto& o : schools_)
      total += weight(o.phase);
    const int target =
        std::max(1, static_cast<int>(std::lround(opt_.pupils * weight(s.phase) / total * (0.85 + 0.3 * r_.uniform()))));
    const Date aug31 = academic_year_start_eve(opt_.reference_date);
    for (int i = 0; i < target; ++i) {
      GenPupil p;
      int year;
      if (s.phase == "primary")
        year = r_.between(0, 6);
      else if (s.phase == "secondary")
        year = r_.chance(0.15) ? r_.between(12, 13) : r_.between(7, 11);
      else if (s.phase == "special")
        year = r_.between(1, 14);
      else
        year = r_.between(7, 11);
      p.nc_year = year_code(year);
      p.dob = dob_for_age(r_, aug31, year + 4);
      p.upn = with_check_letter(s.laestab + pad(++upn_serial_[s.laestab], 5));
      p.surname = r_.pick(surnames);
      p.forename = r_.pick(forenames);
      p.sex = r_.chance(0.5) ? "F" : "M";
      p.entry_date =
          (*Date::from_ymd(aug31.year() - r_.between(0, year <= 6 ? std::max(year, 0) : year - 7), 9, 4)).iso();
      p.fsm = r_.chance(s.fsm_rate);
      assign_sen(s, p);
      // Suspensions in the autumn term: about a third of the annual rate, more in secondary.
      const double susp = cal::suspension_rate / 3 * (s.phase == "secondary" || s.phase == "pru" ? 2.5 : 0.4);
      if (r_.chance(susp)) {
        const int n = r_.chance(0.2) ? 2 : 1;
        for (int k = 0; k < n; ++k)
          p.exclusions.push_back({"SUSP", r_.pick(susp_reasons),
                                  Date::from_ymd(aug31.year(), 9, 1)->plus_days(r_.between(5, 100)).iso(),
                                  r_.between(1, 6)});
      }
      if (r_.chance(cal::permanent_exclusion_rate / 3 * (s.phase == "secondary" ? 2.5 : 0.3)))
        p.exclusions.push_back({"PERM", r_.pick(susp_reasons),
                                Date::from_ymd(aug31.year(), 9, 1)->plus_days(r_.between(5, 100)).iso(), 0});
      p.possible = 140 - 2 * r_.between(0, 5);
      const bool persistent = r_.chance(0.15);
      p.authorised = static_cast<int>(p.possible * (persistent ? 0.08 + 0.1 * r_.uniform() : 0.04 * r_.uniform()));
      p.unauthorised = static_cast<int>(p.possible * (persistent ? 0.05 * r_.uniform() : 0.015 * r_.uniform()));
      s.pupils.push_back(std::move(p));
    }
    // A school of 20 or more with no SEN pupil would be a CI010 finding nobody injected.
    if (s.pupils.size() >= 20 &&
        std::none_of(s.pupils.begin(), s.pupils.end(), [](const GenPupil& p) { return p.sen != "N"; }))
      make_sen(s, s.pupils.front(), "K");
  }

  void assign_sen(const GenSchool& s, GenPupil& p) {
    double support = s.phase == "primary" ? cal::primary_sen_support_rate : cal::secondary_sen_support_rate;
    double ehc = s.phase == "primary" ? cal::primary_ehc_rate : cal::secondary_ehc_rate;
    if (s.phase == "special") support = 0.02, ehc = 0.97;
    if (s.phase == "pru") support = 0.45, ehc = 0.15;
    const double x = r_.uniform();
    if (x < ehc)
      make_sen(s, p, "E");
    else if (x < ehc + support)
      make_sen(s, p, "K");
  }

  void make_sen(const GenSchool& s, GenPupil& p, const std::string& level) {
    p.sen = level;
    p.needs.clear();
    std::array<double, 13> mix =
        level == "E" ? (s.phase == "special" ? cal::special_ehc_need_mix : cal::mainstream_ehc_need_mix)
                     : (s.phase == "primary" ? cal::primary_support_need_mix : cal::secondary_support_need_mix);
    // PMLD and SLD almost always come with an EHC plan; at SEN support in a mainstream school they are
    // PN011's finding, so the generator leaves them to injected defects.
    if (level == "K" && s.phase != "special" && s.phase != "pru")
      mix[static_cast<std::size_t>(NeedType::PMLD)] = mix[static_cast<std::size_t>(NeedType::SLD)] = 0;
    const auto primary = r_.pick(mix);
    p.needs.emplace_back(1, std::string(need_type_names[primary]));
    // About a third record a different secondary need; NSA stands alone and is never secondary.
    if (need_type_names[primary] != "NSA" && r_.chance(0.3)) {
      mix[primary] = 0;
      mix[12] = 0;
      p.needs.emplace_back(2, std::string(need_type_names[r_.pick(mix)]));
    }
  }

  // Pupils placed in a PRU are dual registered: main (M) at their secondary, subsidiary (S) at the
  // PRU. A valid dual registration, which CI005 must not report.
  void make_dual_registrations() {
    std::vector<GenSchool*> secondaries, prus;
    for (auto& s : schools_)
      (s.phase == "secondary" ? secondaries : s.phase == "pru" ? prus : unused_).push_back(&s);
    if (secondaries.empty()) return;
    for (auto* pru : prus)
      for (auto& p : pru->pupils)
        if (r_.chance(0.3)) {
          GenSchool& home =
              *secondaries[static_cast<std::size_t>(r_.between(0, static_cast<int>(secondaries.size()) - 1))];
          GenPupil copy = p;
          copy.enrol = "M";
          copy.exclusions.clear();
          p.enrol = "S";
          p.touched = copy.touched = true; // keep defects away from the pair
          home.pupils.push_back(std::move(copy));
        }
  }

  GenPupil* clean_pupil(GenSchool& s) {
    for (int tries = 0; tries < 50 && !s.pupils.empty(); ++tries) {
      auto& p = s.pupils[static_cast<std::size_t>(r_.between(0, static_cast<int>(s.pupils.size()) - 1))];
      if (!p.touched) return &p;
    }
    return nullptr;
  }

  void inject_defects() {
    if (opt_.defect_rate <= 0) return;
    // School-level defects: at least one of each in an LA of four or more schools.
    const int school_defects =
        std::max(opt_.schools >= 4 ? 1 : 0, static_cast<int>(std::lround(opt_.schools * opt_.defect_rate * 3)));
    std::vector<std::size_t> order(schools_.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    for (std::size_t i = order.size(); i > 1; --i)
      std::swap(order[i - 1], order[static_cast<std::size_t>(r_.between(0, static_cast<int>(i) - 1))]);
    std::size_t next = 0;
    // A CSV extract has no per-school header (census.json dates every return), so CI009 is XML only.
    for (int k = 0; opt_.format == "xml" && k < school_defects && next < order.size(); ++k) {
      GenSchool& s = schools_[order[next++]];
      s.reference_date = opt_.reference_date.plus_days(7).iso();
      s.touched = true;
      defects_.push_back(
          {"CI009", s.laestab, s.laestab, "", "return dated a week after the configured reference date"});
    }
    for (int k = 0; k < school_defects && next < order.size(); ++k) {
      GenSchool& s = schools_[order[next]];
      ++next;
      if (s.pupils.size() < 20 || s.phase == "special" || s.phase == "pru") {
        --k;
        continue;
      }
      for (auto& p : s.pupils) {
        p.sen = "N";
        p.needs.clear();
      }
      s.touched = true;
      defects_.push_back({"CI010", s.laestab, s.laestab, "", "every pupil's SEN provision set to N"});
    }
    // Pupil-level defects: each pupil at the rate, spread over the defect kinds.
    const int kinds = 11;
    for (std::size_t si = 0; si < schools_.size(); ++si) {
      GenSchool& s = schools_[si];
      if (s.laestab.empty()) continue;
      const std::size_t n = s.pupils.size();
      for (std::size_t i = 0; i < n; ++i) {
        if (s.pupils[i].touched || !r_.chance(opt_.defect_rate)) continue;
        const int kind = r_.between(0, kinds - 1);
        if (fixed_.size() < static_cast<std::size_t>(opt_.term_changes) && self_contained(kind) &&
            s.pupils[i].sen == "N" && changes_.chance(0.5)) {
          // Fixed since the earlier term: injected as before (the same random draws, so the rest of the
          // LA is generated exactly as then), then put back and its expected findings dropped.
          const GenPupil before = s.pupils[i];
          const std::size_t n = defects_.size();
          inject(s, si, i, kind);
          for (std::size_t d = n; d < defects_.size(); ++d)
            fixed_.push_back(defects_[d]);
          defects_.resize(n);
          s.pupils[i] = before;
          s.pupils[i].touched = true;
          continue;
        }
        inject(s, si, i, kind);
      }
    }
  }

  // Defect kinds that change one pupil's own fields and nothing another rule reads.
  static bool self_contained(int kind) {
    return kind == 0 || kind == 1 || kind == 2 || kind == 5 || kind == 7 || kind == 8 || kind == 10;
  }

  // --term-changes: new defects in this later term, on pupils no other record refers to, after
  // everything else is generated (so that nothing else moves).
  void introduce_term_changes() {
    if (opt_.term_changes <= 0) return;
    std::set<std::string> referenced;
    for (const auto& c : cases_)
      referenced.insert(c.upn);
    for (const auto& p : placements_)
      referenced.insert(p.upn);
    std::map<std::string, int> seen;
    for (const auto& s : schools_)
      for (const auto& p : s.pupils)
        ++seen[p.upn];
    std::swap(r_, changes_); // the new defects' details come from the changes' own stream
    int added = 0;
    for (int attempt = 0; added < opt_.term_changes && attempt < 100000; ++attempt) {
      const auto si = static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 1));
      GenSchool& s = schools_[si];
      if (s.laestab.empty() || s.touched || s.pupils.empty()) continue;
      const auto i = static_cast<std::size_t>(r_.between(0, static_cast<int>(s.pupils.size()) - 1));
      const GenPupil& p = s.pupils[i];
      if (p.touched || p.sen != "N" || referenced.count(p.upn) || seen[p.upn] != 1 || !p.exclusions.empty()) continue;
      static constexpr int kinds[] = {0, 1, 2, 5, 7, 8, 10};
      const std::size_t n = defects_.size();
      inject(s, si, i, kinds[r_.between(0, 6)]);
      for (std::size_t d = n; d < defects_.size(); ++d)
        introduced_.push_back(defects_[d]);
      ++added;
    }
    std::swap(r_, changes_);
  }

  void inject(GenSchool& s, std::size_t si, std::size_t i, int kind) {
    GenPupil& p = s.pupils[i];
    p.touched = true;
    const std::string upn = p.upn;
    switch (kind) {
    case 0: // CI001: a digit lost in typing
      p.upn = upn.substr(0, 7) + upn.substr(8);
      defects_.push_back({"CI001", s.laestab, p.upn, p.upn, "UPN 12 characters"});
      break;
    case 1: { // CI002: wrong check letter
      const char right = upn[0];
      p.upn[0] = right == 'Z' ? 'A'
                              : static_cast<char>(right == 'H'   ? 'J'
                                                  : right == 'N' ? 'P'
                                                  : right == 'R' ? 'T'
                                                                 : right + 1);
      defects_.push_back({"CI002", s.laestab, p.upn, p.upn, "check letter changed"});
      break;
    }
    case 2: // CI003: issued by an LA number that does not exist (with a correct check letter)
      p.upn = with_check_letter("999" + upn.substr(4));
      defects_.push_back({"CI003", s.laestab, p.upn, p.upn, "LA number 999"});
      break;
    case 3: { // CI004: a second pupil given this pupil's UPN in the same school
      GenPupil* other = clean_pupil(s);
      if (!other) return;
      other->touched = true;
      other->upn = upn;
      other->sen = p.sen; // the same SEN record, so that only CI004 concerns the pair
      other->needs = p.needs;
      defects_.push_back({"CI004", s.laestab, upn, upn, "UPN duplicated within the school"});
      break;
    }
    case 4: { // CI005: the same UPN single-registered at another school
      GenSchool& o =
          schools_[(si + 1 + static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 2))) %
                   schools_.size()];
      if (&o == &s || o.touched) return; // not into a school whose return carries its own defect (CI010)
      GenPupil* other = clean_pupil(o);
      if (!other) return;
      other->touched = true;
      other->upn = upn;
      other->sen = p.sen;
      other->needs = p.needs;
      defects_.push_back({"CI005", "", upn, upn, "UPN on roll (C) at " + s.laestab + " and " + o.laestab});
      break;
    }
    case 5: // CI006: date of birth missing
      p.dob.clear();
      defects_.push_back({"CI006", s.laestab, upn, upn, "DOB missing"});
      break;
    case 6: // CI006 + IN003: a date that does not exist
      p.dob = p.dob.substr(0, 5) + "02-30";
      defects_.push_back({"CI006", s.laestab, upn, upn, "DOB 30 February"});
      defects_.push_back({"IN003", s.laestab, upn + ".DOB", upn, "DOB 30 February"});
      break;
    case 7: // CI006: born after the reference date
      p.dob = opt_.reference_date.plus_days(10).iso();
      defects_.push_back({"CI006", s.laestab, upn, upn, "DOB after the reference date"});
      break;
    case 8: { // CI007: three years older than the year group
      const Date dob = *Date::parse(p.dob);
      p.dob = Date::from_ymd(dob.year() - 3, dob.month(), std::min(dob.day(), 28u))->iso();
      defects_.push_back({"CI007", s.laestab, upn, upn, "DOB three years early for the NC year"});
      break;
    }
    case 9: // CI008 + IN004: an old code
      p.sen = "S";
      p.needs.clear();
      defects_.push_back({"CI008", s.laestab, upn, upn, "SENprovision S (the pre-2014 statement code)"});
      defects_.push_back({"IN004", s.laestab, upn + ".SENprovision", upn, "SENprovision S"});
      break;
    case 10: // IN003: an entry date that cannot be read
      p.entry_date = "04/13/2020";
      defects_.push_back({"IN003", s.laestab, upn + (opt_.format == "csv" ? ".entry_date" : ".EntryDate"), upn,
                          "EntryDate 04/13/2020"});
      break;
    }
    if (opt_.format == "csv") { // CSV column names differ from XML element names in the subject
      for (auto& d : defects_) {
        if (d.subject == upn + ".DOB")
          d.subject = upn + ".dob";
        else if (d.subject == upn + ".SENprovision")
          d.subject = upn + ".sen_provision";
      }
    }
  }

  // EHC needs assessment cases. Each case follows a scenario whose outcome is known (a timely plan,
  // a late one, a refusal...), so truth.json lists the EH findings each must raise; the shares are
  // set near the DfE's 2023-24 national figures (about half of plans within 20 weeks, about one
  // in ten an exception case, about a quarter of requests refused).
  void make_ehc_cases() {
    const Date ref = opt_.reference_date;
    const Date first = *Date::from_ymd(ref.year() - 2, 6, 1);
    const int span = ref.days_since(first);
    std::size_t pupils = 0;
    for (const auto& s : schools_)
      pupils += s.pupils.size();
    const int n = std::max(12, static_cast<int>(std::lround(static_cast<double>(pupils) * 0.015 * span / 365.0)));
    const std::array<double, 13> weights{44, 26, 5, 3, 10, 2, 3, 1, 3, 2, 1, 2, 2};
    const std::vector<std::string> reasons{"school_closure", "ey_closure", "personal_circumstances", "absence"};
    for (int i = 0; i < n; ++i) {
      GenCase c;
      c.id = "EH-" + pad(i + 1, 5);
      if (!r_.chance(0.08)) { // most requests are for a child at one of the LA's schools
        const int si = r_.between(0, static_cast<int>(schools_.size()) - 1);
        GenSchool& s = schools_[static_cast<std::size_t>(si)];
        if (!s.touched)
          if (GenPupil* p = clean_pupil(s)) { // a pupil with no census defect, so that the plan matches the census
            p->touched = true;
            c.upn = p->upn;
            c.laestab = s.laestab;
            c.school = si;
            c.pupil = static_cast<int>(p - s.pupils.data());
          }
      }
      c.need = std::string(need_type_names[r_.pick(cal::mainstream_ehc_need_mix)]);
      // The first cases take every scenario in turn, so that even a small LA exercises every rule.
      const int scenario = i < static_cast<int>(weights.size()) ? i : static_cast<int>(r_.pick(weights));
      auto day = [&](Date d, int n) { return d.plus_days(n).iso(); };
      auto expect = [&](const char* rule, const char* note) {
        defects_.push_back({rule, c.laestab, c.id, c.upn, note});
      };
      // A request date with room for `days` before the reference date.
      auto request_before = [&](int days) { return first.plus_days(r_.between(0, std::max(0, span - days))); };
      auto plan = [&](int days, bool exception) {
        const Date req = request_before(days);
        c.request = req.iso();
        c.request_outcome = "Y";
        c.request_outcome_date = day(req, r_.between(15, 42));
        c.assessment_outcome = "Y";
        c.assessment_outcome_date = day(req, std::min(days, r_.between(70, 112)));
        c.plan = day(req, days);
        if (exception)
          c.exception = "Y", c.reason = reasons[static_cast<std::size_t>(r_.between(0, 3))];
        else
          c.exception = "N";
        // Reviewed within the 12 months before the reference date when the plan is older than that.
        const Date issued = req.plus_days(days);
        if (issued < ehcp_year_before(ref)) c.review = day(ehcp_year_before(ref), r_.between(1, 300));
        return req;
      };
      switch (scenario) {
      case 0: plan(r_.between(90, 140), false); break; // within 20 weeks
      case 1: plan(r_.between(141, 420), false), expect("EH005", "plan after 20 weeks, no exception"); break;
      case 2: plan(r_.between(141, 300), true), expect("EH006", "plan after 20 weeks under an exception"); break;
      case 3: plan(r_.between(90, 140), true); break; // an exception case that still met 20 weeks
      case 4: {                                       // refused within 6 weeks
        const Date req = request_before(60);
        c.request = req.iso(), c.request_outcome = "N", c.request_outcome_date = day(req, r_.between(20, 42));
        break;
      }
      case 5: { // refused after 6 weeks
        const Date req = request_before(80);
        c.request = req.iso(), c.request_outcome = "N", c.request_outcome_date = day(req, r_.between(43, 70));
        expect("EH004", "refused after 6 weeks");
        break;
      }
      case 6:
      case 7: { // assessed, then no plan: in time, or late
        const Date req = request_before(160);
        c.request = req.iso(), c.request_outcome = "Y", c.request_outcome_date = day(req, r_.between(20, 42));
        c.assessment_outcome = "N";
        c.assessment_outcome_date = day(req, scenario == 6 ? r_.between(80, 112) : r_.between(113, 150));
        if (scenario == 7) expect("EH008", "decision not to issue after 16 weeks");
        break;
      }
      case 8: { // open, inside 20 weeks (undecided only while under 6 weeks)
        const int age = r_.between(1, 140);
        const Date req = ref.plus_days(-age);
        c.request = req.iso();
        if (age > 42 || r_.chance(0.5))
          c.request_outcome = "Y", c.request_outcome_date = day(req, r_.between(1, std::min(age, 42)));
        else
          c.request_outcome = "A";
        c.assessment_outcome = "A";
        break;
      }
      case 9: { // open beyond 20 weeks
        const Date req = ref.plus_days(-r_.between(141, 300));
        c.request = req.iso(), c.request_outcome = "Y", c.request_outcome_date = day(req, r_.between(15, 42));
        c.assessment_outcome = "A";
        expect("EH007", "open after 20 weeks");
        break;
      }
      case 10: { // undecided after 6 weeks
        const Date req = ref.plus_days(-r_.between(43, 120));
        c.request = req.iso(), c.request_outcome = "A";
        expect("EH004", "undecided after 6 weeks");
        break;
      }
      case 11: { // withdrawn
        const Date req = request_before(60);
        c.request = req.iso(), c.request_outcome = "W", c.request_outcome_date = day(req, r_.between(5, 40));
        break;
      }
      case 12: { // a timely plan whose annual review is overdue
        const Date req = first.plus_days(r_.between(0, 60));
        c.request = req.iso(), c.request_outcome = "Y", c.request_outcome_date = day(req, 30);
        c.assessment_outcome = "Y", c.assessment_outcome_date = day(req, 100), c.plan = day(req, 130),
        c.exception = "N";
        c.review = ehcp_year_before(ref).plus_days(-r_.between(1, 120)).iso();
        if (*Date::parse(c.review) < *Date::parse(c.plan)) c.review.clear();
        expect("EH009", "annual review overdue");
        break;
      }
      }
      cases_.push_back(std::move(c));
    }
    inject_case_defects();
  }

  // A plan issued from a scenario case makes its pupil E with the plan's primary need.
  void align_census_with_plans() {
    const Date ref = opt_.reference_date;
    for (const auto& c : cases_) {
      if (c.pupil < 0 || c.plan.empty() || !c.ceased.empty()) continue;
      const auto issued = Date::parse(c.plan);
      if (!issued || *issued > ref) continue;
      GenPupil& p = schools_[static_cast<std::size_t>(c.school)].pupils[static_cast<std::size_t>(c.pupil)];
      p.sen = "E";
      p.needs = {{1, c.need}};
      p.has_plan = true;
    }
  }

  static bool main_registration(const GenPupil& p) { return p.enrol == "C" || p.enrol == "M"; }
  static std::string primary_of(const GenPupil& p) {
    for (const auto& [rank, type] : p.needs)
      if (rank == 1 && parse_need_type(type)) return type;
    return {};
  }

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

  std::string other_need(const std::string& not_this) {
    for (;;) {
      const std::string n(need_type_names[static_cast<std::size_t>(r_.between(0, 11))]); // never NSA
      if (n != not_this) return n;
    }
  }

  // Primary-need coding defects (PN001-PN009, PN011, and the school mixes behind PN010 and PN012).
  void inject_need_defects() {
    if (opt_.defect_rate <= 0) return;
    std::size_t pupils = 0;
    for (const auto& s : schools_)
      pupils += s.pupils.size();
    const int per_kind =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(pupils) * opt_.defect_rate / 15)));
    const bool spring = opt_.term == "SPR"; // need types are checked in spring returns only
    auto support = [](const GenSchool&, const GenPupil& p) {
      return p.sen == "K" && !primary_of(p).empty() && primary_of(p) != "NSA";
    };
    auto none = [](const GenSchool&, const GenPupil& p) { return p.sen == "N" && p.needs.empty(); };
    auto expect = [&](const char* rule, const GenSchool& s, const GenPupil& p, const char* note,
                      std::string subject = {}) {
      defects_.push_back({rule, s.laestab, subject.empty() ? p.upn : subject, p.upn, note});
    };
    for (int k = 0; k < per_kind; ++k) {
      if (spring) {
        if (auto [s, p] = pick_pupil(support); p) p->needs.clear(), expect("PN001", *s, *p, "SEN support with no need");
        // A CSV return has one column per rank, so two rank-1 needs can only be written in XML.
        if (opt_.format == "xml")
          if (auto [s, p] = pick_pupil(support); p) {
            p->needs = {{1, primary_of(*p)}, {1, other_need(primary_of(*p))}};
            expect("PN002", *s, *p, "two needs at rank 1");
          }
        if (auto [s, p] = pick_pupil(support); p) {
          p->needs = {{1, "AUTISM"}};
          expect("PN003", *s, *p, "need type AUTISM");
          expect("IN004", *s, *p, "need type AUTISM", p->upn + (opt_.format == "csv" ? ".sen_need_1" : ".SENtype"));
        }
        if (auto [s, p] = pick_pupil(none); p) p->needs = {{1, "SLCN"}}, expect("PN004", *s, *p, "no SEN but a need");
        if (auto [s, p] = pick_pupil(support); p) {
          p->needs = {{1, primary_of(*p)}, {2, "NSA"}};
          expect("PN005", *s, *p, "NSA at rank 2");
        }
        if (auto [s, p] = pick_pupil(support); p) {
          p->needs = {{1, primary_of(*p)}, {2, primary_of(*p)}};
          expect("PN006", *s, *p, "same need at rank 1 and 2");
        }
        if (auto [s, p] = pick_pupil(support); p) {
          p->sen = "E";
          p->plan_need = other_need(primary_of(*p));
          expect("PN007", *s, *p, "the LA's plan records another need");
        }
        if (auto [s, p] =
                pick_pupil([](const GenSchool& s, const GenPupil& p) { return s.phase == "primary" && p.sen == "K"; });
            p) {
          p->needs = {{1, "PMLD"}};
          expect("PN011", *s, *p, "PMLD at SEN support in a primary school");
        }
      }
      if (auto [s, p] = pick_pupil(support); p)
        p->sen = "E", p->no_plan = true, expect("PN008", *s, *p, "E with no plan held");
      if (auto [s, p] = pick_pupil(none); p) p->plan_need = "SLCN", expect("PN009", *s, *p, "plan held, census says N");
    }
    if (!spring) return;
    // School mixes: one school with many SEN support pupils at NSA (PN012), and a primary school with an
    // SEMH excess and another with a VI excess (PN010); the truth for both rules is computed afterwards.
    auto recode = [&](GenSchool& s, const std::string& need, double share) {
      std::vector<GenPupil*> eligible;
      for (auto& p : s.pupils)
        if (!p.touched && p.enrol == "C" && p.sen == "K" && !primary_of(p).empty()) eligible.push_back(&p);
      const auto n = static_cast<std::size_t>(std::ceil(static_cast<double>(eligible.size()) * share));
      for (std::size_t i = 0; i < n && i < eligible.size(); ++i) {
        eligible[i]->needs = {{1, need}};
        eligible[i]->touched = true;
      }
      s.touched = true;
      mix_altered_.push_back(s.laestab);
    };
    std::vector<GenSchool*> primaries, others;
    for (auto& s : schools_)
      if (!s.touched) (s.phase == "primary" ? primaries : others).push_back(&s);
    if (primaries.size() >= 4) {
      recode(*primaries[0], "SEMH", 0.6);
      recode(*primaries[1], "VI", 0.35);
      recode(*primaries[2], "NSA", 0.25);
    } else if (!primaries.empty()) {
      recode(*primaries[0], "NSA", 0.25);
    }
  }

  // The LA holds a plan for every pupil recorded E (the caseload), issued before this year's cases,
  // on time and reviewed within the last 12 months; PN008 pupils have none, PN009 pupils have one.
  void make_caseload_plans() {
    const Date ref = opt_.reference_date;
    std::set<std::string> planned;
    for (std::size_t si = 0; si < schools_.size(); ++si)
      for (std::size_t pi = 0; pi < schools_[si].pupils.size(); ++pi) {
        GenPupil& p = schools_[si].pupils[pi];
        if (!main_registration(p) || p.has_plan || p.no_plan) continue;
        if (p.sen != "E" && p.plan_need.empty()) continue;
        if (!planned.insert(p.upn).second) continue; // one plan per UPN (CI004/CI005 pairs share one)
        GenCase c;
        c.id = "EH-" + pad(static_cast<int>(cases_.size()) + 1, 5);
        c.school = static_cast<int>(si);
        c.pupil = static_cast<int>(pi);
        c.upn = p.upn;
        c.laestab = schools_[si].laestab;
        const Date req = ref.plus_days(-r_.between(400, 2500));
        c.request = req.iso();
        c.request_outcome = "Y", c.request_outcome_date = req.plus_days(30).iso();
        c.assessment_outcome = "Y", c.assessment_outcome_date = req.plus_days(100).iso();
        c.plan = req.plus_days(120).iso();
        c.exception = "N";
        c.need = p.plan_need.empty() ? primary_of(p) : p.plan_need;
        if (c.need.empty()) c.need = "OTH";
        const Date review = ref.plus_days(-r_.between(1, 300));
        if (review >= req.plus_days(120)) c.review = review.iso();
        p.has_plan = true;
        cases_.push_back(std::move(c));
      }
  }

  // PN010 and PN012 follow from each school's need mix: their expected findings are computed here
  // from the definitions in spec/rules.md, independently of the plugin's code.
  void expect_need_share_findings() {
    if (opt_.term != "SPR") return;
    struct Mix {
      const GenSchool* school;
      std::int64_t sen = 0, support = 0, nsa = 0;
      std::array<std::int64_t, 13> need{};
    };
    std::vector<Mix> mixes;
    for (const auto& s : schools_) {
      Mix m{&s};
      for (const auto& p : s.pupils) {
        if (!main_registration(p) || (p.sen != "K" && p.sen != "E")) continue;
        const std::string primary = primary_of(p);
        if (p.sen == "K") ++m.support, m.nsa += primary == "NSA";
        if (primary.empty()) continue;
        ++m.sen;
        ++m.need[static_cast<std::size_t>(*parse_need_type(primary))];
      }
      mixes.push_back(m);
    }
    for (const Mix& m : mixes) {
      if (m.support >= 5 && m.nsa * 100 > 10 * m.support)
        defects_.push_back({"PN012", m.school->laestab, m.school->laestab, "", "NSA over 10% of SEN support"});
      if (m.sen < 10) continue;
      std::int64_t total = 0;
      int others = 0;
      std::array<std::int64_t, 13> comp{};
      for (const Mix& o : mixes)
        if (o.school != m.school && o.school->phase == m.school->phase) {
          ++others;
          total += o.sen;
          for (std::size_t n = 0; n < 13; ++n)
            comp[n] += o.need[n];
        }
      if (total == 0 || others < 2) continue;
      for (std::size_t n = 0; n < 13; ++n) {
        const double share = static_cast<double>(m.need[n]) / static_cast<double>(m.sen);
        const double expected = static_cast<double>(comp[n]) / static_cast<double>(total);
        if (std::fabs(share - expected) * 100.0 < 10.0) continue;
        if (binomial_p(static_cast<int>(m.need[n]), static_cast<int>(m.sen), expected) >= 0.001) continue;
        defects_.push_back({"PN010", m.school->laestab, std::string(need_type_names[n]), "",
                            "need share far from the LA's other schools of the phase"});
      }
    }
  }

  // Two-sided exact binomial p-value by a log-space recurrence over the pmf.
  static double binomial_p(int k, int n, double p) {
    if (p <= 0.0) return k == 0 ? 1.0 : 0.0;
    if (p >= 1.0) return k == n ? 1.0 : 0.0;
    std::vector<double> log_pmf(static_cast<std::size_t>(n) + 1);
    log_pmf[0] = n * std::log1p(-p);
    for (int i = 1; i <= n; ++i)
      log_pmf[i] = log_pmf[i - 1] + std::log(static_cast<double>(n - i + 1) / i) + std::log(p / (1 - p));
    double total = 0;
    for (int i = 0; i <= n; ++i)
      if (log_pmf[i] <= log_pmf[k] + 1e-7) total += std::exp(log_pmf[i]);
    return std::min(1.0, total);
  }

  // previous/: the previous spring census, the same pupils a year earlier, with a few primary needs
  // that have since changed (PN013).
  void write_previous_term() {
    std::vector<GenSchool> previous = schools_;
    const Date prev_date = ehcp_year_before(opt_.reference_date);
    for (auto& s : previous) {
      s.reference_date = prev_date.iso();
      s.return_lea = opt_.la;
    }
    if (opt_.term == "SPR" && opt_.defect_rate > 0) {
      std::size_t pupils = 0;
      for (const auto& s : schools_)
        pupils += s.pupils.size();
      const int changes =
          std::max(1, static_cast<int>(std::lround(static_cast<double>(pupils) * opt_.defect_rate / 15)));
      for (int k = 0; k < changes; ++k) {
        auto [s, p] = pick_pupil([](const GenSchool&, const GenPupil& p) {
          return (p.sen == "K" || p.sen == "E") && !primary_of(p).empty() && primary_of(p) != "NSA";
        });
        if (!p) break;
        auto& before = previous[static_cast<std::size_t>(s - schools_.data())]
                           .pupils[static_cast<std::size_t>(p - s->pupils.data())];
        before.needs = {{1, other_need(primary_of(*p))}};
        defects_.push_back({"PN013", s->laestab, p->upn, p->upn, "primary need changed since last spring"});
      }
    }
    census_root_ = opt_.out / "previous";
    census_date_ = prev_date;
    fs::create_directories(census_root_ / "census");
    if (opt_.format == "csv") {
      std::swap(schools_, previous);
      write_csv();
      std::swap(schools_, previous);
    } else {
      for (auto& s : previous)
        write_xml(s);
    }
    std::ofstream(census_root_ / "censusqa.json")
        << "{\n  \"la_code\": \"" << opt_.la << "\",\n  \"reference_date\": \"" << prev_date.iso()
        << "\",\n  \"term\": \"SPR\"\n}\n";
    census_root_ = opt_.out;
    census_date_ = opt_.reference_date;
  }

  // The financial year end the balances are for: the last 31 March before the census.
  Date year_end() const {
    const Date ref = opt_.reference_date;
    return *Date::from_ymd(ref.month() >= 4 ? ref.year() : ref.year() - 1, 3, 31);
  }

  // Money as LA finance exports write it, in several styles.
  std::string money_text(std::int64_t pence) {
    const std::int64_t abs = pence < 0 ? -pence : pence;
    std::string whole = std::to_string(abs / 100);
    const int style = r_.between(0, 3);
    if (style >= 1)
      for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3)
        whole.insert(static_cast<std::size_t>(i), ",");
    std::string text = whole;
    if (abs % 100 != 0 || style == 2) text += "." + pad(static_cast<int>(abs % 100), 2);
    if (style == 3 && pence >= 0) text = "\xC2\xA3" + text;
    if (pence < 0) text = style == 1 ? "(" + text + ")" : "-" + text;
    return text;
  }

  // Balances and commitments for the maintained schools. Each school follows a scenario; the truth
  // follows from the scheme's arithmetic on the figures written (8%, or 5% for secondary; floor 25,000).
  void make_finance() {
    const Date fye = year_end();
    const std::vector<std::string> purposes{
        "unspent_grant", "prior_year_commitment", "capital_project", "ict_equipment",
        "redundancy",    "falling_rolls",         "staff_sickness"};
    int i = 0;
    for (const auto& s : schools_) {
      if (s.governance != "maintained") continue;
      const std::int64_t per_pupil = s.phase == "secondary" ? 6500
                                     : s.phase == "special" ? 22000
                                     : s.phase == "pru"     ? 26000
                                                            : 5200;
      std::int64_t F = static_cast<std::int64_t>(s.pupils.size()) * per_pupil * 100;
      const int scenario = i < 9 ? i : r_.between(0, 8);
      ++i;
      if (scenario == 4) F = r_.between(150, 280) * 1'000'00; // a small budget share: the floor binds
      const std::int64_t bp = s.phase == "secondary" ? 500 : 800;
      const std::int64_t G = (F * bp + 5000) / 10000;
      const std::int64_t I = std::max<std::int64_t>(G, 25'000'00);
      std::int64_t C = 0, D = 0, pending = 0;
      std::vector<GenCommitment> rows;
      auto commit = [&](std::int64_t amount, const std::string& category, const std::string& decision, Date assigned) {
        rows.push_back({s.laestab, category, money_text(amount),
                        category == "other" ? "Exceptional request: additional support" : category, assigned.iso(),
                        decision});
        if (category != "other" || decision == "approved") D += amount;
        if (category == "other" && decision.empty()) pending += amount;
      };
      const Date recent = fye.plus_days(-r_.between(10, 300));
      switch (scenario) {
      case 0: C = I * r_.between(20, 90) / 100; break;        // comfortably within the maximum
      case 1: C = I + r_.between(1'000, 40'000) * 100; break; // liable
      case 2: {                                               // saved by its commitments
        const std::int64_t over = r_.between(2'000, 30'000) * 100;
        C = I + over;
        commit(over + r_.between(0, 5'000) * 100, purposes[static_cast<std::size_t>(r_.between(0, 6))], "", recent);
        break;
      }
      case 3: { // liable despite commitments
        const std::int64_t d = r_.between(5'000, 20'000) * 100;
        C = I + d + r_.between(1'000, 20'000) * 100;
        commit(d, purposes[static_cast<std::size_t>(r_.between(0, 6))], "", recent);
        break;
      }
      case 4: C = 25'000'00 + r_.between(500, 8'000) * 100; break; // over the floor
      case 5:                                                      // a deficit, sometimes with commitments
        C = -r_.between(2'000, 60'000) * 100;
        if (r_.chance(0.5)) commit(r_.between(500, 3'000) * 100, "staff_sickness", "", recent);
        break;
      case 6: { // an exceptional request pending
        C = I + r_.between(2'000, 15'000) * 100;
        commit(r_.between(1'000, 20'000) * 100, "other", "", recent);
        if (r_.chance(0.5))
          commit(r_.between(1'000, 5'000) * 100, "other", r_.chance(0.5) ? "approved" : "rejected", recent);
        break;
      }
      case 7: // an assignment from long ago
        C = I * r_.between(50, 90) / 100;
        commit(r_.between(1'000, 10'000) * 100, "capital_project", "",
               fye.plus_days(-r_.between(3 * 365 + 5, 6 * 365)));
        break;
      case 8: C = I + (r_.chance(0.5) ? 100 : 0); break; // at the maximum, or a pound over
      }
      const std::int64_t B = scenario == 5 ? r_.between(0, 5'000) * 100 : r_.between(0, 30'000) * 100;
      const std::int64_t A = C + B;
      balances_.push_back({s.laestab, money_text(A), money_text(B), money_text(F)});
      for (auto& r : rows)
        commitments_.push_back(std::move(r));
      // Expected findings, from the definitions.
      const std::int64_t E = C - D, J = std::max<std::int64_t>(0, E - I);
      if (J > 0) defects_.push_back({"CB002", s.laestab, s.laestab, "", "liable to clawback"});
      if (pending > 0) defects_.push_back({"CB003", s.laestab, s.laestab, "", "exceptional request pending"});
      if (D > 0 && D > C)
        defects_.push_back({"CB004", s.laestab, s.laestab, "", "commitments exceed the revenue balance"});
      if (scenario == 7) defects_.push_back({"CB005", s.laestab, s.laestab, "", "assignment older than 3 years"});
      if (C < 0) defects_.push_back({"CB007", s.laestab, s.laestab, "", "revenue deficit"});
    }
    if (opt_.defect_rate <= 0) return;
    // Data errors: a maintained school with no row, one with an unreadable budget share, a row for an
    // academy and one for a school that is not in the register.
    for (auto& b : balances_) {
      if (&b == &balances_.front()) continue;
      b.F = "1,2,3";
      defects_.push_back({"CB001", b.laestab, b.laestab, "", "budget share unreadable"});
      defects_.push_back({"IN003", b.laestab, b.laestab + ".budget_share", "", "budget share 1,2,3"});
      // Its other findings depended on F: the calculation cannot be made now.
      std::erase_if(defects_, [&](const Defect& d) {
        return d.laestab == b.laestab &&
               (d.rule == "CB002" || d.rule == "CB003" || d.rule == "CB004" || d.rule == "CB007");
      });
      break;
    }
    if (!balances_.empty()) {
      const std::string missing = balances_.front().laestab;
      balances_.erase(balances_.begin());
      std::erase_if(defects_, [&](const Defect& d) {
        return d.laestab == missing && d.rule.rfind("CB", 0) == 0 && d.rule != "CB005";
      });
      std::erase_if(commitments_, [&](const GenCommitment& c) { return c.laestab == missing; });
      std::erase_if(defects_, [&](const Defect& d) { return d.laestab == missing && d.rule == "CB005"; });
      defects_.push_back({"CB001", missing, missing, "", "no balances row"});
    }
    for (const auto& s : schools_)
      if (s.governance == "academy") {
        balances_.push_back({s.laestab, money_text(10'000'00), "0", money_text(1'000'000'00)});
        defects_.push_back({"CB006", s.laestab, s.laestab, "", "balances row for an academy"});
        break;
      }
    const std::string stranger = opt_.la + "9999";
    balances_.push_back({stranger, money_text(5'000'00), "0", money_text(500'000'00)});
    defects_.push_back({"CB006", stranger, stranger, "", "balances row for a school not in the register"});
  }

  void write_finance() {
    const std::string fye = year_end().iso();
    std::ofstream b(opt_.out / "balances.csv");
    b << "laestab,financial_year_end,total_balance,capital_balance,budget_share\n";
    for (const auto& r : balances_)
      b << r.laestab << ',' << fye << ',' << csv(r.A) << ',' << csv(r.B) << ',' << csv(r.F) << '\n';
    std::ofstream c(opt_.out / "commitments.csv");
    c << "laestab,category,amount,description,assigned_date,forum_decision\n";
    for (const auto& r : commitments_)
      c << r.laestab << ',' << r.category << ',' << csv(r.amount) << ',' << csv(r.description) << ',' << r.assigned
        << ',' << r.decision << '\n';
  }

  // The school holidays written to the configuration (half term and Christmas of the census's
  // academic year), and school days as AP008 counts them.
  std::vector<std::pair<Date, Date>> holidays() const {
    const int y = academic_year_start_eve(opt_.reference_date).year();
    return {{*Date::from_ymd(y, 10, 28), *Date::from_ymd(y, 11, 1)},
            {*Date::from_ymd(y, 12, 23), *Date::from_ymd(y + 1, 1, 3)}};
  }
  Date sixth_school_day(Date from, int n) const {
    const auto hols = holidays();
    int count = 0;
    for (Date d = from;; d = d.plus_days(1)) {
      const bool holiday =
          std::any_of(hols.begin(), hols.end(), [&](const auto& h) { return d >= h.first && d <= h.second; });
      if (d.iso_weekday_index() < 5 && !holiday && ++count == n) return d;
    }
  }

  // AP placements: provision for permanently excluded pupils (most from day six, some missing), and
  // pupils following scenarios whose expected findings are known.
  void make_placements() {
    const Date ref = opt_.reference_date;
    int next_id = 1;
    auto id = [&] { return "AP-" + pad(next_id++, 4); };
    auto day = [&](int n) { return ref.plus_days(n).iso(); };
    auto expect = [&](const char* rule, const std::string& laestab, const std::string& subject, const std::string& upn,
                      const char* note) {
      defects_.push_back({rule, laestab, subject, upn, note});
    };
    // Day-six provision after each permanent exclusion that is due by the reference date; the first
    // has none (so that even a small LA shows AP008), the rest have it four times in five.
    bool missed_one = false;
    for (auto& s : schools_)
      for (auto& p : s.pupils)
        for (const auto& e : p.exclusions) {
          if (e.category != "PERM") continue;
          const Date start = *Date::parse(e.start);
          const Date sixth = sixth_school_day(start, 6);
          if (sixth > ref) continue;
          if (missed_one && r_.chance(0.8))
            placements_.push_back({id(), p.upn, s.laestab, "permanent_exclusion",
                                   sixth_school_day(start, r_.between(3, 6)).iso(), day(r_.between(30, 90)), "", "",
                                   day(-r_.between(1, 60))});
          else
            expect("AP008", s.laestab, p.upn, p.upn, "no placement by the sixth school day"), missed_one = true;
          p.touched = true;
        }
    // Scenario pupils: secondary pupils in years 7-11 with no exclusions and no other defect.
    std::vector<std::pair<GenSchool*, GenPupil*>> pool;
    for (auto& s : schools_)
      if (s.phase == "secondary" && !s.touched)
        for (auto& p : s.pupils)
          if (!p.touched && p.enrol == "C" && p.exclusions.empty() && p.nc_year.size() <= 2 &&
              std::stoi(p.nc_year) >= 7 && std::stoi(p.nc_year) <= 11)
            pool.push_back({&s, &p});
    std::size_t pupils = 0;
    for (const auto& s : schools_)
      pupils += s.pupils.size();
    const int n = std::min<int>(static_cast<int>(pool.size()), std::max(12, static_cast<int>(pupils / 250)));
    for (int i = 0; i < n; ++i) {
      auto& [school, pupil] = pool[static_cast<std::size_t>(r_.between(0, static_cast<int>(pool.size()) - 1))];
      if (pupil->touched) continue;
      pupil->touched = true;
      const std::string home = school->laestab, upn = pupil->upn;
      const int scenario = i < 12 ? i : r_.between(0, 9);
      switch (scenario) {
      case 0: { // a short preventive placement, returned and sustained
        const int s = r_.between(250, 300);
        placements_.push_back({id(), upn, home, "preventive", day(-s), day(-s + 42), day(-s + r_.between(30, 60)),
                               "same_school", day(-s + 20)});
        break;
      }
      case 1: // open, on plan
        placements_.push_back({id(), upn, home, "preventive", day(-r_.between(20, 60)), day(r_.between(10, 60)), "", "",
                               day(-r_.between(1, 15))});
        break;
      case 2: { // open with no exit plan
        const GenPlacement g{id(), upn, home, "medical", day(-r_.between(20, 60)), "", "", "", day(-5)};
        placements_.push_back(g);
        expect("AP004", home, g.id, upn, "no planned end date");
        break;
      }
      case 3: { // a suspension placement past its 6 weeks
        const GenPlacement g{id(),
                             upn,
                             home,
                             "suspension",
                             day(-r_.between(43, 80)),
                             day(r_.between(5, 20)),
                             "",
                             "",
                             day(-r_.between(1, 10))};
        placements_.push_back(g);
        expect("AP005", home, g.id, upn, "over the limit for its reason");
        break;
      }
      case 4: { // past its planned end by more than two weeks
        const GenPlacement g{id(),
                             upn,
                             home,
                             "medical",
                             day(-r_.between(60, 80)),
                             day(-r_.between(15, 30)),
                             "",
                             "",
                             day(-r_.between(1, 10))};
        placements_.push_back(g);
        expect("AP005", home, g.id, upn, "past the planned end");
        break;
      }
      case 5: { // a long placement not reviewed
        const GenPlacement g{id(),
                             upn,
                             home,
                             "medical",
                             day(-r_.between(100, 200)),
                             day(r_.between(30, 90)),
                             "",
                             "",
                             r_.chance(0.5) ? "" : day(-r_.between(90, 99))};
        placements_.push_back(g);
        expect("AP006", home, g.id, upn, "not reviewed in 12 weeks");
        break;
      }
      case 6: { // a pupil on no school's roll
        const std::string stranger = with_check_letter(opt_.la + "9" + pad(r_.between(100, 999), 3) + pad(next_id, 5));
        const GenPlacement g{id(), stranger, home, "awaiting_placement", day(-30), day(30), "", "", day(-5)};
        placements_.push_back(g);
        expect("AP003", home, g.id, stranger, "pupil on no roll");
        pupil->touched = false; // the census pupil was not used
        break;
      }
      case 7: { // a return that broke down
        const int e = r_.between(150, 200);
        placements_.push_back(
            {id(), upn, home, "preventive", day(-e - 40), day(-e), day(-e), "same_school", day(-e - 20)});
        const int gap = r_.between(10, 84);
        placements_.push_back({id(), upn, home, "other", day(-e + gap), day(-e + gap + 30), day(-e + gap + 30),
                               "other_ap", day(-e + gap + 10)});
        expect("AP007", home, upn, upn, "new placement within 12 weeks of a return");
        break;
      }
      case 8: // three placements in a year
        for (int k = 0; k < 3; ++k) {
          const int s = 300 - 100 * k;
          placements_.push_back({id(), upn, home, "preventive", day(-s), day(-s + 30), day(-s + 30),
                                 k == 2 ? "special" : "other_ap", day(-s + 10)});
        }
        expect("AP010", home, upn, upn, "three placements within 12 months");
        break;
      case 9: { // ended NEET at compulsory school age
        const GenPlacement g{id(), upn, home, "preventive", day(-120), day(-60), day(-60), "neet", day(-90)};
        placements_.push_back(g);
        expect("AP009", home, g.id, upn, "NEET at compulsory school age");
        break;
      }
      case 10: { // data error: ended with no destination
        if (opt_.defect_rate <= 0) break;
        const GenPlacement g{id(), upn, home, "preventive", day(-200), day(-150), day(-150), "", day(-170)};
        placements_.push_back(g);
        expect("AP002", home, g.id, upn, "end date without a destination");
        break;
      }
      case 11: { // data errors: an end before the start, and an id used twice
        if (opt_.defect_rate <= 0 || placements_.empty()) break;
        const GenPlacement g{id(), upn, home, "preventive", day(-100), day(-50), day(-120), "same_school", day(-110)};
        placements_.push_back(g);
        expect("AP001", home, g.id, upn, "end before start");
        GenPlacement dup = placements_.front();
        dup.upn = upn, dup.home = home;
        dup.start = day(-r_.between(20, 40)), dup.planned = day(30), dup.end = "", dup.destination = "",
        dup.review = day(-3);
        dup.reason = "preventive";
        placements_.push_back(dup);
        expect("AP001", home, dup.id, upn, "placement id used twice");
        break;
      }
      }
    }
  }

  void write_placements() {
    std::ofstream o(opt_.out / "ap_placements.csv");
    o << "placement_id,upn,home_laestab,provider_urn,provider_name,provider_type,reason,start_date,planned_end_date,"
         "end_date,destination,last_review_date,dual_registered\n";
    for (const auto& p : placements_)
      o << p.id << ',' << p.upn << ',' << p.home << ",100110,Brook Short Stay School,pru," << p.reason << ',' << p.start
        << ',' << p.planned << ',' << p.end << ',' << p.destination << ',' << p.review << ",Y\n";
  }

  static Date ehcp_year_before(Date d) { return d.years_before(1); }

  // Data errors in the LA's own case records, on refused or timely cases so that nothing else fires.
  void inject_case_defects() {
    if (opt_.defect_rate <= 0) return;
    int forced_refused = 0, forced_plans = 0; // the first eligible cases take each kind of error
    for (auto& c : cases_) {
      auto expect = [&](const char* rule, std::string subject, const char* note) {
        defects_.push_back({rule, c.laestab, std::move(subject), c.upn, note});
      };
      const bool refused_in_time = c.request_outcome == "N" && !c.request_outcome_date.empty() &&
                                   Date::parse(c.request_outcome_date)->days_since(*Date::parse(c.request)) <= 42;
      const bool timely_plan = !c.plan.empty() && c.exception == "N" &&
                               Date::parse(c.plan)->days_since(*Date::parse(c.request)) <= 140 && c.review.empty();
      const bool chosen = r_.chance(std::min(1.0, opt_.defect_rate * 5));
      if (refused_in_time && (chosen || forced_refused < 2)) {
        if (forced_refused++ == 0 || (forced_refused > 2 && r_.chance(0.5))) {
          c.request.clear(), c.request_outcome_date.clear();
          expect("EH001", c.id, "request date missing");
        } else {
          c.request = c.request.substr(0, 5) + "02-30", c.request_outcome_date.clear();
          expect("EH001", c.id, "request date 30 February");
          expect("IN003", c.id + ".request_date", "request date 30 February");
        }
      } else if (timely_plan && (chosen || forced_plans < 3)) {
        switch (forced_plans < 3 ? forced_plans++ : r_.between(0, 2)) {
        case 0: // the plan dated before the decision to issue it
          c.assessment_outcome_date = Date::parse(c.plan)->plus_days(3).iso();
          expect("EH002", c.id, "plan before the assessment outcome");
          break;
        case 1:
          c.exception = "Y", c.reason = "";
          expect("EH003", c.id, "exception without a reason");
          break;
        case 2:
          c.assessment_outcome = "A";
          expect("EH003", c.id, "plan issued without assessment outcome Y");
          break;
        }
      }
    }
  }

  // EH010 follows from the cases: a calendar year in which over 25% of plans were exception cases.
  // With defects on, the earliest year over-uses exceptions: timely plans recorded as exception cases.
  void expect_exception_share() {
    std::map<int, std::pair<int, int>> by_year; // plans, exceptions
    auto count = [&] {
      by_year.clear();
      for (const auto& c : cases_) {
        const auto req = Date::parse(c.request), issued = Date::parse(c.plan);
        if (!req || !issued || *issued < *req) continue;
        auto& [plans, exceptions] = by_year[issued->year()];
        ++plans;
        exceptions += c.exception == "Y";
      }
    };
    count();
    if (opt_.defect_rate > 0 && !by_year.empty()) {
      const int year = by_year.begin()->first;
      auto& [plans, exceptions] = by_year.begin()->second;
      for (auto& c : cases_) {
        if (exceptions * 100 > 25 * plans) break;
        const auto req = Date::parse(c.request), issued = Date::parse(c.plan);
        if (!req || !issued || issued->year() != year || c.exception != "N" || issued->days_since(*req) > 140) continue;
        c.exception = "Y";
        c.reason = "personal_circumstances";
        ++exceptions;
      }
      count();
    }
    for (const auto& [year, counts] : by_year)
      if (counts.second * 100 > 25 * counts.first)
        defects_.push_back({"EH010", "", std::to_string(year), "", "over 25% exception cases"});
  }

  void write_ehc_cases() {
    std::ofstream o(opt_.out / "ehcp_cases.csv");
    o << "case_id,upn,laestab,request_date,request_outcome,request_outcome_date,assessment_outcome,"
         "assessment_outcome_date,plan_issue_date,exception,exception_reason,la_primary_need,last_review_date,"
         "plan_ceased_date\n";
    for (const auto& c : cases_)
      o << c.id << ',' << c.upn << ',' << c.laestab << ',' << c.request << ',' << c.request_outcome << ','
        << c.request_outcome_date << ',' << c.assessment_outcome << ',' << c.assessment_outcome_date << ',' << c.plan
        << ',' << c.exception << ',' << c.reason << ',' << (c.plan.empty() ? "" : c.need) << ',' << c.review << ','
        << c.ceased << '\n';
  }

  static std::string csv(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s)
      o += c == '"' ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
  }

  void write_schools() {
    std::ofstream o(opt_.out / "schools.csv");
    o << "laestab,urn,name,phase,governance\n";
    for (const auto& s : schools_)
      o << s.laestab << ',' << s.urn << ',' << csv(s.name) << ',' << s.phase << ',' << s.governance << '\n';
  }

  void write_xml(GenSchool& s) {
    std::ostringstream o;
    std::uint32_t line = 1;
    auto nl = [&] {
      o << '\n';
      ++line;
    };
    o << R"(<?xml version="1.0" encoding="UTF-8"?>)";
    nl();
    o << "<Message>";
    nl();
    o << "  <Header>";
    nl();
    o << "    <CollectionDetails><Collection>SCHOOL CENSUS</Collection><Term>" << opt_.term << "</Term><Year>"
      << Date::parse(s.reference_date)->year() << "</Year><ReferenceDate>" << s.reference_date
      << "</ReferenceDate></CollectionDetails>";
    nl();
    o << "    <Source><SourceLevel>S</SourceLevel><LEA>" << s.return_lea << "</LEA><Estab>" << s.laestab.substr(3)
      << "</Estab><SchoolName>" << s.name << "</SchoolName></Source>";
    nl();
    o << "  </Header>";
    nl();
    o << "  <School><URN>" << s.urn << "</URN><Phase>"
      << (s.phase == "secondary" ? "SS"
          : s.phase == "primary" ? "PS"
          : s.phase == "special" ? "SP"
                                 : "PR")
      << "</Phase></School>";
    nl();
    o << "  <Pupils>";
    nl();
    for (auto& p : s.pupils) {
      o << "    <PupilOnRoll>";
      nl();
      p.line = line;
      o << "      <UPN>" << p.upn << "</UPN><Surname>" << p.surname << "</Surname><Forename>" << p.forename
        << "</Forename><DOB>" << p.dob << "</DOB><Sex>" << p.sex << "</Sex>";
      nl();
      o << "      <EnrolStatus>" << p.enrol << "</EnrolStatus><NCyearActual>" << p.nc_year
        << "</NCyearActual><EntryDate>" << p.entry_date << "</EntryDate>";
      nl();
      o << "      <FSMeligible>" << (p.fsm ? "true" : "false") << "</FSMeligible>";
      nl();
      o << "      <SENprovision>" << p.sen << "</SENprovision>";
      nl();
      if (!p.needs.empty()) {
        o << "      <SENneeds>";
        for (const auto& [rank, type] : p.needs)
          o << "<SENneed><SENtypeRank>" << rank << "</SENtypeRank><SENtype>" << type << "</SENtype></SENneed>";
        o << "</SENneeds>";
        nl();
      }
      if (!p.exclusions.empty()) {
        o << "      <Exclusions>";
        for (const auto& e : p.exclusions)
          o << "<Exclusion><Category>" << e.category << "</Category><Reason>" << e.reason << "</Reason><StartDate>"
            << e.start << "</StartDate><Sessions>" << e.sessions << "</Sessions></Exclusion>";
        o << "</Exclusions>";
        nl();
      }
      o << "      <TermlyAttendance><SessionsPossible>" << p.possible << "</SessionsPossible><SessionsAuthorised>"
        << p.authorised << "</SessionsAuthorised><SessionsUnauthorised>" << p.unauthorised
        << "</SessionsUnauthorised></TermlyAttendance>";
      nl();
      o << "    </PupilOnRoll>";
      nl();
    }
    o << "  </Pupils>";
    nl();
    o << "</Message>";
    nl();
    std::ofstream(census_root_ / "census" / (s.laestab + ".xml")) << o.str();
  }

  void write_csv() {
    std::ofstream o(census_root_ / "census" / "pupils.csv");
    o << "laestab,upn,surname,forename,dob,sex,enrol_status,nc_year,entry_date,fsm_eligible,sen_provision,sen_need_1,"
         "sen_need_2,sessions_possible,sessions_authorised,sessions_unauthorised\n";
    std::uint32_t line = 1;
    std::ofstream x(census_root_ / "census" / "exclusions.csv");
    x << "laestab,upn,category,reason,start_date,sessions\n";
    for (auto& s : schools_)
      for (auto& p : s.pupils) {
        p.line = ++line;
        auto need = [&](int rank) {
          for (const auto& [r, t] : p.needs)
            if (r == rank) return t;
          return std::string();
        };
        o << s.laestab << ',' << p.upn << ',' << p.surname << ',' << p.forename << ',' << p.dob << ',' << p.sex << ','
          << p.enrol << ',' << p.nc_year << ',' << p.entry_date << ',' << (p.fsm ? "true" : "false") << ',' << p.sen
          << ',' << need(1) << ',' << need(2) << ',' << p.possible << ',' << p.authorised << ',' << p.unauthorised
          << '\n';
        for (const auto& e : p.exclusions)
          x << s.laestab << ',' << p.upn << ',' << e.category << ',' << e.reason << ',' << e.start << ',' << e.sessions
            << '\n';
      }
    std::ofstream(census_root_ / "census" / "census.json")
        << "{\"term\": \"" << opt_.term << "\", \"year\": " << census_date_.year() << ", \"reference_date\": \""
        << census_date_.iso() << "\"}\n";
  }

  std::string holiday_json() const {
    std::string out;
    for (const auto& [from, to] : holidays())
      out += (out.empty() ? "" : ", ") + ("[\"" + from.iso() + "\", \"" + to.iso() + "\"]");
    return out;
  }

  void write_config() {
    std::ofstream(opt_.out / "censusqa.json")
        << "{\n  \"la_code\": \"" << opt_.la << "\",\n  \"la_name\": \"" << opt_.la_name
        << "\",\n  \"reference_date\": \"" << opt_.reference_date.iso() << "\",\n  \"term\": \"" << opt_.term
        << "\",\n  \"financial_year_end\": \"" << year_end().iso() << "\",\n  \"ap-reintegration\": {\"holidays\": ["
        << holiday_json() << "]}\n}\n";
  }

  void write_truth() {
    std::sort(defects_.begin(), defects_.end(), [](const Defect& a, const Defect& b) {
      return std::tie(a.laestab, a.rule, a.subject) < std::tie(b.laestab, b.rule, b.subject);
    });
    std::size_t pupils = 0;
    for (const auto& s : schools_)
      pupils += s.pupils.size();
    std::ofstream o(opt_.out / "truth.json");
    o << "{\n  \"generator\": \"censusqa-gen " << CENSUSQA_GEN_VERSION << "\",\n  \"seed\": " << opt_.seed
      << ",\n  \"schools\": " << schools_.size() << ",\n  \"pupils\": " << pupils
      << ",\n  \"defect_rate\": " << opt_.defect_rate << ",\n  \"census_format\": \"" << opt_.format
      << "\",\n  \"need_mix_altered\": [";
    for (std::size_t i = 0; i < mix_altered_.size(); ++i)
      o << (i ? ", " : "") << "\"" << mix_altered_[i] << "\"";
    o << "],\n  \"defects\": [";
    for (std::size_t i = 0; i < defects_.size(); ++i) {
      const auto& d = defects_[i];
      o << (i ? ",\n    " : "\n    ") << "{\"rule\": \"" << d.rule
        << "\", \"laestab\": " << (d.laestab.empty() ? "null" : "\"" + d.laestab + "\"") << ", \"subject\": \""
        << d.subject << "\", \"upn\": " << (d.upn.empty() ? "null" : "\"" + d.upn + "\"") << ", \"note\": \"" << d.note
        << "\"}";
    }
    o << "\n  ]";
    if (opt_.term_changes > 0) {
      // What changed since the same LA's earlier term (the same seed without --term-changes).
      auto list = [&](const char* key, const std::vector<Defect>& v) {
        o << ",\n  \"" << key << "\": [";
        for (std::size_t i = 0; i < v.size(); ++i)
          o << (i ? ",\n    " : "\n    ") << "{\"rule\": \"" << v[i].rule
            << "\", \"laestab\": " << (v[i].laestab.empty() ? "null" : "\"" + v[i].laestab + "\"")
            << ", \"subject\": \"" << v[i].subject << "\", \"note\": \"" << v[i].note << "\"}";
        o << (v.empty() ? "]" : "\n  ]");
      };
      list("fixed_since_earlier_term", fixed_);
      list("introduced_since_earlier_term", introduced_);
    }
    o << "\n}\n";
    std::cerr << "censusqa-gen: " << schools_.size() << " schools, " << pupils << " pupils, " << cases_.size()
              << " EHC cases, " << defects_.size() << " expected findings -> " << fs::absolute(opt_.out).string()
              << "\n";
  }

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

} // namespace

int main(int argc, char** argv) {
  po::options_description o("censusqa-gen: write a synthetic LA folder with known defects\n\nOptions");
  std::string ref, out;
  Options opt;
  o.add_options()("help,h", "show this help")("schools", po::value<int>(&opt.schools)->default_value(10),
                                              "number of schools")(
      "pupils", po::value<int>(&opt.pupils)->default_value(3000), "number of pupils (before dual registrations)")(
      "seed", po::value<std::uint64_t>(&opt.seed)->default_value(1), "random seed; the same seed gives the same files")(
      "out,o", po::value<std::string>(&out),
      "output LA folder (required)")("la", po::value<std::string>(&opt.la)->default_value("888"), "3-digit LA number")(
      "la-name", po::value<std::string>(&opt.la_name)->default_value("Sampleshire (generated)"),
      "LA name")("defect-rate", po::value<double>(&opt.defect_rate)->default_value(0.01),
                 "share of pupils given an injected defect (0 for clean data)")(
      "census-format", po::value<std::string>(&opt.format)->default_value("xml"),
      "xml (one file per school) or csv (pupils.csv + exclusions.csv)")(
      "reference-date", po::value<std::string>(&ref)->default_value("2025-01-16"), "census reference date")(
      "term", po::value<std::string>(&opt.term)->default_value("SPR"), "census term: AUT, SPR, SUM")(
      "term-changes", po::value<int>(&opt.term_changes)->default_value(0),
      "make a later term of the LA generated with the same seed: this many pupil defects fixed and as many "
      "new ones (listed in truth.json)");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, o), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << o
                << "\nWrites schools.csv, census/, censusqa.json and truth.json (every injected defect and the rule\n"
                   "that must report it).\nExample: censusqa-gen --schools 10 --pupils 3000 --seed 1 --out "
                   "examples/sampleshire\n";
      return 0;
    }
    if (out.empty()) throw po::error("--out DIR is required");
    if (opt.schools < 1 || opt.pupils < 1) throw po::error("--schools and --pupils must be at least 1");
    if (opt.la.size() != 3 || opt.la.find_first_not_of("0123456789") != std::string::npos)
      throw po::error("--la must be 3 digits");
    if (opt.format != "xml" && opt.format != "csv") throw po::error("--census-format must be xml or csv");
    if (!parse_term(opt.term)) throw po::error("--term must be AUT, SPR or SUM");
    const auto d = Date::parse(ref);
    if (!d) throw po::error("--reference-date must be a date as YYYY-MM-DD");
    opt.reference_date = *d;
    opt.out = out;
    Generator(opt).run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "censusqa-gen: " << e.what() << "\nRun 'censusqa-gen --help' for the options.\n";
    return 2;
  }
}
