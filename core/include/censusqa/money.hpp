// censusqa SDK: money. Amounts are whole pence in a signed 64-bit integer; floating point never
// touches money (a balance of GBP 142,310.55 is 14231055 pence, exactly).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace censusqa {

/// An amount of money in pence.
using Pence = std::int64_t;

/// Parses pounds with optional pence as LA finance exports write them: `82267`, `82267.50`,
/// `82,267`, `-12666`, `(12,666)` (accounting negative), `£1,234.56`. Thousands separators must
/// group exactly three digits (`1,2,3` is refused). Gives nothing for anything else.
constexpr std::optional<Pence> parse_money(std::string_view s) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
      v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
      v.remove_suffix(1);
    return v;
  };
  s = trim(s);
  bool negative = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    negative = true;
    s = trim(s.substr(1, s.size() - 2));
  }
  if (!s.empty() && s.front() == '-') {
    if (negative) return std::nullopt;
    negative = true;
    s.remove_prefix(1);
  }
  constexpr std::string_view pound = "\xC2\xA3"; // U+00A3 in UTF-8
  if (s.substr(0, pound.size()) == pound) s.remove_prefix(pound.size());
  if (s.empty()) return std::nullopt;

  const auto dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (dot != std::string_view::npos && (frac.empty() || frac.size() > 2)) return std::nullopt;
  if (whole.empty()) return std::nullopt;

  Pence pounds = 0;
  int since_comma = -1; // digits since the last comma; -1 before any comma
  int leading = 0;
  for (char c : whole) {
    if (c == ',') {
      if (since_comma == -1 ? (leading == 0 || leading > 3) : since_comma != 3) return std::nullopt;
      since_comma = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (pounds > (INT64_MAX / 100 - 9) / 10) return std::nullopt; // would overflow in pence
    pounds = pounds * 10 + (c - '0');
    if (since_comma == -1)
      ++leading;
    else
      ++since_comma;
  }
  if (since_comma != -1 && since_comma != 3) return std::nullopt;

  Pence pence = 0;
  for (std::size_t i = 0; i < frac.size(); ++i) {
    if (frac[i] < '0' || frac[i] > '9') return std::nullopt;
    pence = pence * 10 + (frac[i] - '0');
  }
  if (frac.size() == 1) pence *= 10;
  const Pence total = pounds * 100 + pence;
  return negative ? -total : total;
}

/// The largest amount an LA's finance records may hold for one school, in either direction: no
/// school's budget share in England comes near £100 million, so a larger figure is a typing or
/// export error (the loader reports it and does not use it). With every input below it, sums of
/// millions of amounts cannot overflow.
inline constexpr Pence max_school_amount = 100'000'000'00;

/// a + b, or nothing when the sum would not fit in Pence (checked arithmetic for money).
constexpr std::optional<Pence> checked_add(Pence a, Pence b) {
  Pence r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
/// a - b, or nothing when the difference would not fit.
constexpr std::optional<Pence> checked_sub(Pence a, Pence b) {
  Pence r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
/// a * k, or nothing when the product would not fit.
constexpr std::optional<Pence> checked_mul(Pence a, std::int64_t k) {
  Pence r = 0;
  if (__builtin_mul_overflow(a, k, &r)) return std::nullopt;
  return r;
}

/// Whole pounds, rounded half away from zero (the rule for every figure shown in pounds).
constexpr std::int64_t round_to_pounds(Pence p) { return p >= 0 ? (p + 50) / 100 : -((-p + 50) / 100); }

} // namespace censusqa
