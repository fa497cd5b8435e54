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

TEST_CASE("counts of 1 to 4 are shown but never flagged: no flag at all, not 'in line'") {
  const auto r = compare_proportion(4, 10, 0.01);
  CHECK(r.small_number);
  CHECK_FALSE(r.flag);
  CHECK(compare_rate(1, 10, 5.0).small_number);
  CHECK_FALSE(compare_rate(1, 10, 5.0).flag);
  CHECK_FALSE(compare_proportion(5, 10, 0.01).small_number);
  CHECK(compare_proportion(5, 10, 0.01).flag == Flag::well_above);
  // The one rule every flag and note uses.
  CHECK_FALSE(is_small_number(0));
  CHECK(is_small_number(1));
  CHECK(is_small_number(4));
  CHECK_FALSE(is_small_number(5));
  CHECK_FALSE(compare_proportion(0, 10, 0.5).small_number); // none is a count, not a small number
}

TEST_CASE("a school is never in its own comparator, a group of one is no comparator") {
  // A group of one: the school itself.
  CHECK_FALSE(comparator_total(40, 40, 0));
  // A group of two: the other school's figure alone.
  CHECK(comparator_total(70, 40, 1) == 30);
  CHECK(comparator_total(70, std::nullopt, 1) == 70);
  CHECK_FALSE(comparator_total(std::nullopt, 4, 3));

  SchoolGroups one;
  one.la_others = one.similar_others = 0;
  one.similar_is_phase_only = true;
  CHECK(flag_basis(one, false) == Basis::none);
  CHECK(flag_basis(one, true) == Basis::england);
  SchoolGroups two = one;
  two.la_others = two.similar_others = 1;
  CHECK(flag_basis(two, true) == Basis::la); // the similar group would only repeat the LA's
  SchoolGroups quintile = two;
  quintile.similar_is_phase_only = false;
  quintile.similar_others = 4;
  CHECK(flag_basis(quintile, false) == Basis::similar);
  CHECK(basis_name(Basis::none) == "none");
}

TEST_CASE("rates per 100 use a Poisson band, nothing to compare gives no flag") {
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

  CHECK(g.la_others == 24);
  CHECK(g.similar_others == 4);

  const Metrics few = primaries(9); // quintiles of one or two schools: fall back to the phase
  const auto c2 = compute_comparators(register_of(few), few, 5);
  CHECK(c2.schools.at("8882010").similar_is_phase_only);
  CHECK(c2.schools.at("8882010").similar->size() == 9);
  CHECK(c2.schools.at("8882010").similar_others == 8);

  const Metrics alone = primaries(1); // the LA's only school of its phase
  const auto c1 = compute_comparators(register_of(alone, "special"), alone, 5);
  CHECK(c1.schools.at("8882010").la_others == 0);
  CHECK(c1.schools.at("8882010").similar_others == 0);
}

namespace {
// The Overview of one school's profile, built (not written) from hand-made metrics.
struct ProfileFixture {
  Metrics metrics;
  Dataset data;
  RunSummary summary;
  std::vector<IdentifiedFinding> findings;
  std::map<std::string, RuleText> rules;
  Comparators comparators;
  ProfileTemplate tpl =
      read_profile_template(std::filesystem::path(CENSUSQA_SOURCE_DIR) / "templates" / "inclusion-profile.json");

  ProfileFixture(const std::string& phase, const std::vector<std::pair<std::int64_t, std::int64_t>>& schools) {
    int i = 0;
    for (const auto& [pupils, sen_support] : schools)
      metrics.schools["888" + std::to_string(7000 + i++)] = {
          {"pupils_on_roll", pupils}, {"sen_support", sen_support}, {"ehc_plan", 0}, {"fsm_eligible", 0}};
    data = register_of(metrics, phase);
    comparators = compute_comparators(data, metrics, 5);
  }
  /// The Overview's header and the row of `label`.
  std::pair<std::vector<std::string>, std::map<std::string, book::Cell>> overview(const std::string& laestab,
                                                                                  const std::string& label) {
    ReportContext ctx{data, summary, metrics, findings, rules, comparators, tpl, "test"};
    const book::Book b = build_profile(ctx, laestab);
    const book::Table& t = b.sheets.at(0).tables.at(0);
    std::vector<std::string> header;
    for (const auto& c : t.columns)
      header.push_back(c.header);
    std::map<std::string, book::Cell> row;
    for (const auto& r : t.rows)
      if (std::get<std::string>(r[0].value) == label)
        for (std::size_t c = 0; c < header.size(); ++c)
          row[header[c]] = r[c];
    return {header, row};
  }
};
std::string text_of(const book::Cell& c) {
  const auto* s = std::get_if<std::string>(&c.value);
  return s ? *s : std::string();
}
double number_of(const book::Cell& c) { return std::get<double>(c.value); }
} // namespace

TEST_CASE("the Overview of the LA's only school of its phase: no comparator columns, nothing flagged") {
  ProfileFixture f("special", {{100, 60}});
  const auto [header, row] = f.overview("8887000", "SEN support");
  CHECK(header == std::vector<std::string>{"Indicator", "This school", "Number", "Out of", "Note"});
  CHECK(text_of(row.at("Note")) == "No comparator: not flagged");
  // A copy: the built book is a temporary.
  const std::vector<std::string> subtitle =
      build_profile({f.data, f.summary, f.metrics, f.findings, f.rules, f.comparators, f.tpl, "t"}, "8887000")
          .sheets.at(0)
          .subtitle;
  CHECK_THAT(subtitle.back(), Catch::Contains("only special school") && Catch::Contains("nothing is flagged"));
}

TEST_CASE("the Overview of the LA's only school of its phase compares with England when it is loaded") {
  ProfileFixture f("special", {{100, 60}});
  f.comparators.england[Phase::special] = {{"pupils_on_roll", 1000}, {"sen_support", 100}, {"ehc_plan", 800}};
  const auto [header, row] = f.overview("8887000", "SEN support");
  CHECK(header == std::vector<std::string>{"Indicator", "This school", "Number", "Out of", "England",
                                           "Compared with England", "Note"});
  CHECK(number_of(row.at("England")) == 10.0);
  CHECK(text_of(row.at("Compared with England")) == "well above"); // 60 of 100 against 10%
}

TEST_CASE("a group of two: the other school is the comparator, and 4 is a small number where 5 is not") {
  // School 1: 4 of 100 at SEN support; school 2: 20 of 100; school 1 with 5 in a second fixture.
  ProfileFixture four("primary", {{100, 4}, {100, 20}});
  auto [header, row] = four.overview("8887000", "SEN support");
  CHECK(header == std::vector<std::string>{"Indicator", "This school", "Number", "Out of", "LA (same phase)",
                                           "Compared with LA (same phase)", "Note"});
  CHECK(number_of(row.at("LA (same phase)")) == 20.0); // the other school's 20 of 100, not 24 of 200
  CHECK(row.at("Compared with LA (same phase)").empty());
  CHECK(text_of(row.at("Compared with LA (same phase)")).empty());
  CHECK(text_of(row.at("Note")) == "Small number: not flagged");
  ProfileFixture five("primary", {{100, 5}, {100, 20}});
  std::tie(header, row) = five.overview("8887000", "SEN support");
  CHECK(text_of(row.at("Compared with LA (same phase)")) == "well below"); // 5 of 100 against 20%: z = -3.75
  CHECK(text_of(row.at("Note")).empty());
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

TEST_CASE("findings.csv cells are never live formulas, sheet names follow Excel's rules") {
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
