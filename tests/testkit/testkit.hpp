// Test helpers for rule tests: build a tiny Dataset in a few lines, run one rule over it, and
// get back exactly the findings it raised. Uses only the public SDK, like a plugin.
#pragma once

#include <censusqa/censusqa.hpp>
#include <censusqa/options.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace censusqa::testkit {

/// Collects findings and skips.
class CollectSink final : public FindingSink {
public:
  void emit(Finding f) override { findings.push_back(std::move(f)); }
  void rule_skipped(std::string_view code, std::string_view reason) override {
    skipped[std::string(code)] = std::string(reason);
  }
  std::vector<Finding> findings;
  std::map<std::string, std::string> skipped;
};

/// Collects the metrics a plugin publishes.
class MetricsCollector final : public MetricSink, public ProfileSink {
public:
  void section(std::string_view laestab, ProfileSection s) override {
    sections[std::string(laestab)].push_back(std::move(s));
  }
  std::map<std::string, std::vector<ProfileSection>> sections;
  void school(std::string_view laestab, std::string_view name, std::int64_t value) override {
    schools[std::string(laestab)][std::string(name)] = value;
  }
  void la(std::string_view name, Value value) override { la_values[std::string(name)] = std::move(value); }
  std::map<std::string, std::map<std::string, std::int64_t>> schools;
  std::map<std::string, Value> la_values;
};

/// The plugin whose rules a test program tests: its id and declared options. Set once (module_test.cpp:
/// `const bool tested = (testkit::tested_plugin = {"primary-need", options}, true);`), it makes run_rule
/// and run_metrics give a rule its configuration as the host does: the values checked against the
/// declarations and the defaults applied, so rules read their options without fallbacks.
struct TestedPlugin {
  std::string_view id;
  std::span<const OptionInfo> options;
};
inline TestedPlugin tested_plugin{};

/// `config` as the host hands it to the tested plugin (unchanged when no tested_plugin is set).
inline PluginConfig as_configured(const PluginConfig& config) {
  if (tested_plugin.id.empty()) return config;
  return PluginConfig(std::string(tested_plugin.id),
                      effective_options(tested_plugin.options, config.section(), tested_plugin.id));
}

/// Runs one metric producer over `data` and returns what it published.
inline MetricsCollector run_metrics(const MetricProducer& producer, const Dataset& data, RunInfo run,
                                    PluginConfig config = {}) {
  CollectSink findings;
  MetricsCollector metrics;
  config = as_configured(config);
  RunContext ctx{data, run, config, findings, metrics, metrics};
  producer.compute(ctx);
  return metrics;
}

/// An attendance module as a test writes it: counts that may each be missing, and sessions by reason.
struct AttendanceSpec {
  AttendancePeriod period = AttendancePeriod::termly;
  std::optional<int> possible{}, authorised{}, unauthorised{}; ///< the totals as returned
  std::vector<std::pair<std::string, int>> detail{};           ///< SessionDetail rows: reason code, sessions
};

/// The termly module's totals as a test writes them, each one optional: `{100, 5, 4}` (possible,
/// authorised, unauthorised), or only some, `{.possible = 100, .unauthorised = 4}` (the others missing
/// from the return). None set: no termly module.
struct SessionsSpec {
  std::optional<int> possible{}, authorised{}, unauthorised{};
  bool any() const { return possible || authorised || unauthorised; }
};

/// A pupil as a test writes it: every field a string, as it would appear in a return.
struct PupilSpec {
  std::string upn = "A888100119001";
  std::string dob = "2015-03-02";
  std::string enrol = "C";
  std::string nc_year = "4";
  std::string sen = "N";
  std::string sex = "F";
  std::string entry_date = "2020-09-03";
  std::string leaving_date{};                       ///< set: a leaver (PupilNoLongerOnRoll)
  std::string former_upn{};                         ///< PupilIdentifiers/FormerUPN (Dataset::former_upn_of)
  std::vector<std::pair<int, std::string>> needs{}; ///< rank, type
  /// "SUSP" (dated 2024-11-05, 1 session), "PERM:2024-11-04" (no sessions), "SUSP:2024-11-05:4"
  /// (date and sessions; "-" for none), with an optional fourth part, the SEN provision when excluded.
  std::vector<std::string> exclusions{};
  bool fsm = false; ///< eligible on census day (as a loader works it out from the periods)
  std::vector<std::pair<std::string, std::string>> fsm_periods{}; ///< start, end ("" while open)
  /// The termly module's totals, each optional (a shorthand for a termly module in `attendance`).
  SessionsSpec sessions{};
  std::vector<AttendanceSpec> attendance{};
};

