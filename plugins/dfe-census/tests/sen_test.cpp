// dfe-census, sen rules: for each, the record that passes, the record that fails, and the edge.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;

namespace {
const Rule& rule(std::string_view code) {
  for (const Rule& r : censusqa::dfe_census::sen_rules())
    if (r.info->code == code) return r;
  FAIL("no rule " << code);
  throw;
}

// The return's phase as returned (SchoolCharacteristics/Phase).
auto phase(std::string code) {
  return [code](Dataset& d) { d.returns.back().phase_code = code; };
}
// The last return read from a CSV census file.
void from_csv(Dataset& d) {
  d.files.push_back(InputFile{.path = "census/pupils.csv", .kind = "census-csv", .sha256 = "", .records = 0});
  d.returns.back().source.file = static_cast<std::uint32_t>(d.files.size() - 1);
}
// A school of `pupils` pupils on roll, `k` at SEN support and `e` with an EHC plan.
DatasetBuilder school(int pupils, int k, int e, std::string phase_code = "PS") {
  DatasetBuilder b;
  b.school_return("8881001").edit(phase(phase_code));
  for (int i = 0; i < pupils; ++i) {
    std::string upn = "U"; // appended: GCC 12 -O3 and '"U" + std::string&&' (GCC bug 105329)
    upn += std::to_string(i);
    b.pupil({.upn = upn, .sen = i < k ? "K" : i < k + e ? "E" : "N"});
  }
  return b;
}
} // namespace

