// CI017: more than one permanent exclusion for one pupil in one return.
#include "rules.hpp"

namespace censusqa::census_integrity {
namespace {

constexpr RuleInfo info{
    "CI017",
    Severity::error,
    Scope::pupil,
    Actor::school,
    "More than one permanent exclusion",
    "A pupil is permanently excluded from a school once: it then leaves the roll. A second PERM on the same record "
    "is a duplicate or a suspension recorded as permanent, and would count twice in the exclusion figures (COLLECT "
    "rule 2285).",
    "Remove the duplicate exclusion in the MIS, or correct the category of the one that was a suspension.",
    needs_census,
    "Category",
    "2285",
    DfeMatch::exact};

void check(RuleContext& ctx) {
  ctx.data.for_each_pupil_and_leaver([&](const Pupil& p) {
    std::string dates;
    int n = 0;
    SourceRef second; // the line of the second PERM: the one to remove or correct
    for (const Exclusion& e : ctx.data.exclusions_of(p))
      if (e.category == ExclusionCategory::PERM) {
        if (++n == 2) second = e.source;
        dates += (dates.empty() ? "" : ", ") + (e.start_date ? e.start_date->iso() : std::string("(no date)"));
      }
    if (n > 1)
      ctx.report_pupil(p, second, std::to_string(n) + " permanent exclusions on one record (from " + dates + ")",
                       {{"Category", "PERM"}, {"count", std::to_string(n)}});
  });
}

} // namespace

const Rule ci017_two_perms{&info, check};

} // namespace censusqa::census_integrity
