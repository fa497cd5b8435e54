// Census metrics with the DfE's definitions: pupils on roll are enrolment status C or M (sole or
// main dual registration); needs are counted by primary (rank 1) need, as in the DfE's
// SUP_Primary_need_* and EHC_Primary_need_* columns.
#include "metrics.hpp"

#include "atomic_file.hpp"
#include "findings_writer.hpp"

namespace censusqa::report {

Metrics compute_census_metrics(const Dataset& data) {
  Metrics m;
  for (const auto& ret : data.returns) {
    auto& s = m.schools[ret.laestab];
    // Every name is present for every school, so a zero is a zero and not a missing figure.
    for (const char* k : {"pupils_on_roll", "pupils_in_return", "sen_support", "ehc_plan", "fsm_eligible",
                          "suspensions", "permanent_exclusions", "lunchtime_exclusions"})
      s.try_emplace(k, 0);
    for (auto need : need_type_names) {
      s.try_emplace("need." + std::string(need) + ".sen_support", 0);
      s.try_emplace("need." + std::string(need) + ".ehc_plan", 0);
    }
    for (const Pupil& p : data.pupils_of(ret)) {
      ++s["pupils_in_return"];
      // Exclusions are the school's own records: counted for every pupil on its return.
      for (const Exclusion& e : data.exclusions_of(p)) {
        if (e.category == ExclusionCategory::SUSP)
          ++s["suspensions"];
        else if (e.category == ExclusionCategory::PERM)
          ++s["permanent_exclusions"];
        else if (e.category == ExclusionCategory::LUNC)
          ++s["lunchtime_exclusions"];
      }
      if (!p.enrol_status || !counts_on_roll(*p.enrol_status)) continue;
      ++s["pupils_on_roll"];
      if (p.fsm_eligible == true) ++s["fsm_eligible"];
      if (p.sen_provision != SenProvision::K && p.sen_provision != SenProvision::E) continue;
      const char* band = p.sen_provision == SenProvision::K ? "sen_support" : "ehc_plan";
      ++s[band];
      for (const SenNeed& n : data.needs_of(p))
        if (n.rank == 1 && n.type) {
          ++s["need." + std::string(name(*n.type)) + "." + band];
          break; // one primary need per pupil, as the DfE counts
        }
    }
  }
  for (const auto& [laestab, s] : m.schools)
    for (const auto& [k, v] : s)
      m.la[k] += v;
  m.la["schools"] = static_cast<std::int64_t>(m.schools.size());
  return m;
}

void write_metrics_json(const std::filesystem::path& path, const Metrics& metrics) {
  AtomicFile file(path);
  std::ostream& o = file.stream();
  auto block = [&](const std::map<std::string, std::int64_t>& values, const char* indent) {
    o << "{";
    bool first = true;
    for (const auto& [k, v] : values) {
      o << (first ? "\n" : ",\n") << indent << "  " << json_string(k) << ": " << v;
      first = false;
    }
    o << "\n" << indent << "}";
  };
  o << "{\n  \"la\": ";
  block(metrics.la, "  ");
  o << ",\n  \"schools\": {";
  bool first = true;
  for (const auto& [laestab, values] : metrics.schools) {
    o << (first ? "\n    " : ",\n    ") << json_string(laestab) << ": ";
    block(values, "    ");
    first = false;
  }
  o << "\n  }\n}\n";
  file.commit();
}

} // namespace censusqa::report
