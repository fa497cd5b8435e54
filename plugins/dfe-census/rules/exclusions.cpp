// dfe-census, exclusions: the exclusions module of pupils on roll and of leavers (DfE rules 2270-2335,
// 5051). Each rule: its metadata, its check, its Rule.
//
// Made elsewhere, so not here: 2275 (category not valid for its start date), 2290 (start date not a
// date) and 2310 (SEN provision not a code) are the loader's own findings on Category, StartDate and
// SENprovision; 2285 is CI017, 2330 is CI016.
#include "common.hpp"
#include "rules.hpp"

namespace censusqa::dfe_census {
namespace {

// A return read from a CSV census, whose exclusions file may leave out an optional column altogether.
bool csv_return(const RuleContext& ctx, const CensusReturn& r) {
  return r.source.file < ctx.data.files.size() && ctx.data.files[r.source.file].kind == "census-csv";
}

// Calls fn(pupil, exclusion) for every exclusion of the return's pupils on roll and leavers.
template <typename Fn> void for_each_exclusion(const RuleContext& ctx, const CensusReturn& r, Fn&& fn) {
  for (const Pupil& p : ctx.data.pupils_of(r))
    for (const Exclusion& e : ctx.data.exclusions_of(p))
      fn(p, e);
  for (const Pupil& p : ctx.data.leavers_of(r))
    for (const Exclusion& e : ctx.data.exclusions_of(p))
      fn(p, e);
}

// Whether a CSV return carries an optional exclusions column: some exclusion in it gives a value (or an
// unreadable one). An XML return always does.
template <typename Has> bool carries(const RuleContext& ctx, const CensusReturn& r, Has&& has) {
  if (!csv_return(ctx, r)) return true;
  bool any = false;
  for_each_exclusion(ctx, r, [&](const Pupil&, const Exclusion& e) { any = any || has(e); });
  return any;
}

std::string from_date(const Exclusion& e) { return e.start_date ? " from " + e.start_date->iso() : std::string(); }
std::string category_text(const Exclusion& e) { return e.category ? std::string(name(*e.category)) : std::string(); }

bool raw(const RuleContext& ctx, const Exclusion& e, Field f) {
  return ctx.data.raw_value(Entity::exclusion, ctx.data.index_of(e), f).has_value();
}

// ---------------------------------------------------------------------------------------------------------

// DFE2270: an exclusion without its start date, SEN provision or category.
constexpr RuleInfo dfe2270_info{
    .code = "DFE2270",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Exclusion without its start date, SEN provision or category",
    .why = "Every exclusion the census returns gives its category (permanent, suspension, lunchtime), its start "
           "date and the pupil's SEN provision when excluded: the DfE's exclusion statistics are counted from "
           "them, by term and by SEN status. COLLECT rejects an exclusion missing any of the three (DfE rule "
           "2270).",
    .how_to_fix = "Complete the exclusion record in the MIS: its category, its start date and the pupil's SEN "
                  "provision at the time.",
    .needs = needs_census,
    .fields = "Category, StartDate, SENprovision",
    .dfe_rule = "2270",
    .dfe_match = DfeMatch::exact};

void dfe2270_check(RuleContext& ctx) {
  bool provision_skipped = false;
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    const bool provision_carried = carries(ctx, r, [&](const Exclusion& e) {
      return e.sen_provision.has_value() || raw(ctx, e, Field::exclusion_sen_provision);
    });
    if (!provision_carried && !provision_skipped) {
      provision_skipped = true;
      ctx.skip("a CSV census return whose exclusions file has no sen_provision column: its exclusions' SEN "
               "provision was not checked");
    }
    for_each_exclusion(ctx, r, [&](const Pupil& p, const Exclusion& e) {
      // A value the loader could not read is the loader's finding (rules 2275, 2290, 2310), not a missing one.
      const bool no_category = !e.category && !raw(ctx, e, Field::exclusion_category);
      const bool no_date = !e.start_date && !raw(ctx, e, Field::exclusion_start_date);
      const bool no_provision = provision_carried && !e.sen_provision && !raw(ctx, e, Field::exclusion_sen_provision);
      if (!no_category && !no_date && !no_provision) return;
      std::string missing;
      auto add = [&](bool m, std::string_view what) {
        if (!m) return;
        if (!missing.empty()) missing += ", ";
        missing += what;
      };
      add(no_category, "category");
      add(no_date, "start date");
      add(no_provision, "SEN provision");
      const std::string cat = category_text(e);
      ctx.report_pupil(
          p, (cat.empty() ? std::string("Exclusion") : cat + " exclusion") + from_date(e) + " has no " + missing,
          {{"Category", cat},
           {"StartDate", e.start_date ? e.start_date->iso() : std::string()},
           {"SENprovision", e.sen_provision ? std::string(name(*e.sen_provision)) : std::string()}});
    });
  });
}

