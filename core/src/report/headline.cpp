// The Overview's headline; see headline.hpp.
#include "headline.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace censusqa::report {
namespace {

// How strong a flag is: 2 well above/below, 1 above/below, 0 in line or none.
int strength(const std::string& flag) {
  if (flag == "well above" || flag == "well below") return 2;
  if (flag == "above" || flag == "below") return 1;
  return 0;
}

std::string one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string figure(double v, bool rate) { return one_decimal(v) + (rate ? "" : "%"); }

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool differs(const HeadlineRow& r) { return strength(r.flag) > 0 && !r.small_number && r.school && r.comparator; }

} // namespace

std::string plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string long_date(const Date& d, bool weekday) {
  static const char* const months[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
  static const char* const days[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return (weekday ? std::string(days[d.iso_weekday_index()]) + " " : std::string()) + std::to_string(d.day()) + " " +
         months[(d.month() + 11) % 12] + " " + std::to_string(d.year());
}

std::vector<std::string> headline(const HeadlineFacts& facts) {
  std::vector<const HeadlineRow*> different;
  for (const auto& r : facts.rows)
    if (differs(r)) different.push_back(&r);
  // The strongest flags first; among them the largest difference relative to the comparator (a
  // comparator of none counts as the largest).
  auto relative = [](const HeadlineRow* r) {
    const double d = std::fabs(*r->school - *r->comparator);
    return *r->comparator > 0 ? d / *r->comparator : HUGE_VAL;
  };
  std::stable_sort(different.begin(), different.end(), [&](const HeadlineRow* a, const HeadlineRow* b) {
    if (strength(a->flag) != strength(b->flag)) return strength(a->flag) > strength(b->flag);
    return relative(a) > relative(b);
  });

  std::vector<std::string> out;
  if (different.empty()) {
    const bool compared = std::any_of(facts.rows.begin(), facts.rows.end(),
                                      [](const HeadlineRow& r) { return !r.flag.empty() && !r.small_number; });
    out.push_back(compared ? "No indicator differs markedly from its comparator: every compared figure is in line."
                           : "No indicator is compared with a group of other schools in this run.");
  }
  constexpr std::size_t shown = 3;
  for (std::size_t i = 0; i < different.size() && i < shown; ++i) {
    const HeadlineRow& r = *different[i];
    const double d = *r.school - *r.comparator;
    const std::string how_far =
        one_decimal(std::fabs(d)) + (r.rate ? (d > 0 ? " more per 100 pupils" : " fewer per 100 pupils")
                                            : (d > 0 ? " percentage points higher" : " percentage points lower"));
    out.push_back(r.label + " is " + r.flag + " " + r.comparator_name + ": " + figure(*r.school, r.rate) + " against " +
                  figure(*r.comparator, r.rate) + ", " + how_far + ".");
  }
  if (different.size() > shown)
    out.push_back(plural(static_cast<std::int64_t>(different.size() - shown), "other indicator also differs",
                         "other indicators also differ") +
                  ": see the table below.");

  std::string fix;
  if (facts.errors == 0 && facts.queries == 0)
    fix = "There is no data to fix: the census data has no open error or query for this school.";
  else {
    fix = plural(facts.errors, "error", "errors") + " and " + plural(facts.queries, "query", "queries") +
          " for the school to answer are listed on the Data to fix sheet; please reply there";
    fix +=
        facts.deadline ? " by " + long_date(*facts.deadline, true) : std::string(" and return the workbook to the LA");
    fix += facts.contact.empty() ? "." : " (questions: " + facts.contact + ").";
  }
  out.push_back(std::move(fix));
  return out;
}

std::vector<HeadlineRow> headline_rows(const book::Table& t) {
  constexpr std::size_t none = static_cast<std::size_t>(-1);
  std::size_t label = none, school = none, flag = none, comparator = none, note = none;
  std::string comparator_name;
  const std::string compared = "compared with ";
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const std::string h = lower(t.columns[c].header);
    if (h == "indicator") label = c;
    if (h == "this school") school = c;
    if (h == "note") note = c;
    if (h.rfind(compared, 0) == 0) {
      flag = c;
      comparator_name = t.columns[c].header.substr(compared.size()); // as written: "similar schools", "England"
    }
  }
  if (label == none || school == none || flag == none) return {};
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (c != flag && !comparator_name.empty() && lower(t.columns[c].header).rfind(lower(comparator_name), 0) == 0) {
      comparator = c;
      break;
    }
  auto number = [](const book::Cell& c) -> std::optional<double> {
    if (const auto* d = std::get_if<double>(&c.value)) return *d;
    return std::nullopt;
  };
  auto text = [](const book::Cell& c) {
    const auto* s = std::get_if<std::string>(&c.value);
    return s ? *s : std::string();
  };
  std::vector<HeadlineRow> out;
  for (const auto& row : t.rows) {
    auto at = [&](std::size_t c) { return c < row.size() ? row[c] : book::Cell::blank(); };
    const book::Cell mine = at(school);
    if (!number(mine)) continue; // a count, or no figure
    HeadlineRow r;
    r.label = text(at(label));
    r.school = number(mine);
    r.rate = mine.kind != book::Kind::percent;
    if (comparator != none) r.comparator = number(at(comparator));
    r.comparator_name = comparator_name;
    r.flag = text(at(flag));
    r.small_number = note != none && lower(text(at(note))).rfind("small number", 0) == 0;
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace censusqa::report
