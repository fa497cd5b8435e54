// What the ap-reintegration rules share; see rules.hpp.
#include "rules.hpp"

#include <censusqa/options.hpp>

#include <algorithm>

namespace censusqa::ap_reintegration {

Limits read_limits(const PluginConfig& config) {
  // The host has checked the declared types and ranges and applied the defaults; what is left to
  // check here is what a declaration cannot say.
  Limits l;
  const ConfigValue* weeks = config.find("max_weeks");
  if (!weeks || !weeks->is_object())
    throw ConfigError("configuration ap-reintegration.max_weeks must map reasons to weeks");
  for (const auto& [reason, value] : weeks->as_object()) {
    const auto r = parse_ap_reason(reason);
    if (!r)
      throw ConfigError("configuration ap-reintegration.max_weeks has unknown reason \"" + reason +
                        "\"; reasons are permanent_exclusion, suspension, preventive, medical, awaiting_placement, "
                        "managed_move, other");
    if (!value.is_int() || value.as_int() <= 0)
      throw ConfigError("configuration ap-reintegration.max_weeks." + reason + " must be a whole number of weeks");
    l.max_weeks[static_cast<std::size_t>(*r)] = static_cast<int>(value.as_int());
  }
  l.sustain_weeks = static_cast<int>(config.get_int("sustain_weeks"));
  l.review_weeks = static_cast<int>(config.get_int("review_weeks"));
  const ConfigValue* holidays = config.find("holidays");
  if (!holidays || !holidays->is_array())
    throw ConfigError("configuration ap-reintegration.holidays must be a list of [\"YYYY-MM-DD\", \"YYYY-MM-DD\"]");
  const auto& list = holidays->as_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const ConfigValue& range = list[i];
    auto date = [&](std::size_t k) -> std::optional<Date> {
      const auto& r = range.as_array();
      if (r[k].is_string() && r[k].as_string().size() == 10 && r[k].as_string()[4] == '-')
        return Date::parse(r[k].as_string());
      return std::nullopt;
    };
    std::optional<Date> from, to;
    if (range.is_array() && range.as_array().size() == 2) from = date(0), to = date(1);
    if (!from || !to || *to < *from)
      throw ConfigError("ap-reintegration.holidays[" + std::to_string(i) + "]: " + config_text(range) +
                        " was given; expected [\"YYYY-MM-DD\", \"YYYY-MM-DD\"], the first date on or before the "
                        "second");
    l.holidays.emplace_back(*from, *to);
  }
  return l;
}

void check_config(const PluginConfig& config) { (void)read_limits(config); }

bool school_day(Date d, const Limits& limits) {
  if (d.iso_weekday_index() >= 5) return false;
  return std::none_of(limits.holidays.begin(), limits.holidays.end(),
                      [&](const auto& h) { return d >= h.first && d <= h.second; });
}

Date nth_school_day(Date from, int n, const Limits& limits) {
  Date d = from;
  int count = 0;
  for (int guard = 0; guard < 3660; ++guard, d = d.plus_days(1))
    if (school_day(d, limits) && ++count == n) return d;
  return d;
}

std::map<std::string, std::vector<const ApPlacement*>> placements_by_pupil(const Dataset& data) {
  std::map<std::string, std::vector<const ApPlacement*>> out;
  for (const ApPlacement& p : data.ap_placements)
    if (!p.upn.empty()) out[p.upn].push_back(&p);
  for (auto& [upn, v] : out)
    std::stable_sort(v.begin(), v.end(), [](const ApPlacement* a, const ApPlacement* b) {
      if (!a->start_date || !b->start_date) return a->start_date.has_value() && !b->start_date.has_value();
      return *a->start_date < *b->start_date;
    });
  return out;
}

bool reintegrated_placement(const ApPlacement& p) {
  return p.end_date && p.destination && reintegrated(*p.destination) && (!p.start_date || *p.end_date >= *p.start_date);
}

std::optional<Breakdown> breakdown_after(const Dataset& data, const ApPlacement& r,
                                         const std::vector<const ApPlacement*>& pupil_placements,
                                         const Limits& limits) {
  const Date end = *r.end_date;
  const Date until = end.plus_days(limits.sustain_weeks * 7);
  std::optional<Breakdown> first;
  auto consider = [&](Date d, std::string what) {
    if (d > end && d <= until && (!first || d < first->date)) first = Breakdown{std::move(what), d};
  };
  for (const ApPlacement* p : pupil_placements)
    if (p != &r && p->start_date) consider(*p->start_date, "new placement " + p->placement_id);
  // Permanent exclusions in this census and, when the run has one, the previous census (previous/ or
  // the history store): a pupil excluded soon after a return may have left the roll by this census.
  auto exclusions_in = [&](const Dataset& census, const char* where) {
    auto of = [&](const Pupil& p) {
      for (const Exclusion& e : census.exclusions_of(p))
        if (e.category == ExclusionCategory::PERM && e.start_date)
          consider(*e.start_date, std::string("permanent exclusion") + where);
    };
    for (const auto i : census.pupils_with_upn(r.upn))
      of(census.pupils[i]);
    for (const auto i : census.leavers_with_upn(r.upn))
      of(census.leavers[i]);
  };
  exclusions_in(data, "");
  if (data.previous) exclusions_in(*data.previous, " (previous census)");
  return first;
}

std::string words(ApDestination d) {
  switch (d) {
  case ApDestination::same_school: return "the home school";
  case ApDestination::other_mainstream: return "another mainstream school";
  case ApDestination::special: return "a special school";
  case ApDestination::other_ap: return "another alternative provision";
  case ApDestination::post16: return "post-16 education or training";
  case ApDestination::ehe: return "elective home education";
  case ApDestination::neet: return "not in education, employment or training (NEET)";
  case ApDestination::moved_away: return "moved away";
  case ApDestination::unknown: break;
  }
  return "not known";
}

std::string words(ApReason r) {
  switch (r) {
  case ApReason::permanent_exclusion: return "a permanent exclusion";
  case ApReason::suspension: return "a suspension";
  case ApReason::preventive: return "a preventive placement";
  case ApReason::medical: return "medical needs";
  case ApReason::awaiting_placement: return "a pupil awaiting a school place";
  case ApReason::managed_move: return "a managed move";
  case ApReason::other: break;
  }
  return "another reason";
}

bool any_carries_plan(const Dataset& data) {
  return std::any_of(data.ap_placements.begin(), data.ap_placements.end(),
                     [](const ApPlacement& p) { return p.carries_plan(); });
}

} // namespace censusqa::ap_reintegration