// DFE2280: an exclusion with a category but no reason.
constexpr RuleInfo dfe2280_info{
    .code = "DFE2280",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Exclusion with no reason",
    .why = "An exclusion's reason (physical assault, persistent disruptive behaviour, ...) is what the DfE's "
           "statistics on why pupils are excluded count; an exclusion whose category is given must give at "
           "least one valid reason (DfE rule 2280).",
    .how_to_fix = "Record the reason for the exclusion in the MIS (up to three since 2021/22).",
    .needs = needs_census,
    .fields = "Category, Reason",
    .dfe_rule = "2280",
    .dfe_match = DfeMatch::exact};

void dfe2280_check(RuleContext& ctx) {
  bool skipped = false;
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    auto has_reason = [&](const Exclusion& e) {
      return !e.reason().empty() || !e.reasons[1].empty() || !e.reasons[2].empty() ||
             raw(ctx, e, Field::exclusion_reason);
    };
    if (!carries(ctx, r, has_reason)) {
      if (!skipped)
        ctx.skip("a CSV census return whose exclusions file has no reason column: its exclusions' reasons were "
                 "not checked");
      skipped = true;
      return;
    }
    for_each_exclusion(ctx, r, [&](const Pupil& p, const Exclusion& e) {
      // No category: rule 2270's. An unreadable reason: the loader's.
      if (!e.category || has_reason(e)) return;
      const std::string cat = category_text(e);
      ctx.report_pupil(p, cat + " exclusion" + from_date(e) + " gives no reason", {{"Category", cat}, {"Reason", ""}});
    });
  });
}

// DFE2300: a suspension or lunchtime exclusion without its sessions.
constexpr RuleInfo dfe2300_info{
    .code = "DFE2300",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Suspension or lunchtime exclusion without its sessions",
    .why = "The length of a suspension or a lunchtime exclusion is its number of sessions (half days), from which "
           "the DfE counts the sessions lost to exclusion; COLLECT rejects one that does not give them (DfE rule "
           "2300).",
    .how_to_fix = "Record the number of sessions the pupil was excluded for in the MIS.",
    .needs = needs_census,
    .fields = "Category, Sessions",
    .dfe_rule = "2300",
    .dfe_match = DfeMatch::exact};

void dfe2300_check(RuleContext& ctx) {
  bool skipped = false;
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    if (!carries(ctx, r, [&](const Exclusion& e) { return e.sessions || raw(ctx, e, Field::exclusion_sessions); })) {
      if (!skipped)
        ctx.skip("a CSV census return whose exclusions file has no sessions column: its exclusions' sessions "
                 "were not checked");
      skipped = true;
      return;
    }
    for_each_exclusion(ctx, r, [&](const Pupil& p, const Exclusion& e) {
      if (e.category != ExclusionCategory::SUSP && e.category != ExclusionCategory::LNCH) return;
      if (e.sessions || raw(ctx, e, Field::exclusion_sessions)) return;
      const std::string cat = category_text(e);
      ctx.report_pupil(p, cat + " exclusion" + from_date(e) + " does not give its number of sessions",
                       {{"Category", cat}, {"Sessions", ""}});
    });
  });
}

// DFE2303: a leaver who left before an exclusion's start.
constexpr RuleInfo dfe2303_info{
    .code = "DFE2303",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Leaver's exclusion starts after the pupil left",
    .why = "A school excludes pupils on its roll; a leaver's exclusion that starts after its leaving date "
           "means the leaving date or the exclusion's start date is wrong (DfE rule 2303).",
    .how_to_fix = "Check the pupil's leaving date and the exclusion's start date in the MIS and correct the "
                  "wrong one.",
    .needs = needs_census,
    .fields = "LeavingDate, StartDate",
    .dfe_rule = "2303",
    .dfe_match = DfeMatch::exact};

void dfe2303_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    for (const Pupil& p : ctx.data.leavers_of(r)) {
      if (!p.leaving_date) continue;
      for (const Exclusion& e : ctx.data.exclusions_of(p))
        if (e.start_date && *p.leaving_date < *e.start_date)
          ctx.report_pupil(
              p, "Exclusion starts on " + e.start_date->iso() + ", after the pupil left on " + p.leaving_date->iso(),
              {{"LeavingDate", p.leaving_date->iso()}, {"StartDate", e.start_date->iso()}});
    }
  });
}

