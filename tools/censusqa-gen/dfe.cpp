// censusqa-gen: what the DfE's own census rules (the dfe-census plugin) read. The clean data carries it
// (ULNs for pupils aged 13 or over, valid FSM periods, AP placements with a provider and a setting), a few
// records break one DfE rule each (truth.json names the rule), and the term-on-term queries (TT0nn) are
// worked out from what the two censuses hold, after a few schools' previous census is changed.
#include "generator.hpp"

#include <censusqa/school_age.hpp>

#include <set>

#include <cstdlib>

namespace censusqa::gen {

namespace {

// The Learning Records Service's ULN: ten digits, the last a check digit. The ESFA's ILR validation
// (DerivedData_01): the first nine digits weighted 10, 9, ..., 2, summed, modulo 11; a remainder of 0 is
// no ULN, otherwise the check digit is 10 minus the remainder.
std::string uln_with_check_digit(std::uint64_t body9) {
  std::string d = std::to_string(body9);
  int total = 0;
  for (int i = 0; i < 9; ++i)
    total += (d[static_cast<std::size_t>(i)] - '0') * (10 - i);
  const int rem = total % 11;
  if (rem == 0) return {};
  return d + static_cast<char>('0' + (10 - rem));
}

int age_on(const GenPupil& p, Date day) {
  const auto dob = Date::parse(p.dob);
  return dob ? dob->age_on(day) : -1;
}

// What the term-on-term queries count in one return: pupils whose EnrolStatus (as written) is C or M.
struct TontCounts {
  long long infant_fsm = 0, fsm = 0, ehc_plan = 0, sen_support = 0;
};

TontCounts tont_counts(const GenSchool& s, Date census_day) {
  TontCounts c;
  for (const auto& p : s.pupils) {
    if ((p.omit & omit_enrol) || (p.enrol != "C" && p.enrol != "M")) continue;
    // Eligible on census day as the loader works it out from the periods written (census_part.cpp).
    const bool eligible = std::any_of(p.fsm_periods.begin(), p.fsm_periods.end(), [&](const GenPupil::FsmPeriod& f) {
      const auto start = Date::parse(f.start);
      if (!start || *start > census_day) return false;
      if (!f.end.empty()) {
        const auto end = Date::parse(f.end);
        if (end && *end < census_day) return false;
      }
      return f.country.empty() || f.country == "ENG";
    });
    const bool year = !(p.omit & omit_year);
    const bool infant = year && (p.nc_year == "R" || p.nc_year == "1" || p.nc_year == "2");
    c.fsm += eligible;
    c.infant_fsm += eligible && infant;
    c.ehc_plan += p.sen == "E";
    c.sen_support += p.sen == "K";
  }
  return c;
}

} // namespace

// ULNs for every pupil (and leaver) aged 13 or over on census day: COLLECT requires one from 14 (DfE rules
// 1570 and 1573); the same pupil has the same ULN on every roll (dual registrations), and no two pupils
// share one (1578). Run again for the pupils put on roll since: those with one keep it.
void Generator::assign_ulns() {
  auto give = [&](GenPupil& p) {
    if (p.uln_removed || p.upn.empty() || age_on(p, opt_.reference_date) < 13) return;
    if (!p.uln.empty()) {
      ulns_.emplace(p.upn, p.uln);
      return;
    }
    auto [it, fresh] = ulns_.emplace(p.upn, std::string());
    if (fresh) do
        it->second = uln_with_check_digit(uln_next_ += 7); // deterministic: no draws
      while (it->second.empty());
    p.uln = it->second;
  };
  for (auto& s : schools_) {
    for (auto& p : s.pupils)
      give(p);
    for (auto& p : s.leavers)
      give(p);
  }
}

// One record (or more) breaking one DfE rule of each group that no census-integrity or primary-need defect
// already breaks: identity (1570 no ULN at 14 or over, 1580 no surname), status (1940 part-time at
// compulsory school age), FSM (1768 two open periods), school-arranged AP (2364 no provider or setting);
// and a special school's pupil without SEN (CI019, DfE 2180), which the clean population no longer has.
// The term-on-term queries are made in previous/ (change_previous_term).
void Generator::inject_dfe_defects() {
  if (opt_.defect_rate <= 0) return;
  const Date ref = opt_.reference_date, aug31 = academic_year_start_eve(ref);
  if (auto [s, p] = pick_pupil(
          [&](const GenSchool&, const GenPupil& p) { return !p.uln.empty() && age_on(p, ref) >= 14 && p.omit == 0; });
      p) {
    p->uln.clear();
    p->uln_removed = true;
    defects_.push_back(
        {"DFE1570", s->laestab, p->upn, p->upn, "no ULN, aged " + std::to_string(age_on(*p, ref)) + " on census day"});
  }
  if (auto [s, p] = pick_pupil([&](const GenSchool&, const GenPupil& p) { return p.omit == 0; }); p) {
    p->surname.clear();
    defects_.push_back({"DFE1580", s->laestab, p->upn, p->upn, "Surname empty"});
  }
  if (auto [s, p] = pick_pupil([&](const GenSchool&, const GenPupil& p) {
        const int age = age_on(p, aug31);
        return !p.part_time && age >= 5 && age <= 15;
      });
      p) {
    p->part_time = true; // listed with the other part-time pupils of compulsory school age (expect_part_time_queries)
  }
  if (auto [s, p] = pick_pupil([&](const GenSchool&, const GenPupil& p) {
        return p.fsm_periods.size() == 1 && p.fsm_periods[0].end.empty() && p.fsm_periods[0].country == "ENG" &&
               Date::parse(p.fsm_periods[0].start)->plus_days(30) < ref;
      });
      p) {
    // The same claim entered twice: a second open period a month after the first.
    p->fsm_periods.push_back({Date::parse(p->fsm_periods[0].start)->plus_days(30).iso(), "", "ENG"});
    defects_.push_back({"DFE1768", s->laestab, p->upn, p->upn, "two open FSM periods"});
  }
  // CI019 (DfE 2180): a special school's pupil at SEN support recorded with no SEN (its needs cleared too,
  // or it would be PN004's as well).
  if (auto [s, p] =
          pick_pupil([&](const GenSchool& s, const GenPupil& p) { return s.phase == "special" && p.sen == "K"; });
      p) {
    p->sen = "N";
    p->needs.clear();
  }
  if (opt_.term != "AUT")
    if (auto [s, p] = pick_pupil([&](const GenSchool&, const GenPupil& p) { return p.ap.size() == 1; }); p) {
      auto& a = p->ap[0];
      a.urn.clear(), a.ukprn.clear(), a.setting.clear();
      defects_.push_back({"DFE2364", s->laestab, p->upn, p->upn, "AP placement without URN, UKPRN or setting type"});
    }
}

// previous/: two schools whose counts moved since the previous census, so that the term-on-term queries
// have something to find: in one, a third of today's pupils at SEN support had none then (TT061); in
// another, a third of today's FSM-eligible pupils were not eligible then (TT041, and TT031 when enough of
// them are infants). Only pupils whose previous record is otherwise the same as today's are changed (not
// PN013's, whose previous need differs).
void Generator::change_previous_term(std::vector<GenSchool>& previous) {
  if (opt_.defect_rate <= 0) return;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < schools_.size(); ++i)
    if (schools_[i].phase == "primary" && !schools_[i].touched) order.push_back(i);
  if (order.size() < 2) return;
  // Its own draws: the LA's stream (r_) has drawn a term-dependent number of times by now (the DFE defects'
  // picks), and the schools chosen must be the same in every term.
  Random pick{opt_.seed ^ 0x70e7c4a9e5ull};
  const std::size_t a = order[static_cast<std::size_t>(pick.between(0, static_cast<int>(order.size()) - 1))];
  std::size_t b = a;
  while (b == a)
    b = order[static_cast<std::size_t>(pick.between(0, static_cast<int>(order.size()) - 1))];
  int k = 0;
  for (std::size_t i = 0; i < schools_[a].pupils.size(); ++i) {
    GenPupil& then = previous[a].pupils[i];
    if (schools_[a].pupils[i].sen != "K" || then.needs != schools_[a].pupils[i].needs) continue;
    if (k++ % 3 == 0) {
      then.sen.assign(1, 'N'); // not = "N": GCC 12 -O3 sees a false -Wrestrict overlap in _M_replace
      then.needs.clear();
    }
  }
  k = 0;
  for (std::size_t i = 0; i < schools_[b].pupils.size(); ++i) {
    GenPupil& then = previous[b].pupils[i];
    if (then.fsm_periods.empty()) continue;
    if (k++ % 3 == 0) then.fsm_periods.clear();
  }
}

