// The check every plugin's module test makes of its rule list: codes PREFIX001.. in order, unique,
// and every text a reader needs (title, why, how to fix) present. Catch2 assertions.
#pragma once

#include <censusqa/plugin.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <initializer_list>
#include <set>
#include <string_view>

namespace censusqa::testkit {

inline void check_rule_list(std::string_view prefix, std::initializer_list<const Rule*> rules, unsigned needs) {
  std::set<std::string_view> codes;
  int n = 1;
  for (const Rule* r : rules) {
    INFO(r->info->code);
    char expected[16];
    std::snprintf(expected, sizeof expected, "%.*s%03d", static_cast<int>(prefix.size()), prefix.data(), n++);
    CHECK(r->info->code == std::string_view(expected));
    CHECK(codes.insert(r->info->code).second);
    CHECK_FALSE(r->info->title.empty());
    CHECK(r->info->why.size() > 40);
    CHECK(r->info->how_to_fix.size() > 20);
    CHECK((r->info->needs & needs) == needs);
  }
}

} // namespace censusqa::testkit
