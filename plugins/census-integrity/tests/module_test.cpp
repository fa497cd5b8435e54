// The plugin's rule list: every rule declared once, complete metadata, codes unique and in order.
#include "../rules/rules.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace censusqa;
using namespace censusqa::census_integrity;

TEST_CASE("census-integrity rules have complete, unique metadata") {
  const Rule* all[] = {&ci001_upn_format,
                       &ci002_upn_check_letter,
                       &ci003_upn_la_number,
                       &ci004_duplicate_upn_in_school,
                       &ci005_upn_at_several_schools,
                       &ci006_dob,
                       &ci007_age_for_year_group,
                       &ci008_sen_provision,
                       &ci009_return_header,
                       &ci010_no_sen_pupils};
  std::set<std::string_view> codes;
  int n = 1;
  for (const Rule* r : all) {
    INFO(r->info->code);
    char expected[8];
    std::snprintf(expected, sizeof expected, "CI%03d", n++);
    CHECK(r->info->code == std::string_view(expected));
    CHECK(codes.insert(r->info->code).second);
    CHECK_FALSE(r->info->title.empty());
    CHECK(r->info->why.size() > 40);
    CHECK(r->info->how_to_fix.size() > 20);
    CHECK((r->info->needs & needs_census) != 0);
  }
}
