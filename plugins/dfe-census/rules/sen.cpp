// dfe-census, sen: SEN needs, the special-school checks, the SEN unit and resourced provision indicators
// (DfE rules 2130-2250, 5049, 5050). Each rule: its metadata, its check, its Rule.
//
// Made elsewhere, so not here: 2115 and 2120's invalid code (the loader, SENprovision), 2120's missing
// provision (CI008), 2125 (PN004), 2140 2160 2165 2166 (PN002), 2170 (PN001), 2180 (CI019), 2200 (CI010);
// PN005 is the LA's stricter NSA check beside DFE2175.
#include "common.hpp"
#include "rules.hpp"

#include <map>
#include <vector>

namespace censusqa::dfe_census {
namespace {

// Need types are collected in the spring census only (docs/census-input.md). A return whose term is not
// known is checked.
bool spring_census(const CensusReturn& r) { return !r.term || *r.term == Term::SPR; }
constexpr std::string_view needs_spring_only = "SEN need types are collected only in the spring census";

// The return's phase, or, where the return does not give one, the register's.
bool phase_of(const RuleContext& ctx, const CensusReturn& r, std::string_view code, Phase phase) {
  if (!r.phase_code.empty()) return phase_is(r, code);
  const School* s = ctx.data.find_school(r.laestab);
  return s && s->phase == phase;
}
bool special_school(const RuleContext& ctx, const CensusReturn& r) { return phase_of(ctx, r, "SP", Phase::special); }
bool special_or_pru_school(const RuleContext& ctx, const CensusReturn& r) {
  return special_school(ctx, r) || phase_of(ctx, r, "PR", Phase::pru);
}

// A return read from a CSV census, whose pupils file may leave out an optional column altogether.
bool csv_return(const RuleContext& ctx, const CensusReturn& r) {
  return r.source.file < ctx.data.files.size() && ctx.data.files[r.source.file].kind == "census-csv";
}

bool sen_k_or_e(const Pupil& p) { return p.sen_provision == SenProvision::K || p.sen_provision == SenProvision::E; }

// The pupils on roll of each school, counted by SEN provision (a school may have several returns: several
// CSV files). One pass over the pupils; the map is keyed by school, not by pupil.
struct SchoolSen {
  const CensusReturn* first = nullptr;
  long long pupils = 0, support = 0, plans = 0;
};
template <typename Applies> std::vector<SchoolSen> count_by_school(const RuleContext& ctx, Applies&& applies) {
  std::vector<SchoolSen> out;
  std::map<std::string_view, std::size_t> at;
  for (const CensusReturn& r : ctx.data.returns) {
    if (!applies(r)) continue;
    const auto [it, fresh] = at.emplace(r.laestab, out.size());
    if (fresh) out.push_back({&r});
    SchoolSen& c = out[it->second];
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      ++c.pupils;
      c.support += p.sen_provision == SenProvision::K;
      c.plans += p.sen_provision == SenProvision::E;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

// DFE2130: an SEN need with a rank but no type.
constexpr RuleInfo dfe2130_info{
    .code = "DFE2130",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "SEN need ranked but with no type",
    .why = "Each SEN need the spring census returns is a type of need and its rank (1 primary, 2 secondary); a "
           "rank with no type says the pupil has a need without saying which, so the pupil is missing from the "
           "need-type figures (DfE rule 2130).",
    .how_to_fix = "Record the type of need (ASD, SLCN, ...) against the ranked need in the MIS, or remove the "
                  "empty need.",
    .needs = needs_census,
    .fields = "SENtype, SENtypeRank",
    .dfe_rule = "2130",
    .dfe_match = DfeMatch::exact};

void dfe2130_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, spring_census, needs_spring_only, [&](const Pupil& p) {
    for (const SenNeed& n : ctx.data.needs_of(p)) {
      if (n.type) continue;
      const std::uint32_t i = ctx.data.index_of(n);
      if (ctx.data.raw_value(Entity::need, i, Field::need_type)) continue; // the loader's (IN004)
      std::string rank;
      if (n.rank)
        rank = std::to_string(*n.rank);
      else if (const auto raw = ctx.data.raw_value(Entity::need, i, Field::need_rank))
        rank = std::string(*raw);
      else
        continue; // neither rank nor type: rule 2140's (no rank)
      ctx.report_pupil(p, "An SEN need ranked " + rank + " has no type of need",
                       {{"SENtypeRank", rank}, {"SENtype", ""}});
    }
  });
}

// DFE2175: NSA where the SEN provision is not K.
constexpr RuleInfo dfe2175_info{
    .code = "DFE2175",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "NSA recorded for a pupil not at SEN support",
    .why = "NSA means the pupil is at SEN support and its need has not had a specialist assessment; a pupil with "
           "an EHC plan has been assessed, and a pupil with no SEN has no need to record, so COLLECT accepts NSA "
           "only with SEN provision K (DfE rule 2175).",
    .how_to_fix = "For a pupil with an EHC plan, record the primary need named in the plan instead of NSA; for a "
                  "pupil with no SEN, remove the need, or correct the SEN provision if the pupil is at SEN support.",
    .needs = needs_census,
    .fields = "SENprovision, SENtype",
    .dfe_rule = "2175",
    .dfe_match = DfeMatch::exact};

void dfe2175_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, spring_census, needs_spring_only, [&](const Pupil& p) {
    // A missing or unreadable provision is CI008's and the loader's.
    if (!p.sen_provision || *p.sen_provision == SenProvision::K) return;
    for (const SenNeed& n : ctx.data.needs_of(p))
      if (n.type == NeedType::NSA) {
        const std::string provision(name(*p.sen_provision));
        ctx.report_pupil(
            p, "Need type NSA is recorded with SEN provision " + provision + "; NSA is used only at SEN support (K)",
            {{"SENprovision", provision}, {"SENtype", "NSA"}});
        return;
      }
  });
}

