// censusqa SDK: the Unique Pupil Number (DfE "A guide to UPNs"). 13 characters: a check letter,
// the 3-digit LA number, the 4-digit establishment number, 2 digits for the year of allocation,
// 3 serial digits; a temporary UPN has a letter in place of the last digit.
#pragma once

#include <optional>
#include <string_view>

namespace censusqa {

/// The letters a UPN uses for its check character and a temporary UPN's last character
/// (no I, O or S, so that they cannot be mistaken for digits).
inline constexpr std::string_view upn_letters = "ABCDEFGHJKLMNPQRTUVWXYZ";

/// Whether `upn` has the UPN shape: 13 characters, a letter, 11 digits, then a digit or a letter
/// other than I, O and S. Upper-case letters only (loaders upper-case codes on input).
constexpr bool upn_well_formed(std::string_view upn) {
  if (upn.size() != 13) return false;
  if (upn[0] < 'A' || upn[0] > 'Z') return false;
  for (std::size_t i = 1; i < 12; ++i)
    if (upn[i] < '0' || upn[i] > '9') return false;
  const char last = upn[12];
  return (last >= '0' && last <= '9') || upn_letters.find(last) != std::string_view::npos;
}

/// The check letter the UPN's characters 2-13 call for: characters 2..13 weighted 2..13 (a letter
/// at 13 counts as its index in `upn_letters`), summed, mod 23, mapped through `upn_letters`.
/// Nothing when `upn` is not well formed.
constexpr std::optional<char> upn_check_letter(std::string_view upn) {
  if (!upn_well_formed(upn)) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 1; i < 13; ++i) {
    const char c = upn[i];
    const int v = (c >= '0' && c <= '9') ? c - '0' : static_cast<int>(upn_letters.find(c));
    sum += v * static_cast<int>(i + 1);
  }
  return upn_letters[static_cast<std::size_t>(sum % 23)];
}

/// A well-formed UPN whose first character is its check letter.
constexpr bool upn_valid(std::string_view upn) {
  const auto check = upn_check_letter(upn);
  return check && *check == upn[0];
}

/// Whether the UPN is temporary (a letter at position 13).
constexpr bool upn_is_temporary(std::string_view upn) { return upn.size() == 13 && (upn[12] < '0' || upn[12] > '9'); }

} // namespace censusqa
