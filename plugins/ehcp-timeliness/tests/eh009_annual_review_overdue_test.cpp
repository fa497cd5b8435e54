// EH009: annual review overdue.
#include "../rules/rules.hpp"
#include "case_builder.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::ehcp_timeliness::eh009_annual_review_overdue;

namespace {
CaseSpec active(const std::string& id, const std::string& issued, const std::string& review,
                const std::string& ceased = "") {
  return {
      .id = id, .request = "2020-01-06", .assessment_outcome = "Y", .plan = issued, .review = review, .ceased = ceased};
}
} // namespace

TEST_CASE("EH009 passes a plan reviewed exactly 12 months before the reference date, and a ceased plan") {
  const auto d =
      cases({active("A", "2021-03-01", "2024-01-16"), active("B", "2021-03-01", "2022-01-01", "2024-06-01")});
  CHECK(run_rule(eh009_annual_review_overdue, d, spring_2025()).findings.empty());
}

TEST_CASE("EH009 queries a review a day over 12 months, and a plan never reviewed") {
  const auto d = cases({active("A", "2021-03-01", "2024-01-15"), active("B", "2023-12-01", "")});
  const auto s = run_rule(eh009_annual_review_overdue, d, spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"EH009 A", "EH009 B"});
  CHECK(s.findings[0].message ==
        "The last annual review was on 2024-01-15, more than 12 months before the reference date 2025-01-16");
  CHECK(s.findings[1].message == "The plan was issued on 2023-12-01 and has never been reviewed, more than 12 months "
                                 "before the reference date 2025-01-16");
}

TEST_CASE("EH009 edge: a plan ceasing after the reference date was still active, and 29 February") {
  CHECK(run_rule(eh009_annual_review_overdue, cases({active("A", "2021-03-01", "2023-06-01", "2025-03-01")}),
                 spring_2025())
            .findings.size() == 1);
  RunInfo leap = spring_2025();
  leap.reference_date = Date::parse("2024-02-29");
  CHECK(ehcp_timeliness::one_year_before(*leap.reference_date).iso() == "2023-02-28");
  CHECK(run_rule(eh009_annual_review_overdue, cases({active("A", "2021-03-01", "2023-02-28")}), leap).findings.empty());
  CHECK(run_rule(eh009_annual_review_overdue, cases({active("A", "2021-03-01", "2023-02-27")}), leap).findings.size() ==
        1);
}
