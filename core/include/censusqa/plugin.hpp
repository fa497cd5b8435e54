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
  std::string_view id; ///< lower-case, hyphenated; also its configuration section name
  std::string_view name;
  std::string_view version;
  std::string_view description;
  std::span<const RuleInfo> rules;
  std::span<const OptionInfo> options;
};

/// Everything a plugin's run receives.
struct RunContext {
  const Dataset& data;
  const RunInfo& run;
  const PluginConfig& config;
  FindingSink& findings;
  MetricSink& metrics;
  ProfileSink& profile; ///< sections for schools' inclusion profiles
};

/// A rule plugin. The host keeps the plugin's library loaded for as long as the object lives.
class CENSUSQA_EXPORT RulePlugin {
public:
  virtual ~RulePlugin() = default;
  virtual PluginInfo info() const = 0;
  /// Run every rule (and compute any metrics) over the dataset. May throw: the host then discards
  /// this plugin's findings and metrics, keeps every other plugin's, and exits with code 3.
  virtual void run(RunContext& context) = 0;
};

/// What one rule's check function receives, with helpers that fill a finding from the rule's
/// metadata so that code, severity and scope are never written twice.
class RuleContext {
public:
  RuleContext(const Dataset& d, const RunInfo& r, const PluginConfig& c, FindingSink& s, const RuleInfo& rule)
      : data{d}, run{r}, config{c}, sink_{s}, rule_{rule} {}
  RuleContext(RunContext& ctx, const RuleInfo& rule) : RuleContext(ctx.data, ctx.run, ctx.config, ctx.findings, rule) {}

  const Dataset& data;
  const RunInfo& run;
  const PluginConfig& config;
  const RuleInfo& rule() const { return rule_; }

  /// A finding about one pupil (subject = the UPN, school = the pupil's return).
  void report_pupil(const Pupil& p, std::string message, std::vector<std::pair<std::string, std::string>> values = {}) {
    Finding f = make(std::move(message), std::move(values));
    f.laestab = data.return_of(p).laestab;
    f.upn = p.upn;
    f.subject = p.upn.empty() ? "(line " + std::to_string(p.source.line) + ")" : p.upn;
    f.source = p.source;
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

private:
  Finding make(std::string message, std::vector<std::pair<std::string, std::string>> values) const {
    Finding f;
    f.rule = std::string(rule_.code);
    f.severity = rule_.severity;
    f.scope = rule_.scope;
    f.message = std::move(message);
    f.values = std::move(values);
    return f;
  }
  FindingSink& sink_;
  const RuleInfo& rule_;
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
/// is skipped with IN090 instead of being run.
class RuleListPlugin : public RulePlugin {
public:
  RuleListPlugin(std::string_view id, std::string_view name, std::string_view version, std::string_view description,
                 std::span<const Rule> rules, std::span<const OptionInfo> options = {},
                 std::span<const MetricProducer> metrics = {})
      : id_{id}, name_{name}, version_{version},
        description_{description}, rules_{rules}, options_{options}, metrics_{metrics} {
    for (const Rule& r : rules_)
      infos_.push_back(*r.info);
  }
  PluginInfo info() const override { return {id_, name_, version_, description_, infos_, options_}; }
  void run(RunContext& context) override {
    const unsigned have = context.data.available;
    for (const Rule& r : rules_) {
      if ((have & r.info->needs) != r.info->needs) {
        context.findings.rule_skipped(r.info->code, missing_inputs(have, r.info->needs));
        continue;
      }
      RuleContext ctx{context, *r.info};
      r.check(ctx);
    }
    for (const MetricProducer& m : metrics_)
      if ((have & m.needs) == m.needs) m.compute(context);
  }

private:
  static std::string missing_inputs(unsigned have, unsigned need) {
    static constexpr std::pair<unsigned, const char*> names[] = {
        {needs_census, "census returns"},     {needs_schools, "schools.csv"},
        {needs_ehcp_cases, "ehcp_cases.csv"}, {needs_ap_placements, "ap_placements.csv"},
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
  std::string_view id_, name_, version_, description_;
  std::span<const Rule> rules_;
  std::span<const OptionInfo> options_;
  std::span<const MetricProducer> metrics_;
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
