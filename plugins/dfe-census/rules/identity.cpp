// dfe-census, identity: ULN, names, age for the school's phase, leavers of nursery schools (DfE rules
// 1570-1601 and 5065; the UPN, date of birth and sex rules are census-integrity's CI001-CI006 and CI011).
// Each rule: its metadata, its check, its Rule.
#include "common.hpp"
#include "rules.hpp"

#include <censusqa/school_age.hpp>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace censusqa::dfe_census {

namespace {

/// Whether any record of the return (on roll or leaver) `has` an item: a CSV census without the column
/// has it for none, and a rule must then skip the return rather than report every pupil.
template <typename Has> bool any_record_has(const Dataset& d, const CensusReturn& r, Has&& has) {
  for (const Pupil& p : d.pupils_of(r))
    if (has(p)) return true;
  for (const Pupil& p : d.leavers_of(r))
    if (has(p)) return true;
  return false;
}

/// A ULN (or its raw text, when the loader could not read it) is on the record.
bool has_uln(const Dataset& d, const Pupil& p) { return p.uln != 0 || d.raw_value(p, Field::uln).has_value(); }

constexpr std::string_view uln_column_absent = "the CSV census return has no ULN column (no pupil has a ULN)";

// DFE1570: a pupil on roll aged 14 or over on census day without a ULN.
constexpr RuleInfo dfe1570_info{
    .code = "DFE1570",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil aged 14 or over on census day has no ULN",
    .why = "The unique learner number follows a young person into further education and training and links their "
           "qualifications; the Learning Records Service issues one to every pupil by 14, so COLLECT rejects a "
           "pupil aged 14 or over on census day who has none (DfE rule 1570).",
    .how_to_fix = "Record the pupil's ULN in the MIS (from the Common Transfer File or the Learning Records Service; "
                  "MIS batch requests to the LRS issue missing ones), then re-send the return.",
    .needs = needs_census,
    .fields = "UniqueLearnerNumber, DOB",
    .dfe_rule = "1570",
    .dfe_match = DfeMatch::exact};

void dfe1570_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    if (!r.reference_date) return;
    if (from_csv(ctx.data, r) && !any_record_has(ctx.data, r, [&](const Pupil& p) { return has_uln(ctx.data, p); }))
      return ctx.skip(uln_column_absent);
    for (const Pupil& p : ctx.data.pupils_of(r)) {
      if (has_uln(ctx.data, p) || !p.dob) continue; // an unreadable ULN is the loader's finding (1575)
      const int age = p.dob->age_on(*r.reference_date);
      if (age >= 14)
        ctx.report_pupil(p, "Pupil aged " + std::to_string(age) + " on census day has no ULN",
                         {{"UniqueLearnerNumber", ""}, {"DOB", p.dob->iso()}});
    }
  });
}

// DFE1573: a leaver aged 14 or over on its leaving date without a ULN.
constexpr RuleInfo dfe1573_info{
    .code = "DFE1573",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Leaver aged 14 or over on leaving has no ULN",
    .why = "A pupil who left aged 14 or over should have had a unique learner number, so that their learning "
           "record follows them to their next provider; COLLECT rejects a leaver who was 14 or over on the leaving "
           "date and has none (DfE rule 1573).",
    .how_to_fix = "Record the leaver's ULN in the MIS (from the Learning Records Service), then re-send the return.",
    .needs = needs_census,
    .fields = "UniqueLearnerNumber, DOB, LeavingDate",
    .dfe_rule = "1573",
    .dfe_match = DfeMatch::exact};

void dfe1573_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    if (from_csv(ctx.data, r) && !any_record_has(ctx.data, r, [&](const Pupil& p) { return has_uln(ctx.data, p); }))
      return ctx.skip(uln_column_absent);
    for (const Pupil& p : ctx.data.leavers_of(r)) {
      if (has_uln(ctx.data, p) || !p.dob || !p.leaving_date) continue;
      const int age = p.dob->age_on(*p.leaving_date);
      if (age >= 14)
        ctx.report_pupil(
            p, "Leaver aged " + std::to_string(age) + " on leaving (" + p.leaving_date->iso() + ") has no ULN",
            {{"UniqueLearnerNumber", ""}, {"DOB", p.dob->iso()}, {"LeavingDate", p.leaving_date->iso()}});
    }
  });
}

