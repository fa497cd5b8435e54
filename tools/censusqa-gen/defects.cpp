// censusqa-gen: the injected census defects (and --term-changes), and the need-mix findings they imply.
#include "generator.hpp"

namespace censusqa::gen {

// Pupil-level defect kinds: 0-10 as before the real shape; 11-17 the shape's own. Leaver kinds are apart.
namespace {
constexpr int pupil_kinds = 18, leaver_kinds = 4;
} // namespace

void Generator::inject_defects() {
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
  // The AP scenarios need a secondary school without a school-level defect: keep the last one free.
  auto last_secondary = [&](const GenSchool& s) {
    return s.phase == "secondary" && std::count_if(schools_.begin(), schools_.end(), [](const GenSchool& o) {
                                       return o.phase == "secondary" && !o.touched;
                                     }) <= 1;
  };
  // A CSV extract has no per-school header (census.json dates every return), so CI009 is XML only.
  for (int k = 0; opt_.format == "xml" && k < school_defects && next < order.size(); ++k) {
    GenSchool& s = schools_[order[next++]];
    if (last_secondary(s)) {
      --k;
      continue;
    }
    s.reference_date = opt_.reference_date.plus_days(7).iso();
    s.touched = true;
    // An FSM period that ends on the configured census day would end before this header's: keep it open,
    // so that the school's FSM count is the same whichever date a reader takes.
    for (auto& p : s.pupils)
      for (auto& f : p.fsm_periods)
        if (f.end == opt_.reference_date.iso()) f.end.clear();
    defects_.push_back({"CI009", s.laestab, s.laestab, "", "return dated a week after the configured reference date"});
  }
  for (int k = 0; k < school_defects && next < order.size(); ++k) {
    GenSchool& s = schools_[order[next]];
    ++next;
    if (s.pupils.size() < 20 || s.phase == "special" || s.phase == "pru" || last_secondary(s)) {
      --k;
      continue;
    }
    for (auto& p : s.pupils) {
      p.sen = 'N';
      p.needs.clear();
    }
    s.touched = true;
    defects_.push_back({"CI010", s.laestab, s.laestab, "", "every pupil's SEN provision set to N"});
  }
  // Pupil-level defects: each pupil at the rate, spread over the kinds that fit the pupil.
  std::array<int, pupil_kinds> done{};
  std::vector<int> fit;
  for (std::size_t si = 0; si < schools_.size(); ++si) {
    GenSchool& s = schools_[si];
    if (s.laestab.empty()) continue;
    const std::size_t n = s.pupils.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (s.pupils[i].touched || !r_.chance(opt_.defect_rate)) continue;
      fit.clear();
      for (int k = 0; k < pupil_kinds; ++k)
        if (applicable(s, s.pupils[i], k)) fit.push_back(k);
      if (fit.empty()) continue;
      const int kind = fit[static_cast<std::size_t>(r_.between(0, static_cast<int>(fit.size()) - 1))];
      // A defect --term-changes may fix (introduce_term_changes): injected here as in every term, with
      // what the pupil was before, to be put back once everything else is drawn.
      const bool fixable = opt_.term_changes > 0 && self_contained(kind) && s.pupils[i].sen == "N";
      const std::size_t n = defects_.size();
      GenPupil before = fixable ? s.pupils[i] : GenPupil{};
      if (!inject(s, si, i, kind)) continue; // no partner for it (CI004, CI005): no defect on the pupil
      ++done[static_cast<std::size_t>(kind)];
      if (fixable)
        fixable_.push_back({si, i, kind, std::move(before),
                            std::vector<Defect>(defects_.begin() + static_cast<std::ptrdiff_t>(n), defects_.end())});
    }
  }
  // Every kind at least once, so that even a small LA exercises every rule.
  for (int k = 0; k < pupil_kinds; ++k)
    for (int tries = 0; done[static_cast<std::size_t>(k)] == 0 && tries < 400; ++tries) {
      const auto si = static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 1));
      GenSchool& s = schools_[si];
      if (s.pupils.empty()) continue;
      const auto i = static_cast<std::size_t>(r_.between(0, static_cast<int>(s.pupils.size()) - 1));
      if (s.pupils[i].touched || !applicable(s, s.pupils[i], k)) continue;
      if (inject(s, si, i, k)) ++done[static_cast<std::size_t>(k)];
    }
  for (int k = 0; k < pupil_kinds; ++k)
    injected_[k] = done[static_cast<std::size_t>(k)];
  // Leaver defects, at the same rate and at least one of each kind. The leavers are the term's, and so
  // are these draws (term_r_).
  Random& t = term_r_;
  std::array<int, leaver_kinds> leaver_done{};
  for (auto& s : schools_)
    for (std::size_t i = 0; i < s.leavers.size(); ++i) {
      if (s.leavers[i].touched || !t.chance(opt_.defect_rate)) continue;
      fit.clear();
      for (int k = 0; k < leaver_kinds; ++k)
        if (leaver_applicable(s, s.leavers[i], k)) fit.push_back(k);
      if (fit.empty()) continue;
      const int kind = fit[static_cast<std::size_t>(t.between(0, static_cast<int>(fit.size()) - 1))];
      if (inject_leaver(s, i, kind)) ++leaver_done[static_cast<std::size_t>(kind)];
    }
  for (int k = 0; k < leaver_kinds; ++k)
    for (int tries = 0; leaver_done[static_cast<std::size_t>(k)] == 0 && tries < 400; ++tries) {
      GenSchool& s = schools_[static_cast<std::size_t>(t.between(0, static_cast<int>(schools_.size()) - 1))];
      if (s.leavers.empty()) continue;
      const auto i = static_cast<std::size_t>(t.between(0, static_cast<int>(s.leavers.size()) - 1));
      if (s.leavers[i].touched || !leaver_applicable(s, s.leavers[i], k)) continue;
      if (inject_leaver(s, i, k)) ++leaver_done[static_cast<std::size_t>(k)];
    }
}

