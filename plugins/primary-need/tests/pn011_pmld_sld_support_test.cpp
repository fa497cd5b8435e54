// PN011: see rules/pn011_pmld_sld_support.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::primary_need::pn011_pmld_sld_support;

TEST_CASE("PN011 passes SLD with an EHC plan in mainstream and SLD at K in a special school") {
  const auto d = DatasetBuilder{}
                     .school("8881001", Phase::primary)
                     .school("8887001", Phase::special)
                     .school_return("8881001")
                     .pupil({.upn = "U1", .sen = "E", .needs = {{1, "SLD"}}})
                     .school_return("8887001")
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "SLD"}}})
                     .build();
  CHECK(run_rule(pn011_pmld_sld_support, d, spring_2025()).findings.empty());
}

TEST_CASE("PN011 queries PMLD at SEN support in a primary school") {
  const auto d = DatasetBuilder{}
                     .school("8881001", Phase::primary)
                     .school_return("8881001")
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "PMLD"}}})
                     .build();
  const auto s = run_rule(pn011_pmld_sld_support, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"PN011 U1"});
  CHECK(s.findings[0].message == "PMLD is the primary need of a pupil at SEN support in a primary school");
}

TEST_CASE("PN011 edge: SLD as a secondary need, and a PRU, are not queried") {
  const auto d = DatasetBuilder{}
                     .school("8881001", Phase::secondary)
                     .school("8881100", Phase::pru)
                     .school_return("8881001")
                     .pupil({.upn = "U1", .sen = "K", .needs = {{1, "MLD"}, {2, "SLD"}}})
                     .school_return("8881100")
                     .pupil({.upn = "U2", .sen = "K", .needs = {{1, "SLD"}}})
                     .build();
  CHECK(run_rule(pn011_pmld_sld_support, d, spring_2025()).findings.empty());
}