// DFE1575: a ten-digit ULN whose check digit is wrong.
//
// The check digit, as the Learning Records Service defines it and the ESFA's own ILR validation service
// computes it (repository SkillsFundingAgency/DC-ILR-1819-ValidationService, file
// src/ESFA.DC.ILR.ValidationService.Rules/Derived/DerivedData_01Rule.cs, the derived item DD01 that ILR
// rule ULN_04 checks): the first nine digits weighted 10, 9, ..., 2, summed, taken modulo 11; a remainder
// of 0 gives no valid ULN, any other remainder r calls for a tenth digit of 10 - r. (Its tests: 1000000043
// passes, 1000000042 fails.) A ULN that is not ten digits at all is the loader's finding (IN003, DfE 1575):
// this rule sees only the ULNs the loader could read.
constexpr RuleInfo dfe1575_info{
    .code = "DFE1575",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "ULN check digit wrong",
    .why = "The tenth digit of a unique learner number is a check digit computed from the other nine (weights 10 to "
           "2, modulo 11); a wrong one means a mistyped digit, so the number is no learner's or another learner's. "
           "COLLECT rejects it (DfE rule 1575; a ULN that is not ten digits is the loader's finding with the same "
           "number).",
    .how_to_fix = "Re-enter the ULN from the Learning Records Service or the Common Transfer File; do not change the "
                  "last digit to fit.",
    .needs = needs_census,
    .fields = "UniqueLearnerNumber",
    .dfe_rule = "1575",
    .dfe_match = DfeMatch::exact};

/// The check digit a ULN's first nine digits call for, or -1 when they call for none (remainder 0).
constexpr int uln_check_digit(std::uint64_t uln) {
  int sum = 0;
  std::uint64_t rest = uln / 10; // the first nine digits
  for (int weight = 2; weight <= 10; ++weight, rest /= 10)
    sum += static_cast<int>(rest % 10) * weight;
  const int r = sum % 11;
  return r == 0 ? -1 : 10 - r;
}
static_assert(uln_check_digit(1000000043) == 3);
static_assert(uln_check_digit(9999999999) == 8);

std::string uln_text(std::uint64_t uln) {
  std::string s = std::to_string(uln);
  if (s.size() < 10) s.insert(0, 10 - s.size(), '0');
  return s;
}