// Defect kinds that change one pupil's own fields and nothing another rule reads, and whose finding is
// the same in every term of the year (so --term-changes may fix them): not CI018 (15), whose subject
// carries the exclusion's date, a date in the term's window.
bool Generator::self_contained(int kind) {
  return kind == 0 || kind == 1 || kind == 2 || kind == 5 || kind == 7 || kind == 8 || kind == 10 ||
         (kind >= 11 && kind != 15);
}

// Whether the pupil has a full TermlyAttendance in the return of every term of the academic year: on
// roll since before it (not a joiner, whose entry is the term's), of compulsory school age both on the
// 31 August before it and the one before that (the autumn return covers the summer term before), or at
// a school that sends attendance for older pupils. Which pupils get an attendance defect does not then
// depend on the term (the module's numbers do: inject() fits the defect to them).
bool Generator::attends_every_term(const GenSchool& s, const GenPupil& p) const {
  if (early_years(p.nc_year) || p.joiner || p.enrol != "C") return false;
  const Date aug31 = academic_year_start_eve(opt_.reference_date);
  const auto entry = Date::parse(p.entry_date), dob = Date::parse(p.dob);
  if (!entry || !dob || *entry > aug31) return false;
  const int age = dob->age_on(aug31);
  return age >= 5 && (age <= 15 || s.attendance_16plus);
}

// Whether a defect kind can be given to this pupil on roll without making another rule fire. Only from
// what is the same in every term (the pupil, the school, FSM), so that a pupil gets the same kind in each.
bool Generator::applicable(const GenSchool& s, const GenPupil& p, int kind) const {
  const bool ey = early_years(p.nc_year);
  const bool dated_as_configured = s.reference_date == opt_.reference_date.iso();
  switch (kind) {
  case 8: return p.nc_year != "E1" && p.nc_year != "E2"; // CI007 on under-threes: their expected age is the loader's
  case 11: return !ey;                                   // CI011: an item left out
  case 12: return dated_as_configured;                   // entry after census day
  case 13: return attends_every_term(s, p);              // missed above possible
  case 14:                                               // totals disagreeing with the detail (both written)
    return s.style == style_both && attends_every_term(s, p);
  case 15: return !ey && p.enrol == "C"; // exclusion outside the term
  case 16:                               // unreadable FSMstartDate
    return std::any_of(p.fsm_periods.begin(), p.fsm_periods.end(), [](const auto& f) { return f.end.empty(); });
  case 17: // an unknown reason code beside real ones
    return s.style != style_totals && attends_every_term(s, p);
  default: return true;
  }
}

