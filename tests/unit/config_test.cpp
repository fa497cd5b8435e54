// censusqa.json beyond its syntax: the "rules" section (codes, patterns, precedence, refusals), the
// "plugins" section, the declared defaults applied with and without a file, and config --dump.
#include "engine/config.hpp"
#include "engine/plugin_host.hpp"
#include "fixtures.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::engine;
using censusqa::testkit::TempDir;

namespace {

std::vector<RuleMeta> sample_rules() {
  std::vector<RuleMeta> out;
  for (const auto& [code, plugin, severity] : {std::tuple{"IN003", "core", Severity::error},
                                               {"PN010", "primary-need", Severity::query},
                                               {"PN011", "primary-need", Severity::query},
                                               {"PN012", "primary-need", Severity::query},
                                               {"CI001", "census-integrity", Severity::error},
                                               {"CI010", "census-integrity", Severity::query}}) {
    RuleMeta m;
    m.code = code;
    m.plugin = plugin;
    m.severity = severity;
    out.push_back(m);
  }
  return out;
}

std::vector<LaConfig::RuleOverride> resolve(const std::string& json) {
  static const std::vector<RuleMeta> rules = sample_rules();
  std::vector<const RuleMeta*> all;
  for (const auto& r : rules)
    all.push_back(&r);
  return resolve_rules(parse_json_value(json, "c.json"), all, "c.json");
}

std::string error_of(const std::string& json) {
  try {
    (void)resolve(json);
  } catch (const ConfigFileError& e) {
    return e.what();
  }
  return "no error";
}

std::vector<std::string> lines(const std::vector<LaConfig::RuleOverride>& v) {
  std::vector<std::string> out;
  for (const auto& o : v)
    out.push_back(o.rule + " " + std::string(name(o.declared)) + "->" + o.setting + " by " + o.by);
  return out;
}

} // namespace

TEST_CASE("rules: codes and patterns, an exact code beating a pattern and a longer pattern a shorter one") {
  CHECK(lines(resolve(R"({"PN010": "off", "CI010": "error"})")) ==
        std::vector<std::string>{"PN010 query->off by PN010", "CI010 query->error by CI010"});
  CHECK(
      lines(resolve(R"({"PN01*": "off", "PN011": "info"})")) ==
      std::vector<std::string>{"PN010 query->off by PN01*", "PN011 query->info by PN011", "PN012 query->off by PN01*"});
  CHECK(lines(resolve(R"({"PN*": "info", "PN01?": "off"})")) == std::vector<std::string>{"PN010 query->off by PN01?",
                                                                                         "PN011 query->off by PN01?",
                                                                                         "PN012 query->off by PN01?"});
  CHECK(lines(resolve(R"({"IN003": "query", "C*": "info", "CI001": "error"})")) ==
        std::vector<std::string>{"IN003 error->query by IN003", "CI010 query->info by C*"});
  CHECK(resolve(R"({"PN010": "query"})").empty()); // its declared severity: nothing to record
  CHECK(resolve("{}").empty());
}

TEST_CASE("rules: an unknown code, a pattern matching nothing, a bad setting, a core rule off and a tie") {
  CHECK(error_of(R"({"PN0100": "off"})") ==
        R"(c.json: rules.PN0100: unknown rule "PN0100" (no loaded plugin declares it); did you mean "PN010"?)");
  CHECK(error_of(R"({"XY9*": "off"})") ==
        R"(c.json: rules.XY9*: the pattern "XY9*" matches no loaded rule; `censusqa rules` lists the rules)");
  CHECK(error_of(R"({"PN010": "warning"})") ==
        R"(c.json: rules.PN010: "warning" was given; expected one of "off", "error", "query", "info")");
  CHECK(error_of(R"({"PN010": false})") ==
        R"(c.json: rules.PN010: false was given; expected one of "off", "error", "query", "info")");
  CHECK_THAT(error_of(R"({"IN003": "off"})"),
             Catch::StartsWith("c.json: rules.IN003: \"off\" was given, but IN003 is a core input rule and cannot be "
                               "turned off: it reports data that was not read"));
  CHECK_THAT(error_of(R"({"*": "off"})"), Catch::Contains("(or make the pattern leave out the IN rules)"));
  CHECK(error_of(R"({"PN01*": "off", "PN0*1": "info"})") ==
        R"(c.json: rules: "PN0*1": "info" and "PN01*": "off" both set PN011 and neither is more specific; give )"
        R"(the rule its own entry or make one pattern longer)");
  CHECK(error_of(R"({"PN01*": "off", "PN0*1": "off"})") == "no error"); // the same setting: no conflict
  CHECK_THAT(error_of(R"(["PN010"])"), Catch::StartsWith("c.json: rules: [\"PN010\"] was given; expected an object"));
}

