// censusqa-gen: the census returns as schools' MIS software writes them (SHAPE.md): one XML message per
// school, or the CSV extract; the common transfer file and the earlier export among the returns; last
// spring's census (previous/); and the expected figures of what was written.
#include "generator.hpp"

namespace censusqa::gen {

namespace {

void el(std::string& o, std::string_view tag, std::string_view v) {
  o += '<';
  o += tag;
  o += '>';
  o += v;
  o += "</";
  o += tag;
  o += '>';
}

void el(std::string& o, std::string_view tag, std::int64_t v) { el(o, tag, std::to_string(v)); }

std::string escaped(const std::string& s) {
  std::string o;
  for (char c : s)
    o += c == '&'   ? std::string("&amp;")
         : c == '<' ? std::string("&lt;")
         : c == '>' ? std::string("&gt;")
                    : std::string(1, c);
  return o;
}

} // namespace

// What of a module the school's MIS writes: the reason-code rows, the totals, or both.
Generator::Written Generator::written(const GenSchool& s, const Attendance& m) {
  const bool rows = !m.detail.empty();
  switch (s.style) {
  case style_detail: return {rows, false};
  case style_totals: return {false, true};
  case style_aspen: return {rows, !rows};
  default: return {rows, true};
  }
}

const char* Generator::boolean(const GenSchool& s, bool v) const {
  return s.bool_digits ? (v ? "1" : "0") : (v ? "true" : "false");
}

// One record's part of the school's expected figures, from what is written (truth.json, SHAPE.md).
void Generator::count(Figures& f, const GenSchool& s, const GenPupil& p, bool leaver) const {
  ++(leaver ? f.leavers_in_return : f.pupils_in_return);
  const std::string enrol = p.omit & omit_enrol ? std::string() : p.enrol;
  // A PRU counts its dual-registered (S) pupils on roll too (docs/metrics.md); absence stays C and M.
  const bool main = !leaver && (enrol == "C" || enrol == "M");
  const bool on_roll = main || (!leaver && enrol == "S" && s.phase == "pru");
  const Date ref = census_date_;
  if (on_roll) {
    ++f.pupils_on_roll;
    const bool eligible = std::any_of(p.fsm_periods.begin(), p.fsm_periods.end(), [&](const GenPupil::FsmPeriod& fp) {
      const auto start = Date::parse(fp.start);
      if (!start || *start > ref) return false; // an unreadable start is missing
      if (!fp.end.empty()) {
        const auto end = Date::parse(fp.end);
        if (!end || *end < ref) return false;
      }
      return fp.country.empty() || fp.country == "ENG";
    });
    f.fsm_eligible += eligible;
  }
  for (const auto& e : p.exclusions) {
    const std::string& c = e.category;
    f.suspensions += c == "SUSP";
    f.permanent_exclusions += c == "PERM";
    f.lunchtime_exclusions += c == "LNCH";
  }
  if (!(main || leaver) || !p.termly.present || p.termly.possible <= 0) return;
  const auto dob = Date::parse(p.dob);
  if (!dob) return;
  const int age = dob->age_on(*Date::from_ymd(ref.year() - 1, 8, 31));
  if (age < 5 || age > 15) return;
  // As Dataset::termly_absence counts it: the termly module, and for an autumn census the summer's
  // second half too (not for pupils aged 15); a module with more sessions missed than possible is out.
  const auto sessions = [&](const Attendance& m) -> std::optional<std::array<std::int64_t, 3>> {
    if (!m.present || m.possible <= 0) return std::nullopt;
    const Written w = written(s, m);
    std::int64_t authorised = 0, unauthorised = 0;
    if (w.rows) {
      for (const auto& [code, n] : m.detail)
        if (authorised_code(code))
          authorised += n;
        else if (unauthorised_code(code))
          unauthorised += n; // an unknown code is a missing value: in neither
    } else if (w.totals) {
      authorised = m.authorised, unauthorised = m.unauthorised;
    }
    if (authorised + unauthorised > m.possible) return std::nullopt;
    return std::array<std::int64_t, 3>{m.possible, authorised, unauthorised};
  };
  auto t = sessions(p.termly);
  if (!t) return;
  if (opt_.term == "AUT" && age < 15)
    if (const auto half2 = sessions(p.summer2))
      for (std::size_t i = 0; i < 3; ++i)
        (*t)[i] += (*half2)[i];
  const auto [possible, authorised, unauthorised] = *t;
  ++f.attendance_pupils;
  f.sessions_possible += possible;
  f.sessions_authorised += authorised;
  f.sessions_unauthorised += unauthorised;
  f.persistent_absentees += (authorised + unauthorised) * 10 >= possible;
}

std::string Generator::export_time(const GenSchool& s, int days_earlier) const {
  const Date d = Date::parse(s.reference_date)->plus_days(days_earlier ? 0 : s.export_days + 1);
  const int minute = days_earlier ? 8 * 60 + s.export_minute % 60 : s.export_minute;
  return d.iso() + "T" + pad(minute / 60, 2) + ":" + pad(minute % 60, 2) + ":00";
}

void Generator::write_returns() {
  figures_.clear();
  if (opt_.format == "csv") {
    write_csv(true);
    return;
  }
  for (auto& s : schools_)
    write_xml(s, census_root_ / "census" / (s.laestab + ".xml"), s.serial, export_time(s, 0), true);
  write_first_export();
  write_ctf();
}

void Generator::xml_module(std::string& o, const char* tag, const GenSchool& s, const Attendance& m) const {
  const Written w = written(s, m);
  o += '<';
  o += tag;
  o += '>';
  el(o, "SessionsPossible", m.possible);
  if (w.rows) {
    o += "<SessionDetails>";
    for (const auto& [code, n] : m.detail) {
      o += "<SessionDetail>";
      el(o, "AttendanceReason", code);
      el(o, "AbsenceSessions", n);
      o += "</SessionDetail>";
    }
    o += "</SessionDetails>";
  }
  if (w.totals) {
    el(o, "SessionsAuthorised", m.authorised);
    el(o, "SessionsUnauthorised", m.unauthorised);
  }
  o += "</";
  o += tag;
  o += '>';
}

// One PupilOnRoll or PupilNoLongerOnRoll, a line per module. Which modules and items a record has by
// term and phase follows Aspen's exporter [A-E] and COLLECT's tables [L]; leavers carry no FSM, no SEN
// module, no EnrolStatus or NCyearActual [A-T, L].
void Generator::xml_pupil(std::string& o, const GenSchool& s, const GenPupil& p, bool leaver) const {
  const bool spring = census_term_ == "SPR", autumn = census_term_ == "AUT", pru = s.phase == "pru";
  const bool mainstream = s.phase == "primary" || s.phase == "secondary";
  o += leaver ? "      <PupilNoLongerOnRoll>\n" : "      <PupilOnRoll>\n";
  o += "        <PupilIdentifiers>";
  el(o, "UPN", p.upn);
  if (!p.uln.empty()) el(o, "ULN", p.uln);
  el(o, "Surname", p.surname);
  el(o, "Forename", p.forename);
  if (!(p.omit & omit_sex)) el(o, s.sex_tag, p.sex);
  el(o, "DOB", p.dob);
  o += "</PupilIdentifiers>\n        <PupilCharacteristics>";
  if (spring || pru) el(o, "Ethnicity", p.ethnicity);
  if (!leaver && !p.fsm_periods.empty()) {
    o += "<FSMeligibility>";
    for (const auto& f : p.fsm_periods) {
      o += "<FSMperiod>";
      el(o, "FSMstartDate", f.start);
      if (!f.end.empty()) el(o, "FSMendDate", f.end);
      el(o, "UKcountry", f.country);
      o += "</FSMperiod>";
    }
    o += "</FSMeligibility>";
  }
  el(o, "Language", p.language);
  if (!leaver && p.sen == "E") el(o, "TopUpFunding", boolean(s, p.top_up));
  o += "</PupilCharacteristics>\n        <PupilStatus>";
  if (!leaver && !(p.omit & omit_enrol)) el(o, "EnrolStatus", p.enrol);
  if (!(p.omit & omit_entry)) el(o, "EntryDate", p.entry_date);
  if (leaver && !(p.omit & omit_leaving)) el(o, "LeavingDate", p.leaving_date);
  el(o, "PartTime", boolean(s, p.part_time));
  el(o, "Boarder", "N");
  if (!leaver && !(p.omit & omit_year)) el(o, "NCyearActual", p.nc_year);
  if (leaver && autumn && s.phase == "secondary") el(o, "NCyearLeaving", p.nc_year);
  o += "</PupilStatus>\n";
  if (!leaver) {
    o += "        <SpecialEducationalNeeds>";
    el(o, "SENprovision", p.sen);
    if (spring && !p.needs.empty()) {
      o += "<SENneeds>";
      for (const auto& [rank, type] : p.needs) {
        o += "<SENneed>";
        el(o, "SENtypeRank", rank);
        el(o, "SENtype", type);
        o += "</SENneed>";
      }
      o += "</SENneeds>";
    }
    const bool sen = p.sen == "K" || p.sen == "E";
    if (spring && mainstream && (sen || s.style == style_aspen)) {
      el(o, "SENunitIndicator", boolean(s, sen && p.sen_unit));
      el(o, "ResourcedProvisionIndicator", boolean(s, sen && p.resourced));
    }
    o += "</SpecialEducationalNeeds>\n";
  }
  if (!p.exclusions.empty()) {
    const char* tag = pru && autumn ? "AnnualExclusion" : "TermlyExclusion";
    o += "        <Exclusions>";
    for (const auto& e : p.exclusions) {
      o += '<';
      o += tag;
      o += '>';
      el(o, "Category", e.category);
      el(o, "Reason", e.reason);
      el(o, "StartDate", e.start);
      if (e.sessions >= 0) el(o, "Sessions", e.sessions);
      el(o, "SENprovision", e.sen);
      o += "</";
      o += tag;
      o += '>';
    }
    o += "</Exclusions>\n";
  }
  if (!leaver || (autumn && s.phase == "secondary")) {
    o += "        <HomeInformation><Address>";
    el(o, "PostCode", p.postcode);
    o += "</Address></HomeInformation>\n";
  }
  const bool summer2 = autumn && p.summer2.present;
  if (p.termly.present || summer2) {
    o += "        <Attendance>";
    if (p.termly.present) xml_module(o, "TermlyAttendance", s, p.termly);
    if (summer2) xml_module(o, "SummerHalfTerm2Attendance", s, p.summer2);
    o += "</Attendance>\n";
  }
  if (!leaver && !autumn && !p.ap.empty()) {
    o += "        <APPlacementDetails>";
    for (const auto& a : p.ap) {
      o += "<SchoolArrangedAPDetail>";
      if (!a.urn.empty()) el(o, "URN", a.urn);
      if (!a.ukprn.empty()) el(o, "UKPRN", a.ukprn);
      el(o, "EntryDate", a.entry);
      if (!a.leaving.empty()) el(o, "LeavingDate", a.leaving);
      el(o, "APSessionsPerWeek", a.sessions_per_week);
      if (!a.setting.empty()) el(o, "APSettingType", a.setting);
      el(o, "PlacementReason", a.reason);
      el(o, "SENprovisionEntry", a.sen_entry);
      if (!a.sen_leaving.empty()) el(o, "SENprovisionLeaving", a.sen_leaving);
      el(o, "APAttendancePattern", a.pattern);
      o += "</SchoolArrangedAPDetail>";
    }
    o += "</APPlacementDetails>\n";
  }
  o += leaver ? "      </PupilNoLongerOnRoll>\n" : "      </PupilOnRoll>\n";
}

void Generator::write_xml(GenSchool& s, const fs::path& file, int serial, const std::string& datetime, bool counted) {
  std::string o;
  o.reserve((s.pupils.size() + s.leavers.size()) * 1200 + 4096);
  o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n    <CollectionDetails>";
  el(o, "Collection", "SC");
  el(o, "Term", census_term_);
  el(o, "Year", Date::parse(s.reference_date)->year());
  el(o, "ReferenceDate", s.reference_date);
  o += "</CollectionDetails>\n    <Source>";
  el(o, "SourceLevel", "S");
  el(o, "LEA", s.return_lea);
  el(o, "Estab", s.laestab.substr(3));
  el(o, "URN", s.urn);
  el(o, "SoftwareCode", s.software);
  el(o, "Release", s.release);
  el(o, "Xversion", "1.0");
  el(o, "SerialNo", serial);
  el(o, "DateTime", datetime);
  o += "</Source>\n    <Content><CBDSLevels><CBDSLevel>School</CBDSLevel><CBDSLevel>Pupil</CBDSLevel></CBDSLevels>"
       "</Content>\n  </Header>\n  <School><SchoolCharacteristics>";
  // The year range from the pupils on roll (a PRU takes whoever is excluded).
  int lowest = 99, highest = -99;
  for (const auto& p : s.pupils)
    if (!(p.omit & omit_year))
      lowest = std::min(lowest, year_rank(p.nc_year)), highest = std::max(highest, year_rank(p.nc_year));
  if (lowest > highest) lowest = s.phase == "secondary" ? 7 : 0, highest = s.phase == "secondary" ? 11 : 6;
  el(o, "SchoolName", escaped(s.name));
  el(o, "Phase", phase_code(s.phase));
  el(o, "SchoolType", s.school_type);
  el(o, "HighestNCyear", year_code(highest));
  el(o, "LowestNCyear", year_code(lowest));
  el(o, "Intake", s.intake);
  el(o, "Governance", s.gov_code);
  o += "</SchoolCharacteristics></School>\n  <Pupils>\n    <PupilsOnRoll>\n";
  auto line = static_cast<std::uint32_t>(std::count(o.begin(), o.end(), '\n'));
  Figures f;
  for (auto& p : s.pupils) {
    p.line = line + 2; // the line of its PupilIdentifiers
    const std::size_t before = o.size();
    xml_pupil(o, s, p, false);
    line += static_cast<std::uint32_t>(std::count(o.begin() + static_cast<std::ptrdiff_t>(before), o.end(), '\n'));
    if (counted) count(f, s, p, false);
  }
  o += "    </PupilsOnRoll>\n";
  if (!s.leavers.empty()) {
    o += "    <PupilsNoLongerOnRoll>\n";
    for (auto& p : s.leavers) {
      xml_pupil(o, s, p, true);
      if (counted) count(f, s, p, true);
    }
    o += "    </PupilsNoLongerOnRoll>\n";
  }
  o += "  </Pupils>\n</Message>\n";
  std::ofstream(file, std::ios::binary).write(o.data(), static_cast<std::streamsize>(o.size()));
  if (counted) figures_[s.laestab] = f;
}

// The earlier export of the duplicated return: the same school, exported on census morning before the
// final one (a lower SerialNo), with a leaver still on roll and the latest pupils not yet added.
void Generator::write_first_export() {
  if (duplicate_ < 0) return;
  GenSchool first = schools_[static_cast<std::size_t>(duplicate_)];
  std::erase_if(first.pupils, [&](const GenPupil& p) { return first_export_missing_.count(p.upn) > 0; });
  for (auto it = first.leavers.begin(); it != first.leavers.end(); ++it)
    if (it->upn == first_export_still_on_roll_) {
      GenPupil p = *it;
      p.leaving_date.clear();
      p.enrol = 'C';
      first.leavers.erase(it);
      first.pupils.push_back(std::move(p));
      break;
    }
  write_xml(first, census_root_ / "census" / (first.laestab + "-first-export.xml"), first.serial - 1,
            export_time(first, 1), false);
}

// A common transfer file [A-C] for pupils joining one of the LA's schools, left among the returns.
void Generator::write_ctf() {
  if (!ctf_) return;
  const Ctf& c = *ctf_;
  const int y = academic_year_start_eve(opt_.reference_date).year();
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile>\n  <Header>";
  el(o, "DocumentName", "Common Transfer File");
  el(o, "CTFversion", "12.0");
  el(o, "DateTime", opt_.reference_date.plus_days(-9).iso() + "T14:05:00");
  el(o, "DocumentQualifier", "full");
  o += "\n    <SourceSchool>";
  el(o, "LEA", c.source_lea);
  el(o, "Estab", c.source_estab);
  el(o, "SchoolName", c.source_name);
  el(o, "AcademicYear", std::to_string(y) + "/" + pad((y + 1) % 100, 2));
  o += "</SourceSchool>\n    <DestSchool>";
  el(o, "LEA", opt_.la);
  el(o, "Estab", c.dest.substr(3));
  o += "</DestSchool>\n  </Header>\n  <CTFpupilData>\n";
  for (const auto& p : c.pupils) {
    o += "    <Pupil>";
    el(o, "UPN", p.upn);
    if (!p.uln.empty()) el(o, "ULN", p.uln);
    el(o, "Surname", p.surname);
    el(o, "Forename", p.forename);
    el(o, "DOB", p.dob);
    el(o, "Gender", p.sex);
    o += "<BasicDetails>";
    el(o, "NCyearActual", p.nc_year);
    el(o, "EnrolStatus", "C");
    o += "</BasicDetails></Pupil>\n";
  }
  o += "  </CTFpupilData>\n</CTfile>\n";
  std::ofstream(census_root_ / "census" / ("ctf-" + c.dest + ".xml"), std::ios::binary)
      .write(o.data(), static_cast<std::streamsize>(o.size()));
}

// The CSV extract: the same content in tables keyed by laestab and UPN (SHAPE.md).
void Generator::write_csv(bool counted) {
  const fs::path dir = census_root_ / "census";
  std::ofstream o(dir / "pupils.csv"), x(dir / "exclusions.csv"), fsm(dir / "fsm_periods.csv"),
      att(dir / "attendance.csv"), det(dir / "session_details.csv"), ap(dir / "school_arranged_ap.csv");
  o << "laestab,upn,uln,surname,forename,dob,sex,enrol_status,nc_year,entry_date,leaving_date,sen_provision,sen_need_1,"
       "sen_need_2,sen_unit,resourced_provision,top_up_funding,part_time,boarder,sessions_possible,"
       "sessions_authorised,sessions_unauthorised\n";
  x << "laestab,upn,category,reason,start_date,sessions,sen_provision\n";
  fsm << "laestab,upn,start_date,end_date,country\n";
  att << "laestab,upn,module,sessions_possible,sessions_authorised,sessions_unauthorised\n";
  det << "laestab,upn,module,reason,sessions\n";
  ap << "laestab,upn,urn,ukprn,entry_date,leaving_date,sessions_per_week,setting_type,reason,sen_provision_entry,"
        "sen_provision_leaving,attendance_pattern\n";
  const bool spring = census_term_ == "SPR", autumn = census_term_ == "AUT";
  std::uint32_t line = 1;
  for (auto& s : schools_) {
    Figures f;
    const bool mainstream = s.phase == "primary" || s.phase == "secondary";
    auto module = [&](const GenPupil& p, const char* name, const Attendance& m, bool in_pupils_csv) {
      const Written w = written(s, m);
      if (!in_pupils_csv)
        att << s.laestab << ',' << p.upn << ',' << name << ',' << m.possible << ','
            << (w.totals ? std::to_string(m.authorised) : "") << ',' << (w.totals ? std::to_string(m.unauthorised) : "")
            << '\n';
      if (w.rows)
        for (const auto& [code, n] : m.detail)
          det << s.laestab << ',' << p.upn << ',' << name << ',' << code << ',' << n << '\n';
    };
    auto row = [&](GenPupil& p, bool leaver) {
      p.line = ++line;
      auto need = [&](int rank) {
        if (!spring || leaver) return std::string();
        for (const auto& [r, t] : p.needs)
          if (r == rank) return t;
        return std::string();
      };
      const bool sen = p.sen == "K" || p.sen == "E";
      const bool indicators = !leaver && spring && mainstream && (sen || s.style == style_aspen);
      const Written w = written(s, p.termly);
      const bool totals_here = p.termly.present && w.totals;
      o << s.laestab << ',' << p.upn << ',' << p.uln << ',' << p.surname << ',' << p.forename << ',' << p.dob << ','
        << (p.omit & omit_sex ? "" : p.sex) << ',' << (leaver || (p.omit & omit_enrol) ? "" : p.enrol) << ','
        << (leaver || (p.omit & omit_year) ? "" : p.nc_year) << ',' << (p.omit & omit_entry ? "" : p.entry_date) << ','
        << (leaver ? p.leaving_date : "") << ',' << (leaver ? "" : p.sen) << ',' << need(1) << ',' << need(2) << ','
        << (indicators ? boolean(s, sen && p.sen_unit) : "") << ','
        << (indicators ? boolean(s, sen && p.resourced) : "") << ','
        << (!leaver && p.sen == "E" ? boolean(s, p.top_up) : "") << ',' << boolean(s, p.part_time) << ",N,"
        << (totals_here ? std::to_string(p.termly.possible) : "") << ','
        << (totals_here ? std::to_string(p.termly.authorised) : "") << ','
        << (totals_here ? std::to_string(p.termly.unauthorised) : "") << '\n';
      if (p.termly.present) module(p, "termly", p.termly, totals_here);
      if (autumn && p.summer2.present) module(p, "summer_half_term_2", p.summer2, false);
      for (const auto& e : p.exclusions)
        x << s.laestab << ',' << p.upn << ',' << e.category << ',' << e.reason << ',' << e.start << ','
          << (e.sessions >= 0 ? std::to_string(e.sessions) : "") << ',' << e.sen << '\n';
      if (!leaver) {
        for (const auto& fp : p.fsm_periods)
          fsm << s.laestab << ',' << p.upn << ',' << fp.start << ',' << fp.end << ',' << fp.country << '\n';
        if (!autumn)
          for (const auto& a : p.ap)
            ap << s.laestab << ',' << p.upn << ',' << a.urn << ',' << a.ukprn << ',' << a.entry << ',' << a.leaving
               << ',' << a.sessions_per_week << ',' << a.setting << ',' << a.reason << ',' << a.sen_entry << ','
               << a.sen_leaving << ',' << a.pattern << '\n';
      }
      if (counted) count(f, s, p, leaver);
    };
    for (auto& p : s.pupils)
      row(p, false);
    for (auto& p : s.leavers)
      row(p, true);
    if (counted) figures_[s.laestab] = f;
  }
  std::ofstream(dir / "census.json") << "{\"term\": \"" << census_term_ << "\", \"year\": " << census_date_.year()
                                     << ", \"reference_date\": \"" << census_date_.iso() << "\"}\n";
}

// previous/: the previous spring census, the same pupils on roll a year earlier, with a few primary
// needs that have since changed (PN013), and the moves pupil movement must find (move_pupils). It carries
// no leavers, exclusions or AP of its own.
void Generator::write_previous_term() {
  std::vector<GenSchool> previous = schools_;
  const Date prev_date = ehcp_year_before(opt_.reference_date);
  for (auto& s : previous) {
    s.reference_date = prev_date.iso();
    s.return_lea = opt_.la;
    s.leavers.clear();
    // A year earlier about as many pupils were eligible for FSM (those who have left since were replaced):
    // two in three of the periods that started since were already open then (an earlier claim), the third
    // did not exist, so that the term-on-term queries see the drift of a real LA, not a year of new claims.
    int since = 0;
    for (auto& p : s.pupils) {
      p.exclusions.clear();
      p.ap.clear();
      p.summer2 = {};
      for (auto& f : p.fsm_periods)
        if (f.start > prev_date.iso() && since++ % 3 != 0) f.start = prev_date.plus_days(-60).iso();
      std::erase_if(p.fsm_periods, [&](const auto& f) { return f.start > prev_date.iso(); });
      for (auto& f : p.fsm_periods)
        if (f.end > prev_date.iso()) f.end.clear();
    }
  }
  if (opt_.term == "SPR" && opt_.defect_rate > 0) {
    std::size_t pupils = 0;
    for (const auto& s : schools_)
      pupils += s.pupils.size();
    const int changes = std::max(1, static_cast<int>(std::lround(static_cast<double>(pupils) * opt_.defect_rate / 15)));
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
  change_previous_term(previous);
  move_pupils(previous, prev_date);
  expect_term_on_term(previous);
  census_root_ = opt_.out / "previous";
  census_date_ = prev_date;
  census_term_ = "SPR";
  fs::create_directories(census_root_ / "census");
  if (opt_.format == "csv") {
    std::swap(schools_, previous);
    write_csv(false);
    std::swap(schools_, previous);
  } else {
    for (auto& s : previous)
      write_xml(s, census_root_ / "census" / (s.laestab + ".xml"), s.serial, export_time(s, 0), false);
  }
  std::ofstream(census_root_ / "censusqa.json") << "{\n  \"la_code\": \"" << opt_.la << "\",\n  \"reference_date\": \""
                                                << prev_date.iso() << "\",\n  \"term\": \"SPR\"\n}\n";
  census_root_ = opt_.out;
  census_date_ = opt_.reference_date;
  census_term_ = opt_.term;
}

} // namespace censusqa::gen
