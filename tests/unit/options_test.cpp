// censusqa/options.hpp: declared options checked and defaulted (the SDK function the host and the
// testkit share), and the checks of a declaration itself.
#include <censusqa/options.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace censusqa;

namespace {

ConfigValue json(std::string_view text) { return option_detail::DefaultJson(text).parse(); }

std::string error_of(std::span<const OptionInfo> options, std::string_view section) {
  try {
    (void)effective_options(options, json(section), "p");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

std::string declaration_error(std::span<const OptionInfo> options) {
  try {
    check_option_declarations(options, "p");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

constexpr OptionInfo options[] = {
    {.key = "alpha", .type = "number", .default_value = "0.001", .minimum = 0, .maximum = 1},
    {.key = "count", .type = "integer", .default_value = "10", .minimum = 1},
    {.key = "term", .type = "string", .default_value = "\"SPR\"", .allowed = "SPR, AUT,SUM"},
    {.key = "on", .type = "boolean", .default_value = "true"},
    {.key = "start", .type = "date"},
    {.key = "terms", .type = "array", .default_value = "[\"SPR\"]", .allowed = "SPR,AUT,SUM", .items = "string"},
    {.key = "holidays", .type = "array", .default_value = "[]", .items = "date"},
    {.key = "weeks", .type = "object", .default_value = "{\"a\": 1, \"b\": 2}", .minimum = 0, .items = "integer"},
    {.key = "free", .type = "object", .default_value = "{}"},
};

} // namespace

TEST_CASE("options: the declared defaults are applied where the LA gives none") {
  const ConfigValue out = effective_options(options, ConfigValue{}, "p");
  CHECK(out.find("alpha")->as_number() == 0.001);
  CHECK(out.find("count")->as_int() == 10);
  CHECK(out.find("term")->as_string() == "SPR");
  CHECK(out.find("on")->as_bool());
  CHECK(out.find("start") == nullptr); // no default: absent
  CHECK(out.find("terms")->as_array().size() == 1);
  CHECK(out.find("weeks")->find("b")->as_int() == 2);
  const PluginConfig pc("p", out);
  CHECK(pc.get_int("count") == 10);
  CHECK_THROWS_AS(pc.get_string("start"), ConfigError);
}

TEST_CASE("options: a configured value replaces the default, checked against its type") {
  const ConfigValue out = effective_options(
      options, json(R"({"alpha": 0.05, "count": 12.0, "start": "2026-01-05", "weeks": {"b": 7}, "free": {"x": 1}})"),
      "p");
  CHECK(out.find("alpha")->as_number() == 0.05);
  CHECK(out.find("count")->is_int()); // 12.0 is a whole number
  CHECK(out.find("count")->as_int() == 12);
  CHECK(out.find("start")->as_string() == "2026-01-05");
  CHECK(out.find("weeks")->find("a")->as_int() == 1); // merged over the default
  CHECK(out.find("weeks")->find("b")->as_int() == 7);
  CHECK(out.find("free")->find("x")->as_int() == 1);
}

TEST_CASE("options: each type refuses a wrong value naming the key, what was given and what is expected") {
  CHECK(error_of(options, R"({"alpha": "ten"})") == R"(p.alpha: "ten" was given; expected a number from 0 to 1)");
  CHECK(error_of(options, R"({"alpha": 2})") == "p.alpha: 2 was given; expected a number from 0 to 1");
  CHECK(error_of(options, R"({"alpha": -0.5})") == "p.alpha: -0.5 was given; expected a number from 0 to 1");
  CHECK(error_of(options, R"({"count": 2.5})") == "p.count: 2.5 was given; expected a whole number of at least 1");
  CHECK(error_of(options, R"({"count": 0})") == "p.count: 0 was given; expected a whole number of at least 1");
  CHECK(error_of(options, R"({"count": true})") == "p.count: true was given; expected a whole number of at least 1");
  CHECK(error_of(options, R"({"term": "SRP"})") ==
        R"(p.term: "SRP" was given; expected one of "SPR", "AUT", "SUM"; did you mean "SPR"?)");
  CHECK(error_of(options, R"({"term": 3})") == R"(p.term: 3 was given; expected one of "SPR", "AUT", "SUM")");
  CHECK(error_of(options, R"({"on": "yes"})") == R"(p.on: "yes" was given; expected true or false)");
  CHECK(error_of(options, R"({"start": "2026-02-30"})") ==
        R"(p.start: "2026-02-30" was given; expected a date as YYYY-MM-DD)");
  CHECK(error_of(options, R"({"start": "05/01/2026"})") ==
        R"(p.start: "05/01/2026" was given; expected a date as YYYY-MM-DD)");
  CHECK(error_of(options, R"({"terms": "SPR"})") ==
        R"(p.terms: "SPR" was given; expected an array of strings, each one of "SPR", "AUT", "SUM")");
  CHECK(error_of(options, R"({"terms": ["SPR", "WIN"]})") ==
        R"(p.terms[1]: "WIN" was given; expected one of "SPR", "AUT", "SUM")");
  CHECK(error_of(options, R"({"holidays": ["2026-01-01", "soon"]})") ==
        R"(p.holidays[1]: "soon" was given; expected a date as YYYY-MM-DD)");
  CHECK(error_of(options, R"({"weeks": [1]})") ==
        "p.weeks: [1] was given; expected an object of whole numbers of at least 0");
  CHECK(error_of(options, R"({"weeks": {"b": -1}})") ==
        "p.weeks.b: -1 was given; expected a whole number of at least 0");
  CHECK(error_of(options, R"({"weeks": {"bb": 1}})") == R"(p.weeks: unknown member "bb"; did you mean "b"?)");
  CHECK(error_of(options, R"({"weeks": {"zzzzzz": 1}})") ==
        R"(p.weeks: unknown member "zzzzzz"; expected one of a, b)");
  CHECK(error_of(options, R"({"alfa": 1})") == R"(unknown key "p.alfa"; did you mean "alpha"?)");
  CHECK(error_of({}, R"({"alpha": 1})") == R"(unknown key "p.alpha"; the plugin takes no options)");
  CHECK_THROWS_AS(effective_options(options, ConfigValue(std::string("x")), "p"), ConfigError);
}

TEST_CASE("options: a long value is shown cut short") {
  const std::string e = error_of(options, "{\"term\": \"" + std::string(200, 'x') + "\"}");
  CHECK(e.find("...") != std::string::npos);
  CHECK(e.size() < 160);
}

TEST_CASE("options: a declaration that cannot work is refused") {
  CHECK(declaration_error(options) == "no error");
  const OptionInfo bad_default[] = {{.key = "a", .type = "number", .default_value = "2", .maximum = 1}};
  CHECK(
      declaration_error(bad_default) ==
      "option \"a\": its default does not meet its own declaration: p.a: 2 was given; expected a number of at most 1");
  const OptionInfo not_json[] = {{.key = "a", .type = "number", .default_value = "2x"}};
  CHECK(declaration_error(not_json).starts_with("option \"a\": its default 2x is not valid JSON"));
  const OptionInfo unknown_type[] = {{.key = "a", .type = "float"}};
  CHECK(declaration_error(unknown_type) == "option \"a\" has the unknown type \"float\"; expected integer, number, "
                                           "string, boolean, date, array or object");
  const OptionInfo twice[] = {{.key = "a", .type = "number"}, {.key = "a", .type = "string"}};
  CHECK(declaration_error(twice) == "option \"a\" is declared twice; declare each option once");
  const OptionInfo min_max[] = {{.key = "a", .type = "number", .minimum = 2, .maximum = 1}};
  CHECK(declaration_error(min_max) == "option \"a\" has a minimum above its maximum");
  const OptionInfo items[] = {{.key = "a", .type = "string", .items = "string"}};
  CHECK(declaration_error(items) == "option \"a\" gives items, which only an array or an object has");
  const OptionInfo no_key[] = {{.type = "string"}};
  CHECK(declaration_error(no_key) == "an option has no key");
}

TEST_CASE("options: the default texts' reader refuses garbage and deep nesting") {
  CHECK(json(R"({"a": [1, 2.5, "x\"y", true, null], "b": {}})").find("a")->as_array().size() == 5);
  for (const char* bad : {"", "[1,", "{\"a\" 1}", "\"open", "01x", "[1] 2", "{\"a\": 1, \"a\": 2}", "-", "tru"})
    CHECK_THROWS_AS(json(bad), ConfigError);
  CHECK_THROWS_AS(json(std::string(100, '[') + std::string(100, ']')), ConfigError);
}
