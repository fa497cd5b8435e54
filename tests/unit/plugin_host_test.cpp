// The plugin host: loading, the SDK version handshake, refusals, and configuration validation.
#include "engine/config.hpp"
#include "engine/plugin_host.hpp"
#include "fixtures.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::engine;
using censusqa::testkit::TempDir;
namespace fs = std::filesystem;

TEST_CASE("the census-integrity plugin loads with its metadata") {
  PluginHost host;
  host.load_file(CENSUSQA_PLUGIN_DIR "/census-integrity.so");
  REQUIRE(host.errors().empty());
  REQUIRE(host.plugins().size() == 1);
  const auto& p = *host.plugins()[0];
  CHECK(p.id == "census-integrity");
  CHECK(p.sdk_major == CENSUSQA_SDK_VERSION_MAJOR);
  CHECK(p.rules.size() == 20);
  REQUIRE(host.find_rule("ci002"));
  CHECK(host.find_rule("CI002")->severity == Severity::error);
  CHECK(host.find_rule("IN003")->plugin == "core");
  CHECK(host.all_rules().size() == 20 + 20); // the input rules, IN001 to IN018, IN090 and IN091
}

TEST_CASE("a plugin built against another SDK major version is refused, naming the file and both versions") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/wrong_sdk/wrong_sdk.so"); // its factory aborts if called
  CHECK(host.plugins().empty());
  REQUIRE(host.errors().size() == 1);
  const std::string& m = host.errors()[0].message;
  // The full path: of several copies of a plugin, the one refused.
  CHECK_THAT(m,
             Catch::StartsWith(CENSUSQA_TEST_PLUGIN_DIR "/wrong_sdk/wrong_sdk.so was built with SDK 99.0, gcc 12, "
                                                        "libstdc++ 12: a different SDK major version; expected SDK " +
                               std::to_string(CENSUSQA_SDK_VERSION_MAJOR) + ".0" +
                               (CENSUSQA_SDK_VERSION_MINOR > 0 ? " to " + std::to_string(CENSUSQA_SDK_VERSION_MAJOR) +
                                                                     "." + std::to_string(CENSUSQA_SDK_VERSION_MINOR)
                                                               : std::string()) +
                               " and "));
  CHECK_THAT(m, Catch::Contains("(this censusqa " + std::string(CENSUSQA_VERSION_STRING) + " was built with "));
}

TEST_CASE("a plugin built with another C++ standard library is refused before its factory runs") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/other_stdlib/other_stdlib.so"); // its factory aborts if called
  CHECK(host.plugins().empty());
  REQUIRE(host.errors().size() == 1);
  CHECK_THAT(host.errors()[0].message,
             Catch::StartsWith(CENSUSQA_TEST_PLUGIN_DIR "/other_stdlib/other_stdlib.so was built with SDK " +
                               std::to_string(CENSUSQA_SDK_VERSION_MAJOR) + "." +
                               std::to_string(CENSUSQA_SDK_VERSION_MINOR) +
                               ", clang 16, libc++ 160000: another C++ standard library; expected"));
}

TEST_CASE("descriptor checks: layout, newer minor, newer standard library") {
  PluginDescriptor d{
      plugin_magic, sizeof(PluginDescriptor), CENSUSQA_SDK_VERSION_MAJOR, CENSUSQA_SDK_VERSION_MINOR, {}, {}, {}, {}};
  detail::copy_text(d.stdlib, detail::stdlib_id);
  CHECK(check_descriptor(&d).empty());
  d.sdk_minor = CENSUSQA_SDK_VERSION_MINOR + 1;
  CHECK_THAT(check_descriptor(&d), Catch::Contains("a newer SDK than this censusqa provides"));
  d.sdk_minor = 0;
  detail::copy_text(d.stdlib, "libstdc++ 99");
  CHECK_THAT(check_descriptor(&d), Catch::Contains("a newer C++ standard library"));
  d.size = 12;
  CHECK_THAT(check_descriptor(&d), Catch::Contains("cannot read"));
  CHECK_THAT(check_descriptor(nullptr), Catch::Contains("cannot read"));
}