bool Generator::leaver_applicable(const GenSchool& s, const GenPupil& p, int kind) const {
  const bool dated_as_configured = s.reference_date == opt_.reference_date.iso();
  switch (kind) {
  case 0: return opt_.format == "xml" && p.exclusions.empty(); // no LeavingDate (a CSV row without one is on roll)
  case 1: return p.exclusions.empty() && dated_as_configured;  // leaving date out of order
  case 2:                                                      // PERM with sessions
  case 3:
    return std::none_of(p.exclusions.begin(), p.exclusions.end(), [](const auto& e) { return e.category == "PERM"; });
  default: return false;
  }
}

// --term-changes, once everything else is generated (so that nothing else moves). Fixed since the
// earlier term: pupil defects injected as in every term (the same draws), now put back and their
// findings dropped; each kind keeps one at least. New in this later term: defects on pupils no other
// record refers to, and that no term has a defect on.
void Generator::introduce_term_changes() {
  if (opt_.term_changes <= 0) return;
  std::vector<std::size_t> order(fixable_.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[static_cast<std::size_t>(changes_.between(0, static_cast<int>(i) - 1))]);
  int fixed = 0;
  for (const std::size_t f : order) {
    Fixable& x = fixable_[f];
    if (fixed == opt_.term_changes) break;
    if (injected_[x.kind] < 2) continue;
    --injected_[x.kind];
    ++fixed;
    GenPupil& p = schools_[x.school].pupils[x.pupil];
    p = std::move(x.before);
    p.touched = true;
    for (const Defect& d : x.defects) {
      std::erase_if(defects_, [&](const Defect& e) {
        return e.rule == d.rule && e.laestab == d.laestab && e.subject == d.subject && e.upn == d.upn;
      });
      fixed_.push_back(d);
    }
  }
  std::set<std::string> referenced;
  for (const auto& c : cases_)
    referenced.insert(c.upn);
  for (const auto& p : placements_)
    referenced.insert(p.upn);
  std::map<std::string, int> seen;
  for (const auto& s : schools_) {
    for (const auto& p : s.pupils)
      ++seen[p.upn];
    for (const auto& p : s.leavers)
      ++seen[p.upn];
  }
  std::swap(r_, changes_); // the new defects' details come from the changes' own stream
  int added = 0;
  for (int attempt = 0; added < opt_.term_changes && attempt < 100000; ++attempt) {
    const auto si = static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 1));
    GenSchool& s = schools_[si];
    if (s.laestab.empty() || s.touched || s.pupils.empty()) continue;
    const auto i = static_cast<std::size_t>(r_.between(0, static_cast<int>(s.pupils.size()) - 1));
    const GenPupil& p = s.pupils[i];
    if (p.touched || p.sen != "N" || referenced.count(p.upn) || seen[p.upn] != 1 || !p.exclusions.empty() ||
        early_years(p.nc_year))
      continue;
    static constexpr int kinds[] = {0, 1, 2, 5, 7, 8, 10};
    const std::size_t n = defects_.size();
    inject(s, si, i, kinds[r_.between(0, 6)]);
    for (std::size_t d = n; d < defects_.size(); ++d)
      introduced_.push_back(defects_[d]);
    ++added;
  }
  std::swap(r_, changes_);
}

