// censusqa SDK: the plugin interface. A plugin is a shared library exporting two C functions:
// `censusqa_plugin_descriptor` (read and checked first: SDK, compiler and standard library; see
// descriptor.hpp) and `censusqa_create_plugin` (the factory). CENSUSQA_PLUGIN(...) writes both.
#pragma once

#include <censusqa/config.hpp>
#include <censusqa/dataset.hpp>
#include <censusqa/descriptor.hpp>
#include <censusqa/finding.hpp>
#include <censusqa/metrics.hpp>
#include <censusqa/profile.hpp>
#include <censusqa/rule.hpp>
#include <censusqa/version.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#if defined(_WIN32)
#define CENSUSQA_EXPORT __declspec(dllexport)
#else
#define CENSUSQA_EXPORT __attribute__((visibility("default")))
#endif

namespace censusqa {

/// What the run is about: the census term and the LA, from the configuration or the returns.
struct RunInfo {
  std::optional<Date> reference_date;     ///< the configuration's, else the one most returns give
  bool reference_date_configured = false; ///< whether reference_date came from the configuration
  std::optional<Term> term;
  std::optional<int> year;
  std::optional<Date> financial_year_end; ///< the configuration's, else the one most balances rows give
  std::string la_code;                    ///< empty when the configuration gives none
  std::string la_name;
};

/// What a plugin declares about itself; read by the host before it runs anything.
struct PluginInfo {
  std::string_view id{}; ///< lower-case, hyphenated; also its configuration section name
  std::string_view name{};
  std::string_view version{};
  std::string_view description{};
  std::span<const RuleInfo> rules{}; ///< codes unique (is_valid_rule_code), within the plugin and across plugins
  std::span<const OptionInfo> options{};
  /// The metric names it owns (SDK 5): a name ending in '.' owns every name that begins with it
  /// ("ehcp." owns "ehcp.requests_12m"); any other is one exact name (an LA table, "ehcp_timeliness").
  /// None declared: the plugin owns "<id>.". The host refuses a plugin whose names overlap the core's
  /// or another plugin's, and fails a plugin that writes a name it does not own.
  std::span<const std::string_view> metric_names{};
};

/// Messages from a plugin to the person running censusqa (SDK 5): not findings about the data, but
/// notes on the run ("the holidays list ends before the census date"). The host prints them with the
/// plugin's id and keeps them in findings.json (run.plugins[].messages). Thread safe.
class Log {
public:
  enum class Level : unsigned char { info, warning };
  virtual ~Log() = default;
  virtual void write(Level level, std::string_view message) = 0;
  void info(std::string_view message) { write(Level::info, message); }
  void warning(std::string_view message) { write(Level::warning, message); }
};

/// The LA's rule settings for this run (censusqa.json "rules", SDK 5): which rules are off. The host
/// also drops any finding of a rule that is off, and applies the LA's severities itself.
class RuleSwitches {
public:
  RuleSwitches() = default;
  explicit RuleSwitches(std::vector<std::string> off) : off_{std::move(off)} {}
  bool enabled(std::string_view code) const {
    for (const auto& c : off_)
      if (c == code) return false;
    return true;
  }
  const std::vector<std::string>& off() const { return off_; }

private:
  std::vector<std::string> off_;
};

namespace detail {
/// A log that drops what it is given: for a RuleContext built without a run.
class NullLog final : public Log {
public:
  void write(Level, std::string_view) override {}
};
inline NullLog null_log;
inline const RuleSwitches all_rules_on;
} // namespace detail

/// Everything a plugin's run receives.
struct RunContext {
  const Dataset& data;
  const RunInfo& run;
  const PluginConfig& config; ///< the plugin's section, the declared defaults applied
  FindingSink& findings;
  MetricSink& metrics;
  ProfileSink& profile;                             ///< sections for schools' inclusion profiles
  Log& log = detail::null_log;                      ///< SDK 5
  const RuleSwitches& rules = detail::all_rules_on; ///< SDK 5: the rules the LA turned off
};

/// A rule plugin. The host keeps the plugin's library loaded for as long as the object lives.
class CENSUSQA_EXPORT RulePlugin {
public:
  virtual ~RulePlugin() = default;
  virtual PluginInfo info() const = 0;
  /// Check the plugin's configuration section beyond what its declared options say (the shape of an
  /// object's members, one date before another): throw ConfigError naming the key, what was given
  /// and what is expected. The host calls it, with the defaults applied, before any plugin runs, and
  /// refuses the configuration (exit 2) when it throws. SDK 5.
  virtual void check_config(const PluginConfig& config) const { (void)config; }
  /// Run every rule (and compute any metrics) over the dataset. May throw: the host then discards
  /// this plugin's findings and metrics, keeps every other plugin's, and exits with code 3.
  virtual void run(RunContext& context) = 0;
};

/// What one rule's check function receives, with helpers that fill a finding from the rule's
/// metadata so that code, severity and scope are never written twice.
class RuleContext {
public:
  RuleContext(const Dataset& d, const RunInfo& r, const PluginConfig& c, FindingSink& s, const RuleInfo& rule,
              Log& l = detail::null_log)
      : data{d}, run{r}, config{c}, log{l}, sink_{s}, rule_{rule} {}
  RuleContext(RunContext& ctx, const RuleInfo& rule)
      : RuleContext(ctx.data, ctx.run, ctx.config, ctx.findings, rule, ctx.log) {}