// DFE2190: more than 10% of a school's pupils have an EHC plan.
constexpr RuleInfo dfe2190_info{
    .code = "DFE2190",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "More than 10% of pupils have an EHC plan",
    .why = "About 2% to 5% of the pupils of a mainstream school have an EHC plan; more than 10% of its pupils "
           "on roll with SEN provision E suggests SEN support recorded as E, or a resourced provision or unit "
           "the school should confirm (DfE rule 2190). The DfE's text does not say which schools it applies to; "
           "censusqa reads it as a mainstream school's query and does not raise it for special schools (phase "
           "SP), where a plan is the norm and rule 2210 asks the opposite question, nor for PRUs (PR), whose "
           "pupils have SEN several times as often.",
    .how_to_fix = "Check the pupils recorded with SEN provision E against the EHC plans the LA maintains; correct "
                  "any at SEN support to K, or confirm the figure to the DfE as correct.",
    .needs = needs_census,
    .fields = "SENprovision, Phase",
    .dfe_rule = "2190",
    .dfe_match = DfeMatch::exact};

void dfe2190_check(RuleContext& ctx) {
  auto applies = [&](const CensusReturn& r) { return !special_or_pru_school(ctx, r); };
  bool any = false;
  for (const SchoolSen& c : count_by_school(ctx, applies)) {
    any = true;
    if (c.pupils == 0 || c.plans * 10 <= c.pupils) continue;
    ctx.report_school(
        c.first->laestab, c.first->laestab, c.first->source,
        std::to_string(c.plans) + " of " + std::to_string(c.pupils) + " pupils on roll (" + percent(c.plans, c.pupils) +
            ") have an EHC plan, more than 10%",
        {{"SENprovision", "E"}, {"pupils", std::to_string(c.pupils)}, {"with_plan", std::to_string(c.plans)}});
  }
  if (!any && !ctx.data.returns.empty())
    ctx.skip("the rule does not apply to special schools and PRUs (phase SP or PR)");
}

// DFE2205: more than 40% of a school's pupils are at SEN support.
constexpr RuleInfo dfe2205_info{
    .code = "DFE2205",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "More than 40% of pupils at SEN support",
    .why = "About 13% of pupils nationally are at SEN support; more than 40% of a school's pupils on roll with "
           "SEN provision K suggests a wrong code carried into the MIS or pupils left at K after their support "
           "ended, which the school confirms or corrects (DfE rule 2205). As for rule 2190, censusqa reads it as "
           "a mainstream school's query: not raised for special schools and PRUs (phase SP or PR).",
    .how_to_fix = "Review the pupils recorded at SEN support (K) against the school's SEN register; end the "
                  "support of pupils no longer receiving it, or confirm the figure to the DfE as correct.",
    .needs = needs_census,
    .fields = "SENprovision",
    .dfe_rule = "2205",
    .dfe_match = DfeMatch::exact};

void dfe2205_check(RuleContext& ctx) {
  auto applies = [&](const CensusReturn& r) { return !special_or_pru_school(ctx, r); };
  bool any = false;
  for (const SchoolSen& c : count_by_school(ctx, applies)) {
    any = true;
    if (c.pupils == 0 || c.support * 10 <= c.pupils * 4) continue;
    ctx.report_school(
        c.first->laestab, c.first->laestab, c.first->source,
        std::to_string(c.support) + " of " + std::to_string(c.pupils) + " pupils on roll (" +
            percent(c.support, c.pupils) + ") are at SEN support, more than 40%",
        {{"SENprovision", "K"}, {"pupils", std::to_string(c.pupils)}, {"at_support", std::to_string(c.support)}});
  }
  if (!any && !ctx.data.returns.empty())
    ctx.skip("the rule does not apply to special schools and PRUs (phase SP or PR)");
}

