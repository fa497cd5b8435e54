// What the LA returns read with xml_scan.hpp (SEN2, the AP census) share about their values: the
// xs:date they are dated in, and hiding any value that holds a name of the file's people.
#pragma once

#include <censusqa/date.hpp>
#include <censusqa/finding.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

/// xs:date: YYYY-MM-DD, perhaps with a time zone (Z or +hh:mm), which a calendar date ignores.
inline std::optional<Date> xs_date(std::string_view s) {
  if (s.size() == 11 && s[10] == 'Z') s.remove_suffix(1);
  if (s.size() == 16 && (s[10] == '+' || s[10] == '-') && s[13] == ':') s = s.substr(0, 10);
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  return Date::parse(s);
}

/// Whether `hay` holds `needle` (two characters or more), ASCII letters compared without case.
inline bool contains_folded(std::string_view hay, std::string_view needle) {
  if (needle.size() < 2 || needle.size() > hay.size()) return false;
  const auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t k = 0;
    while (k < needle.size() && fold(hay[i + k]) == fold(needle[k]))
      ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

/// Whether `value` holds any of `names`.
inline bool holds_a_name(std::string_view value, const std::vector<std::string>& names) {
  return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return contains_folded(value, n); });
}

/// In every finding, a "value" that holds one of `names` (a name put in the wrong element, before or
/// after the person's own) becomes `hidden`, in its values and where its message quotes it.
inline void hide_name_values(std::vector<Finding>& findings, const std::vector<std::string>& names,
                             std::string_view hidden) {
  if (names.empty()) return;
  for (Finding& f : findings)
    for (auto& [k, v] : f.values)
      if (k == "value" && holds_a_name(v, names)) {
        const std::string quoted = "'" + v + "'";
        for (std::size_t at; (at = f.message.find(quoted)) != std::string::npos;)
          f.message.replace(at, quoted.size(), hidden);
        v = std::string(hidden);
      }
}

} // namespace censusqa::load
