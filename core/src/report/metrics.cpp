// Census metrics with the DfE's definitions: pupils on roll are enrolment status C or M (sole or
// main dual registration); needs are counted by primary (rank 1) need, as in the DfE's
// SUP_Primary_need_* and EHC_Primary_need_* columns.
#include "metrics.hpp"

#include "atomic_file.hpp"
#include "findings_writer.hpp"

#include <array>
#include <charconv>
#include <ostream>

namespace censusqa::report {

const std::string& need_metric(NeedType need, bool ehc_plan) {
  // Built once rather than once per pupil.
  static const auto keys = [] {
    std::array<std::array<std::string, 2>, need_type_count> k;
    for (std::size_t n = 0; n < need_type_count; ++n) {
      k[n][0] = "need." + std::string(need_type_names[n]) + ".sen_support";
      k[n][1] = "need." + std::string(need_type_names[n]) + ".ehc_plan";
    }
    return k;
  }();
  return keys[static_cast<std::size_t>(need)][ehc_plan ? 1 : 0];
}

namespace {

const char* sen_status(std::optional<SenProvision> p) {
  return p == SenProvision::E ? "ehc_plan" : p == SenProvision::K ? "sen_support" : "no_sen";
}

// Exclusions, as the DfE counts them: every record of the school's pupils on roll and of its leavers
// (a permanently excluded pupil is a leaver), by the pupil's SEN provision when excluded.
void count_exclusions(const Dataset& data, const Pupil& p, std::map<std::string, std::int64_t>& s) {
  for (const Exclusion& e : data.exclusions_of(p)) {
    const char* status = sen_status(e.sen_provision ? e.sen_provision : p.sen_provision);
    if (e.category == ExclusionCategory::SUSP) {
      ++s["suspensions"];
      ++s[std::string("suspensions.") + status];
    } else if (e.category == ExclusionCategory::PERM) {
      ++s["permanent_exclusions"];
      ++s[std::string("permanent_exclusions.") + status];
    } else if (e.category == ExclusionCategory::LNCH) {
      ++s["lunchtime_exclusions"];
    }
  }
}

// Absence, as the DfE measures it (Dataset::termly_absence): sessions missed of sessions possible.
void count_absence(const Dataset& data, const Pupil& p, std::map<std::string, std::int64_t>& s) {
  const auto a = data.termly_absence(p);
  if (!a) return;
  ++s["attendance_pupils"];
  s["sessions_possible"] += a->possible;
  s["sessions_authorised"] += a->authorised;
  s["sessions_unauthorised"] += a->unauthorised;
  s["sessions_missed"] += a->missed();
  if (a->persistent()) ++s["persistent_absentees"];
}

} // namespace

Metrics compute_census_metrics(const Dataset& data) {
  Metrics m;
  for (const auto& ret : data.returns) {
    auto& s = m.schools[ret.laestab];
    // Every name is present for every school, so a zero is a zero and not a missing figure.
    for (const char* k : census_metric_names)
      s.try_emplace(k, 0);
    for (std::size_t n = 0; n < need_type_count; ++n)
      for (const bool plan : {false, true})
        s.try_emplace(need_metric(static_cast<NeedType>(n), plan), 0);
    for (const Pupil& p : data.leavers_of(ret)) {
      ++s["leavers_in_return"];
      count_exclusions(data, p, s);
      count_absence(data, p, s);
    }
    for (const Pupil& p : data.pupils_of(ret)) {
      ++s["pupils_in_return"];
      count_exclusions(data, p, s);
      if (!p.enrol_status || !counts_on_roll(*p.enrol_status)) continue;
      ++s["pupils_on_roll"];
      if (p.fsm_eligible == true) ++s["fsm_eligible"];
      if (p.ap_count > 0) ++s["school_arranged_ap_pupils"];
      count_absence(data, p, s);
      if (p.sen_provision != SenProvision::K && p.sen_provision != SenProvision::E) {
        ++s["no_sen"];
        continue;
      }
      const bool plan = p.sen_provision == SenProvision::E;
      ++s[plan ? "ehc_plan" : "sen_support"];
      if (const auto need = data.primary_need_of(p)) ++s[need_metric(*need, plan)];
    }
  }
  std::map<std::string, std::int64_t> totals;
  for (const auto& [laestab, s] : m.schools)
    for (const auto& [k, v] : s)
      totals[k] += v;
  for (const auto& [k, v] : totals)
    m.la[k] = Value(v);
  m.la["schools"] = Value(m.schools.size());
  return m;
}

void write_json_value(std::ostream& o, const Value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  if (v.is_null())
    o << "null";
  else if (v.is_bool())
    o << (v.as_bool() ? "true" : "false");
  else if (v.is_int())
    o << v.as_int();
  else if (v.is_number()) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v.as_number());
    const std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
    o << text;
    // A number stays visibly a decimal (100.0, not 100), as percentages are published.
    if (text.find_first_of(".eEn") == std::string_view::npos) o << ".0";
  } else if (v.is_string())
    o << json_string(v.as_string());
  else if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.empty()) {
      o << "[]";
      return;
    }
    o << "[";
    for (std::size_t i = 0; i < a.size(); ++i) {
      o << (i ? ",\n" : "\n") << pad;
      write_json_value(o, a[i], indent + 2);
    }
    o << "\n" << std::string(static_cast<std::size_t>(indent), ' ') << "]";
  } else {
    const auto& obj = v.as_object();
    if (obj.empty()) {
      o << "{}";
      return;
    }
    o << "{";
    bool first = true;
    for (const auto& [k, x] : obj) {
      o << (first ? "\n" : ",\n") << pad << json_string(k) << ": ";
      write_json_value(o, x, indent + 2);
      first = false;
    }
    o << "\n" << std::string(static_cast<std::size_t>(indent), ' ') << "}";
  }
}