// DFE2210: fewer than 70% of a special school's pupils have an EHC plan.
constexpr RuleInfo dfe2210_info{
    .code = "DFE2210",
    .severity = Severity::query,
    .scope = Scope::school,
    .actor = Actor::school,
    .title = "Fewer than 70% of a special school's pupils have an EHC plan",
    .why = "Nearly every pupil placed in a special school has an EHC plan; when fewer than 70% of its pupils on "
           "roll have SEN provision E the plans have usually not been carried into the MIS, and the LA's and the "
           "DfE's EHC plan counts are short (DfE rule 2210).",
    .how_to_fix = "Check the pupils recorded without E against the EHC plans the LA maintains and record E where "
                  "there is a plan; otherwise confirm the figure to the DfE as correct (assessment places, say).",
    .needs = needs_census,
    .fields = "SENprovision, Phase",
    .dfe_rule = "2210",
    .dfe_match = DfeMatch::exact};

void dfe2210_check(RuleContext& ctx) {
  auto applies = [&](const CensusReturn& r) { return special_school(ctx, r); };
  bool any = false;
  for (const SchoolSen& c : count_by_school(ctx, applies)) {
    any = true;
    if (c.pupils == 0 || c.plans * 10 >= c.pupils * 7) continue;
    ctx.report_school(
        c.first->laestab, c.first->laestab, c.first->source,
        std::to_string(c.plans) + " of " + std::to_string(c.pupils) + " pupils on roll (" + percent(c.plans, c.pupils) +
            ") of a special school have an EHC plan, fewer than 70%",
        {{"SENprovision", "E"}, {"pupils", std::to_string(c.pupils)}, {"with_plan", std::to_string(c.plans)}});
  }
  if (!any && !ctx.data.returns.empty()) ctx.skip("no return is from a special school (phase SP)");
}

// The SEN unit and resourced provision indicators (2230, 2250, 5049, 5050): required in the spring census
// of a mainstream school's pupils with SEN, not returned by special schools and PRUs. A CSV census may leave the column
// out: a CSV return in which no pupil gives the indicator does not carry it, and is not checked.
struct Indicator {
  Field field;
  std::optional<bool> Pupil::*member;
  std::string_view item;   ///< in words: "SEN unit indicator"
  std::string_view xml;    ///< the census item: "SENunitIndicator"
  std::string_view column; ///< the CSV census column: "sen_unit"
};
constexpr Indicator sen_unit{Field::sen_unit, &Pupil::sen_unit, "SEN unit indicator", "SENunitIndicator", "sen_unit"};
constexpr Indicator resourced{Field::resourced_provision, &Pupil::resourced_provision, "resourced provision indicator",
                              "ResourcedProvisionIndicator", "resourced_provision"};

void indicator_required(RuleContext& ctx, const Indicator& ind) {
  bool csv_skipped = false;
  for_each_return(
      ctx, [&](const CensusReturn& r) { return spring_census(r) && !special_or_pru_school(ctx, r); },
      "the indicator is collected only in the spring census, and not from special schools and PRUs (phase SP or PR)",
      [&](const CensusReturn& r) {
        const auto pupils = ctx.data.pupils_of(r);
        if (csv_return(ctx, r)) {
          bool carried = false;
          for (const Pupil& p : pupils)
            if ((p.*ind.member).has_value() || ctx.data.raw_value(p, ind.field)) {
              carried = true;
              break;
            }
          if (!carried) {
            if (!csv_skipped)
              ctx.skip("a CSV census return without the " + std::string(ind.column) +
                       " column was not checked: no pupil in it has the indicator");
            csv_skipped = true;
            return;
          }
        }
        for (const Pupil& p : pupils) {
          if (!sen_k_or_e(p) || (p.*ind.member).has_value() || ctx.data.raw_value(p, ind.field)) continue;
          const std::string provision(name(*p.sen_provision));
          ctx.report_pupil(p, "Pupil with SEN provision " + provision + " has no " + std::string(ind.item),
                           {{"SENprovision", provision}, {std::string(ind.xml), ""}});
        }
      });
}

