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
  CHECK(s.findings[0].message == "The return says LA 999 and reference date 2025-01-17, but the LA configuration says "
                                 "LA 888 and reference date 2025-01-16");
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
