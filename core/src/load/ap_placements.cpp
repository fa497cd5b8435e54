// ap_placements.csv: alternative provision placements commissioned by schools or the LA. Every bad
// value is an IN finding naming row and column; the placement is kept with that field missing.
#include "csv_reader.hpp"
#include "loaders.hpp"

#include <censusqa/upn.hpp>

#include <fstream>

namespace censusqa::load {

Source load_ap_placements(const std::filesystem::path& path, std::uint32_t file, Dataset& data, InputReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Source::unopenable;
  CsvInput csv(in, file, data.files[file].path, report);
  const CsvHeader* header = csv.header();
  if (!header) return Source::unusable;
  const std::size_t first = data.ap_placements.size();
  static constexpr ColumnSpec columns[] = {{"placement_id", true},
                                           {"upn", true},
                                           {"home_laestab", true},
                                           {"provider_urn", false},
                                           {"provider_name", false},
                                           {"provider_type", false},
                                           {"reason", true},
                                           {"start_date", true},
                                           {"planned_end_date", false},
                                           {"end_date", true},
                                           {"destination", true},
                                           {"last_review_date", false},
                                           {"dual_registered", false}};
  const std::vector<int> col = check_header(*header, columns, file, report);
  csv.lacks_columns(missing_required(col, columns));
  csv.set_school_column(col[2]);
  std::vector<std::string> fields;
  while (csv.next(fields)) {
    auto get = [&](std::size_t i) {
      return col[i] >= 0 && static_cast<std::size_t>(col[i]) < fields.size() ? trim(fields[col[i]])
                                                                             : std::string_view{};
    };
    ApPlacement p;
    p.source = {file, csv.record_line()};
    p.placement_id = std::string(get(0));
    p.upn = upper(get(1));
    p.home_laestab =
        read_laestab(get(2), p.source, p.placement_id.empty() ? "line" + std::to_string(p.source.line) : p.placement_id,
                     "home_laestab", report);
    p.provider_urn = std::string(get(3));
    p.provider_name = std::string(get(4));
    p.provider_type = lower(get(5));
    const auto index = static_cast<std::uint32_t>(data.ap_placements.size());
    const std::string key = p.placement_id.empty() ? "line" + std::to_string(p.source.line) : p.placement_id;
    // A UPN that is not one joins to no census pupil: said here, once, rather than by every rule that
    // looks the pupil up (AP003 would call a mistyped UPN a pupil on no school's roll).
    if (!p.upn.empty() && !upn_valid(p.upn))
      report.unparseable(p.source, p.home_laestab, {}, key, "upn", get(1),
                         "a UPN: a check letter, 11 digits and a digit or letter (the check letter right)");
    if (const auto t = get(6); !t.empty() && !(p.reason = parse_ap_reason(t)))
      report.unknown_code(
          p.source, p.home_laestab, p.upn, key, "reason", t,
          "permanent_exclusion, suspension, preventive, medical, awaiting_placement, managed_move, other");
    const std::tuple<std::size_t, std::optional<Date>*, Field> dates[] = {
        {7, &p.start_date, Field::start_date},
        {8, &p.planned_end_date, Field::planned_end_date},
        {9, &p.end_date, Field::end_date},
        {11, &p.last_review_date, Field::placement_review_date}};
    for (const auto& [i, out, field] : dates) {
      const auto t = get(i);
      if (t.empty() || (*out = Date::parse(t))) continue;
      data.set_raw_value(Entity::placement, index, field, std::string(t));
      report.unparseable(p.source, p.home_laestab, p.upn, key, columns[i].name, t,
                         "a date as YYYY-MM-DD or DD/MM/YYYY");
    }
    if (const auto t = get(10); !t.empty() && !(p.destination = parse_ap_destination(t)))
      report.unknown_code(p.source, p.home_laestab, p.upn, key, "destination", t,
                          "same_school, other_mainstream, special, other_ap, post16, ehe, neet, moved_away, unknown");
    if (const auto t = get(12); !t.empty()) {
      if (iequals(t, "Y") || iequals(t, "yes"))
        p.dual_registered = true;
      else if (iequals(t, "N") || iequals(t, "no"))
        p.dual_registered = false;
      else
        report.unknown_code(p.source, p.home_laestab, p.upn, key, "dual_registered", t, "Y, N");
    }
    data.ap_placements.push_back(std::move(p));
    ++data.files[file].records;
  }
  if (!csv.usable("the rules that need AP placements")) {
    data.ap_placements.resize(first);
    data.files[file].records = 0;
    return Source::unusable;
  }
  return Source::usable;
}

} // namespace censusqa::load
