// censusqa-gen: the LA itself: schools, pupils, SEN, dual registrations, and the files that are not census or LA
// records.
#include "generator.hpp"

namespace censusqa::gen {

// The term's own stream: another for each term and reference date, the same whatever else is asked.
std::uint64_t Generator::term_seed(const Options& o) {
  std::uint64_t x = o.seed ^ 0x9e3779b97f4a7c15ull;
  for (const std::uint64_t v : {static_cast<std::uint64_t>(o.reference_date.days_since_epoch()),
                                static_cast<std::uint64_t>(o.term.empty() ? 0 : o.term[0])}) {
    x = (x ^ v) * 0xbf58476d1ce4e5b9ull; // splitmix64's mixing steps
    x ^= x >> 31;
  }
  return x;
}

// The order matters for the main stream only: everything that indexes the pupils on roll with r_ runs
// before the term's pupils are put on another roll (place_excluded_pupils), and the figures that follow
// from the whole census (EH010, PN010, PN012) are worked out last.
void Generator::run() {
  hols_ = make_holidays();
  termly_days_ = school_days(termly_span().from, termly_span().to);
  summer2_days_ = school_days(summer2_span().from, summer2_span().to);
  make_schools();
  for (auto& s : schools_)
    make_pupils(s);
  make_dual_registrations();
  inject_defects();
  make_return_situations();
  make_ehc_cases();
  align_census_with_plans();
  inject_need_defects();
  make_caseload_plans();
  make_finance();
  make_placements();
  assign_ulns();
  inject_dfe_defects();
  introduce_term_changes();
  place_excluded_pupils();
  expect_exception_share();
  expect_need_share_findings();
  expect_special_school_pupils_without_sen();
  expect_dfe_queries();
  assign_ulns(); // the pupils put on roll since
  fs::create_directories(opt_.out / "census");
  census_root_ = opt_.out;
  census_date_ = opt_.reference_date;
  census_term_ = opt_.term;
  write_schools();
  write_returns();
  if (opt_.ehc_source != "sen2") write_ehc_cases();
  if (opt_.ehc_source != "csv") write_sen2();
  write_finance();
  write_placements();
  if (opt_.ap_source != "csv") write_ap_census();
  write_previous_term();
  write_config();
  write_truth();
}

void Generator::make_schools() {
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
    // Census codes for the school (SHAPE.md): governance [L]; type and intake invented from [L]'s lists.
    if (s.governance == "academy") {
      s.gov_code = "CA", s.school_type = phase == "special" ? "36" : "28";
    } else {
      const double x = r_.uniform();
      s.gov_code = phase == "pru" || phase == "special" || x < 0.6 ? "CO" : x < 0.8 ? "VA" : x < 0.9 ? "VC" : "FO";
      s.school_type = phase == "pru"       ? "12"
                      : phase == "special" ? "07"
                      : s.gov_code == "CO" ? "01"
                      : s.gov_code == "VA" ? "02"
                      : s.gov_code == "VC" ? "03"
                                           : "05";
    }
    s.intake = phase == "special" ? "SPEC" : "COMP";
    s.nursery = phase == "primary" && r_.chance(0.45);
    // Some MIS export attendance for pupils over 15 too, which COLLECT rejects (DfE rule 2470): the schools
    // here do not (the draw is kept, so that the rest of the LA stays the same).
    if ((phase == "secondary" || phase == "special") && r_.chance(0.35)) s.attendance_16plus = false;
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
  if (primary >= 3 && std::none_of(schools_.begin(), schools_.end(), [](const GenSchool& s) { return s.nursery; }))
    schools_.front().nursery = true;
  assign_software();
}

// Each school's MIS and how it writes the return. The first three schools in a shuffled order take the
// three attendance styles, so that even a small LA has all of them; one in forty (at least one in an LA
// of four or more) writes as Aspen's exporter does [A-T, A-V]: Gender and detail-or-totals.
void Generator::assign_software() {
  struct Software {
    const char* code;
    const char* release;
    Style style;
    bool digits;
  };
  static constexpr Software list[] = {
      {"SIMS", "7.221", style_both, false},      {"ARBOR", "2025.01", style_detail, true},
      {"BROMCOM", "25.1.3", style_totals, true}, {"SCHOLARPACK", "4.8", style_both, false},
      {"IRIS", "3.12", style_detail, false},     {"ASPEN", "6.3", style_aspen, false}};
  static constexpr std::array<double, 5> weights{0.35, 0.25, 0.2, 0.1, 0.1};
  std::vector<std::size_t> order(schools_.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[static_cast<std::size_t>(r_.between(0, static_cast<int>(i) - 1))]);
  for (std::size_t k = 0; k < order.size(); ++k) {
    GenSchool& s = schools_[order[k]];
    const bool aspen = order.size() >= 4 && (k == 3 || (k > 3 && r_.chance(1.0 / 40)));
    const Software& sw = k < 3 ? list[k] : aspen ? list[5] : list[r_.pick(weights)];
    s.software = sw.code, s.release = sw.release, s.style = sw.style, s.bool_digits = sw.digits;
    if (sw.style == style_aspen) s.sex_tag = "Gender"; // not FIXD: COLLECT refuses it for exclusions since August 2021
    s.serial = r_.between(2, 6);
    s.export_days = r_.between(0, 3);
    s.export_minute = r_.between(8 * 60, 17 * 60 + 59);
    // INSET days differ by school (drawn in every term, used by the modules the term has).
    s.termly_base = std::max(2, 2 * termly_days_ - 2 * r_.between(0, 2));
    const int summer2_inset = r_.between(0, 1);
    s.summer2_base = opt_.term == "AUT" ? std::max(2, 2 * summer2_days_ - 2 * summer2_inset) : 0;
  }
}

int Generator::draw_year(const GenSchool& s, Random& r) {
  if (s.phase == "primary") {
    if (!s.nursery) return r.between(0, 6);
    static constexpr std::array<double, 9> w{0.12, 0.65, 1, 1, 1, 1, 1, 1, 1}; // N1 N2 R 1..6
    return static_cast<int>(r.pick(w)) - 2;
  }
  if (s.phase == "secondary") return r.chance(0.15) ? r.between(12, 13) : r.between(7, 11);
  if (s.phase == "special") return r.between(1, 14);
  return r.between(7, 11);
}

// A pupil's identity and characteristics, born for `year` in the academic year starting after `aug31`.
// A pupil on roll is drawn from r_, a leaver from term_r_ (after the school's pupils on roll, so that
// their UPNs are the same in every term).
GenPupil Generator::new_pupil(GenSchool& s, int year, Date aug31, Random& r) {
  GenPupil p;
  p.nc_year = year_code(year);
  p.dob = year == -4 ? aug31.plus_days(-r.between(183, 364)).iso() : dob_for_age(r, aug31, year + 4);
  p.upn = with_check_letter(s.laestab + pad(++upn_serial_[s.laestab], 5));
  p.surname = r.pick(surnames);
  p.forename = r.pick(forenames);
  p.sex = r.chance(0.5) ? "F" : "M";
  p.ethnicity = ethnicities[r.pick(ethnicity_weights)];
  const bool white_british_or_mixed = p.ethnicity == "WBRI" || p.ethnicity == "WIRI" || p.ethnicity[0] == 'M';
  p.language = r.chance(white_british_or_mixed ? 0.98 : 0.5) ? "ENG" : r.pick(other_languages);
  static const std::string letters = "ABDEFGHJLNPQRSTUWXYZ";
  p.postcode = "ZZ99 " + std::to_string(r.between(1, 9)) + letters[static_cast<std::size_t>(r.between(0, 19))] +
               letters[static_cast<std::size_t>(r.between(0, 19))];
  assign_sen(s, p, r);
  p.top_up = r.chance(0.5);
  p.sen_unit = r.chance(0.015);
  p.resourced = r.chance(0.02);
  p.part_time = year < 0;
  return p;
}

void Generator::make_pupils(GenSchool& s) {
  // Relative sizes: a secondary is about four primaries; special schools and PRUs are small.
  auto weight = [](const std::string& phase) {
    return phase == "secondary" ? 4.0 : phase == "special" ? 0.45 : phase == "pru" ? 0.2 : 1.0;
  };
  double total = 0;
  for (const auto& o : schools_)
    total += weight(o.phase);
  const int target =
      std::max(1, static_cast<int>(std::lround(opt_.pupils * weight(s.phase) / total * (0.85 + 0.3 * r_.uniform()))));
  const Date ref = opt_.reference_date, aug31 = academic_year_start_eve(ref), prev = previous_census();
  const Span term = exclusion_term();
  // One school has a few children under 3 (E1, E2) in its nursery.
  const bool first_nursery =
      s.nursery && &s == &*std::find_if(schools_.begin(), schools_.end(), [](const GenSchool& o) { return o.nursery; });
  const int under_threes = first_nursery ? r_.between(3, 6) : 0;
  const double joiners = s.phase == "pru" ? 0.3 : s.phase == "special" ? 0.02 : 0.025;
  // Permanent exclusions in the term: the excluded pupil is off roll by the census, a leaver. Only pupils
  // on roll before the term, and (in an autumn return, which covers the year before) in a year group the
  // school had then. The term decides which pupils (term_r_); each is then a leaver of its own, drawn
  // after the pupils on roll, so that the roll is the same in every term.
  const int lowest = s.phase == "primary" ? 0 : s.phase == "special" ? 1 : 7;
  std::vector<std::pair<int, std::string>> excluded; // year, entry date
  for (int i = 0; i < target + under_threes; ++i) {
    const int year = i >= target ? (r_.chance(0.6) ? -3 : -4) : draw_year(s, r_);
    GenPupil p = new_pupil(s, year, aug31, r_);
    if (year < 0) {
      p.entry_date = Date::from_ymd(aug31.year(), 9, 4)->iso();
    } else if (r_.chance(joiners)) {
      p.joiner = true; // joined since the previous census: when is the term's
      p.entry_date = random_date_between(prev, ref, term_r_).iso();
    } else {
      p.entry_date =
          (*Date::from_ymd(aug31.year() - r_.between(0, year <= 6 ? std::max(year, 0) : year - 7), 9, 4)).iso();
    }
    make_fsm(s, p, r_);
    // What the term's return carries for the pupil.
    if (year >= 0) make_suspensions(s, p, std::min(term.to, ref.plus_days(-1)), term_r_);
    const bool perm = term_r_.chance(cal::permanent_exclusion_rate / 3 * (s.phase == "secondary" ? 2.5 : 0.3));
    if (perm && year >= 0 && year <= 11 && *Date::parse(p.entry_date) < term.from &&
        (opt_.term != "AUT" || year - 1 >= lowest))
      excluded.emplace_back(year, p.entry_date);
    attend(s, p, term_r_);
    make_ap_detail(s, p, term_r_);
    s.pupils.push_back(std::move(p));
  }
  for (const auto& [year, entry] : excluded) {
    GenPupil p = new_pupil(s, year, aug31, term_r_);
    p.entry_date = entry;
    make_fsm(s, p, term_r_); // not written for a leaver; kept for a pupil who moves on to another roll
    make_suspensions(s, p, std::min(term.to, ref.plus_days(-1)), term_r_);
    add_perm(s, p, -1, term_r_);
    if (p.leaving_date.empty()) continue; // no school day left for it in the term
    if (opt_.term == "AUT" && *Date::parse(p.leaving_date) <= aug31) p.nc_year = year_code(year - 1);
    attend(s, p, term_r_);
    s.leavers.push_back(std::move(p));
  }
  // Leavers since the previous census: a few in a hundred a term (more in a PRU).
  const double leaving = s.phase == "pru" ? 0.15 : s.phase == "special" ? 0.02 : s.phase == "secondary" ? 0.03 : 0.025;
  const int leavers = static_cast<int>(std::lround(target * leaving * (0.6 + 0.8 * term_r_.uniform())));
  for (int i = 0; i < leavers; ++i)
    make_leaver(s);
  // A school of 20 or more with no SEN pupil would be a CI010 finding nobody injected.
  if (s.pupils.size() >= 20 &&
      std::none_of(s.pupils.begin(), s.pupils.end(), [](const GenPupil& p) { return p.sen != "N"; }))
    make_sen(s, s.pupils.front(), "K", r_);
}

// A leaver since the previous census (term_r_): left on a day after it and before this one.
GenPupil& Generator::make_leaver(GenSchool& s, bool suspensions) {
  Random& r = term_r_;
  const Date ref = opt_.reference_date, leave = random_date_between(previous_census(), ref, r);
  const Date ctx = academic_year_start_eve(leave); // the academic year the pupil left in
  int year = draw_year(s, r);
  for (int tries = 0; year < 0 && tries < 20; ++tries)
    year = draw_year(s, r);
  year = std::max(year, 0);
  GenPupil p = new_pupil(s, year, ctx, r);
  p.part_time = false;
  const int back = r.between(0, year <= 6 ? year : year - 7);
  Date entry = *Date::from_ymd(ctx.year() - back, 9, 4);
  if (entry >= leave) entry = *Date::from_ymd(ctx.year() - back - 1, 9, 4);
  p.entry_date = entry.iso();
  p.leaving_date = leave.iso();
  if (suspensions) make_suspensions(s, p, std::min(exclusion_term().to, leave), r);
  attend(s, p, r);
  make_fsm(s, p, r); // not written for a leaver; kept for a pupil who moves on to another roll
  s.leavers.push_back(std::move(p));
  return s.leavers.back();
}

// Suspensions in the term the return covers, after the pupil's entry and up to `last`: about a third
// of the annual rate, more in secondary; a few lunchtime exclusions.
void Generator::make_suspensions(const GenSchool& s, GenPupil& p, Date last, Random& r) const {
  const Span term = exclusion_term();
  const Span when{std::max(term.from, Date::parse(p.entry_date)->plus_days(1)), last};
  const bool secondary = s.phase == "secondary" || s.phase == "pru";
  const double susp = cal::suspension_rate / 3 * (secondary ? 2.5 : 0.4);
  if (r.chance(susp) && when.from <= when.to) {
    const int n = r.chance(0.2) ? 2 : 1;
    for (int k = 0; k < n; ++k)
      p.exclusions.push_back({"SUSP", exclusion_reasons[r.pick(exclusion_reason_weights)],
                              random_school_day(when, r).iso(), r.between(1, 6), p.sen});
  }
  if (r.chance(secondary ? 0.004 : 0.002) && when.from <= when.to)
    p.exclusions.push_back(
        {"LNCH", exclusion_reasons[r.pick(exclusion_reason_weights)], random_school_day(when, r).iso(), 1, p.sen});
}

// A permanent exclusion in the term, after entry and (for a leaver) by the leaving date; a pupil on
// roll becomes a leaver a few days after it (after the previous census, before this one).
void Generator::add_perm(const GenSchool&, GenPupil& p, int sessions, Random& r) const {
  const Date ref = opt_.reference_date;
  const Span term = exclusion_term();
  Span when{std::max(term.from, Date::parse(p.entry_date)->plus_days(1)), std::min(term.to, ref.plus_days(-1))};
  if (!p.leaving_date.empty()) when.to = std::min(when.to, *Date::parse(p.leaving_date));
  if (opt_.term == "AUT") when.to = std::min(when.to, term.to.plus_days(-10)); // provision by the sixth day in term
  if (when.from > when.to) return;
  const Date start = random_school_day(when, r);
  p.exclusions.push_back({"PERM", exclusion_reasons[r.pick(exclusion_reason_weights)], start.iso(), sessions, p.sen});
  if (p.leaving_date.empty()) {
    const Date leave =
        std::min(std::max(start, previous_census().plus_days(1)).plus_days(r.between(0, 10)), ref.plus_days(-1));
    p.leaving_date = leave.iso();
    // The suspensions it had on roll end with its leaving: none after it (DfE rule 2303), unless a defect
    // rests on them.
    if (!p.touched)
      std::erase_if(p.exclusions, [&](const GenPupil::Excl& e) {
        const auto d = Date::parse(e.start);
        return e.category != "PERM" && d && *d > leave;
      });
  }
}

// Attendance is collected for pupils of 4 to 15 (rule 2470 [H]; Aspen removes it outside that age
// [A-V]); some MIS send it for older pupils too. None for early years or subsidiary registrations.
void Generator::attend(const GenSchool& s, GenPupil& p, Random& r) const {
  p.termly = {};
  p.summer2 = {};
  if (early_years(p.nc_year)) return;
  const Span t = termly_span();
  const int age = Date::parse(p.dob)->age_on(academic_year_start_eve(t.from));
  if (age < 4 || (age > 15 && !s.attendance_16plus)) return;
  make_module(p, p.termly, t, s.termly_base, termly_days_, r);
  // SummerHalfTerm2Attendance: autumn returns only, not from a PRU [A-E].
  if (opt_.term == "AUT" && s.phase != "pru")
    make_module(p, p.summer2, summer2_span(), s.summer2_base, summer2_days_, r);
}

void Generator::make_module(const GenPupil& p, Attendance& m, Span span, int base, int full_days, Random& r) const {
  Date from = std::max(span.from, *Date::parse(p.entry_date)), to = span.to;
  if (!p.leaving_date.empty()) to = std::min(to, Date::parse(p.leaving_date)->plus_days(-1));
  if (from > to) return; // not at the school in the period: no module
  int possible = base;
  if (from > span.from || to < span.to) { // joined or left during the period
    possible = 2 * static_cast<int>(std::lround(base / 2.0 * school_days(from, to) / std::max(1, full_days)));
  } else if (r.chance(0.1)) {
    possible -= 2 * r.between(1, 3); // a day or so off the school's calendar (part-time timetable, late start)
  }
  if (possible <= 0) return;
  m.present = true;
  m.possible = possible;
  // The calibrated absence rates: persistent absentees (about 15%) and the rest.
  const bool persistent = r.chance(0.15);
  const int authorised = static_cast<int>(possible * (persistent ? 0.08 + 0.1 * r.uniform() : 0.04 * r.uniform()));
  const int unauthorised = static_cast<int>(possible * (persistent ? 0.05 * r.uniform() : 0.015 * r.uniform()));
  split_absence(m, authorised, unauthorised, r);
  // Suspended sessions are recorded as E (excluded, authorised) in the period they fall in.
  int excluded = 0;
  for (const auto& e : p.exclusions)
    if (e.category == "SUSP" && Span{from, to}.contains(*Date::parse(e.start))) excluded += e.sessions;
  excluded = std::min(excluded, m.possible - m.authorised - m.unauthorised);
  if (excluded > 0) add_sessions(m, "E", excluded);
}

// Authorised sessions of a code added to a module's detail (in code order) and its total.
void Generator::add_sessions(Attendance& m, const std::string& code, int n) {
  auto it = std::lower_bound(m.detail.begin(), m.detail.end(), code,
                             [](const auto& row, const std::string& c) { return row.first < c; });
  if (it != m.detail.end() && it->first == code)
    it->second += n;
  else
    m.detail.insert(it, {code, n});
  m.authorised += n;
}

// Absence by reason code (invented shares, SHAPE.md): of all absence about 55% illness (I), 8% medical
// (M), 10% other authorised (C H R S T), 15% unauthorised other (O), 7% holiday (G), N and U the rest.
// Sessions go in short runs, a holiday in longer ones. Rows in code order, none at zero.
void Generator::split_absence(Attendance& m, int authorised, int unauthorised, Random& r) {
  static const std::array<std::string, 7> auth_codes{"I", "M", "C", "H", "R", "S", "T"};
  static constexpr std::array<double, 7> auth_w{55, 8, 3, 2.5, 1.5, 1, 2};
  static const std::array<std::string, 4> unauth_codes{"O", "G", "N", "U"};
  static constexpr std::array<double, 4> unauth_w{15, 7, 3, 2};
  std::map<std::string, int> n;
  for (int left = authorised; left > 0;) {
    const int run = std::min(left, r.between(1, 4));
    n[auth_codes[r.pick(auth_w)]] += run;
    left -= run;
  }
  for (int left = unauthorised; left > 0;) {
    const std::string& code = unauth_codes[r.pick(unauth_w)];
    const int run = std::min(left, code == "G" ? r.between(2, 10) : r.between(1, 3));
    n[code] += run;
    left -= run;
  }
  m.detail.assign(n.begin(), n.end());
  m.authorised = authorised;
  m.unauthorised = unauthorised;
}

// FSM as periods (rule numbers [H]): eligible on census day means an open period started by then (a few
// end on census day itself). Periods that ended are sent when they ended since the previous census (1763).
// Starts and ends keep two weeks from census day, so that a header dated a week later changes nothing.
// Ended periods are rare: under FSM protection a pupil found eligible stays eligible, and the DfE says it
// "would not expect FSM periods to have an end date" (query 1767, DFE-Digital/dfe-data-provider-hub
// app/data/simulated-data/queries.js). No published rate was found; 2% of eligible pupils with a gap and
// 0.5% of the others recently ended give about 1% of pupils a 1767 query (it was 5%, half the example's
// findings, and 76% of a national run's).
void Generator::make_fsm(const GenSchool& s, GenPupil& p, Random& r) const {
  if (early_years(p.nc_year) && p.part_time) return; // part-time early years: no school lunch
  const Date ref = opt_.reference_date, latest = ref.plus_days(-14), prev = previous_census();
  const Date dob = *Date::parse(p.dob), entry = *Date::parse(p.entry_date);
  const Date earliest = std::min(std::max(dob.plus_days(3 * 365), entry.plus_days(-730)), latest);
  auto start_before = [&](Date end, int lo, int hi) {
    const Date d = end.plus_days(-r.between(lo, hi));
    return std::max(d, std::min(earliest, end.plus_days(-lo)));
  };
  if (r.chance(s.fsm_rate)) {
    if (r.chance(0.02) && latest.days_since(prev) > 40) { // eligible again after a gap
      const Date end = random_date_between(prev, latest.plus_days(-20), r);
      p.fsm_periods.push_back({start_before(end, 30, 700).iso(), end.iso(), "ENG"});
      p.fsm_periods.push_back({random_date_between(end, latest, r).iso(), "", "ENG"});
    } else {
      const Date start = latest.plus_days(-r.between(0, std::max(0, latest.days_since(earliest))));
      p.fsm_periods.push_back({start.iso(), r.chance(0.005) ? ref.iso() : "", "ENG"});
    }
  } else if (r.chance(0.005) && latest.days_since(prev) > 2) { // eligible until recently
    const Date end = random_date_between(prev, latest, r);
    p.fsm_periods.push_back({start_before(end, 30, 900).iso(), end.iso(), r.chance(0.05) ? "WLS" : "ENG"});
  }
}

// School-arranged alternative provision (spring and summer returns, [L] 2022.diff): a few secondary
// pupils and more of a PRU's.
void Generator::make_ap_detail(const GenSchool& s, GenPupil& p, Random& r) const {
  if (opt_.term == "AUT" || p.enrol != "C") return;
  const bool secondary = s.phase == "secondary" && p.nc_year.size() <= 2 && std::isdigit(p.nc_year[0]) &&
                         std::stoi(p.nc_year) >= 7 && std::stoi(p.nc_year) <= 11;
  if (!(secondary && r.chance(0.012)) && !(s.phase == "pru" && r.chance(0.08))) return;
  const Date ref = opt_.reference_date;
  const Date from =
      std::max(*Date::from_ymd(academic_year_start_eve(ref).year(), 9, 10), Date::parse(p.entry_date)->plus_days(1));
  if (from >= ref.plus_days(-7)) return;
  GenPupil::ApDetail a;
  if (r.chance(0.6))
    a.urn = pad(r.between(100000, 149999), 6);
  else
    a.ukprn = "1000" + pad(r.between(0, 9999), 4);
  const Date entry = random_date_between(from.plus_days(-1), ref.plus_days(-7), r);
  a.entry = entry.iso();
  if (r.chance(0.35)) {
    const Date leaving = entry.plus_days(r.between(14, 120));
    if (leaving < ref) a.leaving = leaving.iso();
  }
  a.sessions_per_week = r.between(1, 10);
  static const std::array<std::string, 4> settings{"NFE", "OOT", "OTH", "WBP"};
  static constexpr std::array<double, 4> setting_w{20, 15, 35, 30};
  static const std::array<std::string, 6> reasons{"BHS", "SUS", "EXR", "MHN", "OTH", "PHN"};
  static constexpr std::array<double, 6> reason_w{35, 5, 15, 25, 10, 10};
  a.setting = settings[r.pick(setting_w)];
  a.reason = reasons[r.pick(reason_w)];
  a.sen_entry = p.sen;
  if (!a.leaving.empty()) a.sen_leaving = p.sen;
  a.pattern = a.sessions_per_week >= 9 ? "FT" : "PT";
  p.ap.push_back(std::move(a));
}

void Generator::assign_sen(const GenSchool& s, GenPupil& p, Random& r) {
  double support = s.phase == "primary" ? cal::primary_sen_support_rate : cal::secondary_sen_support_rate;
  double ehc = s.phase == "primary" ? cal::primary_ehc_rate : cal::secondary_ehc_rate;
  // A special school pupil without SEN is COLLECT's error 2180 (CI019): the clean population has none.
  if (s.phase == "special") support = 0.03, ehc = 0.97;
  if (s.phase == "pru") support = 0.45, ehc = 0.15;
  const double x = r.uniform();
  if (x < ehc)
    make_sen(s, p, "E", r);
  else if (x < ehc + support)
    make_sen(s, p, "K", r);
}

void Generator::make_sen(const GenSchool& s, GenPupil& p, const std::string& level, Random& r) {
  p.sen = level;
  p.needs.clear();
  std::array<double, 13> mix =
      level == "E" ? (s.phase == "special" ? cal::special_ehc_need_mix : cal::mainstream_ehc_need_mix)
                   : (s.phase == "primary" ? cal::primary_support_need_mix : cal::secondary_support_need_mix);
  // PMLD and SLD almost always come with an EHC plan; at SEN support in a mainstream school they are
  // PN011's finding, so the generator leaves them to injected defects.
  if (level == "K" && s.phase != "special" && s.phase != "pru")
    mix[static_cast<std::size_t>(NeedType::PMLD)] = mix[static_cast<std::size_t>(NeedType::SLD)] = 0;
  const auto primary = r.pick(mix);
  p.needs.emplace_back(1, std::string(need_type_names[primary]));
  // About a third record a different secondary need; NSA stands alone and is never secondary.
  if (need_type_names[primary] != "NSA" && r.chance(0.3)) {
    mix[primary] = 0;
    mix[12] = 0;
    p.needs.emplace_back(2, std::string(need_type_names[r.pick(mix)]));
  }
}

// Pupils placed in a PRU are dual registered: main (M) at their secondary, subsidiary (S) at the
// PRU. A valid dual registration, which CI005 must not report.
void Generator::make_dual_registrations() {
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
        copy.enrol = 'M';
        copy.exclusions.clear();
        copy.ap.clear();
        attend(home, copy, term_r_); // the main school records the attendance
        p.enrol = 'S';
        p.termly = p.summer2 = {}; // the PRU's subsidiary registrations carry no attendance
        p.ap.clear();
        p.touched = copy.touched = true; // keep defects away from the pair
        home.pupils.push_back(std::move(copy));
      }
}