// Whether the defect could be made (CI004 and CI005 need a partner pupil).
bool Generator::inject(GenSchool& s, std::size_t si, std::size_t i, int kind) {
  GenPupil& p = s.pupils[i];
  p.touched = true;
  const std::string upn = p.upn;
  const bool csv_format = opt_.format == "csv";
  // A subject names the item as the return names it: the element in XML, the column in CSV.
  auto item = [&](const std::string& xml, const std::string& csv) { return upn + "." + (csv_format ? csv : xml); };
  Attendance& m = p.termly;
  // The attendance kinds (attends_every_term): the module is there in every term, with room for the
  // defect; some absence is made when the pupil had none.
  if ((kind == 13 || kind == 14 || kind == 17) && (!m.present || m.possible < 10))
    throw std::logic_error("censusqa-gen: no TermlyAttendance for an attendance defect on " + upn);
  if ((kind == 14 || kind == 17) && m.authorised == 0) add_sessions(m, "I", 2);
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
    if (!other) return false;
    other->touched = true;
    other->upn = upn;
    other->sen = p.sen; // the same SEN record, so that only CI004 concerns the pair
    other->needs = p.needs;
    if (csv_format) // the CSV's side tables are keyed by laestab and UPN: nothing there either record could claim
      for (GenPupil* q : {&p, other}) {
        q->fsm_periods.clear();
        q->exclusions.clear();
        q->ap.clear();
        q->summer2 = {};
        if (s.style != style_totals) q->termly = {}; // detail rows go to session_details.csv
      }
    defects_.push_back({"CI004", s.laestab, upn, upn, "UPN duplicated within the school"});
    break;
  }
  case 4: { // CI005: the same UPN single-registered at another school
    GenSchool& o = schools_[(si + 1 + static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 2))) %
                            schools_.size()];
    if (&o == &s || o.touched) return false; // not into a school whose return carries its own defect (CI010)
    GenPupil* other = clean_pupil(o);
    if (!other) return false;
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
    defects_.push_back({"IN003", s.laestab, item("DOB", "dob"), upn, "DOB 30 February"});
    break;
  case 7: // CI006: born after the reference date
    p.dob = opt_.reference_date.plus_days(10).iso();
    defects_.push_back({"CI006", s.laestab, upn, upn, "DOB after the reference date"});
    if (p.termly.present) // attendance for a pupil under 4, as COLLECT says too
      defects_.push_back({"DFE2470", s.laestab, upn, upn, "attendance for a pupil born after the reference date"});
    if (p.summer2.present) // and the autumn return's second summer half-term
      defects_.push_back(
          {"DFE2571", s.laestab, upn, upn, "summer half-term 2 for a pupil born after the reference date"});
    break;
  case 8: { // CI007: three years older than the year group
    const Date dob = *Date::parse(p.dob);
    p.dob = Date::from_ymd(dob.year() - 3, dob.month(), std::min(dob.day(), 28u))->iso();
    defects_.push_back({"CI007", s.laestab, upn, upn, "DOB three years early for the NC year"});
    // Over 15 on the 31 August that decides attendance's cohort, as the rules read it (absence_age_date:
    // the year before the census's, so for an autumn census not the start of its own school year).
    if (Date::parse(p.dob)->age_on(absence_age_date(opt_.reference_date)) > 15 && !s.attendance_16plus) {
      if (p.termly.present) defects_.push_back({"DFE2470", s.laestab, upn, upn, "attendance for a pupil now over 15"});
      if (p.summer2.present)
        defects_.push_back({"DFE2571", s.laestab, upn, upn, "summer half-term 2 for a pupil now over 15"});
    }
    break;
  }
  case 9: // SEN provision: missing (CI008, DfE rule 2120) or the retired S (the loader's IN004, DfE rule 2115)
    p.needs.clear();
    if ((upn.back() - '0') % 2 == 0) {
      p.sen.clear();
      defects_.push_back({"CI008", s.laestab, upn, upn, "SENprovision missing"});
    } else {
      p.sen = 'S';
      defects_.push_back({"IN004", s.laestab, item("SENprovision", "sen_provision"), upn, "SENprovision S"});
    }
    break;
  case 10: // IN003: an entry date that cannot be read
    p.entry_date = "04/13/2020";
    defects_.push_back({"IN003", s.laestab, item("EntryDate", "entry_date"), upn, "EntryDate 04/13/2020"});
    break;
  case 11: { // CI011: a required item left out (the element absent); EnrolStatus only where nothing counts on it
    std::vector<int> items{omit_year, omit_entry};
    if (csv_format || s.sex_tag == "Sex") items.push_back(omit_sex);
    if (p.enrol == "C" && p.sen == "N" && p.needs.empty() && !p.has_plan) items.push_back(omit_enrol);
    const int what = items[static_cast<std::size_t>(r_.between(0, static_cast<int>(items.size()) - 1))];
    p.omit |= static_cast<unsigned>(what);
    // A rule's subject names the census item, whichever way the return came (XML or CSV).
    const std::string name = upn + "." +
                             (what == omit_year    ? "NCyearActual"
                              : what == omit_entry ? "EntryDate"
                              : what == omit_sex   ? "Sex"
                                                   : "EnrolStatus");
    defects_.push_back({"CI011", s.laestab, name, upn, name.substr(upn.size() + 1) + " missing"});
    break;
  }
  case 12: // CI012: entered after census day
    p.entry_date = opt_.reference_date.plus_days(r_.between(1, 30)).iso();
    defects_.push_back({"CI012", s.laestab, upn, upn, "EntryDate after the reference date"});
    break;
  case 13: { // CI014: more sessions missed than possible (detail and totals agreeing)
    add_sessions(m, "I", m.possible - m.authorised - m.unauthorised + r_.between(1, 6));
    defects_.push_back({"CI014", s.laestab, upn + ".TermlyAttendance", upn, "sessions missed above possible"});
    break;
  }
  case 14: { // CI015: SessionsAuthorised not the sum of the authorised codes, still within possible
    const double x = r_.uniform();
    const int delta = m.authorised + m.unauthorised + 4 <= m.possible
                          ? 1 + static_cast<int>(x * 3)
                          : -1 - static_cast<int>(x * std::min(m.authorised, 3));
    m.authorised += delta;
    defects_.push_back(
        {"CI015", s.laestab, upn + ".TermlyAttendance", upn,
         "SessionsAuthorised " + std::to_string(m.authorised) + ", detail " + std::to_string(m.authorised - delta)});
    break;
  }
  case 15: { // CI018: an exclusion dated in another term (the same draws whichever exclusions the term has)
    // A PRU's autumn return (XML) writes AnnualExclusion, which reports the previous academic year.
    const bool annual = !csv_format && s.phase == "pru" && opt_.term == "AUT";
    const Date window = annual ? *Date::from_ymd(academic_year_start_eve(opt_.reference_date).year() - 1, 9, 1)
                               : exclusion_window().from;
    const Date outside = window.plus_days(-r_.between(10, 60));
    const std::string& reason = exclusion_reasons[r_.pick(exclusion_reason_weights)];
    const int sessions = r_.between(1, 3);
    auto it =
        std::find_if(p.exclusions.begin(), p.exclusions.end(), [](const auto& e) { return e.category != "PERM"; });
    if (it != p.exclusions.end())
      it->start = outside.iso();
    else
      p.exclusions.push_back({"SUSP", reason, outside.iso(), sessions, p.sen});
    defects_.push_back({"CI018", s.laestab, upn + "." + outside.iso(), upn, "exclusion before the term's window"});
    break;
  }
  case 16: { // IN003: an FSM start date that does not exist
    auto it = std::find_if(p.fsm_periods.begin(), p.fsm_periods.end(), [](const auto& f) { return f.end.empty(); });
    it->start = it->start.substr(0, 5) + "02-30";
    defects_.push_back({"IN003", s.laestab, item("FSMstartDate", "start_date"), upn, "FSMstartDate " + it->start});
    break;
  }
  case 17: { // IN004: a reason code that does not exist, beside the real ones (not in the totals)
    const int q = r_.between(1, 3);
    // Room for it, so that no total is above possible: a little less absence when the term had much.
    for (auto row = m.detail.begin(); m.authorised + m.unauthorised + q > m.possible && row != m.detail.end();) {
      if (row->second <= 1) {
        ++row;
        continue;
      }
      --row->second;
      (authorised_code(row->first) ? m.authorised : m.unauthorised) -= 1;
    }
    m.detail.push_back({"Q9", q});
    defects_.push_back(
        {"IN004", s.laestab, item("TermlyAttendance/AttendanceReason", "reason"), upn, "AttendanceReason Q9"});
    break;
  }
  }
  return true;
}

