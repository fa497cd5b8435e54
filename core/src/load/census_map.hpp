// Where each census field sits in the DfE school census message (schemas/census-xml-map.json): a tree
// of element names by record kind, each path a field, a nested record, a known but ignored subtree, or
// (when absent) unknown; paths can be limited to academic years. Built once per run and shared by the
// threads that read the returns.
#pragma once

#include "census_part.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace censusqa::load {

class CensusMap {
public:
  enum class Kind : std::uint8_t { container, field, record, ignored };
  struct Node {
    std::string name;
    Kind kind = Kind::container;
    CensusField field = CensusField::ignored;
    RecordKind record = RecordKind::none;               ///< for a record: the kind it starts
    AttendancePeriod period = AttendancePeriod::termly; ///< for an attendance record
    int from_year = 0, until_year = 9999;               ///< academic years (their first calendar year), inclusive
    std::vector<std::uint32_t> children;                ///< for a container (a record's come from its section)
  };

  /// Reads the map; throws std::runtime_error naming the file, the path and the problem.
  static CensusMap from_file(const std::filesystem::path& path);

  /// The node of the return's root element (Message), whose children are the return's paths.
  std::uint32_t return_root() const { return section_[static_cast<std::size_t>(RecordKind::ret)]; }
  const Node& node(std::uint32_t i) const { return nodes_[i]; }
  /// The child of `parent` named `name` (a local name, without prefix), or nothing.
  std::optional<std::uint32_t> child(std::uint32_t parent, std::string_view name) const {
    const Node& p = nodes_[parent];
    const auto& kids =
        p.kind == Kind::record ? nodes_[section_[static_cast<std::size_t>(p.record)]].children : p.children;
    for (const std::uint32_t k : kids) {
      const std::string& n = nodes_[k].name;
      if (n.size() == name.size() && std::memcmp(n.data(), name.data(), name.size()) == 0) return k;
    }
    return std::nullopt;
  }
  /// Whether some node anywhere has this name (for telling "known, but not in this year or place").
  bool knows_name(std::string_view name) const;

  const std::string& census_root() const { return census_root_; }
  const std::vector<std::string>& census_collections() const { return collections_; }
  const std::vector<std::string>& transfer_roots() const { return transfer_roots_; }

private:
  std::uint32_t add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  std::vector<Node> nodes_;
  std::array<std::uint32_t, record_kind_count> section_{};
  std::string census_root_ = "Message";
  std::vector<std::string> collections_, transfer_roots_;
};

} // namespace censusqa::load
