// CI009: return header against the LA configuration.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::census_integrity::ci009_return_header;

TEST_CASE("CI009 passes a return for the configured LA and date") {
  const auto data = DatasetBuilder{}.school_return("8881001").pupil({}).build();
  const auto s = run_rule(ci009_return_header, data, spring_2025());
  CHECK(s.findings.empty());
  CHECK(s.skipped.empty());
}

TEST_CASE("CI009 reports another LA and another date in one finding") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001")
                        .pupil({})
                        .school_return("9991002", "2025-01-17")
                        .pupil({.upn = "B801200005001"})
                        .build();
  const auto s = run_rule(ci009_return_header, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI009 9991002"});
  CHECK(s.findings[0].message == "The return's header says LA 999 (the LA is 888) and reference date 2025-01-17 (the "
                                 "census is 2025-01-16)");
}

TEST_CASE("CI009 reports a header whose LEA or Estab is not the school the return was read as") {
  auto data = DatasetBuilder{}
                  .school_return("8881001")
                  .pupil({})
                  .school_return("8881002")
                  .pupil({.upn = "B801200005001"})
                  .school_return("8881003")
                  .pupil({.upn = "C801200005001"})
                  .build();
  data.returns[0].lea = "889"; // a mistyped LA number: read as 8881001's by its Estab
  data.returns[1].estab = "";  // no Estab: read as 8881002's by its URN
  data.returns[1].lea = "";
  const auto s = run_rule(ci009_return_header, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI009 8881001", "CI009 8881002"});
  CHECK(s.findings[0].message == "The return's header says LA 889 (the LA is 888)");
  CHECK(s.findings[0].values == std::vector<std::pair<std::string, std::string>>{{"LEA", "889"}});
  CHECK(s.findings[1].message ==
        "The return's header says no LA number (the LA is 888) and no Estab, yet it is 8881002's return by its URN");
}

TEST_CASE("CI009 edge: skipped without la_code, and the date is compared only when configured") {
  const auto data = DatasetBuilder{}.school_return("9991002", "2025-01-17").pupil({}).build();
  const auto skipped = run_rule(ci009_return_header, data, spring_2025(false));
  CHECK(skipped.findings.empty());
  CHECK(skipped.skipped.at("CI009") == "no la_code in the LA configuration");

  RunInfo la_only = spring_2025();
  la_only.reference_date_configured = false;
  const auto same_la = DatasetBuilder{}.school_return("8881002", "2025-01-17").pupil({}).build();
  CHECK(run_rule(ci009_return_header, same_la, la_only).findings.empty());
}

TEST_CASE("CI009 reports a header naming another term; a return with no term is left to the loader") {
  const auto data = DatasetBuilder{}
                        .school_return("8881001", "2025-01-16", "SUM") // a summer export sent for spring
                        .pupil({})
                        .school_return("8881002", "2025-01-16", "SPR")
                        .pupil({.upn = "B801200005001"})
                        .school_return("8881003", "2025-01-16", "")
                        .pupil({.upn = "C801200005001"})
                        .build();
  const auto s = run_rule(ci009_return_header, data, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"CI009 8881001"});
  CHECK(s.findings[0].message == "The return's header says term SUM (the census is SPR)");
  CHECK(s.findings[0].values == std::vector<std::pair<std::string, std::string>>{{"Term", "SUM"}});

  RunInfo no_term = spring_2025();
  no_term.term.reset(); // nothing to compare with
  CHECK(run_rule(ci009_return_header, data, no_term).findings.empty());
}
