// Reads the schools' answers back from returned inclusion profiles: the Response and Comment a
// school filled in against each finding id on the Data to fix sheet. The .xlsx is read with Poco's
// Zip and XML (whatever saved it: Excel, LibreOffice, or censusqa itself), so any sheet title and
// column order will do as long as the header row has "Finding id", "Response" and "Comment".
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace censusqa::store {

struct SchoolResponse {
  std::string finding_id, response, comment;
  std::size_t row = 0; ///< the spreadsheet row (1-based), for messages
};

struct ReturnedWorkbook {
  std::string laestab;                   ///< from the workbook's LAEstab custom property, else empty
  std::string sheet;                     ///< the sheet the responses were on
  std::vector<SchoolResponse> responses; ///< rows with a Response or a Comment, in sheet order
};

/// Throws std::runtime_error naming the file and what is missing (not a zip, no Data to fix sheet...).
ReturnedWorkbook read_returned_workbook(const std::filesystem::path& xlsx);

} // namespace censusqa::store