TEST_CASE("a library that is not a plugin, a missing file, and a duplicate rule code are refused") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/not_a_plugin/not_a_plugin.so");
  host.load_file("/nonexistent/plugin.so");
  host.load_file(CENSUSQA_PLUGIN_DIR "/census-integrity.so");
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/duplicate_code/duplicate_code.so");
  REQUIRE(host.errors().size() == 3);
  CHECK_THAT(host.errors()[0].message, Catch::Contains("not_a_plugin.so is not a censusqa plugin"));
  CHECK_THAT(host.errors()[1].message,
             Catch::StartsWith("/nonexistent/plugin.so could not be loaded as a shared library"));
  CHECK(host.errors()[2].message == CENSUSQA_TEST_PLUGIN_DIR
        "/duplicate_code/duplicate_code.so: rule code CI001 is already declared by plugin "
        "'census-integrity'; rule codes must be unique across plugins");
  CHECK(host.plugins().size() == 1);
}

TEST_CASE("a rule code that is not valid, and a code listed twice in one plugin, are refused") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/bad_code/bad_code.so");
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/code_twice/code_twice.so");
  CHECK(host.plugins().empty());
  REQUIRE(host.errors().size() == 2);
  CHECK(host.errors()[0].message == CENSUSQA_TEST_PLUGIN_DIR
        "/bad_code/bad_code.so: rule code 'prb1' is not valid: a rule code is 2 to 4 capital letters and 3 "
        "or 4 digits, e.g. ATT003");
  CHECK(host.errors()[1].message == CENSUSQA_TEST_PLUGIN_DIR "/code_twice/code_twice.so: rule code TW001 is listed "
                                                             "twice in the plugin; each rule has its own code");
  CHECK(host.find_rule("TW001") == nullptr);
}

TEST_CASE("metric names: a plugin owns what it declares, or <id>., a name of the core's or another plugin's is "
          "refused at load") {
  PluginHost host;
  host.load_file(CENSUSQA_PLUGIN_DIR "/census-integrity.so");
  host.load_file(CENSUSQA_PLUGIN_DIR "/ap-reintegration.so");
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/need_prefix/need_prefix.so");
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/metric_clash/metric_clash.so");
  REQUIRE(host.plugins().size() == 2);
  REQUIRE(host.errors().size() == 2);
  CHECK(host.errors()[0].message == CENSUSQA_TEST_PLUGIN_DIR
        "/need_prefix/need_prefix.so: the metric prefix 'need.' overlaps the core's "
        "'need.': the core's metrics (docs/metrics.md) are not a plugin's to write; declare "
        "names of your own (metric_names, e.g. \"need-prefix.\")");
  CHECK_THAT(host.errors()[1].message,
             Catch::StartsWith(CENSUSQA_TEST_PLUGIN_DIR "/metric_clash/metric_clash.so: the metric name "
                                                        "'ap.pupils_placed' overlaps 'ap.' of plugin "
                                                        "'ap-reintegration' ("));
  const auto& ci = *host.plugins()[0];
  CHECK(ci.metric_names == std::vector<std::string>{"census-integrity."}); // declares none
  CHECK(ci.owns_metric("census-integrity.x"));
  CHECK_FALSE(ci.owns_metric("census-integrityx"));
  CHECK(host.metric_owner("ap.sustained") == "ap-reintegration");
  CHECK(host.metric_owner("ap") == "ap-reintegration");
  CHECK(host.metric_owner("attendance_pupils") == "core");
  CHECK(host.metric_owner("findings.error") == "core");
  CHECK(host.metric_owner("nobody.x").empty());
  std::error_code ec; // from the build tree, the test binary's <exe>/../lib/censusqa/plugins is the plugins'
  CHECK(ci.installed_with_censusqa() == fs::equivalent(CENSUSQA_PLUGIN_DIR, default_plugin_dir(), ec));
}

