// The profile's statistics and safety nets: comparator groups, the flag band, small numbers,
// masking other schools' UPNs, and the template's error messages.
#include "report/comparators.hpp"
#include "report/findings_writer.hpp"
#include "report/profile.hpp"
#include "report/profile_template.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace censusqa;
using namespace censusqa::report;

TEST_CASE("the flag band: two and three standard errors, binomial for percentages") {
  // 100 pupils against a comparator of 20%: SE = 4 pupils.
  CHECK(compare_proportion(28, 100, 0.2).flag == Flag::in_line);    // z = 2.0: on the band, in line
  CHECK(compare_proportion(29, 100, 0.2).flag == Flag::above);      // z = 2.25
  CHECK(compare_proportion(32, 100, 0.2).flag == Flag::above);      // z = 3.0
  CHECK(compare_proportion(33, 100, 0.2).flag == Flag::well_above); // z = 3.25
  CHECK(compare_proportion(11, 100, 0.2).flag == Flag::below);      // z = -2.25
  CHECK(compare_proportion(7, 100, 0.2).flag == Flag::well_below);  // z = -3.25
  CHECK(compare_proportion(0, 100, 0.2).flag == Flag::well_below);  // zero is a count, flagged
}

TEST_CASE("counts of 1 to 4 are shown but never flagged") {
  const auto r = compare_proportion(4, 10, 0.01);
  CHECK(r.small_number);
  CHECK(r.flag == Flag::in_line);
  CHECK_FALSE(compare_proportion(5, 10, 0.01).small_number);
  CHECK(compare_proportion(5, 10, 0.01).flag == Flag::well_above);
}

TEST_CASE("rates per 100 use a Poisson band; nothing to compare gives no flag") {
  // 200 pupils, comparator 0.05 suspensions per pupil: expect 10, SD sqrt(10) = 3.16.
  CHECK(compare_rate(16, 200, 0.05).flag == Flag::in_line); // z = 1.90
  CHECK(compare_rate(17, 200, 0.05).flag == Flag::above);   // z = 2.21
  CHECK(compare_rate(30, 200, 0.05).flag == Flag::well_above);
  CHECK_FALSE(compare_rate(3, 0, 0.05).flag);
  CHECK_FALSE(compare_proportion(3, 10, std::nullopt).flag);
  // A comparator of none: any count beyond the small numbers is well above.
  CHECK(compare_proportion(6, 10, 0.0).flag == Flag::well_above);
  CHECK(compare_proportion(0, 10, 0.0).flag == Flag::in_line);
}

namespace {
// `n` primary schools, school i with 100 pupils of whom i*5 are FSM-eligible.
Metrics primaries(int n) {
  Metrics m;
  for (int i = 0; i < n; ++i)
    m.schools["88820" + std::to_string(10 + i)] = {{"pupils_on_roll", 100}, {"fsm_eligible", i * 5}};
  return m;
}
Dataset register_of(const Metrics& m, const std::string& phase = "primary") {
  Dataset d;
  for (const auto& [l, v] : m.schools) {
    School s;
    s.laestab = l;
    s.name = "School " + l;
    s.phase = parse_phase(phase);
    d.schools.push_back(s);
  }
  d.build_indexes();
  return d;
}
} // namespace

TEST_CASE("similar schools: same phase and FSM quintile, else same phase") {
  const Metrics m = primaries(25);
  const Dataset d = register_of(m);
  const auto c = compute_comparators(d, m, 5);
  const auto& g = c.schools.at("8882010"); // the lowest FSM share
  CHECK(g.fsm_quintile == 1);
  CHECK(*g.similar == std::vector<std::string>{"8882010", "8882011", "8882012", "8882013", "8882014"});
  CHECK(g.similar_key == "primary/q1");
  CHECK_FALSE(g.similar_is_phase_only);
  CHECK(c.schools.at("8882034").fsm_quintile == 5);
  CHECK(g.la_phase->size() == 25);
  CHECK(g.la_phase == c.schools.at("8882034").la_phase); // one shared list

  const Metrics few = primaries(9); // quintiles of one or two schools: fall back to the phase
  const auto c2 = compute_comparators(register_of(few), few, 5);
  CHECK(c2.schools.at("8882010").similar_is_phase_only);
  CHECK(c2.schools.at("8882010").similar->size() == 9);
}

