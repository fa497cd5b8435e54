#include "personal_text.hpp"

namespace censusqa::load {
namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The outward code (A9, A99, AA9, AA99, A9A, AA9A), an optional space, then the inward code (9AA).
bool is_postcode(std::string_view t) {
  char s[8];
  std::size_t n = 0;
  for (const char c : t) {
    if (c == ' ') continue;
    if (n == sizeof s) return false;
    s[n++] = c;
  }
  if (n < 5 || n > 7) return false;
  const char* in = s + n - 3;
  if (!is_digit(in[0]) || !is_letter(in[1]) || !is_letter(in[2])) return false;
  const std::size_t out = n - 3;
  if (!is_letter(s[0])) return false;
  std::size_t i = 1;
  if (i < out && is_letter(s[i])) ++i;
  if (i >= out || !is_digit(s[i])) return false;
  ++i;
  if (i < out && (is_digit(s[i]) || is_letter(s[i]))) ++i;
  return i == out;
}

} // namespace

// Called for every UPN read (millions in a national run): no allocation, one pass.
bool may_be_personal(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  std::size_t letters = 0, digits = 0;
  bool separated = false, other = false;
  for (const char c : text) {
    if (is_digit(c))
      ++digits;
    else if (is_letter(c) || static_cast<unsigned char>(c) >= 0xC0) // or the first byte of an accented letter
      ++letters;
    else if (static_cast<unsigned char>(c) >= 0x80)
      continue; // the rest of its bytes
    else if (c == ' ' || c == '-' || c == '\'')
      separated = true;
    else
      other = true; // punctuation no name has: a malformed date or number ("12/13/2024", "1,5")
  }
  if (digits > 0) return !other && text.size() <= 8 && is_postcode(text);
  return !other && (letters >= 5 || (separated && letters >= 2));
}

std::string_view shown_value(std::string_view text) {
  return may_be_personal(text) ? std::string_view("(not shown: it may be a name or an address)") : text;
}

} // namespace censusqa::load
