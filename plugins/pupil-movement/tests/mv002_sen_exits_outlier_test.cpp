// MV002: see rules/mv002_sen_exits_outlier.cpp.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using namespace censusqa::testkit;
using censusqa::pupil_movement::mv002_sen_exits_outlier;

namespace {
// `schools` primary schools, each with `sen` pupils with SEN support on the previous roll; school i loses
// `gone[i]` of them to nowhere, the others stay.
Dataset schools_losing(std::vector<int> gone, int sen = 20) {
  DatasetBuilder now, then;
  for (std::size_t i = 0; i < gone.size(); ++i) {
    const std::string laestab = std::string("888200").append(std::to_string(i + 1));
    now.school(laestab, Phase::primary).school_return(laestab);
    then.school_return(laestab, "2024-01-18");
    for (int k = 0; k < sen; ++k) {
      const std::string upn = std::string("S").append(std::to_string(i)).append("-").append(std::to_string(k));
      then.pupil({.upn = upn, .sen = "K"});
      if (k >= gone[i]) now.pupil({.upn = upn, .sen = "K"});
    }
    then.edit([](Dataset& d) { d.returns.back().highest_nc_year = NcYear::parse("6"); }); // Year 4 is not the last
  }
  return now.previous(then.build()).build();
}
} // namespace

TEST_CASE("MV002 passes schools whose pupils with SEN leave as often as elsewhere") {
  CHECK(run_rule(mv002_sen_exits_outlier, schools_losing({1, 1, 2, 1}), spring_2025()).findings.empty());
}

TEST_CASE("MV002 queries a school whose pupils with SEN leave unexplained far more often") {
  const auto s = run_rule(mv002_sen_exits_outlier, schools_losing({9, 1, 0, 1}), spring_2025());
  REQUIRE(codes_and_subjects(s) == std::vector<std::string>{"MV002 unexplained exits (SEN)"});
  CHECK(s.findings[0].laestab == "8882001");
  CHECK_THAT(s.findings[0].message,
             Catch::StartsWith("9 of the 20 pupils with SEN on the roll at the previous census (2024-01-18) left "
                               "with no explanation on record (45.0%), against 3.3% at the LA's 3 other primary "
                               "schools: a gap this large would arise by chance less than 1 in 10,000 times"));
}

TEST_CASE("MV002 edge: too few pupils, too few other schools, the low side") {
  CHECK(run_rule(mv002_sen_exits_outlier, schools_losing({5, 0, 0, 0}, 9), spring_2025()).findings.empty());
  CHECK(run_rule(mv002_sen_exits_outlier, schools_losing({15, 0}), spring_2025()).findings.empty());
  // One school far below the others is no query (high side only); the others are each near their comparator.
  CHECK(run_rule(mv002_sen_exits_outlier, schools_losing({0, 6, 6, 6}), spring_2025()).findings.empty());
}