// Leaver defects: 0 CI011 no LeavingDate, 1 CI013 leaving date out of order, 2 CI016 PERM with
// sessions, 3 CI017 two PERMs. Whether it could be made.
bool Generator::inject_leaver(GenSchool& s, std::size_t i, int kind) {
  GenPupil& p = s.leavers[i];
  Random& r = term_r_; // a leaver is the term's
  p.touched = true;
  const std::string upn = p.upn;
  auto perms = [&] {
    return std::count_if(p.exclusions.begin(), p.exclusions.end(), [](const auto& e) { return e.category == "PERM"; });
  };
  switch (kind) {
  case 0:
    p.omit |= omit_leaving;
    defects_.push_back({"CI011", s.laestab, upn + ".LeavingDate", upn, "leaver with no LeavingDate"});
    return true;
  case 1:
    if (r.chance(0.5)) {
      p.leaving_date = Date::parse(p.entry_date)->plus_days(-r.between(1, 60)).iso();
      defects_.push_back({"CI013", s.laestab, upn, upn, "LeavingDate before EntryDate"});
    } else {
      p.leaving_date = opt_.reference_date.plus_days(r.between(0, 10)).iso();
      defects_.push_back({"CI013", s.laestab, upn, upn, "LeavingDate on or after the reference date"});
    }
    return true;
  case 2:
    add_perm(s, p, r.between(1, 10), r);
    if (perms() != 1) return false;
    defects_.push_back({"CI016", s.laestab, upn, upn, "permanent exclusion with sessions"});
    return true;
  case 3:
    add_perm(s, p, -1, r);
    add_perm(s, p, -1, r);
    if (perms() != 2) return false;
    defects_.push_back({"CI017", s.laestab, upn, upn, "two permanent exclusions"});
    return true;
  }
  return false;
}