// The term-on-term queries the two censuses raise (TT031..TT063, the dfe-census plugin's defaults: a change
// of more than 20% of the previous count and of at least 5 pupils; D: none then, some now), school by school.
void Generator::expect_term_on_term(const std::vector<GenSchool>& previous) {
  const Date prev_date = ehcp_year_before(opt_.reference_date);
  struct Query {
    int number;
    long long TontCounts::*count;
    const char* what;
  };
  const Query queries[] = {{3, &TontCounts::infant_fsm, "infant pupils eligible for FSM"},
                           {4, &TontCounts::fsm, "pupils eligible for FSM"},
                           {5, &TontCounts::ehc_plan, "pupils with an EHC plan"},
                           {6, &TontCounts::sen_support, "pupils at SEN support"}};
  for (std::size_t i = 0; i < schools_.size(); ++i) {
    const TontCounts now = tont_counts(schools_[i], opt_.reference_date), then = tont_counts(previous[i], prev_date);
    for (const Query& q : queries) {
      const long long n = now.*q.count, t = then.*q.count, diff = n - t;
      const std::string counts =
          std::to_string(n) + " " + q.what + ", " + std::to_string(t) + " in the previous census";
      const std::string code = "TT0" + std::to_string(q.number);
      if (t > 0 && std::llabs(diff) >= 5 && static_cast<double>(std::llabs(diff)) * 100.0 > 20.0 * t)
        defects_.push_back({code + (diff > 0 ? "1" : "2"), schools_[i].laestab, schools_[i].laestab, "", counts});
      if (t == 0 && n > 0) defects_.push_back({code + "3", schools_[i].laestab, schools_[i].laestab, "", counts});
    }
  }
}

