// censusqa-gen: alternative provision placements (ap_placements.csv) and the school days they are timed by.
#include "generator.hpp"

namespace censusqa::gen {

namespace {
int year_number(const std::string& nc) {
  if (nc == "R") return 0;
  if (nc == "N2") return -1;
  if (nc == "N1") return -2;
  return std::atoi(nc.c_str());
}
} // namespace

// Provision after each permanent exclusion that is due by the reference date (a pupil's first, when a
// defect gave it two): the first has none (so that even a small LA shows AP008), the rest have it four
// times in five. Every permanently excluded pupil is a leaver; one with a placement is on roll again by
// the census (so that AP003 has nothing to report). The exclusions are the term's: so are these draws
// (term_r_), the placements are numbered after the LA's others, and the pupils join their new rolls
// after everything that picks pupils on roll from r_ (run()), with a plan when recorded E.
void Generator::place_excluded_pupils() {
  Random& r = term_r_;
  const Date ref = opt_.reference_date, aug31 = academic_year_start_eve(ref);
  auto day = [&](int n) { return ref.plus_days(n).iso(); };
  GenSchool* pru = nullptr;
  for (auto& s : schools_)
    if (s.phase == "pru" && !pru) pru = &s;
  bool missed_one = false;
  for (auto& s : schools_)
    for (auto& p : s.leavers) {
      const GenPupil::Excl* first = nullptr;
      for (const auto& e : p.exclusions)
        if (e.category == "PERM" && (!first || e.start < first->start)) first = &e;
      if (!first) continue;
      const Date start = *Date::parse(first->start);
      const Date sixth = sixth_school_day(start, 6);
      if (sixth > ref) continue;
      p.touched = true;
      // An autumn return's exclusions are from the summer term before: a placement then ended with that term
      // and the pupil started at another school of the phase in September. Otherwise it is still open, and
      // the pupil is on roll at the LA's PRU; failing that, at another school of the phase (of the pupil's
      // age when the PRU itself excluded). An LA with no such school could not place the pupil.
      const bool last_year = opt_.term == "AUT" && start <= aug31;
      const std::string phase = s.phase != "pru" ? s.phase : year_number(p.nc_year) >= 7 ? "secondary" : "primary";
      GenSchool* to = last_year ? nullptr : pru;
      if (!to || to == &s)
        for (auto& o : schools_)
          if (&o != &s && o.phase == phase && !o.touched) {
            to = &o;
            break;
          }
      if ((!to || to == &s) && pru != &s) to = pru;
      if (!to || to == &s || !missed_one || !r.chance(0.8)) {
        defects_.push_back({"AP008", s.laestab, p.upn, p.upn, "no placement by the sixth school day"});
        missed_one = true;
        continue;
      }
      const Date begin = sixth_school_day(start, r.between(3, 6));
      const Date end = exclusion_term().to;
      if (last_year)
        placements_.push_back({"AP-" + pad(next_placement_++, 4), p.upn, s.laestab, "permanent_exclusion", begin.iso(),
                               end.iso(), end.iso(), "other_mainstream",
                               begin.plus_days(r.between(0, std::max(0, end.days_since(begin)))).iso()});
      else
        placements_.push_back({"AP-" + pad(next_placement_++, 4), p.upn, s.laestab, "permanent_exclusion", begin.iso(),
                               day(r.between(30, 90)), "", "",
                               day(-r.between(1, std::max(1, std::min(60, ref.days_since(begin)))))});
      GenPupil c = p;
      c.leaving_date.clear();
      c.exclusions.clear();
      c.ap.clear();
      c.omit = 0;
      c.enrol = 'C'; // a char: '= "C"' makes GCC 12 -O3 report -Wrestrict (GCC bug 105329)
      c.entry_date = last_year ? Date::from_ymd(aug31.year(), 9, 4)->iso() : begin.iso();
      if (last_year) c.nc_year = year_code(year_number(p.nc_year) + 1); // a year on
      attend(*to, c, r);
      const bool planned = main_registration(c) && c.sen == "E";
      to->pupils.push_back(std::move(c));
      if (planned) add_caseload_plan(static_cast<std::size_t>(to - schools_.data()), to->pupils.size() - 1, r);
    }
}

// AP placements: pupils following scenarios whose expected findings are known.
void Generator::make_placements() {
  const Date ref = opt_.reference_date;
  auto id = [&] { return "AP-" + pad(next_placement_++, 4); };
  auto day = [&](int n) { return ref.plus_days(n).iso(); };
  auto expect = [&](const char* rule, const std::string& laestab, const std::string& subject, const std::string& upn,
                    const char* note) {
    defects_.push_back({rule, laestab, subject, upn, note});
  };
  // Scenario pupils: secondary pupils in years 7-11 with no defect, the same in every term. (Their
  // suspensions are the term's; only a permanent exclusion would count as a breakdown, and a pupil on
  // roll has none.)
  std::vector<std::pair<GenSchool*, GenPupil*>> pool;
  for (auto& s : schools_)
    if (s.phase == "secondary" && !s.touched)
      for (auto& p : s.pupils)
        if (!p.touched && p.enrol == "C" && p.nc_year.size() <= 2 && std::stoi(p.nc_year) >= 7 &&
            std::stoi(p.nc_year) <= 11)
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
      const std::string stranger =
          with_check_letter(opt_.la + "9" + pad(r_.between(100, 999), 3) + pad(next_placement_, 5));
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

void Generator::write_placements() {
  std::ofstream o(opt_.out / "ap_placements.csv");
  o << "placement_id,upn,home_laestab,provider_urn,provider_name,provider_type,reason,start_date,planned_end_date,"
       "end_date,destination,last_review_date,dual_registered\n";
  // The provider: the LA's own PRU when it has one (its profile shows the placements at it), else an
  // out-of-area PRU. Names are plain words without commas.
  std::string provider = "100110,Brook Short Stay School";
  for (const auto& s : schools_)
    if (s.phase == "pru") {
      provider = s.urn + "," + s.name;
      break;
    }
  for (const auto& p : placements_)
    o << p.id << ',' << p.upn << ',' << p.home << ',' << provider << ",pru," << p.reason << ',' << p.start << ','
      << p.planned << ',' << p.end << ',' << p.destination << ',' << p.review << ",Y\n";
}

// The same placements as the LA's AP census return (schemas/ap-census-xml-map.json: the DfE's modules with
// inferred element names): each pupil's latest placement of the census period (the year to census day),
// as the DfE asks, named by the provider's URN, with names and a postcode as a real return has them (the
// reader discards them). A real AP census holds only the placements outside schools and PRUs; this one
// holds the same placements as ap_placements.csv, so that the two routes can be compared. The CSV's
// injected defects (an end before the start, an id used twice) are the LA's own records' and are left
// out: an LA checks its AP census before it submits it.
void Generator::write_ap_census() {
  const Date ref = opt_.reference_date;
  const int year = ref.month() == 1 ? ref.year() : ref.year() + 1;
  std::string urn = "100110";
  for (const auto& s : schools_)
    if (s.phase == "pru") {
      urn = s.urn;
      break;
    }
  std::map<std::string, const GenPlacement*> latest;
  const std::string period_start = ref.plus_days(-365).iso();
  for (const auto& p : placements_) {
    if (!upn_valid(p.upn) || p.start.empty() || p.start > ref.iso() || (!p.end.empty() && p.end < period_start) ||
        (!p.end.empty() && p.end < p.start))
      continue;
    const GenPlacement*& best = latest[p.upn];
    if (!best || p.start > best->start) best = &p;
  }
  std::map<std::string, const GenPupil*> pupils;
  for (const auto& s : schools_)
    for (const auto* list : {&s.pupils, &s.leavers})
      for (const auto& p : *list)
        pupils.emplace(p.upn, &p);
  static const std::map<std::string, std::string> reason_code{
      {"permanent_exclusion", "PEX"}, {"suspension", "SUS"}, {"preventive", "BHS"}, {"medical", "MHN"},
      {"awaiting_placement", "NEW"},  {"other", "OTH"}}; // a managed move: no code means it, so none is written
  fs::create_directories(opt_.out / "ap_census");
  std::ofstream o(opt_.out / ("ap_census/ap_census_" + std::to_string(year) + ".xml"));
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header>\n<CollectionDetails>\n"
       "<Collection>APC</Collection>\n<Year>"
    << year << "</Year>\n<ReferenceDate>" << ref.iso()
    << "</ReferenceDate>\n</CollectionDetails>\n<Source>\n<SourceLevel>L</SourceLevel>\n<LEA>" << opt_.la
    << "</LEA>\n<SoftwareCode>censusqa-gen</SoftwareCode>\n<Release>" << CENSUSQA_GEN_VERSION
    << "</Release>\n<SerialNo>001</SerialNo>\n<DateTime>" << ref.plus_days(5).iso()
    << "T09:00:00</DateTime>\n</Source>\n</Header>\n<Pupils>\n";
  for (const auto& [upn, g] : latest) {
    const auto it = pupils.find(upn);
    const GenPupil* p = it == pupils.end() ? nullptr : it->second;
    o << "<Pupil>\n<PupilIdentifiers>\n<UPN>" << upn << "</UPN>\n<Surname>" << (p ? p->surname : "Doe")
      << "</Surname>\n<Forename>" << (p ? p->forename : "Sam") << "</Forename>\n";
    if (p && Date::parse(p->dob)) o << "<DOB>" << p->dob << "</DOB>\n";
    if (p && (p->sex == "M" || p->sex == "F")) o << "<Sex>" << p->sex << "</Sex>\n";
    o << "</PupilIdentifiers>\n<HomeInformation>\n<Address>\n<PostCode>"
      << (p && !p->postcode.empty() ? p->postcode : "ZZ99 3CZ")
      << "</PostCode>\n</Address>\n</HomeInformation>\n<Placement>\n<URN>" << urn << "</URN>\n";
    if (const auto r = reason_code.find(g->reason); r != reason_code.end())
      o << "<PlacementReason>" << r->second << "</PlacementReason>\n";
    o << "<EntryDate>" << g->start << "</EntryDate>\n";
    if (!g->end.empty()) o << "<LeavingDate>" << g->end << "</LeavingDate>\n";
    o << "<SessionsPerWeek>10</SessionsPerWeek>\n</Placement>\n</Pupil>\n";
  }
  o << "</Pupils>\n</Message>\n";
}

} // namespace censusqa::gen
