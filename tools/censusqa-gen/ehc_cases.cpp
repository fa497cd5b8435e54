// censusqa-gen: EHC needs assessment cases (ehcp_cases.csv): scenarios with known outcomes, their defects, and plans in
// the census.
#include "generator.hpp"

namespace censusqa::gen {

// EHC needs assessment cases. Each case follows a scenario whose outcome is known (a timely plan,
// a late one, a refusal...), so truth.json lists the EH findings each must raise; the shares are
// set near the DfE's 2023-24 national figures (about half of plans within 20 weeks, about one
// in ten an exception case, about a quarter of requests refused).
// The cases are dated from the reference date back (about a year and a half, as far as June the year
// before the spring census), so that every term of the year has the same cases and the same findings.
void Generator::make_ehc_cases() {
  const Date ref = opt_.reference_date;
  const Date first = ehc_first_request();
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
    auto expect = [&](const char* rule, const char* note) { defects_.push_back({rule, c.laestab, c.id, c.upn, note}); };
    // A request date with room for `days` before the reference date.
    auto request_before = [&](int days) { return first.plus_days(r_.between(0, std::max(0, span - days))); };
    auto plan = [&](int days, bool exception) {
      const Date req = request_before(days);
      c.request = req.iso();
      c.request_outcome = 'Y';
      c.request_outcome_date = day(req, r_.between(15, 42));
      c.assessment_outcome = 'Y';
      c.assessment_outcome_date = day(req, std::min(days, r_.between(70, 112)));
      c.plan = day(req, days);
      if (exception)
        c.exception = 'Y', c.reason = reasons[static_cast<std::size_t>(r_.between(0, 3))];
      else
        c.exception = 'N';
      // Reviewed within the 12 months before the reference date when the plan is older than that.
      const Date issued = req.plus_days(days);
      const int reviewed = r_.between(1, 300);
      if (issued < ehcp_year_before(ref)) c.review = day(ehcp_year_before(ref), reviewed);
      return req;
    };
    switch (scenario) {
    case 0: plan(r_.between(90, 140), false); break; // within 20 weeks
    case 1: plan(r_.between(141, 420), false), expect("EH005", "plan after 20 weeks, no exception"); break;
    case 2: plan(r_.between(141, 300), true), expect("EH006", "plan after 20 weeks under an exception"); break;
    case 3: // an exception case that still met 20 weeks
      plan(r_.between(90, 140), true), expect("EH013", "exception on a plan issued within 20 weeks");
      break;
    case 4: { // refused within 6 weeks
      const Date req = request_before(60);
      c.request = req.iso(), c.request_outcome = 'N', c.request_outcome_date = day(req, r_.between(20, 42));
      break;
    }
    case 5: { // refused after 6 weeks
      const Date req = request_before(80);
      c.request = req.iso(), c.request_outcome = 'N', c.request_outcome_date = day(req, r_.between(43, 70));
      expect("EH004", "refused after 6 weeks");
      break;
    }
    case 6:
    case 7: { // assessed, then no plan: in time, or late
      const Date req = request_before(160);
      c.request = req.iso(), c.request_outcome = 'Y', c.request_outcome_date = day(req, r_.between(20, 42));
      c.assessment_outcome = 'N';
      c.assessment_outcome_date = day(req, scenario == 6 ? r_.between(80, 112) : r_.between(113, 150));
      if (scenario == 7) expect("EH008", "decision not to issue after 16 weeks");
      break;
    }
    case 8: { // open, inside 20 weeks (undecided only while under 6 weeks)
      const int age = r_.between(1, 140);
      const Date req = ref.plus_days(-age);
      c.request = req.iso();
      if (age > 42 || r_.chance(0.5))
        c.request_outcome = 'Y', c.request_outcome_date = day(req, r_.between(1, std::min(age, 42)));
      else
        c.request_outcome = 'A';
      c.assessment_outcome = 'A';
      break;
    }
    case 9: { // open beyond 20 weeks
      const Date req = ref.plus_days(-r_.between(141, 300));
      c.request = req.iso(), c.request_outcome = 'Y', c.request_outcome_date = day(req, r_.between(15, 42));
      c.assessment_outcome = 'A';
      expect("EH007", "open after 20 weeks");
      break;
    }
    case 10: { // undecided after 6 weeks
      const Date req = ref.plus_days(-r_.between(43, 120));
      c.request = req.iso(), c.request_outcome = 'A';
      expect("EH004", "undecided after 6 weeks");
      break;
    }
    case 11: { // withdrawn
      const Date req = request_before(60);
      c.request = req.iso(), c.request_outcome = 'W', c.request_outcome_date = day(req, r_.between(5, 40));
      break;
    }
    case 12: { // a timely plan whose annual review is overdue
      const Date req = first.plus_days(r_.between(0, 60));
      c.request = req.iso(), c.request_outcome = 'Y', c.request_outcome_date = day(req, 30);
      c.assessment_outcome = 'Y', c.assessment_outcome_date = day(req, 100), c.plan = day(req, 130), c.exception = 'N';
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
void Generator::align_census_with_plans() {
  const Date ref = opt_.reference_date;
  for (const auto& c : cases_) {
    if (c.pupil < 0 || c.plan.empty() || !c.ceased.empty()) continue;
    const auto issued = Date::parse(c.plan);
    if (!issued || *issued > ref) continue;
    GenPupil& p = schools_[static_cast<std::size_t>(c.school)].pupils[static_cast<std::size_t>(c.pupil)];
    p.sen = 'E';
    p.needs = {{1, c.need}};
    p.has_plan = true;
  }
}

// The LA holds a plan for every pupil recorded E (the caseload), issued before this year's cases,
// on time and reviewed within the last 12 months; PN008 pupils have none, PN009 pupils have one.
void Generator::make_caseload_plans() {
  std::set<std::string> planned;
  for (std::size_t si = 0; si < schools_.size(); ++si)
    for (std::size_t pi = 0; pi < schools_[si].pupils.size(); ++pi) {
      GenPupil& p = schools_[si].pupils[pi];
      if (!main_registration(p) || p.has_plan || p.no_plan) continue;
      if (p.sen != "E" && p.plan_need.empty()) continue;
      if (!planned.insert(p.upn).second) continue; // one plan per UPN (CI004/CI005 pairs share one)
      add_caseload_plan(si, pi, r_);
    }
}

// A plan issued long ago, on time and reviewed within the last 12 months, for a pupil on roll.
void Generator::add_caseload_plan(std::size_t si, std::size_t pi, Random& r) {
  const Date ref = opt_.reference_date;
  GenPupil& p = schools_[si].pupils[pi];
  GenCase c;
  c.id = "EH-" + pad(static_cast<int>(cases_.size()) + 1, 5);
  c.school = static_cast<int>(si);
  c.pupil = static_cast<int>(pi);
  c.upn = p.upn;
  c.laestab = schools_[si].laestab;
  const Date req = ref.plus_days(-r.between(400, 2500));
  c.request = req.iso();
  c.request_outcome = 'Y', c.request_outcome_date = req.plus_days(30).iso();
  c.assessment_outcome = 'Y', c.assessment_outcome_date = req.plus_days(100).iso(); // a char: GCC bug 105329
  c.plan = req.plus_days(120).iso();
  c.exception = 'N';
  c.need = p.plan_need.empty() ? primary_of(p) : p.plan_need;
  if (c.need.empty()) c.need = "OTH";
  const Date review = ref.plus_days(-r.between(1, 300));
  if (review >= req.plus_days(120)) c.review = review.iso();
  p.has_plan = true;
  cases_.push_back(std::move(c));
}

Date Generator::ehcp_year_before(Date d) { return d.years_before(1); }

// As many days before the reference date as the spring census is after the 1 June the year before.
Date Generator::ehc_first_request() const {
  const int y = academic_year_start_eve(opt_.reference_date).year();
  Date spring_census = *Date::from_ymd(y + 1, 1, 1);
  while (spring_census.iso_weekday_index() != 3)
    spring_census = spring_census.plus_days(1);
  spring_census = spring_census.plus_days(14); // the third Thursday of January
  return opt_.reference_date.plus_days(-spring_census.days_since(*Date::from_ymd(y - 1, 6, 1)));
}

// Data errors in the LA's own case records, on refused or timely cases so that nothing else fires.
void Generator::inject_case_defects() {
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
        c.exception = 'Y', c.reason = "";
        expect("EH003", c.id, "exception without a reason");
        expect("EH013", c.id, "exception on a plan issued within 20 weeks");
        break;
      case 2:
        c.assessment_outcome = 'A';
        expect("EH003", c.id, "plan issued without assessment outcome Y");
        break;
      }
    }
  }
}

// EH010 follows from the cases: a calendar year in which over 25% of plans were exception cases.
// With defects on, the earliest year over-uses exceptions: timely plans recorded as exception cases.
void Generator::expect_exception_share() {
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
      c.exception = 'Y';
      c.reason = "personal_circumstances";
      defects_.push_back({"EH013", c.laestab, c.id, c.upn, "exception on a plan issued within 20 weeks"});
      ++exceptions;
    }
    count();
  }
  for (const auto& [year, counts] : by_year)
    if (counts.second * 100 > 25 * counts.first)
      defects_.push_back({"EH010", "", std::to_string(year), "", "over 25% exception cases"});
}

