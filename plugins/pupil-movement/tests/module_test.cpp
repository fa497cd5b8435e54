// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order; one
// measurement per run.
#include "../rules/rules.hpp"
#include "rule_list_checks.hpp"
#include "testkit.hpp"

#include <censusqa/options.hpp>

using namespace censusqa;
using namespace censusqa::pupil_movement;

// Every rule test gets the configuration a run gives: the declared defaults applied.
[[maybe_unused]] const bool tested = (testkit::tested_plugin = {"pupil-movement", options}, true);

TEST_CASE("pupil-movement's option declarations are sound") {
  CHECK_NOTHROW(check_option_declarations(options, "pupil-movement"));
}

TEST_CASE("pupil-movement rules have complete, unique metadata") {
  testkit::check_rule_list("MV", {&mv001_vanished, &mv002_sen_exits_outlier, &mv003_excluded_nowhere}, needs_census);
}

TEST_CASE("pupil-movement: a run's rules share the run's measurement, and a run without previous/ skips them") {
  const Dataset d = testkit::DatasetBuilder{}.pupil({.upn = "U1"}).build();
  {
    const MeasuredRun measured(d, testkit::spring_2025());
    const Movement& first = movement(d, testkit::spring_2025());
    CHECK(&first == &movement(d, testkit::spring_2025())); // the same object: measured once
    CHECK(first.refused == "no previous census (previous/)");
  }
  static const Rule rules[] = {mv001_vanished, mv002_sen_exits_outlier};
  RuleListPlugin plugin({.id = "pupil-movement", .rules = rules, .options = options});
  const auto run = testkit::run_plugin(plugin, d, "{}", testkit::spring_2025());
  CHECK(run.findings.empty());
  CHECK(run.skipped.at("MV001") == "no previous/");
}
