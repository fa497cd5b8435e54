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
    bool dated = false;                                 ///< from_year or until_year is set
    std::vector<std::uint32_t> children;                ///< for a container (a record's come from its section)
    std::uint64_t first = 0, last = 0;                  ///< the name's NameKey, for looking it up
    std::uint32_t owner = 0; ///< whose children its children are: itself, or a record's section
  };

  /// Reads the map; throws std::runtime_error naming the file, the path and the problem.
  static CensusMap from_file(const std::filesystem::path& path);

  /// The node of the return's root element (Message), whose children are the return's paths.
  std::uint32_t return_root() const { return section_[static_cast<std::size_t>(RecordKind::ret)]; }
  const Node& node(std::uint32_t i) const { return nodes_[i]; }
  /// A name's first, middle and last eight bytes as three words (zero-filled when shorter): with its
  /// length they decide a comparison with a name of 24 bytes or fewer outright (every census element but
  /// two), and almost always with a longer one.
  struct NameKey {
    std::uint64_t first = 0, mid = 0, last = 0;
    explicit NameKey(std::string_view s, const char* readable_to = nullptr) {
      if (s.size() >= 8) {
        std::memcpy(&first, s.data(), 8);
        std::memcpy(&last, s.data() + s.size() - 8, 8);
        if (s.size() > 16) std::memcpy(&mid, s.data() + 8, 8);
      } else if (readable_to && readable_to - s.data() >= 8) {
        // A short name: one load and a mask instead of a copy of variable length.
        std::memcpy(&first, s.data(), 8);
        first &= (std::uint64_t{1} << (8 * s.size())) - 1;
      } else {
        std::memcpy(&first, s.data(), s.size());
      }
    }
  };
  /// One parent-to-child step of the map, with what the reader needs of the child at hand.
  struct Edge {
    std::uint32_t owner = 0; ///< the parent's lookup owner + 1; 0 for an empty slot
    std::uint32_t node = 0;  ///< the child
    std::uint32_t length = 0;
    std::uint32_t child_owner = 0; ///< whose children the child's children are (itself, or a record's section)
    Kind kind = Kind::container;
    bool dated = false;
    std::uint64_t first = 0, mid = 0, last = 0;
  };
  /// The step from a parent (given by its lookup owner, Edge::child_owner of the step that led to it)
  /// to its child named `name` (a local name, without prefix), or null. One probe of a small
  /// open-addressing table keyed by parent, length and the name's words, almost always: every start tag
  /// of every return is looked up here. `readable_to` bounds the memory after the name that may be read.
  [[gnu::always_inline]] const Edge* child(std::uint32_t owner, std::string_view name, const char* readable_to) const {
    const NameKey key(name, readable_to);
    for (std::size_t i = slot_of(owner, name.size(), key);; i = (i + 1) & (table_.size() - 1)) {
      const Edge& s = table_[i];
      if (s.owner == 0) return nullptr;
      if (s.owner != owner + 1 || s.length != name.size() || s.first != key.first || s.last != key.last ||
          s.mid != key.mid)
        continue;
      if (name.size() <= 24 || std::memcmp(nodes_[s.node].name.data() + 16, name.data() + 16, name.size() - 24) == 0)
        return &s;
    }
  }
  /// The lookup owner of a node (for the root: return_root()).
  std::uint32_t owner_of(std::uint32_t node) const { return nodes_[node].owner; }
  /// Whether some node anywhere has this name (for telling "known, but not in this year or place").
  bool knows_name(std::string_view name) const;

  const std::string& census_root() const { return census_root_; }
  const std::vector<std::string>& census_collections() const { return collections_; }
  const std::vector<std::string>& transfer_roots() const { return transfer_roots_; }

private:
  std::size_t slot_of(std::uint32_t owner, std::size_t length, const NameKey& key) const {
    // The middle word is left out: it is zero for most names, and the first and last words spread them.
    std::uint64_t h = key.first * 0x9E3779B97F4A7C15ull ^ key.last * 0xC2B2AE3D27D4EB4Full ^
                      (static_cast<std::uint64_t>(owner) << 16 | length);
    h ^= h >> 29;
    return static_cast<std::size_t>(h) & (table_.size() - 1);
  }
  void build_table();
  std::vector<Edge> table_;
  std::uint32_t add(Node n) {
    const NameKey key(n.name);
    n.first = key.first;
    n.last = key.last;
    nodes_.push_back(std::move(n));
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  std::vector<Node> nodes_;
  std::array<std::uint32_t, record_kind_count> section_{};
  std::string census_root_ = "Message";
  std::vector<std::string> collections_, transfer_roots_;
};

} // namespace censusqa::load
