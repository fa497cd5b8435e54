// AP009: see rules/ap009_unknown_destination.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
namespace ap_reintegration = censusqa::ap_reintegration;
using censusqa::ap_reintegration::ap009_unknown_destination;

TEST_CASE("AP009 is silent for known destinations and for a pupil over compulsory school age") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .dob = "2010-05-01"})
                     .pupil({.upn = "U2", .dob = "2007-05-01"})
                     .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "same_school")
                     .placement("AP-2", "U2", "2024-09-02", "2024-11-01", "neet")
                     .build(); // U2 was 17 on 31 August 2024
  CHECK(run_rule(ap009_unknown_destination, d, spring_2025()).findings.empty());
}

TEST_CASE("AP009 notes an unknown destination for a 14-year-old") {
  const auto d = DatasetBuilder{}
                     .pupil({.upn = "U1", .dob = "2010-05-01"})
                     .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "unknown")
                     .build();
  const auto s = run_rule(ap009_unknown_destination, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"AP009 AP-1"});
  CHECK(s.findings[0].severity == Severity::info);
  CHECK(s.findings[0].message ==
        "The placement ended on 2024-11-01 with destination not known for a pupil of compulsory school age");
}

TEST_CASE("AP009 edge: 15 on the 31 August before the end date is still compulsory, 16 is not, no DOB, no judgement") {
  CHECK(run_rule(ap009_unknown_destination,
                 DatasetBuilder{}
                     .pupil({.upn = "U1", .dob = "2008-09-01"})
                     .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "neet")
                     .build(),
                 spring_2025())
            .findings.size() == 1);
  CHECK(run_rule(ap009_unknown_destination,
                 DatasetBuilder{}
                     .pupil({.upn = "U1", .dob = "2008-08-31"})
                     .placement("AP-1", "U1", "2024-09-02", "2024-11-01", "neet")
                     .build(),
                 spring_2025())
            .findings.empty());
  CHECK(run_rule(ap009_unknown_destination,
                 DatasetBuilder{}.placement("AP-1", "U9", "2024-09-02", "2024-11-01", "neet").build(), spring_2025())
            .findings.empty());
}
