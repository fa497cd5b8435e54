#include "personal_text.hpp"

#include <string>

namespace censusqa::load {
namespace {

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The outward code (A9, A99, AA9, AA99, A9A, AA9A), an optional space, then the inward code (9AA).
bool is_postcode(std::string_view t) {
  std::string s;
  for (const char c : t)
    if (c != ' ') s += c;
  if (s.size() < 5 || s.size() > 7) return false;
  const std::string_view in = std::string_view(s).substr(s.size() - 3);
  if (!is_digit(in[0]) || !is_letter(in[1]) || !is_letter(in[2])) return false;
  const std::string_view out = std::string_view(s).substr(0, s.size() - 3);
  if (!is_letter(out[0])) return false;
  std::size_t i = 1;
  if (i < out.size() && is_letter(out[i])) ++i;
  if (i >= out.size() || !is_digit(out[i])) return false;
  ++i;
  if (i < out.size() && (is_digit(out[i]) || is_letter(out[i]))) ++i;
  return i == out.size();
}

} // namespace

bool may_be_personal(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  if (is_postcode(text)) return true;
  std::size_t letters = 0;
  bool separated = false;
  for (const char c : text) {
    if (is_digit(c)) return false;
    if (is_letter(c) || static_cast<unsigned char>(c) >= 0xC0) // or the first byte of an accented letter
      ++letters;
    else if (static_cast<unsigned char>(c) >= 0x80)
      continue; // the rest of its bytes
    else if (c == ' ' || c == '-' || c == '\'')
      separated = true;
    else
      return false; // punctuation no name has: a malformed date or number ("12/13/2024", "1,5")
  }
  return letters >= 5 || (separated && letters >= 2);
}

std::string_view shown_value(std::string_view text) {
  return may_be_personal(text) ? std::string_view("(not shown: it may be a name or an address)") : text;
}

} // namespace censusqa::load