  const Dataset& data;
  const RunInfo& run;
  const PluginConfig& config;
  Log& log;
  const RuleInfo& rule() const { return rule_; }

  /// A finding about one pupil (subject = the UPN, or "(line N)" for a pupil without one; school = the
  /// pupil's return), at the pupil's record.
  void report_pupil(const Pupil& p, std::string message, std::vector<std::pair<std::string, std::string>> values = {}) {
    report_pupil(p, p.source, std::move(message), std::move(values));
  }
  /// SDK 9.1: the same finding, at `at`: the line of the record it is about (one of the pupil's
  /// exclusions or placements; in a CSV census, that record's own row), not the pupil's.
  void report_pupil(const Pupil& p, SourceRef at, std::string message,
                    std::vector<std::pair<std::string, std::string>> values = {}) {
    Finding f = make(std::move(message), std::move(values));
    f.laestab = data.return_of(p).laestab;
    f.upn = p.upn;
    f.subject = p.upn.empty() ? "(line " + std::to_string(p.source.line) + ")" : p.upn;
    f.source = at;
    sink_.emit(std::move(f));
  }
  /// A finding about an EHC needs assessment case (subject = the case id, school = at the request).
  void report_case(const EhcCase& c, std::string message,
                   std::vector<std::pair<std::string, std::string>> values = {}) {
    Finding f = make(std::move(message), std::move(values));
    f.laestab = c.laestab;
    f.upn = c.upn;
    f.subject = c.case_id.empty() ? "(line " + std::to_string(c.source.line) + ")" : c.case_id;
    f.source = c.source;
    sink_.emit(std::move(f));
  }
  /// A finding about a school; `upn` is set when one pupil is involved.
  void report_school(std::string_view laestab, std::string subject, SourceRef source, std::string message,
                     std::vector<std::pair<std::string, std::string>> values = {}, std::string upn = {}) {
    Finding f = make(std::move(message), std::move(values));
    f.laestab = std::string(laestab);
    f.subject = std::move(subject);
    f.upn = std::move(upn);
    f.source = source;
    sink_.emit(std::move(f));
  }
  /// A finding about the LA as a whole (no school); `upn` is set when one pupil is involved.
  void report_la(std::string subject, SourceRef source, std::string message,
                 std::vector<std::pair<std::string, std::string>> values = {}, std::string upn = {}) {
    report_school({}, std::move(subject), source, std::move(message), std::move(values), std::move(upn));
  }
  /// Say that this rule could not run, and why (reported once as IN090).
  void skip(std::string_view reason) { sink_.rule_skipped(rule_.code, reason); }

