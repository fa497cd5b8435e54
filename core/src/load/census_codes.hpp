// The census code lists (schemas/census-codes.json): which codes each coded item accepts, between
// which dates, and what an attendance reason code counts as. Data, not code, so that a new census year
// is an edit of the file.
#pragma once

#include <censusqa/codes.hpp>
#include <censusqa/date.hpp>

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

enum class CodeSetId : std::uint8_t {
  nc_year,
  enrol_status,
  sen_provision,
  need_type,
  exclusion_category,
  exclusion_reason,
  attendance_reason,
  uk_country,
  ap_setting_type,
  ap_reason,
  ap_attendance_pattern,
  sex,
};
inline constexpr std::size_t code_set_count = 12;
inline constexpr std::array<std::string_view, code_set_count> code_set_names{
    "nc_year",           "enrol_status", "sen_provision",   "need_type", "exclusion_category",    "exclusion_reason",
    "attendance_reason", "uk_country",   "ap_setting_type", "ap_reason", "ap_attendance_pattern", "sex"};

struct CodeEntry {
  ShortCode code;
  std::optional<Date> from, until;                     ///< valid from / until (inclusive)
  AbsenceCategory category = AbsenceCategory::unknown; ///< attendance reasons only
  std::string retired;                                 ///< why the code is no longer valid, when it has an `until`
};

/// What checking one code gave: its entry (null when the set has no such code) and, when it is not
/// valid on the date, why.
struct CodeCheck {
  const CodeEntry* entry = nullptr;
  std::string problem; ///< empty when the code is valid
  bool ok() const { return problem.empty(); }
};

class CodeSets {
public:
  /// Reads the file; throws std::runtime_error naming the file and the problem.
  static CodeSets from_file(const std::filesystem::path& path);

  /// Checks `code` (as returned; compared without regard to case) on `on` (any date when unknown).
  CodeCheck check(CodeSetId set, std::string_view code, std::optional<Date> on) const;
  /// The entry for a code, whatever its dates; null when the set has none.
  const CodeEntry* find(CodeSetId set, std::string_view code) const;
  /// The codes valid on `on`, comma-separated, for messages.
  std::string expected(CodeSetId set, std::optional<Date> on) const;
  const std::vector<CodeEntry>& entries(CodeSetId set) const { return sets_[static_cast<std::size_t>(set)]; }

private:
  std::array<std::vector<CodeEntry>, code_set_count> sets_;
  /// Each entry's code as a 32-bit word, beside sets_: a lookup compares one word per entry.
  std::array<std::vector<std::uint32_t>, code_set_count> keys_;
  static std::optional<std::uint32_t> key_of(std::string_view code);
};

/// The 1 September that starts the academic year `start_year`/`start_year + 1`.
inline Date academic_year_start(int start_year) { return *Date::from_ymd(start_year, 9, 1); }

/// "2022/23" -> 2022; nothing when the text is not an academic year.
std::optional<int> parse_academic_year(std::string_view text);
/// 2022 -> "2022/23".
std::string academic_year_label(int start_year);

} // namespace censusqa::load