// DFE2320: an exclusion of more than 90 sessions.
constexpr int max_sessions = 90; // the DfE's threshold

constexpr RuleInfo dfe2320_info{
    .code = "DFE2320",
    .severity = Severity::query,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Exclusion of more than 90 sessions",
    .why = "A suspension may last at most 45 school days in a school year; one exclusion of more than 90 "
           "sessions (half days) is longer than that, usually a typing slip or days counted as sessions, and "
           "COLLECT asks for the reason (DfE rule 2320).",
    .how_to_fix = "Check the exclusion's sessions in the MIS and correct them; if they are right, give the DfE "
                  "the reason and the exclusion's dates.",
    .needs = needs_census,
    .fields = "Sessions",
    .dfe_rule = "2320",
    .dfe_match = DfeMatch::exact};

void dfe2320_check(RuleContext& ctx) {
  for_each_return(ctx, every_return, "", [&](const CensusReturn& r) {
    for_each_exclusion(ctx, r, [&](const Pupil& p, const Exclusion& e) {
      if (!e.sessions || *e.sessions <= max_sessions) return;
      const std::string cat = category_text(e);
      ctx.report_pupil(p,
                       (cat.empty() ? std::string("Exclusion") : cat + " exclusion") + from_date(e) + " gives " +
                           std::to_string(*e.sessions) + " sessions, more than 90",
                       {{"Category", cat}, {"Sessions", std::to_string(*e.sessions)}});
    });
  });
}

// DFE2335: a permanently excluded pupil is still on roll.
constexpr RuleInfo dfe2335_info{
    .code = "DFE2335",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Permanently excluded pupil still on roll",
    .why = "A permanently excluded pupil leaves the school's roll; the census returns the exclusion with the "
           "pupil as a leaver. A permanent exclusion on a pupil still on roll means the pupil's leaving was not "
           "recorded, or the exclusion was a suspension (DfE rule 2335).",
    .how_to_fix = "Record the pupil's leaving date in the MIS if the permanent exclusion stands (the pupil is "
                  "then returned as a leaver), or correct the exclusion's category.",
    .needs = needs_census,
    .fields = "Category",
    .dfe_rule = "2335",
    .dfe_match = DfeMatch::exact};

void dfe2335_check(RuleContext& ctx) {
  for_each_pupil(ctx, false, every_return, "", [&](const Pupil& p) {
    for (const Exclusion& e : ctx.data.exclusions_of(p))
      if (e.category == ExclusionCategory::PERM) {
        ctx.report_pupil(p, "Pupil on roll has a permanent exclusion" + from_date(e), {{"Category", "PERM"}});
        return;
      }
  });
}

// DFE5051: a nursery school returns exclusions.
constexpr RuleInfo dfe5051_info{
    .code = "DFE5051",
    .severity = Severity::error,
    .scope = Scope::pupil,
    .actor = Actor::school,
    .title = "Exclusion returned by a nursery school",
    .why = "Nursery schools (phase NS) do not return the exclusions module: their pupils are below compulsory "
           "school age, and COLLECT rejects an exclusion from one (DfE rule 5051).",
    .how_to_fix = "Remove the exclusion from the nursery school's return in the MIS, or correct the school's phase "
                  "if it is not a nursery school.",
    .needs = needs_census,
    .fields = "Category, Phase",
    .dfe_rule = "5051",
    .dfe_match = DfeMatch::exact};

void dfe5051_check(RuleContext& ctx) {
  for_each_pupil(
      ctx, true, [](const CensusReturn& r) { return phase_is(r, "NS"); },
      "no return is from a nursery school (phase NS)",
      [&](const Pupil& p) {
        if (p.exclusion_count == 0) return;
        ctx.report_pupil(p,
                         "A nursery school returns " + std::to_string(p.exclusion_count) +
                             (p.exclusion_count == 1 ? " exclusion" : " exclusions") + " for the pupil",
                         {{"Phase", "NS"}, {"exclusions", std::to_string(p.exclusion_count)}});
      });
}

const Rule exclusions[] = {
    {&dfe2270_info, dfe2270_check}, {&dfe2280_info, dfe2280_check}, {&dfe2300_info, dfe2300_check},
    {&dfe2303_info, dfe2303_check}, {&dfe2320_info, dfe2320_check}, {&dfe2335_info, dfe2335_check},
    {&dfe5051_info, dfe5051_check},
};

} // namespace

std::span<const Rule> exclusion_rules() { return exclusions; }

} // namespace censusqa::dfe_census
