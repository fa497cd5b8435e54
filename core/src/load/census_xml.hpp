// The census XML loader: the DfE school census message, parsed with Expat's streaming (SAX) API
// straight into compact records. Element names come from schemas/census-xml-map.json.
#pragma once

#include "census_part.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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
    std::string_view name; ///< the element's name as the map spells it (empty when unknown)
  };
  Entry lookup(Context ctx, std::string_view element) const { return lookup(ctx, element, hash(element)); }
  /// The same, for a name whose hash() is already known.
  Entry lookup(Context ctx, std::string_view element, std::size_t element_hash) const;

  /// FNV-1a, finished so that the low bits mix well.
  static std::size_t hash(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (const unsigned char c : s)
      h = (h ^ c) * 1099511628211ull;
    return finish(h);
  }
  static std::size_t finish(std::uint64_t h) { return static_cast<std::size_t>(h ^ (h >> 29)); }

private:
  // Every element is looked up once per start tag, so the table is a small open-addressing hash
  // built once: one FNV-1a pass over the name and, almost always, one comparison.
  struct Slot {
    std::string name;
    Kind structural = Kind::unknown;
    bool has_field[4] = {false, false, false, false};
    CensusField field[4] = {CensusField::ignored, CensusField::ignored, CensusField::ignored, CensusField::ignored};
  };
  Slot& slot(std::string_view name); ///< finds or adds (while building)
  void rebuild(std::size_t capacity);
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

/// Loads one census XML file into a part. `file_index` is the file's index in Dataset::files. The
/// file's SHA-256 (hex) goes into `sha256` when given, computed from the same read.
CensusPart load_census_xml(const std::filesystem::path& path, std::uint32_t file_index, const CensusXmlMap& map,
                           std::string* sha256 = nullptr);

} // namespace censusqa::load
