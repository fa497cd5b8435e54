// The census XML loader: the DfE school census message, parsed with a streaming SAX parser
// (Poco::XML) straight into compact records. Element names come from schemas/census-xml-map.json.
#pragma once

#include "census_part.hpp"

#include <filesystem>
#include <string>
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
  Entry lookup(Context ctx, const std::string& element) const;

private:
  std::unordered_map<std::string, Kind> structural_;
  std::unordered_map<std::string, CensusField> fields_[4];
};

/// Loads one census XML file into a part. `file_index` is the file's index in Dataset::files.
CensusPart load_census_xml(const std::filesystem::path& path, std::uint32_t file_index, const CensusXmlMap& map);

} // namespace censusqa::load