void dfe1575_check(RuleContext& ctx) {
  for_each_pupil(ctx, true, every_return, "", [&](const Pupil& p) {
    if (p.uln == 0) return;
    const int expected = uln_check_digit(p.uln);
    const int given = static_cast<int>(p.uln % 10);
    if (p.uln > 9'999'999'999ULL || expected != given)
      ctx.report_pupil(p,
                       expected < 0 ? "ULN " + uln_text(p.uln) +
                                          " is no valid ULN: its first nine digits allow no "
                                          "check digit"
                                    : "ULN " + uln_text(p.uln) + " ends in " + std::to_string(given) +
                                          " but its first nine digits call for " + std::to_string(expected) +
                                          ": a digit is probably mistyped",
                       {{"UniqueLearnerNumber", uln_text(p.uln)}});
  });
}

// DFE1578: two pupil records of one return share a ULN.
constexpr RuleInfo dfe1578_info{
    .code = "DFE1578",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "ULN given to more than one pupil in the return",
    .why = "A unique learner number belongs to one learner; two pupils of a return with the same ULN are one pupil "
           "recorded twice or a ULN copied onto the wrong record, and COLLECT rejects the return (DfE rule 1578).",
    .how_to_fix = "Find both records in the MIS: merge them if they are the same pupil, or correct the ULN of the one "
                  "it does not belong to.",
    .needs = needs_census,
    .fields = "UniqueLearnerNumber",
    .dfe_rule = "1578",
    .dfe_match = DfeMatch::exact};

void dfe1578_check(RuleContext& ctx) {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> ulns; // reused return by return
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    ulns.clear();
    const auto pupils = ctx.data.pupils_of(r);
    for (std::uint32_t i = 0; i < pupils.size(); ++i)
      if (pupils[i].uln != 0) ulns.emplace_back(pupils[i].uln, i);
    std::sort(ulns.begin(), ulns.end());
    for (std::size_t i = 1; i < ulns.size(); ++i) {
      if (ulns[i].first != ulns[i - 1].first) continue;
      std::size_t first = i - 1;
      while (first > 0 && ulns[first - 1].first == ulns[i].first)
        --first;
      const Pupil& p = pupils[ulns[i].second];
      const Pupil& other = pupils[ulns[first].second];
      const std::string who =
          other.upn.empty() ? "the pupil at line " + std::to_string(other.source.line) : "pupil " + other.upn;
      ctx.report_pupil(p, "ULN " + uln_text(p.uln) + " is also given to " + who + " in this return",
                       {{"UniqueLearnerNumber", uln_text(p.uln)}});
    }
  });
}

// DFE1580 and DFE1590: a pupil record without a surname, or without a forename.
constexpr RuleInfo dfe1580_info{
    .code = "DFE1580",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil has no surname",
    .why = "The DfE matches census records to the National Pupil Database by name as well as UPN and date of birth, "
           "so COLLECT rejects a pupil record without a surname; censusqa never keeps the names, the loader notes "
           "only that one was missing (DfE rule 1580).",
    .how_to_fix = "Enter the pupil's legal surname in the MIS (from the admission form), then re-send the return.",
    .needs = needs_census,
    .fields = "Surname",
    .dfe_rule = "1580",
    .dfe_match = DfeMatch::exact};

constexpr RuleInfo dfe1590_info{
    .code = "DFE1590",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil has no forename",
    .why = "The DfE matches census records to the National Pupil Database by name as well as UPN and date of birth, "
           "so COLLECT rejects a pupil record without a forename; censusqa never keeps the names, the loader notes "
           "only that one was missing (DfE rule 1590).",
    .how_to_fix = "Enter the pupil's legal forename in the MIS (from the admission form), then re-send the return.",
    .needs = needs_census,
    .fields = "Forename",
    .dfe_rule = "1590",
    .dfe_match = DfeMatch::exact};

template <typename Missing>
void name_missing(RuleContext& ctx, Missing&& missing, std::string_view element, std::string_view what) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    // A CSV census without the (optional) column gives every record as missing it: that is no finding.
    if (from_csv(ctx.data, r) && !any_record_has(ctx.data, r, [&](const Pupil& p) { return !missing(p); }))
      return ctx.skip("the CSV census return gives no " + std::string(what) + " for any pupil (no " +
                      std::string(element) + " column)");
    auto check = [&](const Pupil& p) {
      if (missing(p))
        ctx.report_pupil(p, std::string(p.leaver ? "Leaver" : "Pupil") + " has no " + std::string(what),
                         {{std::string(element), ""}});
    };
    for (const Pupil& p : ctx.data.pupils_of(r))
      check(p);
    for (const Pupil& p : ctx.data.leavers_of(r))
      check(p);
  });
}

void dfe1580_check(RuleContext& ctx) {
  name_missing(
      ctx, [](const Pupil& p) { return p.surname_missing; }, "Surname", "surname");
}
void dfe1590_check(RuleContext& ctx) {
  name_missing(
      ctx, [](const Pupil& p) { return p.forename_missing; }, "Forename", "forename");
}

