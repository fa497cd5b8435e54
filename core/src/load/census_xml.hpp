// The census XML loader: the DfE school census message, parsed with a streaming SAX parser
// (Poco::XML) straight into compact records. Element names come from schemas/census-xml-map.json.
#pragma once

#include "census_part.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

namespace censusqa::load {

/// Which census field an element name carries, by the record it appears in.
class CensusXmlMap {
public:
  /// Reads the map; throws std::runtime_error naming the file and the problem.
  static CensusXmlMap from_file(const std::filesystem::path& path);

  enum class Context : std::uint8_t { header, pupil, need, exclusion };
  enum class Kind : std::uint8_t { unknown, container, record_pupil, record_need, record_exclusion, field };
  struct Entry {
    Kind kind = Kind::unknown;
    CensusField field = CensusField::ignored;
  };
  Entry lookup(Context ctx, std::string_view element) const;

private:
  // Looked up by string_view, without building a std::string per element.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Kind, Hash, std::equal_to<>> structural_;
  std::unordered_map<std::string, CensusField, Hash, std::equal_to<>> fields_[4];
};

/// Loads one census XML file into a part. `file_index` is the file's index in Dataset::files. The
/// file's SHA-256 (hex) goes into `sha256` when given, computed from the same read.
CensusPart load_census_xml(const std::filesystem::path& path, std::uint32_t file_index, const CensusXmlMap& map,
                           std::string* sha256 = nullptr);

} // namespace censusqa::load