// DFE2130 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2130 passes ranked needs with their types") {
  const auto data = DatasetBuilder{}.pupil({.sen = "K", .needs = {{1, "ASD"}, {2, "SLCN"}}}).build();
  CHECK(run_rule(rule("DFE2130"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2130 reports a need at rank 2 with no type, naming the DfE rule") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "E", .needs = {{1, "ASD"}, {2, "MLD"}}})
                        .edit([](Dataset& d) { d.needs.back().type.reset(); })
                        .build();
  const auto s = run_rule(rule("DFE2130"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2130 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2130");
  CHECK(s.findings[0].message == "An SEN need ranked 2 has no type of need");
}

TEST_CASE("DFE2130 edge: a type the loader rejected, a need with neither, and an autumn return") {
  // 'AUTISM' is the loader's IN004; a need with no rank and no type is rule 2140's.
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "K", .needs = {{1, "AUTISM"}}})
                        .pupil({.upn = "B888100119001", .sen = "K", .needs = {{1, "ASD"}}})
                        .edit([](Dataset& d) {
                          d.needs.back().type.reset();
                          d.needs.back().rank.reset();
                        })
                        .build();
  CHECK(run_rule(rule("DFE2130"), data, spring_2025()).findings.empty());
  const auto autumn = DatasetBuilder{}
                          .school_return("8881001", "2024-10-03", "AUT")
                          .pupil({.sen = "K", .needs = {{1, "ASD"}}})
                          .edit([](Dataset& d) { d.needs.back().type.reset(); })
                          .build();
  const auto s = run_rule(rule("DFE2130"), autumn, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE2130") == "SEN need types are collected only in the spring census");
}

// DFE2175 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2175 passes NSA at SEN support, even beside another need (PN005's stricter check)") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .sen = "K", .needs = {{1, "NSA"}}})
                        .pupil({.upn = "U2", .sen = "K", .needs = {{1, "SLCN"}, {2, "NSA"}}})
                        .build();
  CHECK(run_rule(rule("DFE2175"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2175 reports NSA with an EHC plan, naming the DfE rule") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .sen = "E", .needs = {{1, "NSA"}}}).build();
  const auto s = run_rule(rule("DFE2175"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2175 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2175");
  CHECK(s.findings[0].message == "Need type NSA is recorded with SEN provision E; NSA is used only at SEN support (K)");
}

TEST_CASE("DFE2175 edge: NSA with no SEN is reported, with a missing or rejected provision is not") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .sen = "N", .needs = {{1, "NSA"}}})
                        .pupil({.upn = "U2", .sen = "", .needs = {{1, "NSA"}}})
                        .pupil({.upn = "U3", .sen = "S", .needs = {{1, "NSA"}}})
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2175"), data, spring_2025())) == std::vector<std::string>{"DFE2175 U1"});
}

// DFE2190 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2190 passes a school with 10% of its pupils with an EHC plan") {
  CHECK(run_rule(rule("DFE2190"), school(20, 3, 2).build(), spring_2025()).findings.empty());
}

TEST_CASE("DFE2190 queries a school with more than 10% with an EHC plan") {
  const auto s = run_rule(rule("DFE2190"), school(20, 0, 3).build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2190 8881001"});
  CHECK(s.findings[0].dfe_rule == "2190");
  CHECK(s.findings[0].severity == Severity::query);
  CHECK(s.findings[0].message == "3 of 20 pupils on roll (15.0%) have an EHC plan, more than 10%");
}

TEST_CASE("DFE2190 edge: a special school and a PRU are not queried, and a run of them only says why") {
  const auto s = run_rule(rule("DFE2190"), school(10, 0, 10, "SP").build(), spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE2190") == "the rule does not apply to special schools and PRUs (phase SP or PR)");
  CHECK(run_rule(rule("DFE2190"), school(10, 0, 3, "PR").build(), spring_2025()).findings.empty());
  // 11 of 100 is more than 10%.
  CHECK(run_rule(rule("DFE2190"), school(100, 0, 11).build(), spring_2025()).findings.size() == 1);
}

// DFE2205 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2205 passes a school with 40% of its pupils at SEN support") {
  CHECK(run_rule(rule("DFE2205"), school(10, 4, 1).build(), spring_2025()).findings.empty());
}

TEST_CASE("DFE2205 queries a school with more than 40% at SEN support") {
  const auto s = run_rule(rule("DFE2205"), school(10, 5, 0).build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2205 8881001"});
  CHECK(s.findings[0].dfe_rule == "2205");
  CHECK(s.findings[0].message == "5 of 10 pupils on roll (50.0%) are at SEN support, more than 40%");
}

TEST_CASE("DFE2205 edge: 41 of 100 is queried, a return with no pupils and a PRU are not") {
  CHECK(run_rule(rule("DFE2205"), school(100, 41, 0).build(), spring_2025()).findings.size() == 1);
  CHECK(run_rule(rule("DFE2205"), school(10, 5, 0, "PR").build(), spring_2025()).findings.empty());
  CHECK(run_rule(rule("DFE2205"), school(0, 0, 0).build(), spring_2025()).findings.empty());
}

// DFE2210 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2210 passes a special school with 70% of its pupils with an EHC plan") {
  CHECK(run_rule(rule("DFE2210"), school(10, 3, 7, "SP").build(), spring_2025()).findings.empty());
}

TEST_CASE("DFE2210 queries a special school with fewer than 70% with an EHC plan") {
  const auto s = run_rule(rule("DFE2210"), school(10, 4, 6, "SP").build(), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2210 8881001"});
  CHECK(s.findings[0].dfe_rule == "2210");
  CHECK(s.findings[0].message == "6 of 10 pupils on roll (60.0%) of a special school have an EHC plan, fewer than 70%");
}

TEST_CASE("DFE2210 edge: a mainstream school is not checked, a special school by the register when the return "
          "gives no phase") {
  const auto s = run_rule(rule("DFE2210"), school(10, 0, 0).build(), spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE2210") == "no return is from a special school (phase SP)");
  auto b = school(10, 0, 6, "");
  b.school("8881001", Phase::special);
  CHECK(run_rule(rule("DFE2210"), b.build(), spring_2025()).findings.size() == 1);
}

// DFE2230 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2230 passes SEN pupils with the SEN unit indicator and pupils without SEN without it") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .sen = "K"})
                        .with_last([](Pupil& p) { p.sen_unit = false; })
                        .pupil({.upn = "U2", .sen = "N"})
                        .build();
  CHECK(run_rule(rule("DFE2230"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2230 reports a pupil with an EHC plan and no SEN unit indicator") {
  const auto data = DatasetBuilder{}.pupil({.upn = "A888100119001", .sen = "E"}).build();
  const auto s = run_rule(rule("DFE2230"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2230 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2230");
  CHECK(s.findings[0].message == "Pupil with SEN provision E has no SEN unit indicator");
}

TEST_CASE("DFE2230 edge: an unreadable indicator, a special school, a CSV census without the column") {
  auto unreadable = DatasetBuilder{}.pupil({.sen = "K"}).edit([](Dataset& d) {
    d.set_raw_value(Entity::pupil, 0, Field::sen_unit, "maybe");
  });
  CHECK(run_rule(rule("DFE2230"), unreadable.build(), spring_2025()).findings.empty());
  CHECK(run_rule(rule("DFE2230"), DatasetBuilder{}.pupil({.sen = "K"}).edit(phase("SP")).build(), spring_2025())
            .findings.empty());
  const auto csv = DatasetBuilder{}.pupil({.sen = "K"}).pupil({.upn = "U2", .sen = "E"}).edit(from_csv).build();
  const auto s = run_rule(rule("DFE2230"), csv, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.count("DFE2230") == 1);
  // A CSV census with the column: the pupil without the indicator is reported.
  const auto with_column = DatasetBuilder{}
                               .pupil({.upn = "U1", .sen = "K"})
                               .with_last([](Pupil& p) { p.sen_unit = false; })
                               .pupil({.upn = "U2", .sen = "E"})
                               .edit(from_csv)
                               .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE2230"), with_column, spring_2025())) ==
        std::vector<std::string>{"DFE2230 U2"});
}

// DFE2250 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE2250 passes SEN pupils with the resourced provision indicator") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "U1", .sen = "E"})
                        .with_last([](Pupil& p) { p.resourced_provision = true; })
                        .pupil({.upn = "U2", .sen = "N"})
                        .build();
  CHECK(run_rule(rule("DFE2250"), data, spring_2025()).findings.empty());
}

TEST_CASE("DFE2250 reports a pupil at SEN support with no resourced provision indicator") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "K"})
                        .with_last([](Pupil& p) { p.sen_unit = false; })
                        .build();
  const auto s = run_rule(rule("DFE2250"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE2250 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "2250");
  CHECK(s.findings[0].message == "Pupil with SEN provision K has no resourced provision indicator");
}

TEST_CASE("DFE2250 edge: a PRU and an autumn return are not checked and say why, a missing provision is not reported") {
  const auto pru = DatasetBuilder{}.pupil({.sen = "K"}).edit(phase("PR")).build();
  const auto s = run_rule(rule("DFE2250"), pru, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.at("DFE2250") ==
        "the indicator is collected only in the spring census, and not from special schools and PRUs (phase SP or PR)");
  const auto autumn = DatasetBuilder{}.school_return("8881001", "2024-10-03", "AUT").pupil({.sen = "K"}).build();
  CHECK(run_rule(rule("DFE2250"), autumn, spring_2025()).findings.empty());
  CHECK(run_rule(rule("DFE2250"), DatasetBuilder{}.pupil({.sen = ""}).build(), spring_2025()).findings.empty());
}

// DFE5049 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE5049 passes a special school without the SEN unit indicator, and a mainstream school with it") {
  CHECK(run_rule(rule("DFE5049"), DatasetBuilder{}.pupil({.sen = "E"}).edit(phase("SP")).build(), spring_2025())
            .findings.empty());
  const auto mainstream =
      DatasetBuilder{}.pupil({.sen = "E"}).with_last([](Pupil& p) { p.sen_unit = true; }).edit(phase("PS")).build();
  CHECK(run_rule(rule("DFE5049"), mainstream, spring_2025()).findings.empty());
}

TEST_CASE("DFE5049 reports a special school's pupil with the SEN unit indicator") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "E"})
                        .with_last([](Pupil& p) { p.sen_unit = false; })
                        .edit(phase("SP"))
                        .build();
  const auto s = run_rule(rule("DFE5049"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5049 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "5049");
  CHECK(s.findings[0].message ==
        "The SEN unit indicator is given (false) by a special school or PRU, which does not return it");
}

TEST_CASE("DFE5049 edge: an unreadable indicator at a PRU is still given, no special school or PRU says why") {
  const auto pru = DatasetBuilder{}
                       .pupil({.upn = "U1", .sen = "K"})
                       .edit(phase("PR"))
                       .edit([](Dataset& d) { d.set_raw_value(Entity::pupil, 0, Field::sen_unit, "Y?"); })
                       .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE5049"), pru, spring_2025())) == std::vector<std::string>{"DFE5049 U1"});
  const auto s = run_rule(rule("DFE5049"), DatasetBuilder{}.pupil({}).edit(phase("SS")).build(), spring_2025());
  CHECK(s.skipped.at("DFE5049") == "no return is from a special school or PRU (phase SP or PR)");
}

// DFE5050 -------------------------------------------------------------------------------------------------

TEST_CASE("DFE5050 passes a PRU without the resourced provision indicator") {
  CHECK(run_rule(rule("DFE5050"), DatasetBuilder{}.pupil({.sen = "K"}).edit(phase("PR")).build(), spring_2025())
            .findings.empty());
}

TEST_CASE("DFE5050 reports a PRU's pupil with the resourced provision indicator") {
  const auto data = DatasetBuilder{}
                        .pupil({.upn = "A888100119001", .sen = "K"})
                        .with_last([](Pupil& p) { p.resourced_provision = true; })
                        .edit(phase("PR"))
                        .build();
  const auto s = run_rule(rule("DFE5050"), data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"DFE5050 A888100119001"});
  CHECK(s.findings[0].dfe_rule == "5050");
  CHECK(s.findings[0].message ==
        "The resourced provision indicator is given (true) by a special school or PRU, which does not return it");
}

TEST_CASE("DFE5050 edge: a special school known only from the register, its SEN unit indicator is DFE5049's") {
  const auto data = DatasetBuilder{}
                        .school("8881001", Phase::special)
                        .school_return("8881001")
                        .pupil({.upn = "U1", .sen = "E"})
                        .with_last([](Pupil& p) {
                          p.sen_unit = true;
                          p.resourced_provision = false;
                        })
                        .pupil({.upn = "U2", .sen = "E"})
                        .with_last([](Pupil& p) { p.sen_unit = true; })
                        .build();
  CHECK(codes_and_subjects(run_rule(rule("DFE5050"), data, spring_2025())) == std::vector<std::string>{"DFE5050 U1"});
}