TEST_CASE("a school's workbook masks UPNs that are not its own") {
  const std::vector<std::string> mine{"A888200100001", "B888200100002"};
  CHECK(mask_other_upns("UPN A888200100001 duplicated", mine) == "UPN A888200100001 duplicated");
  CHECK(mask_other_upns("also on roll as Z888200200009 at 8882002", mine) ==
        "also on roll as (a pupil of another school) at 8882002");
  CHECK(mask_other_upns("temporary z88820020000A;", mine) == "temporary (a pupil of another school);");
  CHECK(mask_other_upns("LAEstab 8882002, case EHC-2024-0001", mine) == "LAEstab 8882002, case EHC-2024-0001");
}

TEST_CASE("the profile template: the shipped one reads, and mistakes name the key") {
  const auto shipped =
      read_profile_template(std::filesystem::path(CENSUSQA_SOURCE_DIR) / "templates" / "inclusion-profile.json");
  CHECK(shipped.sheets.size() == 7);
  CHECK(shipped.has("data_to_fix"));
  CHECK(shipped.responses == std::vector<std::string>{"Fixed in MIS", "Explained", "Disputed"});
  CHECK(shipped.indicators.size() > 15);

  const auto path = std::filesystem::temp_directory_path() / "censusqa-template-test.json";
  auto fails_with = [&](const std::string& json, const std::string& message) {
    std::ofstream(path) << json;
    CHECK_THROWS_WITH(read_profile_template(path), Catch::Contains(message));
  };
  fails_with(R"({"sheets": [{"id": "overveiw", "title": "Overview"}]})",
             R"(sheets[0].id: "overveiw" is not a sheet; did you mean "overview"?)");
  fails_with(R"({"sheets": [{"id": "overview", "title": "A"}], "colors": {}})",
             R"(unknown key "colors"; did you mean "colours"?)");
  fails_with(R"({"sheets": [{"id": "overview", "title": "A"}], "colours": {"above": "red"}})",
             R"(colours.above: expected a colour such as "#1F4E79")");
  fails_with(R"({"sheets": [{"id": "overview", "title": "A"}], "responses": ["Corrig\u00e9"]})",
             "drop-down choices must be plain ASCII");
  fails_with(R"({"sheets": [{"id": "overview", "title": "A"}], "indicators": [{"label": "x", "kind": "percent",
             "numerator": ["sen_support"]}]})",
             "indicators[0]: a percent needs a numerator and a denominator");
  std::filesystem::remove(path);
}

TEST_CASE("a profile's file name comes only from a 7-digit LAEstab and an ASCII slug of the name") {
  Dataset d;
  School s;
  s.laestab = "8882001";
  s.name = "St Mary’s C of E (VA) ../../Primary\\:<é>";
  d.schools.push_back(s);
  d.build_indexes();
  CHECK(profile_file_name(d, "8882001") == "8882001-st-mary-s-c-of-e-va-primary.xlsx");
  CHECK(profile_file_name(d, "8882009") == "8882009.xlsx"); // not in the register: the number alone
  for (const char* bad : {"/tmp/PWNED-2002", "888/", "../8882001", "888200", "88820011", "８８８２００１", ""})
    CHECK_THROWS_AS(profile_file_name(d, bad), std::invalid_argument);
  CHECK(is_laestab("8882001"));
  CHECK_FALSE(is_laestab("888 2001"));
}

TEST_CASE("findings.csv cells are never live formulas; sheet names follow Excel's rules") {
  CHECK(csv_cell("plain") == "plain");
  CHECK(csv_cell("a,b") == "\"a,b\"");
  CHECK(csv_cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_cell("+1") == "\"'+1\"");
  CHECK(csv_cell("-2+3") == "\"'-2+3\"");
  CHECK(csv_cell("@SUM(A1)") == "\"'@SUM(A1)\"");
  CHECK(csv_cell("\tx") == "\"'\tx\"");
  CHECK(csv_cell("\rx") == "\"'\rx\"");
  CHECK(csv_cell("a=b") == "a=b");
  CHECK(csv_cell("") == "");
  CHECK(book::sheet_name("Data: [to] fix?") == "Data to fix");
  CHECK(book::sheet_name("'Quoted'") == "Quoted");
  CHECK(book::sheet_name("History") == "History (1)");
  CHECK(book::sheet_name("") == "Sheet");
  // 31 characters at most, cut between characters: 40 two-byte letters give 31 of them, valid UTF-8.
  std::string long_name;
  for (int i = 0; i < 40; ++i)
    long_name += "\xC3\xA9";
  CHECK(book::sheet_name(long_name).size() == 62);
  CHECK(book::sheet_name("a\x01\xFF"
                         "b") == "ab");
}
