// PN010 and the needs metrics: each school's mix of primary needs among its pupils with SEN, against
// a same-phase comparator: the national reference when reference/ has a DfE "SEN in England"
// school-level file, otherwise the LA's other schools of the same phase (the school itself left out,
// so that an outlier does not hide in its own comparator).
#include "rules.hpp"

#include <cmath>
#include <cstdio>
#include <map>

namespace censusqa::primary_need {
namespace {

struct Mix {
  std::string laestab;
  std::optional<Phase> phase;
  std::int64_t sen = 0; // pupils on roll at K or E (a PRU's S pupils too), with a primary need or not
  std::array<std::int64_t, need_type_count> need{};
  SourceRef source;
};

struct Comparator {
  std::string label;
  std::int64_t total = 0;
  std::array<std::int64_t, need_type_count> need{};
};

std::vector<Mix> school_mixes(const RuleContext& ctx) {
  std::map<std::string, Mix> by_school;
  for (const CensusReturn& r : ctx.data.returns) {
    if (!needs_collected(ctx, r)) continue;
    Mix& m = by_school[r.laestab];
    if (m.laestab.empty()) {
      m.laestab = r.laestab;
      m.source = r.source;
      if (const School* s = ctx.data.find_school(r.laestab)) m.phase = s->phase;
    }
    // The profile's definition (docs/metrics.md), so that a share reads the same on the Needs sheet, the
    // Overview and in PN010's message: of every pupil on roll with SEN support or an EHC plan (one with no
    // primary need recorded is PN001's finding, in no need count), a PRU's dual-registered (S) pupils
    // included.
    const bool pru = m.phase == Phase::pru;
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      const bool on_roll = main_registration(p) || (pru && p.enrol_status == EnrolStatus::S);
      if (!on_roll || (p.sen_provision != SenProvision::K && p.sen_provision != SenProvision::E)) continue;
      ++m.sen;
      if (const auto need = ctx.data.primary_need_of(p)) ++m.need[static_cast<std::size_t>(*need)];
    }
  }
  std::vector<Mix> out;
  for (auto& [k, m] : by_school)
    out.push_back(std::move(m));
  return out;
}

// "primary schools", "pupil referral units": the phase in words.
std::string phase_schools(Phase p) {
  return p == Phase::pru ? "pupil referral units" : std::string(name(p)) + " schools";
}

// The DfE's phase_type_grouping for a phase, in the SEN in England school-level file.
const char* dfe_grouping(Phase p) {
  switch (p) {
  case Phase::primary: return "State-funded primary";
  case Phase::secondary: return "State-funded secondary";
  case Phase::special: return "State-funded special school";
  case Phase::nursery: return "State-funded nursery";
  case Phase::pru: return "State-funded AP school";
  default: return nullptr;
  }
}

std::optional<Comparator> national(const Dataset& data, Phase phase) {
  const ReferenceTable* t = data.reference_table("sen-school-level");
  const char* grouping = dfe_grouping(phase);
  if (!t || !grouping) return std::nullopt;
  const int c_group = t->column("phase_type_grouping");
  Comparator c;
  std::int64_t schools = 0;
  for (const auto& row : t->rows) {
    if (c_group < 0 || static_cast<std::size_t>(c_group) >= row.size()) continue;
    // Files up to 2022/23 name a PRU's grouping "Pupil referral unit".
    if (row[c_group] != grouping && !(phase == Phase::pru && row[c_group] == "Pupil referral unit")) continue;
    ++schools;
    for (std::size_t n = 0; n < need_type_count; ++n) {
      std::string code(need_type_names[n]);
      for (auto& ch : code)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      for (const char* band : {"SUP_Primary_need_", "EHC_Primary_need_"}) {
        const int col = t->column(std::string(band) + code);
        if (col < 0 || static_cast<std::size_t>(col) >= row.size()) continue;
        if (const auto v = parse_published_number(row[col])) c.need[n] += static_cast<std::int64_t>(*v);
      }
    }
  }
  for (auto v : c.need)
    c.total += v;
  if (c.total == 0) return std::nullopt;
  c.label = phase_schools(phase) + " in the national reference (" + std::to_string(schools) + " schools)";
  return c;
}

// Each school's comparator, worked out once per phase (a national run has tens of thousands of
// schools: summing the others for each school, or reading the reference table for each, was
// quadratic).
class Comparators {
public:
  Comparators(const RuleContext& ctx, const std::vector<Mix>& all) {
    for (const Mix& m : all) {
      if (!m.phase) continue;
      PhaseSum& p = phases_[*m.phase];
      ++p.schools;
      p.sum.total += m.sen;
      for (std::size_t n = 0; n < need_type_count; ++n)
        p.sum.need[n] += m.need[n];
    }
    for (auto& [phase, p] : phases_)
      p.national = national(ctx.data, phase);
  }

