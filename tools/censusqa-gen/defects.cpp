// censusqa-gen: the injected census defects (and --term-changes), and the need-mix findings they imply.
#include "generator.hpp"

namespace censusqa::gen {

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
  // A CSV extract has no per-school header (census.json dates every return), so CI009 is XML only.
  for (int k = 0; opt_.format == "xml" && k < school_defects && next < order.size(); ++k) {
    GenSchool& s = schools_[order[next++]];
    s.reference_date = opt_.reference_date.plus_days(7).iso();
    s.touched = true;
    defects_.push_back({"CI009", s.laestab, s.laestab, "", "return dated a week after the configured reference date"});
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
bool Generator::self_contained(int kind) {
  return kind == 0 || kind == 1 || kind == 2 || kind == 5 || kind == 7 || kind == 8 || kind == 10;
}

// --term-changes: new defects in this later term, on pupils no other record refers to, after
// everything else is generated (so that nothing else moves).
void Generator::introduce_term_changes() {
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

void Generator::inject(GenSchool& s, std::size_t si, std::size_t i, int kind) {
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
    GenSchool& o = schools_[(si + 1 + static_cast<std::size_t>(r_.between(0, static_cast<int>(schools_.size()) - 2))) %
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
    defects_.push_back(
        {"IN003", s.laestab, upn + (opt_.format == "csv" ? ".entry_date" : ".EntryDate"), upn, "EntryDate 04/13/2020"});
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

// Primary-need coding defects (PN001-PN009, PN011, and the school mixes behind PN010 and PN012).
void Generator::inject_need_defects() {
  if (opt_.defect_rate <= 0) return;
  std::size_t pupils = 0;
  for (const auto& s : schools_)
    pupils += s.pupils.size();
  const int per_kind = std::max(1, static_cast<int>(std::lround(static_cast<double>(pupils) * opt_.defect_rate / 15)));
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

} // namespace censusqa::gen
