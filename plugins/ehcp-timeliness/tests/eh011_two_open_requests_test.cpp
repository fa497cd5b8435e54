// EH011: two open requests for one child.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh011_two_open_requests;

namespace {
Dataset of_person(std::vector<CaseSpec> specs, const std::string& person = "A123456789012") {
  Dataset d = cases(specs);
  for (auto& c : d.ehc_cases)
    c.person = c.upn = person;
  return d;
}
} // namespace

TEST_CASE("EH011 passes one open request beside settled ones, and open requests of different children") {
  CHECK(run_rule(eh011_two_open_requests,
                 of_person({{.id = "A", .request = "2024-01-02", .request_outcome = "N"},
                            {.id = "B", .request = "2024-03-02", .assessment_outcome = "W"},
                            {.id = "C", .request = "2024-04-02", .request_outcome = "H"},
                            plan_after("D", "2024-05-02", 100),
                            {.id = "E", .request = "2024-09-02", .request_outcome = "A"}}),
                 spring_2025())
            .findings.empty());
  Dataset two = cases({{.id = "A", .request = "2024-01-02"}, {.id = "B", .request = "2024-02-02"}});
  two.ehc_cases[0].person = "A123456789012";
  two.ehc_cases[1].person = "B123456789012";
  CHECK(run_rule(eh011_two_open_requests, two, spring_2025()).findings.empty());
}

TEST_CASE("EH011 queries the later of two open requests, naming the earlier") {
  const auto s = run_rule(eh011_two_open_requests,
                          of_person({{.id = "late", .request = "2024-06-03", .request_outcome = "A"},
                                     {.id = "early", .request = "2024-01-02", .request_outcome = "Y"}}),
                          spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH011 late"});
  CHECK(s.findings[0].message == "This request (received 2024-06-03) is open while an earlier one, early received "
                                 "2024-01-02, has no outcome either: the child has 2 open requests");
}

TEST_CASE("EH011 edge: no person (a CSV case without UPN) is no one's second request; undated is not open") {
  Dataset d = cases({{.id = "A", .request = "2024-01-02"}, {.id = "B", .request = "2024-02-02"}});
  CHECK(run_rule(eh011_two_open_requests, d, spring_2025()).findings.empty());
  CHECK(run_rule(eh011_two_open_requests, of_person({{.id = "A", .request = ""}, {.id = "B", .request = "2024-02-02"}}),
                 spring_2025())
            .findings.empty());
}
