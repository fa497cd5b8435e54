// The previous census as pupil movement (the pupil-movement plugin) reads it, with the moves it must find:
// the current leavers who were on the roll then (left_on_record), the joiners since (not on any roll then),
// pupils who moved from one school of the LA to another, and pupils on a roll then and on none now
// (vanished, MV001's truth). The counts are in truth.json "movement"; SHAPE.md describes them.
#include "generator.hpp"

#include <censusqa/school_age.hpp>

#include <set>

namespace censusqa::gen {
namespace {

bool main_roll(const GenPupil& p) { return !(p.omit & omit_enrol) && (p.enrol == "C" || p.enrol == "M"); }

// The numeric NC year, or -100 (R, early years, none).
int numeric_year(const std::string& nc) {
  return nc.empty() || !std::isdigit(static_cast<unsigned char>(nc[0])) ? -100 : year_rank(nc);
}

} // namespace

void Generator::move_pupils(std::vector<GenSchool>& previous, Date prev_date) {
  Random r{opt_.seed * 7919 + 22}; // its own stream: the rest of the LA is as it was
  const Date day = opt_.reference_date;
  // Pupils a defect names stay as they are: their truth rests on their records.
  std::set<std::string> named, on_roll_now, placed;
  for (const Defect& d : defects_)
    if (!d.upn.empty()) named.insert(d.upn);
  std::map<std::string, int> rolls; // UPN -> current rolls, any status
  for (const GenSchool& s : schools_)
    for (const GenPupil& p : s.pupils)
      if (!p.upn.empty()) ++rolls[p.upn];
  if (ctf_)
    for (const GenPupil& p : ctf_->pupils)
      named.insert(p.upn);
  for (const GenPlacement& p : placements_)
    placed.insert(p.upn);
  auto top_year = [](const GenSchool& s) {
    int top = -100;
    for (const GenPupil& p : s.pupils)
      top = std::max(top, numeric_year(p.nc_year));
    return top;
  };

  for (std::size_t i = 0; i < previous.size(); ++i) {
    GenSchool& then = previous[i];
    const GenSchool& now = schools_[i];
    // Joiners since the previous census were on no roll then.
    std::erase_if(then.pupils, [&](const GenPupil& p) { return p.joiner && !named.count(p.upn); });
    // The leavers since who were on the roll then: a year lower, status C. Only those with no exclusion,
    // placement or other roll, so that their outcome is the leavers' list and nothing else.
    const int top = top_year(then);
    for (const GenPupil& l : now.leavers) {
      const auto leaving = Date::parse(l.leaving_date), entry = Date::parse(l.entry_date);
      if (l.upn.empty() || named.count(l.upn) || rolls.count(l.upn) || placed.count(l.upn) || !l.exclusions.empty() ||
          !leaving || !entry || *leaving > day || *entry > prev_date || l.touched || l.omit)
        continue;
      const int year = numeric_year(l.nc_year) - 1;
      if (year < 1 || year >= top || year == 11) continue;
      GenPupil p = l;
      p.leaving_date.clear();
      p.enrol = "C";
      p.nc_year = std::to_string(year);
      p.exclusions.clear();
      p.ap.clear();
      p.summer2 = {};
      then.pupils.push_back(std::move(p));
      ++movement_[now.laestab].left_on_record;
    }
  }

  // Moves between two schools of the same phase: on the one's roll then, on the other's now.
  const int moves = std::max(1, opt_.schools / 3), vanish = std::max(1, opt_.schools / 4);
  for (int k = 0, tries = 0; k < moves && tries < 2000; ++tries) {
    const auto to = static_cast<std::size_t>(r.between(0, static_cast<int>(schools_.size()) - 1));
    const auto from = static_cast<std::size_t>(r.between(0, static_cast<int>(schools_.size()) - 1));
    if (to == from || schools_[to].phase != schools_[from].phase ||
        (schools_[to].phase != "primary" && schools_[to].phase != "secondary"))
      continue;
    auto& then_to = previous[to].pupils;
    const int top_from = top_year(previous[from]); // once, not for every candidate
    std::vector<std::size_t> fit;
    for (std::size_t j = 0; j < then_to.size(); ++j) {
      const GenPupil& p = then_to[j];
      const int year = numeric_year(p.nc_year);
      if (main_roll(p) && p.enrol == "C" && !p.joiner && !p.touched && !named.count(p.upn) && rolls[p.upn] == 1 &&
          year >= 1 && year <= 9 && year < top_from)
        fit.push_back(j);
    }
    if (fit.empty()) continue;
    const std::size_t j = fit[static_cast<std::size_t>(r.between(0, static_cast<int>(fit.size()) - 1))];
    named.insert(then_to[j].upn);
    previous[from].pupils.push_back(then_to[j]);
    then_to.erase(then_to.begin() + static_cast<std::ptrdiff_t>(j));
    ++movement_[schools_[from].laestab].moved_out;
    ++movement_[schools_[to].laestab].moved_in;
    ++k;
  }

  // On a roll then and on none now, in no leavers' list or placement: a copy of a pupil of the school
  // with a UPN of its own (an unused serial of the school's UPN series).
  for (int k = 0, tries = 0; k < vanish && tries < 2000; ++tries) {
    const auto at = static_cast<std::size_t>(r.between(0, static_cast<int>(schools_.size()) - 1));
    if (schools_[at].phase == "pru") continue;
    auto& then = previous[at].pupils;
    const int top = top_year(previous[at]);
    std::vector<std::size_t> fit;
    for (std::size_t j = 0; j < then.size(); ++j) {
      const GenPupil& p = then[j];
      const int year = numeric_year(p.nc_year);
      const auto dob = Date::parse(p.dob);
      if (main_roll(p) && p.enrol == "C" && !p.touched && year >= 1 && year <= 9 && year < top && dob &&
          compulsory_school_age(age_at_start_of_school_year(*dob, day)))
        fit.push_back(j);
    }
    if (fit.empty()) continue;
    GenPupil p = then[fit[static_cast<std::size_t>(r.between(0, static_cast<int>(fit.size()) - 1))]];
    const std::string body = schools_[at].laestab + pad(99000 + k, 5);
    p.upn = with_check_letter(body.substr(0, 12));
    if (rolls.count(p.upn) || named.count(p.upn)) continue;
    p.uln.clear();
    p.needs.clear();
    p.sen = "N";
    p.has_plan = false;
    named.insert(p.upn);
    then.push_back(p);
    ++movement_[schools_[at].laestab].vanished;
    defects_.push_back({"MV001", schools_[at].laestab, p.upn, p.upn,
                        "on the previous roll, on no roll, leavers' list or placement now"});
    ++k;
  }

  expect_excluded_nowhere();

  // Joined: on a main roll now (with a UPN), not on the school's main roll then.
  for (std::size_t i = 0; i < previous.size(); ++i) {
    std::set<std::string> then, now;
    for (const GenPupil& p : previous[i].pupils)
      if (main_roll(p) && !p.upn.empty()) then.insert(p.upn);
    for (const GenPupil& p : schools_[i].pupils)
      if (main_roll(p) && !p.upn.empty() && !then.count(p.upn)) now.insert(p.upn);
    movement_[schools_[i].laestab].joined = static_cast<int>(now.size());
  }
}

// MV003's truth, worked out again from what was written (not taken from the plugin): a permanently excluded
// pupil of compulsory school age, six weekdays or more after the exclusion began, on no roll (under the UPN
// or as a FormerUPN: the generator writes none) and in no AP placement open on census day. One per pupil,
// at the first school whose records name them (pupils on roll before leavers, schools in the order written).
void Generator::expect_excluded_nowhere() {
  auto upper_trim = [](std::string u) {
    while (!u.empty() && (u.back() == ' ' || u.back() == '\t'))
      u.pop_back();
    while (!u.empty() && (u.front() == ' ' || u.front() == '\t'))
      u.erase(u.begin());
    for (char& c : u)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u.size() > 64 ? std::string() : u;
  };
  std::set<std::string> on_roll, open_placement, done;
  for (const GenSchool& s : schools_)
    for (const GenPupil& p : s.pupils)
      on_roll.insert(upper_trim(p.upn));
  for (const GenPlacement& a : placements_) {
    const auto start = Date::parse(a.start), end = Date::parse(a.end);
    if (start && *start <= opt_.reference_date && (!end || *end > opt_.reference_date)) open_placement.insert(a.upn);
  }
  auto sixth_weekday = [](Date d) {
    for (int n = 0;; d = d.plus_days(1))
      if (d.iso_weekday_index() < 5 && ++n == 6) return d;
  };
  for (const bool leavers : {false, true})
    for (const GenSchool& s : schools_) {
      const Date day =
          opt_.format == "csv" ? opt_.reference_date : Date::parse(s.reference_date).value_or(opt_.reference_date);
      for (const GenPupil& p : leavers ? s.leavers : s.pupils) {
        const std::string upn = upper_trim(p.upn);
        const auto dob = Date::parse(p.dob);
        if (upn.empty() || done.count(upn)) continue;
        for (const auto& e : p.exclusions) {
          const auto start = Date::parse(e.start);
          if (e.category != "PERM" || !start || sixth_weekday(*start) > day) continue;
          done.insert(upn);
          if (dob && compulsory_school_age(age_at_start_of_school_year(*dob, day)) && !on_roll.count(upn) &&
              !open_placement.count(p.upn))
            defects_.push_back({"MV003", s.laestab, upn, upn, "permanently excluded, on no roll or placement now"});
          break;
        }
      }
    }
}

} // namespace censusqa::gen