GenPupil* Generator::clean_pupil(GenSchool& s) {
  for (int tries = 0; tries < 50 && !s.pupils.empty(); ++tries) {
    auto& p = s.pupils[static_cast<std::size_t>(r_.between(0, static_cast<int>(s.pupils.size()) - 1))];
    if (!p.touched) return &p;
  }
  return nullptr;
}

bool Generator::main_registration(const GenPupil& p) { return p.enrol == "C" || p.enrol == "M"; }

std::string Generator::primary_of(const GenPupil& p) {
  for (const auto& [rank, type] : p.needs)
    if (rank == 1 && parse_need_type(type)) return type;
  return {};
}

std::string Generator::other_need(const std::string& not_this) {
  for (;;) {
    const std::string n(need_type_names[static_cast<std::size_t>(r_.between(0, 11))]); // never NSA
    if (n != not_this) return n;
  }
}

std::string Generator::csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s)
    o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

void Generator::write_schools() {
  std::ofstream o(opt_.out / "schools.csv");
  o << "laestab,urn,name,phase,governance\n";
  std::vector<const GenSchool*> all;
  for (const auto& s : schools_)
    all.push_back(&s);
  for (const auto& s : no_return_)
    all.push_back(&s);
  std::sort(all.begin(), all.end(), [](const GenSchool* a, const GenSchool* b) { return a->laestab < b->laestab; });
  for (const GenSchool* s : all)
    o << s->laestab << ',' << s->urn << ',' << csv(s->name) << ',' << s->phase << ',' << s->governance << '\n';
}

