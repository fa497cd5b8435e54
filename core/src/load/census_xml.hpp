// The census XML loader: the DfE school census message as schools' MIS software writes it, read by
// path (schemas/census-xml-map.json) with the streaming scanner of xml_scan.hpp straight into compact
// records, hashed from the same read. What the file is (a census return, a transfer file, another
// collection) is decided by its root element and collection before anything else is read.
#pragma once

#include "census_codes.hpp"
#include "census_map.hpp"
#include "census_part.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace censusqa::load {

/// What reading a census file needs besides the file.
struct CensusXmlContext {
  const CensusMap* map = nullptr;
  const CodeSets* codes = nullptr;
  /// The configured census reference date: codes are checked against it when a return has none.
  std::optional<Date> reference_date;
};

/// Loads one census XML file into a part. `file_index` is the file's index in Dataset::files. The
/// file's SHA-256 (hex) goes into `sha256` when given, computed from the same read.
CensusPart load_census_xml(const std::filesystem::path& path, std::uint32_t file_index, const CensusXmlContext& ctx,
                           std::string* sha256 = nullptr);

/// The same, over bytes already in memory (tests, fuzzing and the benchmark use it).
CensusPart read_census_xml(std::string_view bytes, std::uint32_t file_index, const CensusXmlContext& ctx);

/// The line (1-based; LF, CR LF and a lone CR each end a line, as XML counts them) of a byte offset.
/// Offsets must come in increasing order for the count to stay linear; an earlier one starts again.
class LineCounter {
public:
  explicit LineCounter(std::string_view text);
  std::uint32_t line_at(std::size_t offset);

private:
  std::string_view text_;
  std::size_t counted_ = 0;
  std::uint32_t line_ = 1;
  std::size_t next_cr_ =
      std::string_view::npos; ///< the next CR at or after counted_ (size: none; npos: not looked for)
};

} // namespace censusqa::load
