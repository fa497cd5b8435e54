// The DfE rule in the decide stage and in every output (issue 20): a finding's DfE rule filled, checked
// and kept through a merge, COLLECT's severity decided once, findings.json and findings.csv carrying both,
// and the catalogue of DfE rules consistent with the shipped plugins and the loader.
#include "dfe/catalogue.hpp"
#include "engine/engine.hpp"
#include "engine/plugin_host.hpp"
#include "fixtures.hpp"
#include "load/dfe_fields.hpp"
#include "report/findings_writer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

using namespace censusqa;
using namespace censusqa::engine;
using censusqa::report::IdentifiedFinding;
using censusqa::testkit::TempDir;
namespace fs = std::filesystem;

namespace {

RuleMeta rule_naming(std::string dfe_rule, DfeMatch match = DfeMatch::exact) {
  RuleMeta m;
  m.code = "DFE1520";
  m.plugin = "dfe-census";
  m.dfe_rule = std::move(dfe_rule);
  m.dfe_match = match;
  return m;
}

IdentifiedFinding found(std::string id, std::string plugin, std::string subject,
                        std::vector<std::pair<std::string, std::string>> values, std::string dfe_rule = {}) {
  IdentifiedFinding x;
  x.id = std::move(id);
  x.finding.rule = x.id.substr(0, x.id.find(':'));
  x.finding.plugin = std::move(plugin);
  x.finding.severity = Severity::error;
  x.finding.laestab = "8881001";
  x.finding.upn = "A888100119001";
  x.finding.subject = std::move(subject);
  x.finding.values = std::move(values);
  x.finding.message = "message";
  x.finding.dfe_rule = std::move(dfe_rule);
  return x;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST_CASE("decide: a plugin's finding carries the one DfE rule its rule names, and only one it names") {
  SECTION("a rule naming one: the host fills it when the plugin built the Finding itself") {
    Finding f;
    fill_dfe_rule(f, rule_naming("1520"));
    CHECK(f.dfe_rule == "1520");
  }
  SECTION("a rule naming several: the finding's own choice (RuleContext::for_dfe) is kept") {
    Finding f;
    f.dfe_rule = "2582";
    fill_dfe_rule(f, rule_naming("2530, 2582"));
    CHECK(f.dfe_rule == "2582");
  }
  SECTION("a rule naming several, and a finding naming none: the host cannot choose, so none") {
    Finding f;
    fill_dfe_rule(f, rule_naming("2530, 2582"));
    CHECK(f.dfe_rule.empty());
  }
  SECTION("a number its rule does not name is cleared: no output shows a DfE rule the rule does not declare") {
    Finding f;
    f.dfe_rule = "1530";
    fill_dfe_rule(f, rule_naming("2530, 2582"));
    CHECK(f.dfe_rule.empty());
    f.dfe_rule = "1530";
    fill_dfe_rule(f, rule_naming("")); // an LA-level check
    CHECK(f.dfe_rule.empty());
    f.dfe_rule = "253"; // a prefix of a named number is not that number
    fill_dfe_rule(f, rule_naming("2530"));
    CHECK(f.dfe_rule == "2530");
  }
}

TEST_CASE("decide: a loader's finding merged into a rule's keeps the rule's DfE rule, or gives its own") {
  SECTION("the rule names one: it stays") {
    std::vector<IdentifiedFinding> all{
        found("DFE2120:8881001:A888100119001", "dfe-census", "A888100119001", {{"SENprovision", "S"}}, "2115"),
        found("IN004:8881001:A888100119001.SENprovision", "core", "A888100119001.SENprovision",
              {{"field", "SENprovision"}, {"value", "S"}}, "2120")};
    merge_same_problem(all);
    REQUIRE(all.size() == 1);
    CHECK(all[0].codes() == "IN004, DFE2120");
    CHECK(all[0].finding.dfe_rule == "2115");
    REQUIRE(all[0].merged.size() == 1);
    CHECK(all[0].merged[0].finding.dfe_rule == "2120"); // the loader's own, under its id
  }
  SECTION("the rule names none (an LA-level check): the merged finding takes the loader's") {
    std::vector<IdentifiedFinding> all{
        found("CI008:8881001:A888100119001", "census-integrity", "A888100119001", {{"SENprovision", "S"}}),
        found("IN004:8881001:A888100119001.SENprovision", "core", "A888100119001.SENprovision",
              {{"field", "SENprovision"}, {"value", "S"}}, "2120")};
    merge_same_problem(all);
    REQUIRE(all.size() == 1);
    CHECK(all[0].finding.rule == "CI008");
    CHECK(all[0].finding.dfe_rule == "2120");
  }
  SECTION("edge: neither has one: none") {
    std::vector<IdentifiedFinding> all{
        found("CI008:8881001:A888100119001", "census-integrity", "A888100119001", {{"SENprovision", "S"}}),
        found("IN004:8881001:A888100119001.SENprovision", "core", "A888100119001.SENprovision",
              {{"field", "SENprovision"}, {"value", "S"}})};
    merge_same_problem(all);
    REQUIRE(all.size() == 1);
    CHECK(all[0].finding.dfe_rule.empty());
  }
}

TEST_CASE("decide: COLLECT's severity is the catalogue's for the finding's DfE rule, else none") {
  Finding f;
  CHECK_FALSE(decide_collect(f).has_value());
  f.dfe_rule = "1520"; // two records share a UPN: an error in COLLECT
  CHECK(decide_collect(f) == Severity::error);
  f.dfe_rule = "1870"; // fewer than 95% sole registrations: a query
  CHECK(decide_collect(f) == Severity::query);
  f.dfe_rule = "TonT4B";
  CHECK(decide_collect(f) == Severity::query);
  f.dfe_rule = "9999"; // well formed, but the catalogue does not know it
  CHECK_FALSE(decide_collect(f).has_value());
  // The finding's own severity (an LA may re-grade the rule) does not change the DfE's.
  f.dfe_rule = "1520";
  f.severity = Severity::info;
  CHECK(decide_collect(f) == Severity::error);
}

TEST_CASE("findings.json and findings.csv: dfe_rule and collect on every finding, null or empty when none") {
  TempDir dir;
  Dataset data;
  data.files.emplace_back(); // index 0: no file
  std::vector<IdentifiedFinding> all{
      found("DFE1520:8881001:A888100119001", "dfe-census", "A888100119001", {{"UPN", "A888100119001"}}, "1520"),
      found("CI005::A888100119001", "census-integrity", "A888100119001", {})};
  all[0].collect = Severity::error;
  all[0].merged.push_back({"IN004:8881001:A888100119001.UPN", all[0].finding});
  all[0].merged[0].finding.rule = "IN004";
  all[0].merged[0].finding.dfe_rule = "1510";
  report::RunSummary summary;
  summary.started = "2025-01-16T09:00:00Z";
  report::write_findings_json(dir.path() / "findings.json", summary, data, all);
  const std::string json = read_all(dir.path() / "findings.json");
  CHECK_THAT(json, Catch::Contains("\"codes\": \"IN004, DFE1520\", \"dfe_rule\": \"1520\", \"collect\": \"error\""));
  CHECK_THAT(json, Catch::Contains("\"values\": {\"UPN\": \"A888100119001\"}, \"dfe_rule\": \"1510\"}]"));
  CHECK_THAT(json, Catch::Contains("\"codes\": \"CI005\", \"dfe_rule\": null, \"collect\": null"));

  report::write_findings_csv(dir.path() / "findings.csv", data, all);
  std::istringstream csv(read_all(dir.path() / "findings.csv"));
  std::string header, first, second;
  std::getline(csv, header);
  std::getline(csv, first);
  std::getline(csv, second);
  // The existing columns keep their order; the DfE's come last.
  CHECK(header == "\xEF\xBB\xBFid,rule,severity,plugin,scope,laestab,upn,subject,file,line,message,values,explanation,"
                  "who_acts,codes,merged_ids,shown_to,dfe_rule,collect\r");
  CHECK_THAT(first, Catch::EndsWith(",IN004:8881001:A888100119001.UPN,,1520,error\r"));
  CHECK_THAT(second, Catch::EndsWith(",CI005,,,,\r"));
}

TEST_CASE("the DfE rule catalogue: well-formed ids, known groups and severities, no id twice") {
  std::set<std::string_view> ids, groups;
  for (const auto& g : dfe::groups())
    groups.insert(g.id);
  for (const auto& e : dfe::catalogue()) {
    INFO(e.id);
    CHECK(is_valid_dfe_rule(e.id));
    CHECK(ids.insert(e.id).second);
    CHECK(groups.count(e.group));
    CHECK(e.severity != Severity::info); // COLLECT has errors and queries only
    CHECK_FALSE(e.meaning.empty());
    CHECK(dfe::find(e.id) == &e);
  }
  CHECK(dfe::find("0000") == nullptr);
}

TEST_CASE("dfe_coverage: the loaded rules' DfE numbers and the loader's, as `censusqa rules --dfe` shows them") {
  PluginHost host;
  host.load_file(CENSUSQA_PLUGIN_DIR "/dfe-census.so");
  REQUIRE(host.errors().empty());
  const auto cover = dfe_coverage(host);
  // DFE1940, the plugin's exemplar, covers 1940 exactly.
  REQUIRE(cover.count("1940"));
  const auto& by = cover.at("1940");
  CHECK(std::any_of(by.begin(), by.end(), [](const DfeCover& c) {
    return c.code == "DFE1940" && c.plugin == "dfe-census" && !c.loader && c.match == DfeMatch::exact;
  }));
  CHECK(DfeCover{"DFE1940", "dfe-census", DfeMatch::exact, false, {}}.text() == "DFE1940 (exact, dfe-census)");
  CHECK(DfeCover{"IN004", "core", DfeMatch::exact, true, "NCyearActual"}.text() == "IN004 (loader, NCyearActual)");
  // Every loader entry is listed as the loader's (passes empty today; checks helper F's list once merged).
  for (const auto& l : load::loader_dfe_rules()) {
    INFO(l.dfe_rule << " " << l.input_rule << " " << l.field);
    REQUIRE(cover.count(std::string(l.dfe_rule)));
    const auto& list = cover.at(std::string(l.dfe_rule));
    CHECK(std::any_of(list.begin(), list.end(),
                      [&](const DfeCover& c) { return c.loader && c.code == l.input_rule && c.field == l.field; }));
    CHECK((l.input_rule == "IN003" || l.input_rule == "IN004"));
  }
}

// Fails until the rule helpers' branches are merged (the catalogue names rules they write): the lead
// merges and runs it. It loads the plugins installed with censusqa, as a run does.
TEST_CASE("the DfE rule catalogue agrees with the shipped plugins and the loader") {
  PluginHost host;
  host.load_directory(CENSUSQA_PLUGIN_DIR);
  REQUIRE(host.errors().empty());
  const auto cover = dfe_coverage(host);
  for (const auto& e : dfe::catalogue()) {
    INFO("DfE rule " << e.id << " (" << e.group << "): " << e.meaning);
    if (e.uncovered.empty())
      CHECK(cover.count(std::string(e.id))); // no reason given: some loaded rule or the loader covers it
    else
      CHECK_FALSE(cover.count(std::string(e.id))); // a reason given: nothing covers it
  }
  for (const auto& [id, list] : cover) {
    INFO("DfE rule " << id << " named by " << list.front().code);
    CHECK(dfe::find(id) != nullptr); // every number a rule names is in the catalogue
  }
}