// The DfE's queries that clean data raises too, as COLLECT would: an FSM period with an end date (1767:
// FSM protection makes one unexpected, and the school explains it), a school with fewer than 95% sole
// registrations (1870: the PRU), more than 45% with an FSM period (1750), a record given twice (CI004) whose
// ULN is then twice too (1578), and a year between the school's lowest and highest with no pupil (2040:
// the written range is the pupils', so a PRU's has gaps).
void Generator::expect_dfe_queries() {
  for (const GenSchool& s : schools_) {
    long long sole = 0, counted = 0, with_fsm = 0;
    std::set<int> years;
    std::set<std::string> ulns;
    int lowest = 99, highest = -99;
    for (const GenPupil& p : s.pupils) {
      if (std::any_of(p.fsm_periods.begin(), p.fsm_periods.end(), [](const auto& f) { return !f.end.empty(); }))
        defects_.push_back({"DFE1767", s.laestab, p.upn, p.upn, "FSM period with an end date"});
      if (!(p.omit & omit_enrol)) ++counted, sole += p.enrol == "C";
      with_fsm += !p.fsm_periods.empty();
      if (!p.uln.empty() && !ulns.insert(p.uln).second) // a record twice (CI004): its ULN twice too
        defects_.push_back({"DFE1578", s.laestab, p.upn, p.upn, "ULN on two records of the return"});
      if (!(p.omit & omit_year)) {
        const int y = year_rank(p.nc_year);
        years.insert(y), lowest = std::min(lowest, y), highest = std::max(highest, y);
      }
    }
    if (!s.pupils.empty() && with_fsm * 100 > 45 * static_cast<long long>(s.pupils.size()))
      defects_.push_back({"DFE1750", s.laestab, s.laestab, "", "more than 45% of pupils with an FSM period"});
    if (counted > 0 && sole * 100 < 95 * counted)
      defects_.push_back({"DFE1870", s.laestab, s.laestab, "", "fewer than 95% sole registrations"});
    expect_part_time_queries(s);
    expect_entry_date_queries(s);
    if (opt_.format == "csv") continue; // a CSV census gives no phase or year range: 2040, 1601, 2050 skip
    for (int y = lowest; y <= highest; ++y)
      if (!years.count(y) && year_code(y) != "14") {
        defects_.push_back({"DFE2040", s.laestab, s.laestab, "", "a year group with no pupil"});
        break;
      }
    expect_age_queries(s, lowest, highest);
  }
}

