// Builds EHC cases for rule tests from strings as they would appear in ehcp_cases.csv.
#pragma once

#include "testkit.hpp"

#include <censusqa/censusqa.hpp>

#include <string>
#include <vector>

namespace censusqa::testkit {

struct CaseSpec {
  std::string id = "EH-1";
  std::string request = "2024-01-08";
  std::string request_outcome = "Y";
  std::string request_outcome_date = "";
  std::string assessment_outcome = "";
  std::string assessment_outcome_date = "";
  std::string plan = "";
  std::string exception = "";
  std::string reason = "";
  std::string review = "";
  std::string ceased = "";
  std::string laestab = "8881001";
};

inline Dataset cases(const std::vector<CaseSpec>& specs) {
  Dataset d;
  d.available = needs_ehcp_cases;
  std::uint32_t line = 2;
  for (const auto& s : specs) {
    EhcCase c;
    const auto idx = static_cast<std::uint32_t>(d.ehc_cases.size());
    c.case_id = s.id;
    c.laestab = s.laestab;
    c.source = {1, line++};
    auto date = [&](const std::string& text, std::optional<Date>& out, Field f) {
      if (text.empty()) return;
      if (!(out = Date::parse(text))) d.set_raw_value(Entity::ehc_case, idx, f, text);
    };
    date(s.request, c.request_date, Field::request_date);
    date(s.request_outcome_date, c.request_outcome_date, Field::request_outcome_date);
    date(s.assessment_outcome_date, c.assessment_outcome_date, Field::assessment_outcome_date);
    date(s.plan, c.plan_issue_date, Field::plan_issue_date);
    date(s.review, c.last_review_date, Field::last_review_date);
    date(s.ceased, c.plan_ceased_date, Field::plan_ceased_date);
    if (!s.request_outcome.empty()) c.request_outcome = parse_decision(s.request_outcome);
    if (!s.assessment_outcome.empty()) c.assessment_outcome = parse_decision(s.assessment_outcome);
    if (!s.exception.empty()) c.exception = s.exception == "Y";
    if (!s.reason.empty() && !(c.exception_reason = parse_exception_reason(s.reason)))
      d.set_raw_value(Entity::ehc_case, idx, Field::exception_reason, s.reason);
    d.ehc_cases.push_back(std::move(c));
  }
  return d;
}

/// A plan requested on `request` and issued `days` later, with assessment Y (a clean case).
inline CaseSpec plan_after(const std::string& id, const std::string& request, int days, bool exception = false) {
  const Date r = *Date::parse(request);
  CaseSpec s;
  s.id = id;
  s.request = request;
  s.request_outcome_date = r.plus_days(std::min(days, 30)).iso();
  s.assessment_outcome = 'Y'; // a char: '= "Y"' makes GCC 12 -O3 report -Wrestrict (GCC bug 105329)
  s.assessment_outcome_date = r.plus_days(std::min(days, 100)).iso();
  s.plan = r.plus_days(days).iso();
  s.review = r.plus_days(days).iso();
  if (exception) s.exception = 'Y', s.reason = "school_closure";
  return s;
}

} // namespace censusqa::testkit