/// Builds a Dataset return by return. Unparseable values keep their raw text, as the loaders do.
class DatasetBuilder {
public:
  DatasetBuilder() { data_.available = needs_census; }

  DatasetBuilder& school_return(std::string laestab, std::string reference_date = "2025-01-16",
                                std::string term = "SPR") {
    CensusReturn r;
    r.laestab = laestab;
    r.lea = laestab.substr(0, 3);
    r.estab = laestab.size() == 7 ? laestab.substr(3) : std::string();
    r.term = parse_term(term);
    r.reference_date = Date::parse(reference_date);
    r.year = r.reference_date ? std::optional<int>(r.reference_date->year()) : std::nullopt;
    r.first_pupil = static_cast<std::uint32_t>(data_.pupils.size());
    r.first_leaver = static_cast<std::uint32_t>(data_.leavers.size());
    r.source = {1, 1};
    data_.returns.push_back(r);
    return *this;
  }

  /// A pupil on roll, or a leaver when the spec has a leaving date. Pupils and leavers of a return may
  /// be added in any order.
  DatasetBuilder& pupil(const PupilSpec& s) {
    if (data_.returns.empty()) school_return("8881001");
    const bool leaver = !s.leaving_date.empty();
    auto& list = leaver ? data_.leavers : data_.pupils;
    const Entity entity = leaver ? Entity::leaver : Entity::pupil;
    Pupil p;
    p.leaver = leaver;
    const auto idx = static_cast<std::uint32_t>(list.size());
    p.census_return = static_cast<std::uint32_t>(data_.returns.size() - 1);
    p.source = {1, static_cast<std::uint32_t>(10 + data_.pupils.size() + data_.leavers.size())};
    p.upn = s.upn;
    p.dob = Date::parse(s.dob);
    if (!p.dob && !s.dob.empty()) data_.set_raw_value(entity, idx, Field::dob, s.dob);
    p.entry_date = Date::parse(s.entry_date);
    p.leaving_date = Date::parse(s.leaving_date);
    p.sex = s.sex.size() == 1 ? s.sex[0] : 0;
    p.enrol_status = parse_enrol_status(s.enrol);
    p.nc_year = NcYear::parse(s.nc_year);
    p.sen_provision = parse_sen_provision(s.sen);
    if (!p.sen_provision && !s.sen.empty()) data_.set_raw_value(entity, idx, Field::sen_provision, s.sen);
    if (!leaver) p.fsm_eligible = s.fsm;
    if (!s.former_upn.empty()) data_.set_raw_value(entity, idx, Field::former_upn, s.former_upn);
    p.first_need = static_cast<std::uint32_t>(data_.needs.size());
    for (const auto& [rank, type] : s.needs) {
      SenNeed n;
      n.rank = rank;
      n.type = parse_need_type(type);
      if (!n.type)
        data_.set_raw_value(Entity::need, static_cast<std::uint32_t>(data_.needs.size()), Field::need_type, type);
      data_.needs.push_back(n);
    }
    p.need_count = static_cast<std::uint8_t>(s.needs.size());
    p.first_exclusion = static_cast<std::uint32_t>(data_.exclusions.size());
    for (const auto& spec : s.exclusions) {
      std::vector<std::string> parts;
      for (std::size_t from = 0;;) {
        const auto colon = spec.find(':', from);
        parts.push_back(spec.substr(from, colon == std::string::npos ? std::string::npos : colon - from));
        if (colon == std::string::npos) break;
        from = colon + 1;
      }
      Exclusion e;
      e.category = parse_exclusion_category(parts[0]);
      e.start_date = Date::parse(parts.size() > 1 ? parts[1] : "2024-11-05");
      if (parts.size() > 2)
        e.sessions = parts[2] == "-" ? Count{} : Count(std::stoi(parts[2]));
      else if (e.category != ExclusionCategory::PERM)
        e.sessions = 1;
      if (parts.size() > 3) e.sen_provision = parse_sen_provision(parts[3]);
      e.source = p.source;
      data_.exclusions.push_back(e);
    }
    p.exclusion_count = static_cast<std::uint16_t>(s.exclusions.size());
    p.first_fsm = static_cast<std::uint32_t>(data_.fsm_periods.size());
    for (const auto& [start, end] : s.fsm_periods) {
      FsmPeriod f;
      f.start = Date::parse(start);
      f.end = Date::parse(end);
      f.country = *ShortCode::make("ENG");
      f.source = p.source;
      data_.fsm_periods.push_back(f);
    }
    p.fsm_count = static_cast<std::uint8_t>(s.fsm_periods.size());
    std::vector<AttendanceSpec> modules = s.attendance;
    if (s.sessions.any())
      modules.insert(
          modules.begin(),
          AttendanceSpec{
              AttendancePeriod::termly, s.sessions.possible, s.sessions.authorised, s.sessions.unauthorised, {}});
    p.first_attendance = static_cast<std::uint32_t>(data_.attendance.size());
    for (const auto& m : modules) {
      Attendance a;
      a.period = m.period;
      a.possible = m.possible;
      a.authorised_given = m.authorised;
      a.unauthorised_given = m.unauthorised;
      a.first_detail = static_cast<std::uint32_t>(data_.absence_sessions.size());
      a.line = p.source.line;
      std::int32_t auth = 0, unauth = 0;
      for (const auto& [code, n] : m.detail) {
        AbsenceSessions d;
        d.reason = ShortCode::make(code).value_or(ShortCode{});
        // The categories of the codes tests use, as schemas/census-codes.json has them (the testkit sees
        // only the SDK, not the host's code lists).
        static constexpr std::string_view authorised_codes[] = {"C", "E", "H",  "I",  "M", "R",
                                                                "S", "T", "C1", "C2", "J1"};
        static constexpr std::string_view unauthorised_codes[] = {"G", "N", "O", "U"};
        d.category = AbsenceCategory::unknown;
        for (auto c : authorised_codes)
          if (code == c) d.category = AbsenceCategory::authorised;
        for (auto c : unauthorised_codes)
          if (code == c) d.category = AbsenceCategory::unauthorised;
        d.sessions = n;
        if (d.category == AbsenceCategory::authorised) auth += n;
        if (d.category == AbsenceCategory::unauthorised) unauth += n;
        data_.absence_sessions.push_back(d);
      }
      a.detail_count = static_cast<std::uint16_t>(m.detail.size());
      a.has_detail = !m.detail.empty();
      a.authorised = a.has_detail ? Count(auth) : a.authorised_given;
      a.unauthorised = a.has_detail ? Count(unauth) : a.unauthorised_given;
      data_.attendance.push_back(a);
    }
    p.attendance_count = static_cast<std::uint8_t>(modules.size());
    list.push_back(p);
    last_was_leaver_ = leaver;
    ++(leaver ? data_.returns.back().leaver_count : data_.returns.back().pupil_count);
    return *this;
  }

