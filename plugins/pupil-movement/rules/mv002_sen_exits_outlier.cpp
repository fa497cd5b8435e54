// MV002: a school whose pupils with SEN leave with no explanation far more often than at the LA's other
// schools of its phase.
#include "rules.hpp"

#include <map>

namespace censusqa::pupil_movement {
namespace {

constexpr RuleInfo info{
    "MV002",
    Severity::query,
    Scope::school,
    Actor::school,
    "Unexplained exits of pupils with SEN far above the LA's other schools of the phase",
    "Off-rolling (removing a pupil from the roll in the school's interest rather than the pupil's) falls hardest "
    "on pupils with SEN (Ofsted; the Education Policy Institute's 'unexplained exits'). Of the pupils with SEN "
    "support or an EHC plan of compulsory school age on the roll at the previous census, the share whose exit is "
    "unexplained (movement.unexplained_exits, docs/metrics.md) is tested against the same share at the LA's other "
    "schools of the register phase, the school's own pupils left out, with the exact binomial test PN010 uses: "
    "high side only, at least min_sen_pupils pupils, two other schools, a gap of min_gap_pct points and p below "
    "alpha. A screen for a conversation, not a judgement: moves for family reasons cannot be seen in the census.",
    "Explain the exits (the destinations, family moves, managed moves) to the LA's inclusion team; record the "
    "destinations you know in the reply column.",
    needs_census | needs_previous | needs_schools,
    "previous/ SENprovision, movement outcomes, schools.csv phase"};

struct Share {
  std::int64_t exits = 0, pupils = 0;
};

// Pupils with SEN of compulsory school age on the previous roll, and their unexplained exits.
Share sen_share(const SchoolMovement& s) {
  Share x;
  for (const PreviousPupil& p : s.previous_roll) {
    const bool sen = p.groups.in[static_cast<std::size_t>(Group::sen_support)] ||
                     p.groups.in[static_cast<std::size_t>(Group::ehc_plan)];
    if (!sen || !p.compulsory_age) continue;
    ++x.pupils;
    x.exits += p.unexplained_exit();
  }
  for (const InWindowExit& e : s.in_window_exits) {
    const bool sen = e.groups.in[static_cast<std::size_t>(Group::sen_support)] ||
                     e.groups.in[static_cast<std::size_t>(Group::ehc_plan)];
    if (!sen) continue;
    ++x.pupils;
    x.exits += e.explained.empty();
  }
  return x;
}

void check(RuleContext& ctx) {
  const Movement& m = movement(ctx.data, ctx.run);
  if (!m.refused.empty()) return ctx.skip(m.refused);
  const double alpha = ctx.config.get_number("alpha"), min_gap = ctx.config.get_number("min_gap_pct") / 100.0;
  const std::int64_t min_pupils = ctx.config.get_int("min_sen_pupils");
  struct PhaseSum {
    Share sum;
    int schools = 0;
  };
  std::map<Phase, PhaseSum> phases;
  std::vector<std::pair<const SchoolMovement*, Share>> shares;
  for (const SchoolMovement& s : m.schools) {
    if (!s.phase) continue;
    const Share x = sen_share(s);
    shares.emplace_back(&s, x);
    PhaseSum& p = phases[*s.phase];
    p.sum.exits += x.exits;
    p.sum.pupils += x.pupils;
    ++p.schools;
  }
  for (const auto& [s, x] : shares) {
    if (x.pupils < min_pupils) continue;
    const PhaseSum& p = phases[*s->phase];
    if (p.schools < 3) continue; // the school and at least two others
    const std::int64_t other_exits = p.sum.exits - x.exits, other_pupils = p.sum.pupils - x.pupils;
    if (other_pupils <= 0) continue;
    const double share = static_cast<double>(x.exits) / static_cast<double>(x.pupils);
    const double expected = static_cast<double>(other_exits) / static_cast<double>(other_pupils);
    if (share - expected < min_gap) continue;
    const double chance = binomial_two_sided_p(static_cast<int>(x.exits), static_cast<int>(x.pupils), expected);
    if (chance >= alpha) continue;
    const std::string words = chance_words(chance);
    ctx.report_school(s->laestab, "unexplained exits (SEN)", SourceRef{},
                      std::to_string(x.exits) + " of the " + std::to_string(x.pupils) +
                          " pupils with SEN on the roll at the previous census (" + s->previous_day.iso() +
                          ") left with no explanation on record (" + pct_text(share) + "%), against " +
                          pct_text(expected) + "% at the LA's " + std::to_string(p.schools - 1) + " other " +
                          std::string(name(*s->phase)) + " schools: a gap this large would arise by chance " + words +
                          " times",
                      {{"unexplained_exits", std::to_string(x.exits)},
                       {"sen_pupils", std::to_string(x.pupils)},
                       {"share_pct", pct_text(share)},
                       {"comparator_pct", pct_text(expected)},
                       {"chance", words}});
  }
}

} // namespace

const Rule mv002_sen_exits_outlier{&info, check};

} // namespace censusqa::pupil_movement
