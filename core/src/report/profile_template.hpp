// templates/inclusion-profile.json: what an LA can change without code (sheet order, titles and
// which sheets; colours; logo text; comparator labels; the Overview's indicators and the metrics
// behind them; the Response choices).
#pragma once

#include "workbook.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::report {

struct Indicator {
  enum class Kind { count, percent, rate };
  std::string label;
  Kind kind = Kind::percent;
  /// Metric names summed for the figure (count) or numerator and denominator (percent, rate). A
  /// name ending in ".*" sums every metric with that prefix.
  std::vector<std::string> value, numerator, denominator;
  bool flag = true;
};

struct ProfileTemplate {
  std::string path;
  std::string title = "Inclusion profile";
  std::string logo_text; ///< shown above every sheet's title; the LA name when empty
  struct SheetSpec {
    std::string id, title;
  };
  std::vector<SheetSpec> sheets; ///< in order; a sheet left out is not written
  std::string la_label = "LA (same phase)", similar_label = "Similar schools", england_label = "England";
  int similar_min_schools = 5;
  std::vector<std::string> responses{"Fixed in MIS", "Explained", "Disputed"};
  /// The Response that marks a finding explained (the choice naming it), and a dispute. Any
  /// template's wording is read back the same way (censusqa explain --import).
  static bool says_explained(std::string_view response) { return response.find("xplain") != std::string_view::npos; }
  static bool says_disputed(std::string_view response) { return response.find("ispute") != std::string_view::npos; }
  std::vector<Indicator> indicators;
  book::Style style;

  bool has(std::string_view id) const;
  std::string title_of(std::string_view id) const;
};

/// The sheet ids a template may list.
inline constexpr const char* profile_sheet_ids[] = {"overview", "needs",       "statutory", "exclusions_ap",
                                                    "finance",  "data_to_fix", "about"};

/// Reads and checks a template; throws std::runtime_error naming the file and the key at fault.
ProfileTemplate read_profile_template(const std::filesystem::path& path);

} // namespace censusqa::report
