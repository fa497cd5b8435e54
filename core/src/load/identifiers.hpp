// The shape of the identifiers input files give: checked once, here, before any is used (an
// identifier names a school, and a school's file, only when it has this shape).
#pragma once

#include <string_view>

namespace censusqa::load {

/// Exactly `n` ASCII digits.
constexpr bool is_digits(std::string_view s, std::size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789") == std::string_view::npos;
}

/// A LAEstab: 7 digits (the LA number and the establishment number).
constexpr bool is_laestab(std::string_view s) { return is_digits(s, 7); }

} // namespace censusqa::load