  /// The national reference for the school's phase, else the LA's other schools of that phase.
  std::optional<Comparator> for_school(const Mix& school) const {
    if (!school.phase) return std::nullopt;
    const auto it = phases_.find(*school.phase);
    if (it == phases_.end()) return std::nullopt;
    const PhaseSum& p = it->second;
    if (p.national) return p.national;
    Comparator c = p.sum;
    c.total -= school.sen;
    for (std::size_t n = 0; n < need_type_count; ++n)
      c.need[n] -= school.need[n];
    const int schools = p.schools - 1;
    // One other school is no yardstick: the LA comparator needs at least two.
    if (c.total == 0 || schools < 2) return std::nullopt;
    c.label = "the LA's other " + phase_schools(*school.phase) + " (" + std::to_string(schools) + ")";
    return c;
  }

private:
  struct PhaseSum {
    Comparator sum;
    int schools = 0;
    std::optional<Comparator> national;
  };
  std::map<Phase, PhaseSum> phases_;
};

const char* hint(NeedType need, bool high) {
  if (high && need == NeedType::SEMH) return "SEMH recorded as a catch-all for behaviour?";
  if (high && need == NeedType::VI) return "VI recorded for pupils who only wear glasses?";
  if (high && need == NeedType::MLD) return "MLD means moderate, not multiple, learning difficulties.";
  if (!high && need == NeedType::SLCN) return "Speech, language and communication needs under-identified?";
  return high ? "Check that this need is coded from each pupil's assessment." : "Is this need under-identified?";
}

constexpr RuleInfo info{
    "PN010",
    Severity::query,
    Scope::school,
    Actor::school,
    "A need's share far from similar schools",
    "The census primary need drives commissioning. A school whose share of pupils with SEN in one need is far from "
    "that of schools of the same phase (the LA's others, or the national reference when loaded) often reflects "
    "coding habits rather than pupils: a two-sided exact binomial test below alpha (default 0.001), at least "
    "min_sen_pupils (10) pupils with SEN, and a gap of at least min_gap_pct (10) percentage points. The LA comparator "
    "needs at least two other schools of the phase; with hundreds of schools a few may be named by chance.",
    "Review the pupils recorded with that need against their assessments with the SENCO; explain the query if the "
    "school's intake (a resourced provision, say) accounts for it.",
    needs_census | needs_schools,
    "SENprovision, SENtype; schools.csv phase"};

void check(RuleContext& ctx) {
  const double alpha = ctx.config.get_number("alpha");
  const std::int64_t min_sen = ctx.config.get_int("min_sen_pupils");
  const double min_gap = ctx.config.get_number("min_gap_pct");
  const auto mixes = school_mixes(ctx);
  const Comparators comparators(ctx, mixes);
  for (const Mix& m : mixes) {
    if (m.sen < min_sen) continue;
    const auto comp = comparators.for_school(m);
    if (!comp) continue;
    for (std::size_t n = 0; n < need_type_count; ++n) {
      const double share = static_cast<double>(m.need[n]) / static_cast<double>(m.sen);
      const double expected = static_cast<double>(comp->need[n]) / static_cast<double>(comp->total);
      if (std::fabs(share - expected) * 100.0 < min_gap) continue;
      const double p = binomial_two_sided_p(static_cast<int>(m.need[n]), static_cast<int>(m.sen), expected);
      if (p >= alpha) continue;
      const auto need = static_cast<NeedType>(n);
      const bool high = share > expected;
      const std::string chance = chance_words(p);
      ctx.report_school(m.laestab, std::string(name(need)), m.source,
                        std::string(name(need)) + " is the primary need of " + std::to_string(m.need[n]) + " of " +
                            std::to_string(m.sen) + " pupils with SEN here (" + pct_text(share) + "%), " +
                            (high ? "far above" : "far below") + " the " + pct_text(expected) + "% in " + comp->label +
                            ": a gap this large would arise by chance " + chance + " times, so it is " +
                            (p < 0.001 ? "very unlikely" : "unlikely") + " to be chance (exact binomial test). " +
                            hint(need, high),
                        {{"need", std::string(name(need))},
                         {"count", std::to_string(m.need[n])},
                         {"sen_pupils", std::to_string(m.sen)},
                         {"share_pct", pct_text(share)},
                         {"comparator_pct", pct_text(expected)},
                         {"chance", chance}});
    }
  }
}

void compute(RunContext& run) {
  // Metrics reuse the rule's view: a RuleContext for PN010 gives the same schools and comparators.
  RuleContext ctx{run, info};
  const auto mixes = school_mixes(ctx);
  const Comparators comparators(ctx, mixes);
  Value profile = Value::Object{};
  for (const Mix& m : mixes) {
    Value school;
    school.set("sen_pupils", m.sen);
    const auto comp = comparators.for_school(m);
    school.set("comparator", comp ? Value(comp->label) : Value());
    Value needs = Value::Object{};
    std::array<std::int64_t, 6> areas{};
    std::array<std::int64_t, 6> area_comp{};
    for (std::size_t n = 0; n < need_type_count; ++n) {
      Value v;
      v.set("count", m.need[n]);
      v.set("share_pct", percent_1dp(m.need[n], m.sen));
      v.set("comparator_share_pct", comp ? percent_1dp(comp->need[n], comp->total) : Value());
      needs.set(std::string(need_type_names[n]), std::move(v));
      areas[static_cast<std::size_t>(broad_area(static_cast<NeedType>(n)))] += m.need[n];
      if (comp) area_comp[static_cast<std::size_t>(broad_area(static_cast<NeedType>(n)))] += comp->need[n];
    }
    school.set("needs", std::move(needs));
    Value broad = Value::Object{};
    for (std::size_t a = 0; a < areas.size(); ++a) {
      Value v;
      v.set("count", areas[a]);
      v.set("share_pct", percent_1dp(areas[a], m.sen));
      v.set("comparator_share_pct", comp ? percent_1dp(area_comp[a], comp->total) : Value());
      broad.set(std::string(broad_area_names[a]), std::move(v));
    }
    school.set("broad_areas", std::move(broad));
    profile.set(m.laestab, std::move(school));
  }
  run.metrics.la("primary_need", std::move(profile));
}

} // namespace

const Rule pn010_need_share_outlier{&info, check};
const MetricProducer need_metrics{"primary needs by school against comparators", needs_census, compute};

} // namespace censusqa::primary_need
