// dfe-census, term_on_term rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
// The plugin's declared options and their defaults, as the host gives them (term_on_term_change_pct 20,
// term_on_term_min_count 5).
[[maybe_unused]] const bool tested = (testkit::tested_plugin = {"dfe-census", censusqa::dfe_census::options()}, true);

// A test UPN: the prefix and the number (built by appending: GCC 12 -O3 reports a false -Wrestrict
// overlap in "R" + std::to_string(i), which inserts at the front).
std::string upn(std::string_view prefix, long long n) {
  std::string s{prefix};
  s += std::to_string(n);
  return s;
}

const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::term_on_term_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}

// A school's pupils on roll by what the queries count: infant pupils (year 1) eligible for FSM, older
// pupils (year 4) eligible for FSM, pupils with an EHC plan, at SEN support, and others.
struct Mix {
  int infant_fsm = 0, junior_fsm = 0, ehc_plan = 0, sen_support = 0, other = 0;
};

void add(DatasetBuilder& b, const std::string& laestab, const std::string& date, const Mix& m) {
  b.school_return(laestab, date);
  int n = 0;
  auto next = [&] { return upn("T" + laestab, 1000 + ++n); };
  for (int i = 0; i < m.infant_fsm; ++i)
    b.pupil({.upn = next(), .dob = "2018-03-02", .nc_year = "1", .fsm = true});
  for (int i = 0; i < m.junior_fsm; ++i)
    b.pupil({.upn = next(), .fsm = true});
  for (int i = 0; i < m.ehc_plan; ++i)
    b.pupil({.upn = next(), .sen = "E", .needs = {{1, "ASD"}}});
  for (int i = 0; i < m.sen_support; ++i)
    b.pupil({.upn = next(), .sen = "K", .needs = {{1, "SLCN"}}});
  for (int i = 0; i < m.other; ++i)
    b.pupil({.upn = next()});
}

// The previous census (spring 2024) and this one (spring 2025) of school 8881001.
Dataset census(const Mix& before, const Mix& now) {
  DatasetBuilder prev;
  add(prev, "8881001", "2024-01-18", before);
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", now);
  return b.previous(prev.build()).build();
}

CollectSink run(std::string_view code, const Dataset& d, std::string config = "{}") {
  return run_rule(rule(code), d, spring_2025(),
                  PluginConfig("dfe-census", option_detail::DefaultJson(std::move(config)).parse()));
}
} // namespace

// ---- TT031 (TonT3B): significantly more infant pupils eligible for FSM

TEST_CASE("TT031 passes a small rise in infant FSM pupils, and a rise among older pupils only") {
  CHECK(run("TT031", census({.infant_fsm = 10}, {.infant_fsm = 12})).findings.empty()); // +2: fewer than 5
  CHECK(run("TT031", census({.infant_fsm = 30}, {.infant_fsm = 35})).findings.empty()); // +16.7%
  CHECK(
      run("TT031", census({.infant_fsm = 10, .junior_fsm = 5}, {.infant_fsm = 10, .junior_fsm = 30})).findings.empty());
}

TEST_CASE("TT031 reports a school whose infant FSM pupils rose from 10 to 16, naming the DfE query") {
  const auto s = run("TT031", census({.infant_fsm = 10, .other = 50}, {.infant_fsm = 16, .other = 50}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT031 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT3B");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "Infant pupils (reception, years 1 and 2) eligible for free school meals: 16, against "
                                 "10 in the previous census (up 60.0%)");
}

TEST_CASE("TT031 edge: a rise of exactly 20% is not significant, one pupil more is, reception counts, year 3 not") {
  CHECK(run("TT031", census({.infant_fsm = 25}, {.infant_fsm = 30})).findings.empty()); // +20.0%
  CHECK(run("TT031", census({.infant_fsm = 25}, {.infant_fsm = 31})).findings.size() == 1);
  // Twelve reception pupils and twelve year-3 pupils eligible now, against five infants before: only R counts.
  DatasetBuilder prev;
  add(prev, "8881001", "2024-01-18", {.infant_fsm = 5});
  DatasetBuilder b;
  b.school_return("8881001");
  for (int i = 0; i < 12; ++i) {
    b.pupil({.upn = upn("R", i), .dob = "2020-03-02", .nc_year = "R", .fsm = true});
    b.pupil({.upn = upn("Y", i), .dob = "2016-03-02", .nc_year = "3", .fsm = true});
  }
  const auto s = run("TT031", b.previous(prev.build()).build());
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].values[0] == std::pair<std::string, std::string>{"this_census", "12"});
}

// ---- TT032 (TonT3C): significantly fewer infant pupils eligible for FSM