// The LA's census beyond one return per school, when there are schools enough and defects are on:
// a register school that sent no return (IN007); in XML also an earlier export of a return (IN008), a
// return whose header mistypes the LA number (CI009), and a common transfer file among the returns (IN009).
void Generator::make_return_situations() {
  if (opt_.schools < 6 || opt_.defect_rate <= 0) return;
  // A new academy, in the register from this September, whose first return has not come in.
  int estab = 2000;
  for (const auto& s : schools_)
    if (s.phase == "primary") estab = std::max(estab, std::stoi(s.laestab.substr(3)) + 1);
  GenSchool fresh;
  fresh.laestab = opt_.la + pad(estab, 4);
  fresh.urn = pad(std::stoi(schools_.back().urn) + 1, 6);
  fresh.name = r_.pick(places) + " " + r_.pick(places) + " Free School";
  fresh.phase = "primary";
  fresh.governance = "academy";
  no_return_.push_back(fresh);
  defects_.push_back({"IN007", fresh.laestab, fresh.laestab, "", "school in the register with no census return"});
  if (opt_.format != "xml") return;
  auto pick_school = [&](auto want) -> int {
    std::vector<int> fit;
    for (std::size_t i = 0; i < schools_.size(); ++i)
      if (want(schools_[i], static_cast<int>(i))) fit.push_back(static_cast<int>(i));
    return fit.empty() ? -1 : fit[static_cast<std::size_t>(r_.between(0, static_cast<int>(fit.size()) - 1))];
  };
  // An earlier export of one return: a leaver still on roll in it, a pupil or two not yet on it. The
  // school is chosen from what every term has; the leaver is the term's (one is made when none fits).
  duplicate_ = pick_school([](const GenSchool& s, int) { return !s.touched && s.pupils.size() >= 10; });
  if (duplicate_ >= 0) {
    GenSchool& s = schools_[static_cast<std::size_t>(duplicate_)];
    auto leaver = std::find_if(s.leavers.begin(), s.leavers.end(),
                               [](const GenPupil& p) { return p.exclusions.empty() && !p.touched; });
    GenPupil& still = leaver != s.leavers.end() ? *leaver : make_leaver(s, false);
    still.touched = true;
    first_export_still_on_roll_ = still.upn;
    for (int k = r_.between(1, 2), tries = 0; k > 0 && tries < 50; ++tries)
      if (GenPupil* p = clean_pupil(s); p && p->enrol == "C") {
        p->touched = true;
        first_export_missing_.insert(p->upn);
        --k;
      }
    defects_.push_back({"IN008", s.laestab, s.laestab, "",
                        "two returns for the school: " + s.laestab + "-first-export.xml (earlier) is not used"});
  }
  // A header LEA mistyped (the Estab is a register school's).
  mistyped_ = pick_school([&](const GenSchool& s, int i) { return !s.touched && i != duplicate_; });
  if (mistyped_ >= 0) {
    GenSchool& s = schools_[static_cast<std::size_t>(mistyped_)];
    s.return_lea = opt_.la.substr(0, 2) + std::to_string((opt_.la[2] - '0' + 1) % 10);
    defects_.push_back({"CI009", s.laestab, s.laestab, "", "header LEA " + s.return_lea + " mistyped"});
  }
  // A common transfer file for a few pupils coming from another LA's school.
  const int dest =
      pick_school([&](const GenSchool& s, int i) { return s.phase == "primary" && i != duplicate_ && i != mistyped_; });
  if (dest >= 0) {
    Ctf c;
    c.dest = schools_[static_cast<std::size_t>(dest)].laestab;
    c.source_lea = opt_.la == "886" ? "887" : "886";
    c.source_estab = "2" + pad(r_.between(100, 999), 3);
    c.source_name = r_.pick(places) + " " + r_.pick(places) + " Primary School";
    const Date aug31 = academic_year_start_eve(opt_.reference_date);
    for (int k = 0, n = r_.between(3, 5); k < n; ++k) {
      GenPupil p;
      const int year = r_.between(1, 6);
      p.nc_year = year_code(year);
      p.dob = dob_for_age(r_, aug31, year + 4);
      p.upn = with_check_letter(c.source_lea + c.source_estab + pad(k + 1, 5));
      p.surname = r_.pick(surnames);
      p.forename = r_.pick(forenames);
      p.sex = r_.chance(0.5) ? "F" : "M";
      c.pupils.push_back(std::move(p));
    }
    defects_.push_back(
        {"IN009", "", "census/ctf-" + c.dest + ".xml", "", "a common transfer file, not a census return"});
    ctf_ = std::move(c);
  }
}

