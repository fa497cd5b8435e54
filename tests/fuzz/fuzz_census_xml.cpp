// libFuzzer target: the census XML loader (the scanner, the census map, every field parser and code
// list). Any input must load without crashing, hanging or leaking; every pupil kept must have a return
// and its records must lie inside the part's lists.
#include "load/census_xml.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {
const censusqa::load::CensusXmlContext& context() {
  static const auto map = censusqa::load::CensusMap::from_file(CENSUSQA_XML_MAP);
  static const auto codes = censusqa::load::CodeSets::from_file(CENSUSQA_CODES);
  static const censusqa::load::CensusXmlContext ctx{&map, &codes, std::nullopt};
  return ctx;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto part =
      censusqa::load::read_census_xml(std::string_view(reinterpret_cast<const char*>(data), size), 1, context());
  if ((!part.pupils.empty() || !part.leavers.empty()) && part.returns.empty()) std::abort();
  for (const auto* list : {&part.pupils, &part.leavers})
    for (const auto& p : *list)
      if (p.first_need + p.need_count > part.needs.size() ||
          p.first_exclusion + p.exclusion_count > part.exclusions.size() ||
          p.first_fsm + p.fsm_count > part.fsm_periods.size() ||
          p.first_attendance + p.attendance_count > part.attendance.size() ||
          p.first_ap + p.ap_count > part.school_ap.size())
        std::abort();
  for (const auto& a : part.attendance)
    if (a.first_detail + a.detail_count > part.absence_sessions.size()) std::abort();
  return 0;
}