void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics) {
  AtomicFile file(path);
  std::ostream& o = file.stream();
  Value::Object la(metrics.la.begin(), metrics.la.end());
  o << "{\n  \"la\": ";
  write_json_value(o, Value(std::move(la)), 2);
  o << ",\n  \"schools\": {";
  bool first = true;
  for (const auto& [laestab, values] : metrics.schools) {
    o << (first ? "\n    " : ",\n    ") << json_string(laestab) << ": {";
    bool first_value = true;
    for (const auto& [k, v] : values) {
      o << (first_value ? "\n      " : ",\n      ") << json_string(k) << ": " << v;
      first_value = false;
    }
    o << "\n    }";
    first = false;
  }
  o << "\n  }";
  if (!metrics.sections.empty()) {
    // Plugins' profile sections, as the profiles show them.
    Value all = Value::Object{};
    for (const auto& [laestab, list] : metrics.sections) {
      Value a = Value::Array{};
      for (const auto& [plugin, s] : list) {
        Value v;
        v.set("plugin", plugin);
        v.set("sheet", s.sheet);
        v.set("title", s.title);
        Value cols = Value::Array{}, rows = Value::Array{};
        for (const auto& c : s.columns)
          cols.push_back(c);
        for (const auto& r : s.rows) {
          Value row = Value::Array{};
          for (const ProfileCell& c : r)
            row.push_back(c.kind == ProfileCell::Kind::text                                           ? Value(c.text)
                          : c.kind == ProfileCell::Kind::count || c.kind == ProfileCell::Kind::pounds ? Value(c.count)
                          : c.kind == ProfileCell::Kind::empty                                        ? Value()
                                                               : Value(c.number));
          rows.push_back(std::move(row));
        }
        v.set("columns", std::move(cols));
        v.set("rows", std::move(rows));
        a.push_back(std::move(v));
      }
      all.set(laestab, std::move(a));
    }
    o << ",\n  \"profile_sections\": ";
    write_json_value(o, all, 2);
  }
  o << "\n}\n";
  file.commit();
}

} // namespace censusqa::report