TEST_CASE("configuration: the declared defaults are applied with no section and with no file") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/throwing/throwing.so");
  REQUIRE(host.errors().empty());
  const LaConfig none = read_config(std::nullopt, host);
  CHECK(none.path.empty());
  CHECK(none.sections.at("throwing").find("threshold")->as_int() == 1);
  TempDir dir;
  const LaConfig empty = read_config(dir.write("c.json", R"({"la_code": "888"})"), host);
  CHECK(empty.sections.at("throwing").find("threshold")->as_int() == 1);
  try {
    (void)read_config(dir.write("bad.json", R"({"throwing": {"threshold": "ten"}})"), host);
    FAIL("no error");
  } catch (const ConfigFileError& e) {
    CHECK(std::string(e.what()) ==
          (dir.path() / "bad.json").string() + R"(: throwing.threshold: "ten" was given; expected a whole number)");
  }
}

TEST_CASE("configuration: \"plugins\" takes isolate and timeout_seconds") {
  PluginHost host;
  TempDir dir;
  const LaConfig c =
      read_config(dir.write("c.json", R"({"plugins": {"isolate": "all", "timeout_seconds": 60}})"), host);
  CHECK(c.plugins.isolate == Isolation::all);
  CHECK(c.plugins.timeout_seconds == 60);
  CHECK_FALSE(read_config(std::nullopt, host).plugins.isolate);
  auto fails_with = [&](const std::string& json) {
    try {
      (void)read_config(dir.write("p.json", json), host);
    } catch (const ConfigFileError& e) {
      return std::string(e.what()).substr((dir.path() / "p.json").string().size() + 2);
    }
    return std::string("no error");
  };
  CHECK(fails_with(R"({"plugins": {"isolate": "some"}})") ==
        R"(plugins.isolate: "some" was given; expected one of "out-of-tree", "all", "none")");
  CHECK(fails_with(R"({"plugins": {"timeout_seconds": 0}})") ==
        "plugins.timeout_seconds: 0 was given; expected a whole number from 1 to 86400");
  CHECK(fails_with(R"({"plugins": {"timeout_seconds": 1.5}})") ==
        "plugins.timeout_seconds: 1.5 was given; expected a whole number from 1 to 86400");
  CHECK(fails_with(R"({"plugins": {"timeout_second": 10}})") ==
        R"(unknown key "plugins.timeout_second"; did you mean "timeout_seconds"?)");
}

TEST_CASE("config --dump: the effective configuration is itself a censusqa.json that reads back the same") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/throwing/throwing.so");
  TempDir dir;
  const LaConfig c = read_config(
      dir.write("c.json", R"({"term": "SPR", "elsewhere": {"x": [1, 2.5]}, "plugins": {"isolate": "none"}})"), host);
  const std::string dumped = dump_config(c);
  CHECK(dumped == "{\n  \"term\": \"SPR\",\n  \"plugins\": {\n    \"isolate\": \"none\",\n    \"timeout_seconds\": "
                  "600\n  },\n  \"throwing\": {\n"
                  "    \"threshold\": 1\n  },\n  \"elsewhere\": {\n    \"x\": [1, 2.5]\n  }\n}\n");
  const LaConfig again = read_config(dir.write("d.json", dumped), host);
  CHECK(dump_config(again) == dumped);
}

TEST_CASE("a plugin whose declared default fails its own declaration is refused at load") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/bad_option/bad_option.so");
  REQUIRE(host.errors().size() == 1);
  CHECK_THAT(host.errors()[0].message,
             Catch::EndsWith("bad_option.so: option \"share\": its default does not meet its own declaration: "
                             "bad-option.share: 150 was given; expected a number of at most 100"));
  CHECK(host.plugins().empty());
}

TEST_CASE("configuration: ap_placements_from and ehc_cases_from choose a source, and refuse anything else") {
  PluginHost host;
  TempDir dir;
  CHECK_FALSE(read_config(dir.write("none.json", R"({"la_code": "888"})"), host).ap_placements_from_csv);
  CHECK(read_config(dir.write("csv.json", R"({"ap_placements_from": "csv"})"), host).ap_placements_from_csv);
  CHECK_FALSE(
      read_config(dir.write("xml.json", R"({"ap_placements_from": "ap_census"})"), host).ap_placements_from_csv);
  CHECK(read_config(dir.write("ehc.json", R"({"ehc_cases_from": "csv"})"), host).ehc_cases_from_csv);
  try {
    (void)read_config(dir.write("bad.json", R"({"ap_placements_from": "xml"})"), host);
    FAIL("no error");
  } catch (const ConfigFileError& e) {
    CHECK(std::string(e.what()).find("ap_placements_from") != std::string::npos);
    CHECK(std::string(e.what()).find("must be \"ap_census\" or \"csv\", not \"xml\"") != std::string::npos);
  }
}
