// censusqa-gen: the census returns: one XML file per school, or the CSV extract, and last spring's census (previous/).
#include "generator.hpp"

namespace censusqa::gen {

// previous/: the previous spring census, the same pupils a year earlier, with a few primary needs
// that have since changed (PN013).
void Generator::write_previous_term() {
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
  std::ofstream(census_root_ / "censusqa.json") << "{\n  \"la_code\": \"" << opt_.la << "\",\n  \"reference_date\": \""
                                                << prev_date.iso() << "\",\n  \"term\": \"SPR\"\n}\n";
  census_root_ = opt_.out;
  census_date_ = opt_.reference_date;
}

void Generator::write_xml(GenSchool& s) {
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
    o << "      <EnrolStatus>" << p.enrol << "</EnrolStatus><NCyearActual>" << p.nc_year << "</NCyearActual><EntryDate>"
      << p.entry_date << "</EntryDate>";
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

void Generator::write_csv() {
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

} // namespace censusqa::gen
