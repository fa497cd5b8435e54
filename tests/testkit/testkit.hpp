// Test helpers for rule tests: build a tiny Dataset in a few lines, run one rule over it, and
// get back exactly the findings it raised. Uses only the public SDK, like a plugin.
#pragma once

#include <censusqa/censusqa.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
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

/// Runs one metric producer over `data` and returns what it published.
inline MetricsCollector run_metrics(const MetricProducer& producer, const Dataset& data, RunInfo run,
                                    PluginConfig config = {}) {
  CollectSink findings;
  MetricsCollector metrics;
  RunContext ctx{data, run, config, findings, metrics, metrics};
  producer.compute(ctx);
  return metrics;
}

/// A pupil as a test writes it: every field a string, as it would appear in a return.
struct PupilSpec {
  std::string upn = "A888100119001";
  std::string dob = "2015-03-02";
  std::string enrol = "C";
  std::string nc_year = "4";
  std::string sen = "N";
  std::vector<std::pair<int, std::string>> needs; ///< rank, type
  std::vector<std::string> exclusions;            ///< categories, dated 2024-11-05, 1 session
  bool fsm = false;
  std::optional<std::array<int, 3>> sessions; ///< possible, authorised, unauthorised
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
    r.term = parse_term(term);
    r.reference_date = Date::parse(reference_date);
    r.year = r.reference_date ? std::optional<int>(r.reference_date->year()) : std::nullopt;
    r.first_pupil = static_cast<std::uint32_t>(data_.pupils.size());
    r.source = {1, 1};
    data_.returns.push_back(r);
    return *this;
  }

  DatasetBuilder& pupil(const PupilSpec& s) {
    if (data_.returns.empty()) school_return("8881001");
    Pupil p;
    const auto idx = static_cast<std::uint32_t>(data_.pupils.size());
    p.census_return = static_cast<std::uint32_t>(data_.returns.size() - 1);
    p.source = {1, static_cast<std::uint32_t>(10 + idx)};
    p.upn = s.upn;
    p.dob = Date::parse(s.dob);
    if (!p.dob && !s.dob.empty()) data_.set_raw_value(Entity::pupil, idx, Field::dob, s.dob);
    p.enrol_status = parse_enrol_status(s.enrol);
    p.nc_year = NcYear::parse(s.nc_year);
    p.sen_provision = parse_sen_provision(s.sen);
    if (!p.sen_provision && !s.sen.empty()) data_.set_raw_value(Entity::pupil, idx, Field::sen_provision, s.sen);
    p.fsm_eligible = s.fsm;
    if (s.sessions) p.attendance = {(*s.sessions)[0], (*s.sessions)[1], (*s.sessions)[2]};
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
    for (const auto& spec : s.exclusions) { // "SUSP", or "PERM:2024-11-04" with a start date
      const auto colon = spec.find(':');
      const std::string cat = spec.substr(0, colon);
      Exclusion e;
      e.category = parse_exclusion_category(cat);
      e.start_date = Date::parse(colon == std::string::npos ? "2024-11-05" : spec.substr(colon + 1));
      e.sessions = 1;
      data_.exclusions.push_back(e);
    }
    p.exclusion_count = static_cast<std::uint16_t>(s.exclusions.size());
    data_.pupils.push_back(p);
    ++data_.returns.back().pupil_count;
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

  Dataset build() {
    data_.build_indexes();
    return std::move(data_);
  }

private:
  Dataset data_;
};

/// Runs one rule over `data` and returns what it reported.
inline CollectSink run_rule(const Rule& rule, const Dataset& data, RunInfo run = {}, PluginConfig config = {}) {
  CollectSink sink;
  RuleContext ctx{data, run, config, sink, *rule.info};
  rule.check(ctx);
  return sink;
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