std::string Generator::holiday_json() const {
  std::string out;
  for (const auto& [from, to] : holidays())
    out += (out.empty() ? "" : ", ") + ("[\"" + from.iso() + "\", \"" + to.iso() + "\"]");
  return out;
}

void Generator::write_config() {
  std::ofstream(opt_.out / "censusqa.json")
      << "{\n  \"la_code\": \"" << opt_.la << "\",\n  \"la_name\": \"" << opt_.la_name
      << "\",\n  \"reference_date\": \"" << opt_.reference_date.iso() << "\",\n  \"term\": \"" << opt_.term
      << "\",\n  \"financial_year_end\": \"" << year_end().iso() << "\",\n  \"replies\": {\"deadline\": \""
      << opt_.reference_date.plus_days(29).iso() << "\", \"contact\": \"Census team, census@la" << opt_.la
      << ".example, 01632 960000\"},\n"
      << (opt_.ap_source == "both" ? "  \"ap_placements_from\": \"csv\",\n" : "")
      << "  \"ap-reintegration\": {\"holidays\": [" << holiday_json() << "]}\n}\n";
}

void Generator::write_truth() {
  std::sort(defects_.begin(), defects_.end(), [](const Defect& a, const Defect& b) {
    return std::tie(a.laestab, a.rule, a.subject) < std::tie(b.laestab, b.rule, b.subject);
  });
  std::size_t pupils = 0, leavers = 0;
  for (const auto& s : schools_)
    pupils += s.pupils.size(), leavers += s.leavers.size();
  auto str = [](const std::string& v) { return v.empty() ? std::string("null") : "\"" + v + "\""; };
  std::ofstream o(opt_.out / "truth.json");
  o << "{\n  \"generator\": \"censusqa-gen " << CENSUSQA_GEN_VERSION << "\",\n  \"seed\": " << opt_.seed
    << ",\n  \"schools\": " << schools_.size() << ",\n  \"register_schools\": " << schools_.size() + no_return_.size()
    << ",\n  \"pupils\": " << pupils << ",\n  \"leavers\": " << leavers << ",\n  \"defect_rate\": " << opt_.defect_rate
    << ",\n  \"census_format\": \"" << opt_.format << "\",\n  \"term\": \"" << opt_.term
    << "\",\n  \"reference_date\": \"" << opt_.reference_date.iso() << "\",\n  \"need_mix_altered\": [";
  for (std::size_t i = 0; i < mix_altered_.size(); ++i)
    o << (i ? ", " : "") << "\"" << mix_altered_[i] << "\"";
  // The census files beyond one return per school (make_return_situations).
  o << "],\n  \"census_files\": {\n    \"returns\": " << (opt_.format == "csv" ? 0 : schools_.size())
    << ",\n    \"common_transfer_file\": ";
  if (ctf_) {
    o << "{\"file\": \"census/ctf-" << ctf_->dest << ".xml\", \"dest_laestab\": \"" << ctf_->dest
      << "\", \"source_laestab\": \"" << ctf_->source_lea << ctf_->source_estab << "\", \"upns\": [";
    for (std::size_t i = 0; i < ctf_->pupils.size(); ++i)
      o << (i ? ", " : "") << "\"" << ctf_->pupils[i].upn << "\"";
    o << "]}";
  } else {
    o << "null";
  }
  o << ",\n    \"duplicate_return\": ";
  if (duplicate_ >= 0) {
    const GenSchool& s = schools_[static_cast<std::size_t>(duplicate_)];
    o << "{\"laestab\": \"" << s.laestab << "\", \"used\": \"census/" << s.laestab << ".xml\", \"ignored\": \"census/"
      << s.laestab << "-first-export.xml\"}";
  } else {
    o << "null";
  }
  o << ",\n    \"no_return\": [";
  for (std::size_t i = 0; i < no_return_.size(); ++i)
    o << (i ? ", " : "") << "\"" << no_return_[i].laestab << "\"";
  o << "],\n    \"mistyped_lea\": ";
  if (mistyped_ >= 0) {
    const GenSchool& s = schools_[static_cast<std::size_t>(mistyped_)];
    o << "{\"laestab\": \"" << s.laestab << "\", \"header_lea\": \"" << s.return_lea << "\", \"file\": \"census/"
      << s.laestab << ".xml\"}";
  } else {
    o << "null";
  }
  o << "\n  },\n  \"defects\": [";
  for (std::size_t i = 0; i < defects_.size(); ++i) {
    const auto& d = defects_[i];
    o << (i ? ",\n    " : "\n    ") << "{\"rule\": \"" << d.rule << "\", \"laestab\": " << str(d.laestab)
      << ", \"subject\": \"" << d.subject << "\", \"upn\": " << str(d.upn) << ", \"note\": \"" << d.note << "\"}";
  }
  o << "\n  ]";
  // What the loader's metrics must give for each school with a return (SHAPE.md has the definitions).
  o << ",\n  \"expected_figures\": {";
  bool first = true;
  for (const auto& [laestab, f] : figures_) {
    o << (first ? "\n    " : ",\n    ") << "\"" << laestab << "\": {\"pupils_in_return\": " << f.pupils_in_return
      << ", \"leavers_in_return\": " << f.leavers_in_return << ", \"pupils_on_roll\": " << f.pupils_on_roll
      << ", \"fsm_eligible\": " << f.fsm_eligible << ", \"suspensions\": " << f.suspensions
      << ", \"permanent_exclusions\": " << f.permanent_exclusions
      << ", \"lunchtime_exclusions\": " << f.lunchtime_exclusions << ", \"attendance_pupils\": " << f.attendance_pupils
      << ", \"sessions_possible\": " << f.sessions_possible << ", \"sessions_authorised\": " << f.sessions_authorised
      << ", \"sessions_unauthorised\": " << f.sessions_unauthorised
      << ", \"sessions_missed\": " << f.sessions_authorised + f.sessions_unauthorised
      << ", \"persistent_absentees\": " << f.persistent_absentees << "}";
    first = false;
  }
  o << (figures_.empty() ? "}" : "\n  }");
  // What pupil movement must find between previous/ and this census, school by school (movement.cpp).
  o << ",\n  \"movement\": {";
  first = true;
  for (const auto& [laestab, m] : movement_) {
    o << (first ? "\n    " : ",\n    ") << "\"" << laestab << "\": {\"moved_out\": " << m.moved_out
      << ", \"moved_in\": " << m.moved_in << ", \"vanished\": " << m.vanished
      << ", \"left_on_record\": " << m.left_on_record << ", \"joined\": " << m.joined << "}";
    first = false;
  }
  o << (movement_.empty() ? "}" : "\n  }");
  if (opt_.term_changes > 0) {
    // What changed since the same LA's earlier term (the same seed without --term-changes).
    auto list = [&](const char* key, const std::vector<Defect>& v) {
      o << ",\n  \"" << key << "\": [";
      for (std::size_t i = 0; i < v.size(); ++i)
        o << (i ? ",\n    " : "\n    ") << "{\"rule\": \"" << v[i].rule << "\", \"laestab\": " << str(v[i].laestab)
          << ", \"subject\": \"" << v[i].subject << "\", \"note\": \"" << v[i].note << "\"}";
      o << (v.empty() ? "]" : "\n  ]");
    };
    list("fixed_since_earlier_term", fixed_);
    list("introduced_since_earlier_term", introduced_);
  }
  o << "\n}\n";
  std::cerr << "censusqa-gen: " << schools_.size() << " schools, " << pupils << " pupils, " << leavers << " leavers, "
            << cases_.size() << " EHC cases, " << defects_.size() << " expected findings -> "
            << fs::absolute(opt_.out).string() << "\n";
}

} // namespace censusqa::gen