void Generator::write_ehc_cases() {
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

// The same cases as the LA's SEN2 person-level return (docs/sen2-input.md: the DfE's 2024 tree), one
// Person per child with a Requests per case, names and postcodes included as a real return has them (the
// reader must discard them). truth.json then names the cases as the SEN2 reader does: the person's UPN
// (or P and their place in the file) and the received date; the CSV's exception-reason check (EH003) has
// nothing to check in SEN2.
void Generator::write_sen2() {
  const Date ref = opt_.reference_date;
  const int year = ref.month() == 1 ? ref.year() : ref.year() + 1; // the January collection the cases lead to
  const std::string file = "sen2/sen2_" + std::to_string(year) + ".xml";
  fs::create_directories(opt_.out / "sen2");
  std::ofstream o(opt_.out / file);
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header>\n<CollectionDetails>\n"
       "<Collection>SEN2</Collection>\n<Year>"
    << year << "</Year>\n<ReferenceDate>" << ref.iso()
    << "</ReferenceDate>\n</CollectionDetails>\n<Source>\n<SourceLevel>L</SourceLevel>\n<LEA>" << opt_.la
    << "</LEA>\n<SoftwareCode>censusqa-gen</SoftwareCode>\n<Release>" << CENSUSQA_GEN_VERSION
    << "</Release>\n<SerialNo>001</SerialNo>\n<DateTime>" << ref.plus_days(5).iso()
    << "T09:00:00</DateTime>\n<DMO>Y</DMO>\n<DCO>Y</DCO>\n</Source>\n</Header>\n<Persons>\n";
  // Persons in the order of their first case; a case without a UPN is a person of its own.
  std::vector<std::vector<std::size_t>> persons;
  std::map<std::string, std::size_t> by_upn;
  for (std::size_t i = 0; i < cases_.size(); ++i) {
    const std::string& upn = cases_[i].upn;
    if (upn.empty() || !by_upn.count(upn)) {
      if (!upn.empty()) by_upn[upn] = persons.size();
      persons.emplace_back();
    }
    persons[upn.empty() ? persons.size() - 1 : by_upn[upn]].push_back(i);
  }
  const std::set<std::string> main_ethnicities{"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA",
                                               "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                               "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"};
  const auto iso = [](const std::string& t) { return t.size() == 10 && t[4] == '-' && Date::parse(t).has_value(); };
  std::map<std::string, std::string> sen2_id; // case id -> the SEN2 reader's id
  Random names(opt_.seed * 7919 + 21);
  for (std::size_t n = 0; n < persons.size(); ++n) {
    const GenCase& first = cases_[persons[n].front()];
    const GenPupil* p =
        first.school >= 0 && first.pupil >= 0
            ? &schools_[static_cast<std::size_t>(first.school)].pupils[static_cast<std::size_t>(first.pupil)]
            : nullptr;
    const std::string surname =
        p ? p->surname : surnames[static_cast<std::size_t>(names.between(0, static_cast<int>(surnames.size()) - 1))];
    const std::string forename =
        p ? p->forename : forenames[static_cast<std::size_t>(names.between(0, static_cast<int>(forenames.size()) - 1))];
    const std::string dob = p && iso(p->dob) ? p->dob : ref.plus_days(-names.between(4 * 365, 17 * 365)).iso();
    const std::string sex = p && (p->sex == "M" || p->sex == "F") ? p->sex : (names.chance(0.5) ? "M" : "F");
    const std::string ethnicity = p && main_ethnicities.count(p->ethnicity) ? p->ethnicity : "NOBT";
    const std::string postcode = p && !p->postcode.empty() ? p->postcode : "ZZ99 3CZ";
    o << "<Person>\n<Surname>" << surname << "</Surname>\n<Forename>" << forename << "</Forename>\n<PersonBirthDate>"
      << dob << "</PersonBirthDate>\n<Sex>" << sex << "</Sex>\n<Ethnicity>" << ethnicity << "</Ethnicity>\n<PostCode>"
      << postcode << "</PostCode>\n";
    // A UPN the census defects made unreadable (SEN2's pattern: a letter, 11 digits, a digit or letter) is
    // written as the LA holds it, and reported: the person is then known by their place in the file.
    const bool upn_ok =
        first.upn.size() == 13 && std::isupper(static_cast<unsigned char>(first.upn[0])) &&
        std::all_of(first.upn.begin() + 1, first.upn.end() - 1, [](char ch) { return ch >= '0' && ch <= '9'; }) &&
        std::isalnum(static_cast<unsigned char>(first.upn.back()));
    const std::string key = upn_ok ? first.upn : "P" + std::to_string(n + 1);
    o << (first.upn.empty() ? "<UPNunknown>UN1</UPNunknown>\n" : "<UPN>" + first.upn + "</UPN>\n");
    if (!first.upn.empty() && !upn_ok) {
      defects_.push_back({"IN003", "", file + ":" + key + ".UPN", "", "a census UPN defect, unreadable in SEN2"});
      // Its plan then matches no census pupil: the pupil recorded E has no plan the LA holds (by UPN).
      if (p && p->sen == "E" && !first.plan.empty() && first.ceased.empty())
        defects_.push_back({"PN008", schools_[static_cast<std::size_t>(first.school)].laestab, first.upn, first.upn,
                            "E with a plan under a UPN SEN2 cannot read"});
    }
    std::map<std::string, int> repeats;
    for (const std::size_t i : persons[n]) {
      const GenCase& c = cases_[i];
      std::string id = key + " " + (iso(c.request) ? c.request : std::string("undated"));
      if (const int r = ++repeats[id]; r > 1) id += " #" + std::to_string(r);
      sen2_id[c.id] = id;
      const std::string urn = c.school >= 0 ? schools_[static_cast<std::size_t>(c.school)].urn : std::string();
      const auto setting = [&] {
        return urn.empty() ? std::string("<SENSetting>OTH</SENSetting>") : "<URN>" + urn + "</URN>";
      };
      o << "<Requests>\n";
      if (!c.request.empty()) o << "<ReceivedDate>" << c.request << "</ReceivedDate>\n";
      if (!c.request_outcome_date.empty())
        o << "<RequestOutcomeDate>" << c.request_outcome_date << "</RequestOutcomeDate>\n";
      o << "<RequestOutcome>" << (c.request_outcome.empty() ? "A" : c.request_outcome) << "</RequestOutcome>\n";
      if (!c.assessment_outcome.empty() || !c.plan.empty()) {
        o << "<Assessment>\n<AssessmentOutcome>" << (c.assessment_outcome.empty() ? "A" : c.assessment_outcome)
          << "</AssessmentOutcome>\n";
        if (!c.assessment_outcome_date.empty())
          o << "<AssessmentOutcomeDate>" << c.assessment_outcome_date << "</AssessmentOutcomeDate>\n";
        if (!c.exception.empty()) o << "<Week20>" << (c.exception == "Y" ? 1 : 0) << "</Week20>\n";
        if (!c.plan.empty()) {
          o << "<NamedPlan>\n<StartDate>" << c.plan << "</StartDate>\n<PlanDetail>" << setting()
            << "<PlacementRank>1</PlacementRank><SENunitIndicator>0</SENunitIndicator>"
               "<ResourcedProvisionIndicator>0</ResourcedProvisionIndicator></PlanDetail>\n";
          if (!c.ceased.empty()) o << "<CeaseDate>" << c.ceased << "</CeaseDate>\n<CeaseReason>2</CeaseReason>\n";
          o << "</NamedPlan>\n";
        }
        o << "</Assessment>\n";
      } else if (c.request_outcome == "N" && i % 2 == 0) {
        // As the DfE's own mock-up writes a refusal: an Assessment with outcome A, which is no assessment.
        o << "<Assessment><AssessmentOutcome>A</AssessmentOutcome></Assessment>\n";
      }
      if (!c.plan.empty() && c.ceased.empty()) {
        o << "<ActivePlans>\n<PlacementDetail>" << setting() << "<PlacementRank>1</PlacementRank><EntryDate>" << c.plan
          << "</EntryDate><SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0"
          << "</ResourcedProvisionIndicator></PlacementDetail>\n";
        if (!c.need.empty())
          o << "<SENneed><SENtype>" << c.need << "</SENtype><SENtypeRank>1</SENtypeRank></SENneed>\n";
        if (!c.review.empty()) o << "<ReviewMeeting>" << c.review << "</ReviewMeeting>\n";
        o << "</ActivePlans>\n";
      }
      o << "</Requests>\n";
    }
    o << "</Person>\n";
  }
  o << "</Persons>\n</Message>\n";

  // truth.json in the SEN2 reader's terms.
  std::vector<Defect> out;
  for (Defect& d : defects_) {
    const std::size_t dot = d.subject.find('.');
    const std::string id = d.subject.substr(0, dot);
    const auto it = sen2_id.find(id);
    if (it == sen2_id.end() || d.rule.rfind("EH010", 0) == 0) {
      out.push_back(std::move(d));
      continue;
    }
    if (d.rule == "EH003" && d.note == "exception without a reason") continue; // SEN2 has no reason to check
    // A bad value's finding names the case and its field (".request_date"), as on the CSV route.
    d.subject = it->second + (dot == std::string::npos ? std::string() : d.subject.substr(dot));
    out.push_back(std::move(d));
  }
  defects_ = std::move(out);
}

} // namespace censusqa::gen
