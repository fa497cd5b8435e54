// PN010: a need's share far from similar schools, and the exact binomial test behind it.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::binomial_two_sided_p;
using censusqa::primary_need::pn010_need_share_outlier;

namespace {
// A second method: the pmf by exact recurrence in long double, summed over outcomes no more likely.
long double binomial_by_recurrence(int k, int n, long double p) {
  std::vector<long double> pmf(static_cast<std::size_t>(n) + 1);
  pmf[0] = std::pow(1.0L - p, n);
  for (int i = 1; i <= n; ++i)
    pmf[i] = pmf[i - 1] * (n - i + 1) / i * p / (1.0L - p);
  long double total = 0;
  for (int i = 0; i <= n; ++i)
    if (pmf[i] <= pmf[k] * (1 + 1e-7L)) total += pmf[i];
  return std::min(1.0L, total);
}

// One school of `sen` pupils with SEN, `with_need` of them with primary need `need`, the rest SLCN/ASD.
void add_school(DatasetBuilder& b, const std::string& laestab, int sen, const std::string& need, int with_need) {
  b.school(laestab, Phase::primary).school_return(laestab);
  for (int i = 0; i < sen; ++i) {
    std::string type = i < with_need ? need : (i % 2 ? "SLCN" : "ASD");
    b.pupil({.upn = laestab + "-" + std::to_string(i), .sen = "K", .needs = {{1, type}}});
  }
}
} // namespace

TEST_CASE("exact binomial test: values computed by hand") {
  CHECK(binomial_two_sided_p(0, 10, 0.5) == Approx(2.0 / 1024).epsilon(1e-12));   // X=0 or X=10
  CHECK(binomial_two_sided_p(3, 10, 0.5) == Approx(352.0 / 1024).epsilon(1e-12)); // 2 * (1+10+45+120)/1024
  CHECK(binomial_two_sided_p(5, 10, 0.5) == Approx(1.0));
  CHECK(binomial_two_sided_p(0, 5, 0.0) == 1.0);
  CHECK(binomial_two_sided_p(1, 5, 0.0) == 0.0);
}

TEST_CASE("exact binomial test agrees with a second method") {
  for (int n : {10, 20, 57, 200})
    for (double p : {0.05, 0.2, 0.31})
      for (int k : {0, 1, n / 5, n / 2, n}) {
        INFO(k << " of " << n << " at " << p);
        CHECK(binomial_two_sided_p(k, n, p) ==
              Approx(static_cast<double>(binomial_by_recurrence(k, n, p))).epsilon(1e-9));
      }
}

TEST_CASE("PN010 passes schools whose mix matches the others") {
  DatasetBuilder b;
  add_school(b, "8882001", 40, "SEMH", 8);
  add_school(b, "8882002", 40, "SEMH", 9);
  add_school(b, "8882003", 40, "SEMH", 7);
  CHECK(run_rule(pn010_need_share_outlier, b.build(), spring_2025()).findings.empty());
}

TEST_CASE("PN010 queries an SEMH excess with the need-specific hint") {
  DatasetBuilder b;
  add_school(b, "8882001", 40, "SEMH", 8);
  add_school(b, "8882002", 40, "SEMH", 8);
  add_school(b, "8882003", 40, "SEMH", 25);
  const auto s = run_rule(pn010_need_share_outlier, b.build(), spring_2025());
  // The excess school, and the SLCN/ASD shares it displaced.
  REQUIRE(s.findings.size() >= 1);
  CHECK(s.findings[0].laestab == "8882003");
  CHECK(s.findings[0].subject == "SEMH");
  CHECK_THAT(
      s.findings[0].message,
      Catch::StartsWith("SEMH is the primary need of 25 of 40 pupils with SEN here (62.5%), far above the 20.0% in "
                        "the LA's other primary schools (2): a gap this large would arise by chance less than 1 "
                        "in 10,000 times, so it is very unlikely to be chance (exact binomial test). "));
  // The p-value in words, not 2.4e-05.
  CHECK(s.findings[0].values.back() == std::pair<std::string, std::string>{"chance", "less than 1 in 10,000"});
  CHECK_THAT(s.findings[0].message, Catch::EndsWith("SEMH recorded as a catch-all for behaviour?"));
  for (const auto& f : s.findings)
    CHECK(f.laestab == "8882003");
}

