// The reply check: how a returned inclusion profile shows which school it is for, in a way that the
// school cannot change to another school's (docs/replies-security.md).
//
// Each profile carries, on its Data to fix sheet and as the custom document property "censusqa reply
// check", the line "Reply check (keep this line): LAEstab 8882002, code <32 hex digits>". The code is
// an HMAC-SHA-256 of the LAEstab keyed with a SHA-256 of the run's reply secret (32 random bytes, made
// for the run and kept only in the history store) and every input file of the run (path and hash).
// `explain --import` rebuilds the key from the runs recorded in the store. A school can read its own
// code, but cannot make the code of another school: its profile lists the run's inputs and their
// hashes (its custom properties), so a key made from those alone could be rebuilt by any school whose
// profile lists them all (a CSV census), as runs recorded before store schema 9 were keyed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace censusqa::report {

/// A new run's reply secret: 32 bytes from the system's random source (getrandom), as 64 hex digits.
/// Throws std::runtime_error when the system gives none.
std::string new_reply_secret();

/// The key of a run's reply checks: its secret (new_reply_secret) and (path, sha256) of each input
/// file, in the run's order.
std::string reply_key(std::string_view secret, const std::vector<std::pair<std::string, std::string>>& inputs);

/// The key of a run recorded before store schema 9, which had no secret: anyone holding the run's
/// input list and hashes can make it. The import accepts such a check only with --school.
std::string unkeyed_reply_key(const std::vector<std::pair<std::string, std::string>>& inputs);

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