  /// A register entry (schools.csv) for a school.
  DatasetBuilder& school(std::string laestab, Phase phase, Governance governance = Governance::maintained) {
    School s;
    s.laestab = std::move(laestab);
    s.phase = phase;
    s.governance = governance;
    data_.schools.push_back(std::move(s));
    data_.available |= needs_schools;
    return *this;
  }

  /// An EHC plan the LA holds for a UPN (issued 2023-06-01 unless said otherwise).
  DatasetBuilder& ehc_plan(std::string upn, std::string la_primary_need, std::string issued = "2023-06-01",
                           std::string ceased = "") {
    EhcCase c;
    c.case_id = "EH-" + std::to_string(data_.ehc_cases.size() + 1);
    c.upn = std::move(upn);
    c.request_date = Date::parse("2023-01-09");
    c.request_outcome = Decision::Y;
    c.assessment_outcome = Decision::Y;
    c.plan_issue_date = Date::parse(issued);
    c.plan_ceased_date = Date::parse(ceased);
    c.la_primary_need = parse_need_type(la_primary_need);
    data_.ehc_cases.push_back(std::move(c));
    data_.available |= needs_ehcp_cases;
    return *this;
  }

  /// An AP placement; dates and codes as text ("" for missing).
  DatasetBuilder& placement(std::string id, std::string upn, std::string start, std::string end = "",
                            std::string destination = "", std::string reason = "preventive", std::string planned = "",
                            std::string review = "", std::string home = "8884001") {
    ApPlacement p;
    p.placement_id = std::move(id);
    p.upn = std::move(upn);
    p.home_laestab = std::move(home);
    p.provider_urn = "100110";
    p.provider_name = "Brook Short Stay School";
    p.reason = parse_ap_reason(reason);
    p.start_date = Date::parse(start);
    p.end_date = Date::parse(end);
    p.destination = parse_ap_destination(destination);
    p.planned_end_date = Date::parse(planned);
    p.last_review_date = Date::parse(review);
    p.source = {3, static_cast<std::uint32_t>(data_.ap_placements.size() + 2)};
    data_.ap_placements.push_back(std::move(p));
    data_.available |= needs_ap_placements;
    return *this;
  }

