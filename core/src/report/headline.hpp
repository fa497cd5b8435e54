// The headline at the top of a profile's Overview: three to five plain sentences a head teacher reads
// first, in the manner of Ofsted's IDSR "areas of interest": the largest differences from the
// comparator that are not small numbers, and the data to fix by the LA's deadline. Made from the
// Overview's indicator rows as data (their figures and flags as shown); it flags nothing itself.
#pragma once

#include "workbook.hpp"

#include <censusqa/date.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::report {

/// One indicator as the Overview shows it.
struct HeadlineRow {
  std::string label;                ///< "SEN support"
  std::optional<double> school;     ///< the school's figure (a percentage, or a rate per 100)
  std::optional<double> comparator; ///< the comparator's figure
  std::string comparator_name;      ///< "similar schools"
  std::string flag;                 ///< as shown: "well above", "above", "in line", "below", "well below" or empty
  bool small_number = false;        ///< the row says its figure rests on a small number: never a headline
  bool rate = false;                ///< per 100 pupils (else a percentage)
};

struct HeadlineFacts {
  std::vector<HeadlineRow> rows;
  std::int64_t errors = 0, queries = 0; ///< open on Data to fix (not already explained)
  std::optional<Date> deadline;         ///< when the LA wants the reply
  std::string contact;                  ///< whom to ask
};

/// The sentences, at most five: up to three differences (the strongest flags first, then the largest
/// relative difference), one more saying how many others differ, and the data to fix. With no
/// difference, one sentence says so.
std::vector<std::string> headline(const HeadlineFacts& facts);

/// "16 January 2025", or with the weekday "Thursday 16 January 2025": how the workbooks write a date.
std::string long_date(const Date& d, bool weekday = false);
/// "1 query", "3 queries".
std::string plural(std::int64_t n, const char* one, const char* many);

/// The Overview's indicator table read as HeadlineRows, by its column headers: "Indicator", "This
/// school", the flag column "Compared with <comparator>", the comparator's own column and "Note"
/// (a note starting "Small number" marks a small number). Rows without a figure are left out.
std::vector<HeadlineRow> headline_rows(const book::Table& indicators);

} // namespace censusqa::report