void indicator_not_required(RuleContext& ctx, const Indicator& ind) {
  for_each_pupil(
      ctx, false, [&](const CensusReturn& r) { return special_or_pru_school(ctx, r); },
      "no return is from a special school or PRU (phase SP or PR)",
      [&](const Pupil& p) {
        const std::optional<bool> v = p.*ind.member;
        const auto raw = v ? std::nullopt : ctx.data.raw_value(p, ind.field);
        if (!v && !raw) return;
        const std::string given = v ? (*v ? "true" : "false") : std::string(*raw);
        ctx.report_pupil(p,
                         "The " + std::string(ind.item) + " is given (" + given +
                             ") by a special school or PRU, which does not return it",
                         {{std::string(ind.xml), given}});
      });
}

// DFE2230: a pupil with SEN has no SEN unit indicator.
constexpr RuleInfo dfe2230_info{
    .code = "DFE2230",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "SEN pupil with no SEN unit indicator",
    .why = "In the spring census a mainstream school says, for each pupil at SEN support or with an EHC plan, "
           "whether the pupil is "
           "in an SEN unit; the DfE counts the places in units from it. COLLECT rejects a pupil with SEN "
           "provision K or E whose indicator is missing (DfE rule 2230).",
    .how_to_fix = "Record the SEN unit indicator (true or false) for the pupil in the MIS; false when the school "
                  "has no SEN unit.",
    .needs = needs_census,
    .fields = "SENprovision, SENunitIndicator",
    .dfe_rule = "2230",
    .dfe_match = DfeMatch::exact};

void dfe2230_check(RuleContext& ctx) { indicator_required(ctx, sen_unit); }

// DFE2250: a pupil with SEN has no resourced provision indicator.
constexpr RuleInfo dfe2250_info{
    .code = "DFE2250",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "SEN pupil with no resourced provision indicator",
    .why = "In the spring census a mainstream school says, for each pupil at SEN support or with an EHC plan, "
           "whether the pupil is "
           "in resourced provision; the DfE counts the resourced places from it. COLLECT rejects a pupil with SEN "
           "provision K or E whose indicator is missing (DfE rule 2250).",
    .how_to_fix = "Record the resourced provision indicator (true or false) for the pupil in the MIS; false when "
                  "the school has no resourced provision.",
    .needs = needs_census,
    .fields = "SENprovision, ResourcedProvisionIndicator",
    .dfe_rule = "2250",
    .dfe_match = DfeMatch::exact};

void dfe2250_check(RuleContext& ctx) { indicator_required(ctx, resourced); }

// DFE5049: a special school or PRU returns the SEN unit indicator.
constexpr RuleInfo dfe5049_info{
    .code = "DFE5049",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "SEN unit indicator returned by a special school or PRU",
    .why = "The SEN unit indicator tells a mainstream school's unit places apart from its other pupils; a special "
           "school or PRU (phase SP or PR) has no such split, and COLLECT rejects the indicator from it (DfE rule "
           "5049).",
    .how_to_fix = "Clear the SEN unit indicator of the school's pupils in the MIS, or correct the school's phase "
                  "if it is not a special school or PRU.",
    .needs = needs_census,
    .fields = "SENunitIndicator, Phase",
    .dfe_rule = "5049",
    .dfe_match = DfeMatch::exact};

void dfe5049_check(RuleContext& ctx) { indicator_not_required(ctx, sen_unit); }

// DFE5050: a special school or PRU returns the resourced provision indicator.
constexpr RuleInfo dfe5050_info{
    .code = "DFE5050",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Resourced provision indicator returned by a special school or PRU",
    .why = "The resourced provision indicator tells a mainstream school's resourced places apart from its other "
           "pupils; a special school or PRU (phase SP or PR) has no such split, and COLLECT rejects the indicator "
           "from it (DfE rule 5050).",
    .how_to_fix = "Clear the resourced provision indicator of the school's pupils in the MIS, or correct the "
                  "school's phase if it is not a special school or PRU.",
    .needs = needs_census,
    .fields = "ResourcedProvisionIndicator, Phase",
    .dfe_rule = "5050",
    .dfe_match = DfeMatch::exact};

void dfe5050_check(RuleContext& ctx) { indicator_not_required(ctx, resourced); }

const Rule sen[] = {
    {&dfe2130_info, dfe2130_check}, {&dfe2175_info, dfe2175_check}, {&dfe2190_info, dfe2190_check},
    {&dfe2205_info, dfe2205_check}, {&dfe2210_info, dfe2210_check}, {&dfe2230_info, dfe2230_check},
    {&dfe2250_info, dfe2250_check}, {&dfe5049_info, dfe5049_check}, {&dfe5050_info, dfe5050_check},
};

} // namespace

std::span<const Rule> sen_rules() { return sen; }

} // namespace censusqa::dfe_census
