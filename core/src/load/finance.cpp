// balances.csv and commitments.csv: maintained schools' year-end balances and what is set against
// them. Money is read into integer pence (parse_money); every bad value is an IN finding naming row
// and column, and the row is kept with that field missing.
#include "csv_reader.hpp"
#include "loaders.hpp"

#include <fstream>

namespace censusqa::load {
namespace {

constexpr std::string_view money_expected =
    "an amount in pounds such as 82267, 82,267.50, -12666 or (12,666), within +/- 100,000,000 (no school's budget "
    "is larger)";

// An amount as parse_money reads it, and only when it is within max_school_amount: a larger figure
// is no school's, and would only push the sums the rules make towards overflow.
std::optional<Pence> plausible_money(std::string_view t) {
  const auto v = parse_money(t);
  if (!v || *v > max_school_amount || *v < -max_school_amount) return std::nullopt;
  return v;
}
constexpr std::string_view date_expected = "a date as YYYY-MM-DD or DD/MM/YYYY";

struct Reader {
  std::ifstream in;
  CsvInput csv;
  std::vector<std::string> fields;
  std::vector<int> col;
  Reader(const std::filesystem::path& p, std::uint32_t file, const Dataset& data, InputReport& report)
      : in(p, std::ios::binary), csv(in, file, data.files[file].path, report) {}
  std::string_view get(std::size_t i) const {
    return col[i] >= 0 && static_cast<std::size_t>(col[i]) < fields.size() ? trim(fields[col[i]]) : std::string_view{};
  }
};

} // namespace

Source load_balances(const std::filesystem::path& path, std::uint32_t file, Dataset& data, InputReport& report) {
  Reader r(path, file, data, report);
  if (!r.in) return Source::unopenable;
  const CsvHeader* header = r.csv.header();
  if (!header) return Source::unusable;
  const std::size_t first = data.balances.size();
  static constexpr ColumnSpec columns[] = {{"laestab", true},
                                           {"financial_year_end", true},
                                           {"total_balance", true},
                                           {"capital_balance", true},
                                           {"budget_share", true}};
  r.col = check_header(*header, columns, file, report);
  r.csv.lacks_columns(missing_required(r.col, columns));
  r.csv.set_school_column(r.col[0]);
  while (r.csv.next(r.fields)) {
    SchoolBalance b;
    b.source = {file, r.csv.record_line()};
    b.laestab = read_laestab(r.get(0), b.source, "line" + std::to_string(b.source.line), "laestab", report, true);
    ++data.files[file].records;
    if (b.laestab.empty() && !r.get(0).empty()) continue; // reported: a row of no school
    const std::string key = b.laestab.empty() ? "line" + std::to_string(b.source.line) : b.laestab;
    const auto index = static_cast<std::uint32_t>(data.balances.size());
    if (const auto t = r.get(1); !t.empty() && !(b.financial_year_end = Date::parse(t)))
      report.unparseable(b.source, b.laestab, {}, key, "financial_year_end", t, date_expected);
    const std::pair<std::optional<Pence>*, Field> money[] = {{&b.total_balance, Field::total_balance},
                                                             {&b.capital_balance, Field::capital_balance},
                                                             {&b.budget_share, Field::budget_share}};
    for (std::size_t i = 0; i < 3; ++i) {
      const auto t = r.get(2 + i);
      if (t.empty()) continue;
      if (!(*money[i].first = plausible_money(t))) {
        data.set_raw_value(Entity::balance, index, money[i].second, std::string(t));
        report.unparseable(b.source, b.laestab, {}, key, columns[2 + i].name, t, money_expected);
      }
    }
    data.balances.push_back(std::move(b));
  }
  if (!r.csv.usable("the clawback rules that need balances")) {
    data.balances.resize(first);
    data.files[file].records = 0;
    return Source::unusable;
  }
  return Source::usable;
}

Source load_commitments(const std::filesystem::path& path, std::uint32_t file, Dataset& data, InputReport& report) {
  Reader r(path, file, data, report);
  if (!r.in) return Source::unopenable;
  const CsvHeader* header = r.csv.header();
  if (!header) return Source::unusable;
  const std::size_t first = data.commitments.size();
  static constexpr ColumnSpec columns[] = {{"laestab", true},      {"category", true},       {"amount", true},
                                           {"description", false}, {"assigned_date", false}, {"forum_decision", false}};
  r.col = check_header(*header, columns, file, report);
  r.csv.lacks_columns(missing_required(r.col, columns));
  r.csv.set_school_column(r.col[0]);
  while (r.csv.next(r.fields)) {
    Commitment c;
    c.source = {file, r.csv.record_line()};
    c.laestab = read_laestab(r.get(0), c.source, "line" + std::to_string(c.source.line), "laestab", report, true);
    ++data.files[file].records;
    if (c.laestab.empty() && !r.get(0).empty()) continue; // reported: a row of no school
    const std::string key = (c.laestab.empty() ? "line" : c.laestab + ".line") + std::to_string(c.source.line);
    if (const auto t = r.get(1); !t.empty() && !(c.category = parse_commitment_category(t)))
      report.unknown_code(c.source, c.laestab, {}, key, "category", t,
                          "unspent_grant, prior_year_commitment, capital_project, ict_equipment, redundancy, "
                          "falling_rolls, staff_sickness, other");
    if (const auto t = r.get(2); !t.empty() && !(c.amount = plausible_money(t))) {
      data.set_raw_value(Entity::commitment, static_cast<std::uint32_t>(data.commitments.size()), Field::amount,
                         std::string(t));
      report.unparseable(c.source, c.laestab, {}, key, "amount", t, money_expected);
    }
    c.description = std::string(r.get(3));
    if (const auto t = r.get(4); !t.empty() && !(c.assigned_date = Date::parse(t)))
      report.unparseable(c.source, c.laestab, {}, key, "assigned_date", t, date_expected);
    if (const auto t = r.get(5); !t.empty() && !(c.forum_decision = parse_forum_decision(t)))
      report.unknown_code(c.source, c.laestab, {}, key, "forum_decision", t, "approved, rejected, or blank (pending)");
    data.commitments.push_back(std::move(c));
  }
  if (!r.csv.usable("the clawback rules that need commitments", /*none_is_valid=*/true)) {
    data.commitments.resize(first);
    data.files[file].records = 0;
    return Source::unusable;
  }
  return Source::usable;
}

} // namespace censusqa::load
