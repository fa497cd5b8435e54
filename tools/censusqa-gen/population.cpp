// censusqa-gen: the LA itself: schools, pupils, SEN, dual registrations, and the files that are not census or LA
// records.
#include "generator.hpp"

namespace censusqa::gen {

void Generator::run() {
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
      p.exclusions.push_back(
          {"PERM", r_.pick(susp_reasons), Date::from_ymd(aug31.year(), 9, 1)->plus_days(r_.between(5, 100)).iso(), 0});
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

void Generator::assign_sen(const GenSchool& s, GenPupil& p) {
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

void Generator::make_sen(const GenSchool& s, GenPupil& p, const std::string& level) {
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
        copy.enrol = "M";
        copy.exclusions.clear();
        p.enrol = "S";
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
  for (const auto& s : schools_)
    o << s.laestab << ',' << s.urn << ',' << csv(s.name) << ',' << s.phase << ',' << s.governance << '\n';
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
      << "\",\n  \"financial_year_end\": \"" << year_end().iso() << "\",\n  \"ap-reintegration\": {\"holidays\": ["
      << holiday_json() << "]}\n}\n";
}

void Generator::write_truth() {
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
          << "\", \"laestab\": " << (v[i].laestab.empty() ? "null" : "\"" + v[i].laestab + "\"") << ", \"subject\": \""
          << v[i].subject << "\", \"note\": \"" << v[i].note << "\"}";
      o << (v.empty() ? "]" : "\n  ]");
    };
    list("fixed_since_earlier_term", fixed_);
    list("introduced_since_earlier_term", introduced_);
  }
  o << "\n}\n";
  std::cerr << "censusqa-gen: " << schools_.size() << " schools, " << pupils << " pupils, " << cases_.size()
            << " EHC cases, " << defects_.size() << " expected findings -> " << fs::absolute(opt_.out).string() << "\n";
}

} // namespace censusqa::gen