TEST_CASE("TT032 passes a school whose infant FSM pupils are steady or rose") {
  CHECK(run("TT032", census({.infant_fsm = 20}, {.infant_fsm = 18})).findings.empty());
  CHECK(run("TT032", census({.infant_fsm = 20}, {.infant_fsm = 40})).findings.empty());
}

TEST_CASE("TT032 reports a fall in infant FSM pupils from 20 to 10") {
  const auto s = run("TT032", census({.infant_fsm = 20}, {.infant_fsm = 10}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT032 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT3C");
  CHECK(s.findings[0].message == "Infant pupils (reception, years 1 and 2) eligible for free school meals: 10, against "
                                 "20 in the previous census (down 50.0%)");
}

TEST_CASE("TT032 edge: a fall to none is reported, a fall of 4 pupils is not, whatever its share") {
  CHECK(run("TT032", census({.infant_fsm = 6}, {})).findings.size() == 1);
  CHECK(run("TT032", census({.infant_fsm = 4}, {})).findings.empty());
  // With term_on_term_min_count 3, it is.
  CHECK(run("TT032", census({.infant_fsm = 4}, {}), R"({"term_on_term_min_count": 3})").findings.size() == 1);
}

// ---- TT033 (TonT3D): none last time, some now

TEST_CASE("TT033 passes a school that had infant FSM pupils last time, or has none now") {
  CHECK(run("TT033", census({.infant_fsm = 1}, {.infant_fsm = 9})).findings.empty());
  CHECK(run("TT033", census({}, {.junior_fsm = 9})).findings.empty());
}

TEST_CASE("TT033 reports infant FSM pupils where the previous census had none") {
  const auto s = run("TT033", census({.junior_fsm = 4}, {.infant_fsm = 1, .junior_fsm = 4}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT033 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT3D");
  CHECK(s.findings[0].message ==
        "Infant pupils (reception, years 1 and 2) eligible for free school meals: 1, against 0 in the previous census");
}

TEST_CASE("TT033 edge: no previous census, or no school in it, is a skip (IN090), not a finding") {
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", {.infant_fsm = 3});
  const auto none = run("TT033", b.build());
  CHECK(none.findings.empty());
  CHECK(none.skipped.count("TT033") == 1);
  DatasetBuilder prev;
  add(prev, "8882002", "2024-01-18", {});
  DatasetBuilder c;
  add(c, "8881001", "2025-01-16", {.infant_fsm = 3});
  const auto elsewhere = run("TT033", c.previous(prev.build()).build());
  CHECK(elsewhere.findings.empty());
  CHECK(elsewhere.skipped.at("TT033") == "no school's return has a return in the previous census to compare with");
}

// ---- TT041 (TonT4B): significantly more pupils eligible for FSM

TEST_CASE("TT041 passes a rise of 10% in FSM pupils, and of 4 pupils") {
  CHECK(run("TT041", census({.junior_fsm = 50}, {.junior_fsm = 55})).findings.empty());
  CHECK(run("TT041", census({.junior_fsm = 2}, {.junior_fsm = 6})).findings.empty());
}

TEST_CASE("TT041 reports a rise in FSM pupils from 10 to 15 (infants and older pupils together)") {
  const auto s = run("TT041", census({.infant_fsm = 4, .junior_fsm = 6}, {.infant_fsm = 5, .junior_fsm = 10}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT041 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT4B");
  CHECK(s.findings[0].message ==
        "Pupils eligible for free school meals: 15, against 10 in the previous census (up 50.0%)");
  CHECK(s.findings[0].values ==
        std::vector<std::pair<std::string, std::string>>{{"this_census", "15"}, {"previous_census", "10"}});
}

TEST_CASE("TT041 edge: subsidiary registrations (S) and leavers are not counted, the threshold is an option") {
  DatasetBuilder prev;
  add(prev, "8881001", "2024-01-18", {.junior_fsm = 10});
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", {.junior_fsm = 10});
  for (int i = 0; i < 6; ++i)
    b.pupil({.upn = upn("S", i), .enrol = "S", .fsm = true});
  const auto d = b.previous(prev.build()).build();
  CHECK(run("TT041", d).findings.empty());
  // A 10% rise with a 5% threshold and no minimum.
  CHECK(run("TT041", census({.junior_fsm = 50}, {.junior_fsm = 55}),
            R"({"term_on_term_change_pct": 5, "term_on_term_min_count": 0})")
            .findings.size() == 1);
}

// ---- TT042 (TonT4C): significantly fewer pupils eligible for FSM

TEST_CASE("TT042 passes a fall of 3 FSM pupils") {
  CHECK(run("TT042", census({.junior_fsm = 10}, {.junior_fsm = 7})).findings.empty());
}

TEST_CASE("TT042 reports a fall in FSM pupils from 40 to 30") {
  const auto s = run("TT042", census({.junior_fsm = 40}, {.junior_fsm = 30}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT042 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT4C");
  CHECK(s.findings[0].message ==
        "Pupils eligible for free school meals: 30, against 40 in the previous census (down 25.0%)");
}

TEST_CASE("TT042 edge: each school against its own previous return, a new school is not compared") {
  DatasetBuilder prev;
  add(prev, "8881001", "2024-01-18", {.junior_fsm = 40});
  add(prev, "8882002", "2024-01-18", {.junior_fsm = 40});
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", {.junior_fsm = 40});
  add(b, "8882002", "2025-01-16", {.junior_fsm = 20});
  add(b, "8883003", "2025-01-16", {});
  const auto s = run("TT042", b.previous(prev.build()).build());
  CHECK(codes_and_subjects(s) == std::vector<std::string>{"TT042 8882002"});
  CHECK(s.skipped.empty());
}

// ---- TT043 (TonT4D)

TEST_CASE("TT043 passes a school with FSM pupils in both censuses, and one with none in either") {
  CHECK(run("TT043", census({.junior_fsm = 1}, {.junior_fsm = 20})).findings.empty());
  CHECK(run("TT043", census({.other = 5}, {.other = 5})).findings.empty());
}

TEST_CASE("TT043 reports FSM pupils where the previous census had none") {
  const auto s = run("TT043", census({.other = 30}, {.junior_fsm = 7, .other = 30}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT043 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT4D");
  CHECK(s.findings[0].message == "Pupils eligible for free school meals: 7, against 0 in the previous census");
}

TEST_CASE("TT043 edge: a previous return with no pupils counts as none, the history store's stand-in is not compared") {
  const auto d = census({}, {.junior_fsm = 1});
  CHECK(run("TT043", d).findings.size() == 1);
  CHECK(run("TT041", d).findings.empty());
  // The history store's previous census: SEN pupils' needs only, its returns from no file. It holds no FSM
  // eligibility, so it would look like "none last time" everywhere: skipped.
  DatasetBuilder stored;
  add(stored, "8881001", "2024-01-18", {.sen_support = 3});
  stored.edit([](Dataset& p) { p.returns[0].source = {}; });
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", {.junior_fsm = 7});
  const auto s = run("TT043", b.previous(stored.build()).build());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("TT043").find("history store") != std::string::npos);
}

// ---- TT051 (TonT5B): significantly more pupils with an EHC plan

TEST_CASE("TT051 passes a steady number of EHC plans") {
  CHECK(run("TT051", census({.ehc_plan = 12}, {.ehc_plan = 14})).findings.empty());
}

TEST_CASE("TT051 reports a rise in pupils with an EHC plan from 12 to 20") {
  const auto s = run("TT051", census({.ehc_plan = 12, .sen_support = 8}, {.ehc_plan = 20}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT051 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT5B");
  CHECK(s.findings[0].message == "Pupils with an EHC plan: 20, against 12 in the previous census (up 66.7%)");
}

TEST_CASE("TT051 edge: an unreadable SEN provision is not counted as a plan") {
  DatasetBuilder prev;
  add(prev, "8881001", "2024-01-18", {.ehc_plan = 5});
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", {.ehc_plan = 5});
  for (int i = 0; i < 6; ++i)
    b.pupil({.upn = upn("Q", i), .sen = "EHC"}); // the loader's IN003, not a plan
  CHECK(run("TT051", b.previous(prev.build()).build()).findings.empty());
}

// ---- TT052 (TonT5C)

TEST_CASE("TT052 passes a rise in EHC plans") {
  CHECK(run("TT052", census({.ehc_plan = 12}, {.ehc_plan = 30})).findings.empty());
}

TEST_CASE("TT052 reports a fall in pupils with an EHC plan from 30 to 20") {
  const auto s = run("TT052", census({.ehc_plan = 30}, {.ehc_plan = 20, .sen_support = 10}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT052 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT5C");
  CHECK(s.findings[0].message == "Pupils with an EHC plan: 20, against 30 in the previous census (down 33.3%)");
}

TEST_CASE("TT052 edge: a fall of 5 out of 25 (20.0%) is not significant, of 6 it is") {
  CHECK(run("TT052", census({.ehc_plan = 25}, {.ehc_plan = 20})).findings.empty());
  CHECK(run("TT052", census({.ehc_plan = 25}, {.ehc_plan = 19})).findings.size() == 1);
}

// ---- TT053 (TonT5D)

TEST_CASE("TT053 passes a school with EHC plans in both censuses") {
  CHECK(run("TT053", census({.ehc_plan = 2}, {.ehc_plan = 3})).findings.empty());
}

TEST_CASE("TT053 reports EHC plans where the previous census had none") {
  const auto s = run("TT053", census({.sen_support = 10}, {.ehc_plan = 2, .sen_support = 10}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT053 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT5D");
  CHECK(s.findings[0].message == "Pupils with an EHC plan: 2, against 0 in the previous census");
}

TEST_CASE("TT053 edge: a school with no plans in either census is not reported") {
  CHECK(run("TT053", census({.sen_support = 10}, {.sen_support = 3})).findings.empty());
}

// ---- TT061 (TonT6B): significantly more pupils at SEN support

TEST_CASE("TT061 passes a steady SEN support register") {
  CHECK(run("TT061", census({.sen_support = 40}, {.sen_support = 44})).findings.empty());
}

TEST_CASE("TT061 reports a rise in pupils at SEN support from 20 to 30") {
  const auto s = run("TT061", census({.sen_support = 20}, {.sen_support = 30}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT061 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT6B");
  CHECK(s.findings[0].message == "Pupils at SEN support: 30, against 20 in the previous census (up 50.0%)");
}

TEST_CASE("TT061 edge: pupils moving from SEN support to a plan are not a rise in SEN support") {
  CHECK(run("TT061", census({.ehc_plan = 5, .sen_support = 20}, {.ehc_plan = 12, .sen_support = 13})).findings.empty());
}

// ---- TT062 (TonT6C)

TEST_CASE("TT062 passes a rise in SEN support") {
  CHECK(run("TT062", census({.sen_support = 20}, {.sen_support = 30})).findings.empty());
}

TEST_CASE("TT062 reports a fall in pupils at SEN support from 30 to 12") {
  const auto s = run("TT062", census({.sen_support = 30}, {.sen_support = 12}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT062 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT6C");
  CHECK(s.findings[0].message == "Pupils at SEN support: 12, against 30 in the previous census (down 60.0%)");
}

TEST_CASE("TT062 edge: pupils at SEN support moving to a plan are a fall in SEN support") {
  CHECK(run("TT062", census({.sen_support = 20}, {.ehc_plan = 8, .sen_support = 12})).findings.size() == 1);
}

// ---- TT063 (TonT6D)

TEST_CASE("TT063 passes a school with SEN support in both censuses") {
  CHECK(run("TT063", census({.sen_support = 1}, {.sen_support = 9})).findings.empty());
}

TEST_CASE("TT063 reports SEN support where the previous census had none") {
  const auto s = run("TT063", census({.ehc_plan = 3}, {.ehc_plan = 3, .sen_support = 4}));
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"TT063 8881001"});
  CHECK(s.findings[0].dfe_rule == "TonT6D");
  CHECK(s.findings[0].message == "Pupils at SEN support: 4, against 0 in the previous census");
}

TEST_CASE("TT063 edge: pupils at SEN support on a subsidiary registration are not counted") {
  DatasetBuilder prev;
  add(prev, "8881001", "2024-01-18", {.other = 4});
  DatasetBuilder b;
  add(b, "8881001", "2025-01-16", {.other = 4});
  b.pupil({.upn = "S1", .enrol = "S", .sen = "K", .needs = {{1, "MLD"}}});
  CHECK(run("TT063", b.previous(prev.build()).build()).findings.empty());
}

TEST_CASE("TT032 edge: a return read only up to an error (IN001), in either census, is not compared") {
  const auto cut = [](Dataset& d) {
    while (d.files.size() < 2) // the builder's returns name file 1
      d.files.push_back(InputFile{"census/returns.xml", "census-xml", "", 0});
    d.files.push_back(InputFile{"census/8881001.xml", "census-xml" + std::string(read_in_part_kind), "", 0});
    d.returns[0].source.file = static_cast<std::uint32_t>(d.files.size() - 1);
  };
  REQUIRE(run("TT032", census({.infant_fsm = 20}, {.infant_fsm = 10})).findings.size() == 1);
  auto now = census({.infant_fsm = 20}, {.infant_fsm = 10});
  cut(now);
  CHECK(run("TT032", now).findings.empty());
  auto then = census({.infant_fsm = 20}, {.infant_fsm = 10});
  Dataset before = *then.previous;
  cut(before);
  then.previous = std::make_shared<const Dataset>(std::move(before));
  CHECK(run("TT032", then).findings.empty());
}