TEST_CASE("PN010's share is of every pupil with SEN, as the profile's Needs sheet shows it") {
  DatasetBuilder b;
  add_school(b, "8882001", 40, "SEMH", 8);
  add_school(b, "8882002", 40, "SEMH", 8);
  add_school(b, "8882003", 40, "SEMH", 25);
  for (int i = 0; i < 10; ++i) // pupils with SEN support and no primary need recorded (PN001's finding)
    b.pupil({.upn = "8882003-none-" + std::to_string(i), .sen = "K"});
  const auto s = run_rule(pn010_need_share_outlier, b.build(), spring_2025());
  REQUIRE_FALSE(s.findings.empty());
  CHECK_THAT(s.findings[0].message,
             Catch::StartsWith("SEMH is the primary need of 25 of 50 pupils with SEN here (50.0%), far above"));
}

TEST_CASE("PN010 edge: fewer than 10 pupils with SEN, or a gap under 10 points, is not reported") {
  DatasetBuilder small;
  add_school(small, "8882001", 40, "SEMH", 8);
  add_school(small, "8882002", 9, "SEMH", 9); // all SEMH, but too few to test
  add_school(small, "8882003", 40, "SEMH", 8);
  for (const auto& f : run_rule(pn010_need_share_outlier, small.build(), spring_2025()).findings)
    CHECK(f.laestab != "8882002");
  DatasetBuilder ten;
  add_school(ten, "8882001", 40, "SEMH", 8);
  add_school(ten, "8882002", 10, "SEMH", 10); // ten is enough
  add_school(ten, "8882003", 40, "SEMH", 8);
  const auto tested = run_rule(pn010_need_share_outlier, ten.build(), spring_2025());
  CHECK(std::any_of(tested.findings.begin(), tested.findings.end(),
                    [](const Finding& f) { return f.laestab == "8882002" && f.subject == "SEMH"; }));
  // 112 of 400 (28%) against 20%: p is about 0.0001, but the gap is 8 points.
  DatasetBuilder near;
  add_school(near, "8882001", 400, "SEMH", 80);
  add_school(near, "8882002", 400, "SEMH", 112);
  const auto s = run_rule(pn010_need_share_outlier, near.build(), spring_2025());
  for (const auto& f : s.findings)
    CHECK(f.subject != "SEMH");
}

TEST_CASE("PN010 uses the national reference for the phase when reference/ has the DfE school-level file") {
  DatasetBuilder b;
  add_school(b, "8882001", 40, "SEMH", 8); // 20% SEMH, against a national 50%
  Dataset d = b.build();
  ReferenceTable t;
  t.kind = "sen-school-level";
  t.columns = {"phase_type_grouping", "SUP_Primary_need_semh", "SUP_Primary_need_slcn", "EHC_Primary_need_semh"};
  t.rows = {{"State-funded primary", "400", "500", "100"},
            {"State-funded primary", "x", "\"1,000\"", "0"}, // suppressed cells are missing, not zero
            {"State-funded secondary", "9999", "1", "0"}};
  d.reference.push_back(t);
  d.available |= needs_reference;
  const auto s = run_rule(pn010_need_share_outlier, d, spring_2025());
  // SEMH: 500 of 2,000 (25%) nationally; SLCN: 1,500 of 2,000 (75%).
  const auto semh =
      std::find_if(s.findings.begin(), s.findings.end(), [](const Finding& f) { return f.subject == "SEMH"; });
  REQUIRE(semh == s.findings.end()); // 20% against 25%: a gap under 10 points
  const auto slcn =
      std::find_if(s.findings.begin(), s.findings.end(), [](const Finding& f) { return f.subject == "SLCN"; });
  REQUIRE(slcn != s.findings.end());
  CHECK_THAT(slcn->message,
             Catch::Contains("far below the 75.0% in primary schools in the national reference (2 schools)"));
  CHECK_THAT(slcn->message, Catch::EndsWith("Speech, language and communication needs under-identified?"));
}
