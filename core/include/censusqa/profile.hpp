// censusqa SDK: a plugin's contribution to a school's inclusion profile, as data: a titled table of
// typed cells, placed on one of the profile's sheets or on a sheet of its own. The host lays it out
// and writes it; a plugin never sees the workbook library. A school's section must hold only that
// school's pupils; the host masks any other pupil's UPN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa {

struct ProfileCell {
  enum class Kind : std::uint8_t { empty, text, count, percent, decimal, pounds };
  Kind kind = Kind::empty;
  std::string text;
  std::int64_t count = 0; ///< count; pounds (whole pounds)
  double number = 0;      ///< percent (23.1 shows as 23.1%); decimal (one place)

  static ProfileCell of(std::string t) { return {Kind::text, std::move(t), 0, 0}; }
  static ProfileCell of_count(std::int64_t n) { return {Kind::count, {}, n, 0}; }
  static ProfileCell of_pounds(std::int64_t pounds) { return {Kind::pounds, {}, pounds, 0}; }
  /// Empty (shown as a dash) when there is no figure.
  static ProfileCell of_percent(std::optional<double> pc) {
    return pc ? ProfileCell{Kind::percent, {}, 0, *pc} : ProfileCell{};
  }
  static ProfileCell of_decimal(std::optional<double> v) {
    return v ? ProfileCell{Kind::decimal, {}, 0, *v} : ProfileCell{};
  }
};

struct ProfileSection {
  /// Where it goes: a sheet id of the profile template (overview, needs, statutory, exclusions_ap,
  /// finance, about), shown below that sheet's own tables; any other text is the title of a sheet of
  /// the plugin's own, placed before "Data to fix".
  std::string sheet;
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<ProfileCell>> rows;
  std::vector<std::string> notes; ///< definitions and sources, in plain words
};

/// Where sections go. Thread safe.
class ProfileSink {
public:
  virtual ~ProfileSink() = default;
  virtual void section(std::string_view laestab, ProfileSection s) = 0;
};

} // namespace censusqa