  /// SDK 6: the same context, whose findings name the DfE rule `number`, one of those the rule's
  /// RuleInfo::dfe_rule lists (for a rule that corresponds to several): `ctx.for_dfe("2582").report_pupil(...)`.
  /// A rule that names one DfE rule needs none of this: its findings carry that one, unless it is
  /// `DfeMatch::stricter`, whose findings COLLECT may not raise: such a rule names the DfE rule with
  /// for_dfe on the findings COLLECT raises too (CI006's missing date of birth), and on no other.
  RuleContext for_dfe(std::string_view number) const {
    RuleContext c = *this;
    c.dfe_ = number;
    return c;
  }

private:
  Finding make(std::string message, std::vector<std::pair<std::string, std::string>> values) const {
    Finding f;
    f.rule = std::string(rule_.code);
    f.severity = rule_.severity;
    f.scope = rule_.scope;
    f.message = std::move(message);
    f.values = std::move(values);
    if (!dfe_.empty())
      f.dfe_rule = std::string(dfe_);
    else if (rule_.dfe_match != DfeMatch::stricter && rule_.dfe_rule.find(',') == std::string_view::npos)
      f.dfe_rule = std::string(rule_.dfe_rule);
    return f;
  }
  FindingSink& sink_;
  const RuleInfo& rule_;
  std::string_view dfe_{};
};

/// A rule: its metadata and its check, in one place.
struct Rule {
  const RuleInfo* info;
  void (*check)(RuleContext&);
};

/// A producer of metrics: figures a plugin publishes, computed beside its rules.
struct MetricProducer {
  std::string_view name; ///< for messages: what it computes
  unsigned needs;        ///< `Needs` bits: skipped silently when an input is absent
  void (*compute)(RunContext&);
};

/// The usual plugin: a fixed list of rules run in order. A rule whose declared inputs are absent
/// is skipped with IN090 instead of being run; a rule the LA turned off is not run at all.
class RuleListPlugin : public RulePlugin {
public:
  /// What the plugin is made of, named with designated initialisers (SDK 5):
  ///   new RuleListPlugin({.id = "attendance-starter", .name = "Attendance", .version = "1.0.0",
  ///                       .description = "...", .rules = rules, .options = options});
  struct Spec {
    std::string_view id{}, name{}, version{}, description{};
    std::span<const Rule> rules{};
    std::span<const OptionInfo> options{};
    std::span<const MetricProducer> metrics{};
    std::span<const std::string_view> metric_names{};    ///< see PluginInfo::metric_names
    void (*check_config)(const PluginConfig&) = nullptr; ///< see RulePlugin::check_config
  };
  explicit RuleListPlugin(const Spec& spec) : spec_{spec} {
    for (const Rule& r : spec_.rules)
      infos_.push_back(*r.info);
  }
  PluginInfo info() const override {
    return {spec_.id, spec_.name, spec_.version, spec_.description, infos_, spec_.options, spec_.metric_names};
  }
  void check_config(const PluginConfig& config) const override {
    if (spec_.check_config) spec_.check_config(config);
  }
  void run(RunContext& context) override {
    const unsigned have = context.data.available;
    for (const Rule& r : spec_.rules) {
      if (!context.rules.enabled(r.info->code)) continue;
      if ((have & r.info->needs) != r.info->needs) {
        context.findings.rule_skipped(r.info->code, missing_inputs(have, r.info->needs));
        continue;
      }
      RuleContext ctx{context, *r.info};
      r.check(ctx);
    }
    for (const MetricProducer& m : spec_.metrics)
      if ((have & m.needs) == m.needs) m.compute(context);
  }

private:
  static std::string missing_inputs(unsigned have, unsigned need) {
    static constexpr std::pair<unsigned, const char*> names[] = {
        {needs_census, "census returns"},     {needs_schools, "schools.csv"},
        {needs_ehcp_cases, "ehcp_cases.csv"}, {needs_ap_placements, "ap_placements.csv or AP census"},
        {needs_balances, "balances.csv"},     {needs_commitments, "commitments.csv"},
        {needs_previous, "previous/"},        {needs_reference, "reference/"}};
    std::string out = "no ";
    bool first = true;
    for (const auto& [bit, text] : names)
      if ((need & bit) && !(have & bit)) {
        out += first ? "" : ", ";
        out += text;
        first = false;
      }
    return out;
  }
  Spec spec_;
  std::vector<RuleInfo> infos_;
};

} // namespace censusqa

/// Exports the two entry points the host looks for: the descriptor, with the plugin's id and
/// version (string literals, the same as its info() gives), and the factory, an expression yielding
/// a `censusqa::RulePlugin*` allocated with new; the host deletes it before unloading the library.
#define CENSUSQA_PLUGIN(id, version, factory)                                                                          \
  extern "C" CENSUSQA_EXPORT const censusqa::PluginDescriptor* censusqa_plugin_descriptor() {                          \
    static const censusqa::PluginDescriptor d = [] {                                                                   \
      censusqa::PluginDescriptor x{censusqa::plugin_magic,                                                             \
                                   sizeof(censusqa::PluginDescriptor),                                                 \
                                   CENSUSQA_SDK_VERSION_MAJOR,                                                         \
                                   CENSUSQA_SDK_VERSION_MINOR,                                                         \
                                   {},                                                                                 \
                                   {},                                                                                 \
                                   {},                                                                                 \
                                   {}};                                                                                \
      censusqa::detail::copy_text(x.compiler, censusqa::detail::compiler_id);                                          \
      censusqa::detail::copy_text(x.stdlib, censusqa::detail::stdlib_id);                                              \
      censusqa::detail::copy_text(x.plugin_id, id);                                                                    \
      censusqa::detail::copy_text(x.plugin_version, version);                                                          \
      return x;                                                                                                        \
    }();                                                                                                               \
    return &d;                                                                                                         \
  }                                                                                                                    \
  extern "C" CENSUSQA_EXPORT censusqa::RulePlugin* censusqa_create_plugin() { return (factory); }
