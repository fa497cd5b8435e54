// clawback: surplus-balance clawback under the LA's scheme for financing schools. The A-K
// calculation (spec/rules.md) is one pure function over pence; the rules and the Schools Forum
// annex read its rows. Money never touches floating point here.
#pragma once

#include <censusqa/censusqa.hpp>

#include <array>
#include <string>
#include <vector>

namespace censusqa::clawback {

extern const Rule cb001_balances_missing;
extern const Rule cb002_liable;
extern const Rule cb003_pending_request;
extern const Rule cb004_overcommitted;
extern const Rule cb005_stale_assignment;
extern const Rule cb006_ignored_row;
extern const Rule cb007_deficit;
/// metrics.json: clawback (per school), clawback_summary (phase groups and LA), clawback_requests.
extern const MetricProducer annex_metrics;

/// The LA's scheme: the percentage of budget share a school may keep, by phase, in basis points
/// (8% = 800), the floor in pence, and how old an assignment may be.
struct Scheme {
  std::array<std::int64_t, 7> percent_bp{}; // indexed by Phase
  Pence floor = 0;
  int max_assignment_years = 0;
};
/// Reads the scheme from the plugin's configuration (percent, floor, max_assignment_years: the
/// declared defaults applied by the host); throws ConfigError naming the key for a bad value.
Scheme read_scheme(const PluginConfig& config);
/// RulePlugin::check_config: the scheme can be read (a bad value is exit 2 before any rule runs).
void check_config(const PluginConfig& config);

/// The plugin's options, declared once: module.cpp gives them to the host, which checks the LA's
/// values and applies the defaults, so the rules read them without fallbacks (the tests too).
inline constexpr OptionInfo options[] = {
    {.key = "percent",
     .type = "object",
     .default_value = "{\"secondary\": 5, \"primary\": 8, \"middle\": 8, \"all-through\": 8, \"nursery\": 8, "
                      "\"special\": 8, \"pru\": 8}",
     .description = "the share of budget share (F) a school may keep, by phase (G = F x percent)",
     .minimum = 0,
     .maximum = 100,
     .items = "number"},
    {.key = "floor",
     .type = "number",
     .default_value = "25000",
     .description = "the minimum a school may keep, in pounds (H)",
     .minimum = 0,
     .maximum = 1e9},
    {.key = "max_assignment_years",
     .type = "integer",
     .default_value = "3",
     .description = "CB005: how old an assignment may be at the financial year end",
     .minimum = 0,
     .maximum = 100},
};

/// One school's A-K, in pence.
struct Calculation {
  Pence A = 0, B = 0, C = 0, D = 0, E = 0, F = 0, G = 0, H = 0, I = 0, J = 0, K = 0;
};
/// A total, B capital, F budget share, D committed, at the phase's percentage and the floor.
Calculation calculate(Pence A, Pence B, Pence F, Pence D, std::int64_t percent_bp, Pence floor);

/// A school the calculation applies to, with its balances row (or null) and its commitments.
struct SchoolFinance {
  const School* school = nullptr;
  const SchoolBalance* balance = nullptr;
  std::vector<const Commitment*> commitments;
  /// A, B and F present, and F > 0 unless a nursery: the calculation can be made.
  bool complete() const;
};
/// The schools the scheme applies to: maintained at the financial year end (maintained, or an
/// academy that converted after it), with a known phase; in LAEstab order.
std::vector<SchoolFinance> schools_in_scope(const Dataset& data, std::optional<Date> year_end);

/// Whether a commitment counts in D: a standard purpose, or `other` approved by Schools Forum.
bool counts_in_d(const Commitment& c);
/// D for a school; `with_pending` also counts `other` requests still pending.
Pence committed(const SchoolFinance& s, bool with_pending);
/// The school's calculation under the scheme (requires complete()).
Calculation calculate(const SchoolFinance& s, const Scheme& scheme, bool with_pending = false);

/// Pounds for a message: "£12,345" (rounded half away from zero), "-£1,200".
std::string pounds(Pence p);

} // namespace censusqa::clawback
