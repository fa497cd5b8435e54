// `censusqa explain --import`: schools' returned profiles into the history store, trusting nothing
// in them (docs/replies-security.md). A workbook's school is its verified reply check
// (report/reply_check.hpp), or the school the LA officer names with --school; a row is kept only when
// its finding, as the store's latest run that has it records it, is a query of that school. Every
// refused row and workbook is listed with the reason.
#pragma once

#include "returned_workbook.hpp"
#include "store.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace censusqa::store {

/// The note a disputed row's explanation is stored with (status review): the LA decides.
inline constexpr const char* disputed_note =
    "the school disputes this finding: the LA decides (censusqa explain ID --text ... to accept it)";

struct ImportOptions {
  std::string by;     ///< who gives the explanations; empty: "school LAESTAB"
  std::string school; ///< the LAEstab the LA officer knows sent the workbook(s); empty: from each reply check
  std::string given;  ///< UTC, ISO 8601: when they are recorded
  ReaderLimits limits;
};

struct RefusedRow {
  std::string file;  ///< the workbook's file name
  std::string sheet; ///< the sheet the row is on
  std::size_t row = 0;
  std::string finding_id, why;
};
struct RefusedFile {
  std::string file, why;
};

struct ImportResult {
  std::size_t files = 0;
  std::size_t added = 0, disputed = 0, same = 0, fixed = 0;
  std::vector<std::pair<std::string, std::string>> schools; ///< (file, LAEstab and how it was established)
  std::vector<RefusedRow> refused_rows;
  std::vector<RefusedFile> refused_files;
  std::vector<std::string> notes; ///< kept with a change: a Comment cut to the length limit
};

/// The school a returned workbook is for, or why none can be established. `school` is the LA
/// officer's --school (empty when not given).
struct EstablishedSchool {
  std::string laestab, how;
  std::string refused; ///< non-empty: no school, and why
};
EstablishedSchool establish_school(const ReturnedWorkbook& wb, Store& db, const std::string& school);

/// Why a workbook whose school is established as `laestab` is still not that school's reply: its
/// file is named as another school's profile, or its rows are only other schools' findings; empty
/// when neither. `file` is its file name.
std::string rows_of_another_school(const ReturnedWorkbook& wb, Store& db, const std::string& laestab,
                                   const std::string& file);

/// Reads each workbook and records what may be kept. A workbook that cannot be read, or whose
/// school cannot be established, is refused whole and the others are still read.
ImportResult import_replies(Store& db, const std::vector<std::filesystem::path>& files, const ImportOptions& opt);

} // namespace censusqa::store