// DFE1601: a pupil whose age is outside the range expected of the school's phase.
//
// The DfE states no age range per phase: censusqa takes the ages of the NC years a school of the phase
// teaches (nc_year.cpp: expected_years), with one year's grace either side for a pupil taught out of
// cohort.

constexpr RuleInfo dfe1601_info{
    .code = "DFE1601",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Pupil's age out of range for the school's phase",
    .why = "A pupil much younger or older than a school of its phase teaches usually has a wrong date of birth (or "
           "the school a wrong phase). The DfE publishes no ranges: censusqa takes the ages on 31 August of the NC "
           "years the phase teaches (nursery E1-R, primary E1-6, middle deemed primary E1-8, middle deemed secondary "
           "4-9, secondary 7-14, 16 plus 12-14; for all-through, special, PRU and other phases the school's own "
           "lowest and highest NC years), one year either side allowed, and COLLECT queries a pupil outside them "
           "(DfE rule 1601).",
    .how_to_fix = "Check the pupil's date of birth in the MIS; if it is right and the pupil is placed here on purpose "
                  "(a pupil taught well out of cohort), explain the query.",
    .needs = needs_census,
    .fields = "DOB, Phase, LowestNCyear, HighestNCyear",
    .dfe_rule = "1601",
    .dfe_match = DfeMatch::exact};

void dfe1601_check(RuleContext& ctx) {
  for_each_return(
      ctx, [](const CensusReturn& r) { return r.reference_date && expected_years(r).has_value(); },
      "no return gives a phase or its lowest and highest NC years (a CSV census carries neither)",
      [&](const CensusReturn& r) {
        const auto [youngest, oldest] = expected_ages(*expected_years(r));
        for (const Pupil& p : ctx.data.pupils_of(r)) {
          if (!p.dob) continue;
          const int age = age_at_start_of_school_year(*p.dob, *r.reference_date);
          if (age < youngest || age > oldest)
            ctx.report_pupil(p,
                             "Pupil aged " + std::to_string(age) + " on 31 August; a school of phase " +
                                 (r.phase_code.empty() ? std::string("(none)") : r.phase_code) + " expects ages " +
                                 std::to_string(std::max(youngest, 0)) + " to " + std::to_string(oldest),
                             {{"DOB", p.dob->iso()}, {"Phase", r.phase_code}});
        }
      });
}

// DFE5065: a nursery school returning pupils no longer on roll.
constexpr RuleInfo dfe5065_info{
    .code = "DFE5065",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Nursery school returns a leaver",
    .why = "Nursery schools (phase NS) do not return pupils no longer on roll: the leavers' modules (attendance, "
           "exclusions) are not collected from them, so COLLECT rejects any leaver record in their return (DfE "
           "rule 5065).",
    .how_to_fix = "Leave the pupils no longer on roll out of the nursery school's return (the MIS's census settings), "
                  "then re-send it.",
    .needs = needs_census,
    .fields = "Phase, PupilNoLongerOnRoll",
    .dfe_rule = "5065",
    .dfe_match = DfeMatch::exact};

void dfe5065_check(RuleContext& ctx) {
  for_each_return(
      ctx, [](const CensusReturn& r) { return phase_is(r, "NS"); }, "no return is a nursery school's (phase NS)",
      [&](const CensusReturn& r) {
        for (const Pupil& p : ctx.data.leavers_of(r))
          ctx.report_pupil(p, "A nursery school's return includes a pupil no longer on roll",
                           {{"Phase", r.phase_code}});
      });
}

const Rule identity[] = {
    {&dfe1570_info, dfe1570_check}, {&dfe1573_info, dfe1573_check}, {&dfe1575_info, dfe1575_check},
    {&dfe1578_info, dfe1578_check}, {&dfe1580_info, dfe1580_check}, {&dfe1590_info, dfe1590_check},
    {&dfe1601_info, dfe1601_check}, {&dfe5065_info, dfe5065_check},
};

} // namespace

std::span<const Rule> identity_rules() { return identity; }

} // namespace censusqa::dfe_census
