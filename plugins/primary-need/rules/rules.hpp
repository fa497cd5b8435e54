// primary-need: the plugin's rules (one per file, listed in module.cpp) and what they share: the
// LA's active plans by UPN, the terms need types are checked in, and the
// exact binomial test behind PN010.
#pragma once

#include <censusqa/censusqa.hpp>

#include <array>
#include <optional>
#include <string>
#include <unordered_map>

namespace censusqa::primary_need {

extern const Rule pn001_no_need;
extern const Rule pn002_ranks;
extern const Rule pn003_need_code;
extern const Rule pn004_need_without_sen;
extern const Rule pn005_nsa;
extern const Rule pn006_same_need_twice;
extern const Rule pn007_plan_need_differs;
extern const Rule pn008_no_active_plan;
extern const Rule pn009_plan_not_in_census;
extern const Rule pn010_need_share_outlier;
extern const Rule pn011_pmld_sld_support;
extern const Rule pn012_nsa_share;
extern const Rule pn013_need_changed;
/// metrics.json: counts and shares by need and broad area, and PN010's comparators.
extern const MetricProducer need_metrics;

/// The plugin's options, declared once: module.cpp gives them to the host, which checks the LA's
/// values and applies the defaults, so the rules read them without fallbacks (the tests too).
inline constexpr OptionInfo options[] = {
    {.key = "need_terms",
     .type = "array",
     .default_value = "[\"SPR\"]",
     .description = "census terms in which need types are checked (PN001-PN007, PN010-PN013)",
     .allowed = "AUT,SPR,SUM",
     .items = "string"},
    {.key = "alpha",
     .type = "number",
     .default_value = "0.001",
     .description = "PN010: significance level of the exact binomial test",
     .minimum = 0,
     .maximum = 1},
    {.key = "min_sen_pupils",
     .type = "integer",
     .default_value = "10",
     .description = "PN010: fewest pupils with SEN a school needs to be tested",
     .minimum = 1},
    {.key = "min_gap_pct",
     .type = "number",
     .default_value = "10",
     .description = "PN010: smallest gap, in percentage points, worth reporting",
     .minimum = 0,
     .maximum = 100},
    {.key = "nsa_max_pct",
     .type = "number",
     .default_value = "10",
     .description = "PN012: largest share of SEN support pupils with NSA as primary need",
     .minimum = 0,
     .maximum = 100},
};

/// SEN need types are collected in the spring census only: whether this return's term is one of
/// the configured `need_terms` (default ["SPR"]). A return with no term is checked.
bool needs_collected(const RuleContext& ctx, const CensusReturn& r);

/// On roll as the DfE counts it (C or M), so dual registrations are judged once, at the main school.
inline bool main_registration(const Pupil& p) { return p.enrol_status && counts_on_roll(*p.enrol_status); }

/// The LA's active plans (issued, not ceased by the reference date) by UPN.
std::unordered_map<std::string, const EhcCase*> active_plans(const RuleContext& ctx);

/// Mainstream phases, where PMLD and SLD at SEN support are unusual.
inline bool mainstream(std::optional<Phase> phase) { return phase && *phase != Phase::special && *phase != Phase::pru; }

} // namespace censusqa::primary_need