// Primary-need coding defects (PN001-PN009, PN011, and the school mixes behind PN010 and PN012).
void Generator::inject_need_defects() {
  if (opt_.defect_rate <= 0) return;
  std::size_t pupils = 0;
  for (const auto& s : schools_)
    pupils += s.pupils.size();
  const int per_kind = std::max(1, static_cast<int>(std::lround(static_cast<double>(pupils) * opt_.defect_rate / 15)));
  // Need types are written and checked in spring returns only. The pupils are picked in every term, so
  // that the rest of the LA is drawn the same way, and given what the other terms can see too (SEN
  // provision, the LA's plan); only a spring return has their needs changed, and the findings.
  const bool spring = opt_.term == "SPR";
  auto support = [](const GenSchool&, const GenPupil& p) {
    return p.sen == "K" && !primary_of(p).empty() && primary_of(p) != "NSA";
  };
  auto none = [](const GenSchool&, const GenPupil& p) { return p.sen == "N" && p.needs.empty(); };
  auto expect = [&](const char* rule, const GenSchool& s, const GenPupil& p, const char* note,
                    std::string subject = {}) {
    if (spring) defects_.push_back({rule, s.laestab, subject.empty() ? p.upn : subject, p.upn, note});
  };
  auto needs = [&](GenPupil& p, std::vector<std::pair<int, std::string>> v) {
    if (spring) p.needs = std::move(v);
  };
  for (int k = 0; k < per_kind; ++k) {
    if (auto [s, p] = pick_pupil(support); p) needs(*p, {}), expect("PN001", *s, *p, "SEN support with no need");
    // A CSV return has one column per rank, so two rank-1 needs can only be written in XML.
    if (opt_.format == "xml")
      if (auto [s, p] = pick_pupil(support); p) {
        const std::string primary = primary_of(*p), other = other_need(primary);
        needs(*p, {{1, primary}, {1, other}});
        expect("PN002", *s, *p, "two needs at rank 1");
      }
    if (auto [s, p] = pick_pupil(support); p) {
      needs(*p, {{1, "AUTISM"}});
      expect("PN003", *s, *p, "need type AUTISM");
      expect("IN004", *s, *p, "need type AUTISM", p->upn + (opt_.format == "csv" ? ".sen_need_1" : ".SENtype"));
    }
    if (auto [s, p] = pick_pupil(none); p) needs(*p, {{1, "SLCN"}}), expect("PN004", *s, *p, "no SEN but a need");
    if (auto [s, p] = pick_pupil(support); p) {
      needs(*p, {{1, primary_of(*p)}, {2, "NSA"}});
      expect("PN005", *s, *p, "NSA at rank 2");
    }
    if (auto [s, p] = pick_pupil(support); p) {
      needs(*p, {{1, primary_of(*p)}, {2, primary_of(*p)}});
      expect("PN006", *s, *p, "same need at rank 1 and 2");
    }
    if (auto [s, p] = pick_pupil(support); p) {
      p->sen = 'E';
      p->plan_need = other_need(primary_of(*p));
      expect("PN007", *s, *p, "the LA's plan records another need");
    }
    if (auto [s, p] =
            pick_pupil([](const GenSchool& s, const GenPupil& p) { return s.phase == "primary" && p.sen == "K"; });
        p) {
      needs(*p, {{1, "PMLD"}});
      expect("PN011", *s, *p, "PMLD at SEN support in a primary school");
    }
    // Seen in every term.
    if (auto [s, p] = pick_pupil(support); p)
      p->sen = 'E', p->no_plan = true, defects_.push_back({"PN008", s->laestab, p->upn, p->upn, "E with no plan held"});
    if (auto [s, p] = pick_pupil(none); p)
      p->plan_need = "SLCN", defects_.push_back({"PN009", s->laestab, p->upn, p->upn, "plan held, census says N"});
  }
  // School mixes: one school with many SEN support pupils at NSA (PN012), and a primary school with an
  // SEMH excess and another with a VI excess (PN010); the truth for both rules is computed afterwards.
  // The schools and pupils are set aside in every term; the needs are changed in a spring return.
  auto recode = [&](GenSchool& s, const std::string& need, double share) {
    std::vector<GenPupil*> eligible;
    for (auto& p : s.pupils)
      if (!p.touched && p.enrol == "C" && p.sen == "K" && !primary_of(p).empty()) eligible.push_back(&p);
    const auto n = static_cast<std::size_t>(std::ceil(static_cast<double>(eligible.size()) * share));
    for (std::size_t i = 0; i < n && i < eligible.size(); ++i) {
      needs(*eligible[i], {{1, need}});
      eligible[i]->touched = true;
    }
    s.touched = true;
    if (spring) mix_altered_.push_back(s.laestab);
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

// PN010 and PN012 follow from each school's need mix: their expected findings are computed here
// from the definitions in spec/rules.md, independently of the plugin's code.
void Generator::expect_need_share_findings() {
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
      const bool on_roll = main_registration(p) || (s.phase == "pru" && p.enrol == "S");
      if (!on_roll || (p.sen != "K" && p.sen != "E")) continue;
      const std::string primary = primary_of(p);
      if (p.sen == "K" && main_registration(p)) ++m.support, m.nsa += primary == "NSA";
      ++m.sen; // PN010's denominator: every pupil with SEN on roll, a primary need recorded or not
      if (primary.empty()) continue;
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
double Generator::binomial_p(int k, int n, double p) {
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

// CI019: a special school's pupils with SEN provision N (the population draws about 1 in 100 of them,
// and CI010's defect may set a whole return to N), worked out from what is written.
void Generator::expect_special_school_pupils_without_sen() {
  for (const auto& s : schools_)
    if (s.phase == "special")
      for (const auto& p : s.pupils)
        if (p.sen == "N")
          defects_.push_back({"CI019", s.laestab, p.upn, p.upn, "pupil at a special school with SEN provision N"});
}

} // namespace censusqa::gen