// The age queries COLLECT raises on the final records (a DOB defect such as CI007's makes a pupil three
// years older, and then out of the ages of the school's phase, or part-time at compulsory school age):
// 1601 per pupil and 2050 once for the school, ages on 31 August outside the phase's NC years (a special
// school's or PRU's own lowest and highest) with a year's grace either side, as the dfe-census plugin
// reads them. Worked out here again, not taken from the plugin, so that the truth checks the plugin's
// phase table (dfe-census rules/common.cpp, phase_years and expected_ages) rather than repeating it.
void Generator::expect_age_queries(const GenSchool& s, int lowest, int highest) {
  const std::string code = phase_code(s.phase);
  const bool by_phase = code == "PS" || code == "SS";
  if (!by_phase && lowest > highest) return; // no year group written: the rules skip the school
  const auto [low, high] = code == "PS"   ? std::pair{-4, 6}
                           : code == "SS" ? std::pair{7, 14}
                                          : std::pair{lowest, highest};
  const int youngest = low + 4 - 1, oldest = high + 4 + 1;
  bool outside = false;
  for (const GenPupil& p : s.pupils) {
    const auto dob = Date::parse(p.dob);
    if (!dob) continue;
    const int age = age_at_start_of_school_year(*dob, opt_.reference_date);
    if (age < youngest || age > oldest) {
      defects_.push_back({"DFE1601", s.laestab, p.upn, p.upn, "aged " + std::to_string(age) + " on 31 August"});
      outside = true;
    }
  }
  if (outside) defects_.push_back({"DFE2050", s.laestab, s.laestab, "", "pupils outside the phase's ages"});
}

// The entry-date queries, on every census format: 1885, more than half of the pupils on roll entered
// after the previous census day (the DfE's pattern: previous/ is a year before, not the previous term's);
// in an autumn return, 1881 and 1883, sessions possible in the summer's first (second) half-term for a
// pupil whose entry date is from 1 June (1 August) of that year: a pupil entered after census day (CI012)
// with the summer's attendance, or a PRU's September joiner with an earlier placement's.
void Generator::expect_entry_date_queries(const GenSchool& s) {
  const Date before = previous_census(), ref = opt_.reference_date;
  const Date june = *Date::from_ymd(ref.year(), 6, 1), august = *Date::from_ymd(ref.year(), 8, 1);
  long long counted = 0, recent = 0;
  for (const GenPupil& p : s.pupils) {
    const auto entry = Date::parse(p.entry_date);
    if (!entry || (p.omit & omit_entry)) continue;
    ++counted, recent += *entry > before;
    if (opt_.term != "AUT") continue;
    if (*entry >= june && p.termly.present && p.termly.possible > 0)
      defects_.push_back({"DFE1881", s.laestab, p.upn, p.upn, "summer first half-term sessions before entry"});
    if (*entry >= august && p.summer2.present && p.summer2.possible > 0)
      defects_.push_back({"DFE1883", s.laestab, p.upn, p.upn, "summer second half-term sessions before entry"});
  }
  if (counted > 0 && recent * 2 > counted)
    defects_.push_back(
        {"DFE1885", s.laestab, s.laestab, "", "more than half with an entry date since the last census"});
}

// 1940 (part-time at compulsory school age), on every census format.
void Generator::expect_part_time_queries(const GenSchool& s) {
  for (const GenPupil& p : s.pupils)
    if (const auto dob = Date::parse(p.dob); dob && p.part_time) {
      const int age = age_at_start_of_school_year(*dob, opt_.reference_date);
      if (age >= 5 && age <= 15)
        defects_.push_back({"DFE1940", s.laestab, p.upn, p.upn, "part-time, aged " + std::to_string(age)});
    }
}

} // namespace censusqa::gen
