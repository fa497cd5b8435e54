// Whether a value that failed to read as its field's type may be a person's name or an address, so
// that no finding shows it (docs/text-input-security.md, "Names"). Only values a loader could not read
// are tested: a valid date, code, number or UPN is never a name.
#pragma once

#include <string_view>

namespace censusqa::load {

/// True for a UK postcode ("QX77 9QZ", "sw1a1aa") and for text with no digit that is a word of five or
/// more letters, or words with spaces, hyphens or apostrophes ("Mary Jane", "O'Neil"): a name typed or
/// shifted into a date, code, number or UPN field. A code of four letters or fewer (FIXD, LUNC) is
/// still shown, so that the finding can say why it is not valid; a short name there is the residual
/// risk.
bool may_be_personal(std::string_view text);

/// What a finding shows of a value that could not be read: the value, or a note that it is not shown.
std::string_view shown_value(std::string_view text);

} // namespace censusqa::load