  /// The previous census term, for term-on-term rules.
  DatasetBuilder& previous(Dataset before) {
    data_.previous = std::make_shared<const Dataset>(std::move(before));
    data_.available |= needs_previous;
    return *this;
  }

  /// The last pupil (or leaver) added, to set what PupilSpec does not cover (part_time, uln, sen_unit,
  /// ...): `.pupil({...}).with_last([](Pupil& p) { p.part_time = true; })`.
  template <typename Fn> DatasetBuilder& with_last(Fn&& fn) {
    const bool leaver = data_.leavers.size() && (data_.pupils.empty() || last_was_leaver_);
    fn(leaver ? data_.leavers.back() : data_.pupils.back());
    return *this;
  }
  /// The dataset being built, for records PupilSpec has no shorthand for (school-arranged AP,
  /// exclusion details, raw values): `.edit([](Dataset& d) { ... })`. Keep the per-pupil first_/count
  /// fields consistent when adding module records.
  template <typename Fn> DatasetBuilder& edit(Fn&& fn) {
    fn(data_);
    return *this;
  }

  Dataset build() {
    data_.build_indexes();
    return std::move(data_);
  }

private:
  Dataset data_;
  bool last_was_leaver_ = false;
};

/// Runs one rule over `data` and returns what it reported.
inline CollectSink run_rule(const Rule& rule, const Dataset& data, RunInfo run = {}, PluginConfig config = {}) {
  CollectSink sink;
  config = as_configured(config);
  RuleContext ctx{data, run, config, sink, *rule.info};
  rule.check(ctx);
  return sink;
}

/// Collects a plugin's messages (RunContext::log).
class CollectLog final : public Log {
public:
  void write(Level level, std::string_view message) override { messages.emplace_back(level, std::string(message)); }
  std::vector<std::pair<Level, std::string>> messages;
};

/// Everything one plugin run emitted.
struct PluginRun {
  std::vector<Finding> findings;
  std::map<std::string, std::string> skipped; ///< rule code -> why
  MetricsCollector metrics;                   ///< its figures and profile sections
  std::vector<std::pair<Log::Level, std::string>> log;
};

/// Runs a whole plugin as the host does: `config_json` (its censusqa.json section) checked against
/// the declared options and the defaults applied, then the plugin's check_config (a bad value throws
/// ConfigError, as the host refuses it with exit 2), then run() with `rules` as the LA's switches.
inline PluginRun run_plugin(RulePlugin& plugin, const Dataset& data, std::string config_json = "{}", RunInfo run = {},
                            RuleSwitches rules = {}) {
  const PluginInfo info = plugin.info();
  const PluginConfig config(std::string(info.id),
                            effective_options(info.options, option_detail::DefaultJson(config_json).parse(), info.id));
  plugin.check_config(config);
  CollectSink findings;
  CollectLog log;
  PluginRun out;
  RunContext ctx{data, run, config, findings, out.metrics, out.metrics, log, rules};
  plugin.run(ctx);
  out.findings = std::move(findings.findings);
  out.skipped = std::move(findings.skipped);
  out.log = std::move(log.messages);
  return out;
}

/// A RunInfo for LA 888, spring 2025.
inline RunInfo spring_2025(bool with_la = true) {
  RunInfo r;
  r.reference_date = Date::parse("2025-01-16");
  r.reference_date_configured = with_la;
  r.term = Term::SPR;
  r.year = 2025;
  if (with_la) r.la_code = "888";
  return r;
}

/// "RULE subject" lines for the findings, sorted: the exact set a test asserts.
inline std::vector<std::string> codes_and_subjects(const CollectSink& s) {
  std::vector<std::string> out;
  for (const auto& f : s.findings)
    out.push_back(f.rule + " " + f.subject);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace censusqa::testkit