TEST_CASE("configuration: unknown keys are errors naming the nearest valid key") {
  PluginHost host;
  host.load_file(CENSUSQA_TEST_PLUGIN_DIR "/throwing/throwing.so");
  TempDir dir;
  auto fails_with = [&](const std::string& json) {
    try {
      read_config(dir.write("c.json", json), host);
    } catch (const ConfigFileError& e) {
      return std::string(e.what()).substr((dir.path() / "c.json").string().size() + 2);
    }
    return std::string("no error");
  };
  CHECK(fails_with(R"({"la_cod": "888"})") == "unknown key \"la_cod\"; did you mean \"la_code\"?");
  CHECK(fails_with(R"({"la_code": "88"})") == "la_code must be the 3-digit LA number, not \"88\"");
  CHECK(fails_with(R"({"reference_date": "16/01/2025x"})") ==
        "reference_date must be a date as YYYY-MM-DD, not \"16/01/2025x\"");
  CHECK(fails_with(R"({"throwing": {"threshhold": 3}})") ==
        "unknown key \"throwing.threshhold\"; did you mean \"threshold\"?");
  CHECK(fails_with(R"({"la_code": )").rfind("not valid JSON", 0) == 0);
  CHECK(fails_with(R"({"replies": {"deadlin": "2025-02-14"}})") ==
        "unknown key \"replies.deadlin\"; did you mean \"deadline\"?");
  CHECK(fails_with(R"({"replies": {"deadline": "2025-02-30"}})") ==
        "replies.deadline must be a date as YYYY-MM-DD, not \"2025-02-30\"");
  CHECK(fails_with(R"({"replies": "soon"})").rfind("replies must be an object", 0) == 0);
  CHECK(fails_with(R"({"replies": {"contact": ")" + std::string(201, 'x') + R"("}})") ==
        "replies.contact must be at most 200 characters");
  const auto replies = read_config(
      dir.write("r.json", R"({"replies": {"deadline": "2025-02-14", "contact": "Census team, 01632 960000"}})"), host);
  CHECK(replies.replies.deadline == Date::parse("2025-02-14"));
  CHECK(replies.replies.contact == "Census team, 01632 960000");
  const auto ok = read_config(dir.write("ok.json", R"({"la_code": "888", "term": "spr", "throwing": {"threshold": 3},
                                                       "clawback": {"floor": 25000}})"),
                              host);
  CHECK(ok.run.la_code == "888");
  CHECK(ok.run.term == Term::SPR);
  CHECK(ok.sections.at("throwing").find("threshold")->as_int() == 3);
  CHECK(ok.warnings ==
        std::vector<std::string>{"configuration section \"clawback\" is for a plugin that is not loaded; ignored"});
}

TEST_CASE("censusqa.json: a BOM is read, comments, trailing commas and a key twice are errors with their place") {
  auto error = [](const std::string& text) {
    try {
      (void)parse_json_value(text, "censusqa.json");
    } catch (const ConfigFileError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const ConfigValue v = parse_json_value("\xEF\xBB\xBF{\"term\": \"SPR\"}", "censusqa.json");
  CHECK(v.find("term")->as_string() == "SPR");
  CHECK(error("{\n  \"la_code\": \"888\",\n  // the LA\n  \"term\": \"SPR\"\n}") ==
        "censusqa.json: not valid JSON: line 3, column 3: a comment is not allowed in JSON (remove it)");
  CHECK(error("{\n  \"term\": \"SPR\",\n}") == "censusqa.json: not valid JSON: line 3, column 1: expected a key in "
                                               "double quotes after ',' (a trailing comma is not allowed in JSON)");
  CHECK(error("[1, 2,]").find("line 1, column 7: expected a value after ','") != std::string::npos);
  CHECK(error("{\n  \"term\": \"SPR\",\n  \"la_code\": \"888\",\n  \"term\": \"AUT\"\n}") ==
        "censusqa.json: not valid JSON: line 4, column 3: the key \"term\" appears twice in this object (first on "
        "line 2); give each key once");
  CHECK(error("\xFF\xFE{\0}\0").find("UTF-16") != std::string::npos);
  CHECK(error(std::string(100, '[') + std::string(100, ']')).find("nested more than 64 levels") != std::string::npos);
  CHECK(error("{\"a\": \"\xFF\"}").find("column 8: the text is not UTF-8 here") != std::string::npos);
  CHECK(error("").find("line 1, column 1: the file is empty") != std::string::npos);
}
