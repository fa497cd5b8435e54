// The reply check: how a returned inclusion profile shows which school it is for, in a way that the
// school cannot change to another school's (docs/replies-security.md).
//
// Each profile carries, on its Data to fix sheet and as the custom document property "censusqa reply
// check", the line "Reply check (keep this line): LAEstab 8882002, code <32 hex digits>". The code is
// an HMAC-SHA-256 of the LAEstab keyed with a SHA-256 of every input file of the run (path and hash):
// the key needs the other schools' census returns, which no school sees, and `explain --import`
// rebuilds it from the runs recorded in the history store. A school can read its own code, but cannot
// make the code of another school.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace censusqa::report {

/// The key of a run's reply checks: (path, sha256) of each input file, in the run's order.
std::string reply_key(const std::vector<std::pair<std::string, std::string>>& inputs);

/// 32 lower-case hex digits: the HMAC-SHA-256 of the school's LAEstab under `key`, cut to 128 bits.
std::string reply_code(const std::string& key, std::string_view laestab);

/// "Reply check (keep this line): LAEstab 8882002, code 0123...".
std::string reply_check_line(std::string_view laestab, std::string_view code);

struct ReplyCheck {
  std::string laestab; ///< 7 digits
  std::string code;    ///< 32 lower-case hex digits
};
/// The LAEstab and code of a reply check line, exactly as reply_check_line writes it (surrounding
/// spaces allowed); nothing for any other text.
std::optional<ReplyCheck> parse_reply_check(std::string_view text);

/// Whether two codes are equal, in time that does not depend on where they differ.
bool same_code(std::string_view a, std::string_view b);

} // namespace censusqa::report
