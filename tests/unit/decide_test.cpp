// The engine's decide stage (engine.cpp): who acts on a finding, one finding per problem (a loader's
// finding merged into the rule's), whom an LA-level finding about a pupil is shown to, and stored
// explanations under a merged finding's id.
#include "engine/engine.hpp"
#include "report/findings_writer.hpp"
#include "report/profile.hpp"
#include "store/history.hpp"
#include "testkit.hpp"

#include <catch2/catch.hpp>

using namespace censusqa;
using censusqa::engine::decide_actor;
using censusqa::engine::decide_audience;
using censusqa::engine::merge_same_problem;
using censusqa::engine::RuleMeta;
using censusqa::report::IdentifiedFinding;

namespace {

IdentifiedFinding found(std::string id, std::string plugin, Severity s, std::string laestab, std::string subject,
                        std::vector<std::pair<std::string, std::string>> values, std::string message = "message") {
  IdentifiedFinding x;
  x.id = std::move(id);
  x.finding.rule = x.id.substr(0, 5);
  x.finding.plugin = std::move(plugin);
  x.finding.severity = s;
  x.finding.laestab = std::move(laestab);
  x.finding.subject = std::move(subject);
  x.finding.values = std::move(values);
  x.finding.message = std::move(message);
  return x;
}

RuleMeta rule(Actor actor, std::string plugin) {
  RuleMeta m;
  m.actor = actor;
  m.plugin = std::move(plugin);
  return m;
}

} // namespace

TEST_CASE("decide: a loader's finding on a field and the rule's finding on that field are one problem") {
  std::vector<IdentifiedFinding> all{
      found("CI008:8881001:A888100119001", "census-integrity", Severity::query, "8881001", "A888100119001",
            {{"SENprovision", "S"}}, "SEN provision 'S' is not N, K or E"),
      found("CI006:8881001:A888100119001", "census-integrity", Severity::error, "8881001", "A888100119001",
            {{"DOB", ""}}),
      found("IN004:8881001:A888100119001.SENprovision", "core", Severity::error, "8881001",
            "A888100119001.SENprovision", {{"field", "SENprovision"}, {"value", "S"}, {"expected", "N, K, E"}},
            "SENprovision 'S' is not valid here: S (statement) was discontinued"),
      // Another school's identical record and another field of the same pupil stay apart.
      found("IN004:8881002:A888100119001.SENprovision", "core", Severity::error, "8881002",
            "A888100119001.SENprovision", {{"field", "SENprovision"}, {"value", "S"}}),
      found("IN003:8881001:A888100119001.EntryDate", "core", Severity::error, "8881001", "A888100119001.EntryDate",
            {{"field", "EntryDate"}, {"value", "2020-13-01"}}),
  };
  merge_same_problem(all);
  REQUIRE(all.size() == 4);
  // The merged finding: the rule's id, the higher severity, both codes (the loader's first), both
  // messages, and the loader's finding kept under its id.
  const auto it = std::find_if(all.begin(), all.end(), [](const auto& x) { return x.finding.rule == "CI008"; });
  REQUIRE(it != all.end());
  CHECK(it->id == "CI008:8881001:A888100119001");
  CHECK(it->finding.severity == Severity::error);
  CHECK(it->codes() == "IN004, CI008");
  CHECK(it->finding.message ==
        "SEN provision 'S' is not N, K or E. SENprovision 'S' is not valid here: S (statement) was discontinued");
  REQUIRE(it->merged.size() == 1);
  CHECK(it->merged[0].id == "IN004:8881001:A888100119001.SENprovision");
  CHECK(it->has_id("IN004:8881001:A888100119001.SENprovision"));
  CHECK(it->merged_ids() == "IN004:8881001:A888100119001.SENprovision");
  CHECK_FALSE(it->has_id("IN004:8881002:A888100119001.SENprovision"));
  // Still by school, then severity: the raised CI008 sorts among the school's errors.
  CHECK(all[0].finding.laestab == "8881001");
  CHECK(all[0].finding.severity == Severity::error);
  CHECK(all[1].finding.severity == Severity::error);
  CHECK(all[2].finding.severity == Severity::error);
  CHECK(all[3].finding.laestab == "8881002");
  CHECK(all[3].merged.empty());
  CHECK(all[3].codes() == "IN004");
}

TEST_CASE("decide edge: a pupil with no UPN is one record to the loader (lineN) and the rule ((line N))") {
  // A UPN too long to keep: the loader's IN003 names the record by its line, CI001 by "(line 10)".
  std::vector<IdentifiedFinding> all{
      found("CI001:8881001:(line 10)", "census-integrity", Severity::error, "8881001", "(line 10)", {{"UPN", "A999"}},
            "UPN 'A999...' is too long to be a UPN (13 characters)"),
      found("IN003:8881001:line10.UPN", "core", Severity::error, "8881001", "line10.UPN",
            {{"field", "UPN"}, {"value", "A999"}}, "UPN 'A999' could not be read"),
      // Another pupil's line stays apart.
      found("IN003:8881001:line11.UPN", "core", Severity::error, "8881001", "line11.UPN",
            {{"field", "UPN"}, {"value", "B999"}}),
  };
  merge_same_problem(all);
  REQUIRE(all.size() == 2);
  CHECK(all[0].codes() == "IN003, CI001");
  CHECK(all[0].merged_ids() == "IN003:8881001:line10.UPN");
  CHECK(all[1].codes() == "IN003");
}

TEST_CASE("decide edge: a CSV column and the rule's XML field name are one field (dob, DOB; sen_provision)") {
  std::vector<IdentifiedFinding> all{
      found("CI006:8881001:A888100119001", "census-integrity", Severity::error, "8881001", "A888100119001",
            {{"DOB", "2016-13-40"}}),
      found("IN003:8881001:A888100119001.dob", "core", Severity::error, "8881001", "A888100119001.dob",
            {{"field", "dob"}, {"value", "2016-13-40"}}),
      found("CI008:8881001:A888100119001", "census-integrity", Severity::query, "8881001", "A888100119001",
            {{"SENprovision", "S"}}),
      found("IN004:8881001:A888100119001.sen_provision", "core", Severity::error, "8881001",
            "A888100119001.sen_provision", {{"field", "sen_provision"}, {"value", "S"}}),
  };
  merge_same_problem(all);
  REQUIRE(all.size() == 2);
  for (const auto& x : all)
    CHECK(x.merged.size() == 1);
}

TEST_CASE("decide edge: a rule naming record and field (CI011) merges with the CSV's IN003 on that column") {
  std::vector<IdentifiedFinding> all{
      found("CI011:8881001:A888100119001.NCyearActual", "census-integrity", Severity::error, "8881001",
            "A888100119001.NCyearActual", {{"NCyearActual", ""}}),
      found("IN003:8881001:A888100119001.nc_year", "core", Severity::error, "8881001", "A888100119001.nc_year",
            {{"field", "nc_year"}, {"expected", "a value that is not a name"}}),
      found("CI011:8881001:A888100119001.Sex", "census-integrity", Severity::error, "8881001", "A888100119001.Sex",
            {{"Sex", ""}}), // no loader finding on sex: stays alone
  };
  merge_same_problem(all);
  REQUIRE(all.size() == 2);
  CHECK(all[0].codes() == "IN003, CI011");
  CHECK(all[1].codes() == "CI011");
}

TEST_CASE("decide edge: raised findings move among the school's errors, the rest keep their order") {
  const auto pupil = [](std::string rule, Severity s, std::string field, std::string laestab = "8881001") {
    std::string subject = "A888100119001";
    if (rule.starts_with("IN")) subject += "." + field;
    return found(rule + ":" + laestab + ":" + subject, rule.starts_with("IN") ? "core" : "census-integrity", s, laestab,
                 subject, {{rule.starts_with("IN") ? "field" : field, rule.starts_with("IN") ? field : "x"}});
  };
  std::vector<IdentifiedFinding> all{
      pupil("CI006", Severity::error, "DOB"),          pupil("IN003", Severity::error, "EntryDate"),
      pupil("IN004", Severity::error, "SENprovision"), pupil("CI009", Severity::query, "UPN"),
      pupil("CI008", Severity::query, "SENprovision"), pupil("CI010", Severity::query, "Sex"),
      pupil("CI012", Severity::query, "EntryDate"),    pupil("CI011", Severity::query, "DOB", "8881002"),
  };
  merge_same_problem(all);
  std::vector<std::string> rules;
  for (const auto& x : all)
    rules.push_back(x.finding.rule + " " + std::string(name(x.finding.severity)));
  // CI008 and CI012 took the loaders' errors: they move up (a cycle of four moves), stably.
  CHECK(rules == std::vector<std::string>{"CI006 error", "CI008 error", "CI012 error", "CI009 query", "CI010 query",
                                          "CI011 query"});
  CHECK(all[1].merged.size() == 1);
  CHECK(all[2].merged.size() == 1);
  CHECK(all[5].finding.laestab == "8881002");
}

TEST_CASE("decide: a rule that names the field with its letter (\"budget_share (F)\") is the same problem") {
  std::vector<IdentifiedFinding> all{
      found("CB001:8882002:8882002", "clawback", Severity::query, "8882002", "8882002", {{"budget_share (F)", "1,2,3"}},
            "Balances cannot be used: budget_share (F) '1,2,3' unreadable"),
      found("IN003:8882002:8882002.budget_share", "core", Severity::error, "8882002", "8882002.budget_share",
            {{"field", "budget_share"}, {"value", "1,2,3"}}),
      // Another field of the same school's balances row stays apart.
      found("IN003:8882002:8882002.revenue_balance", "core", Severity::error, "8882002", "8882002.revenue_balance",
            {{"field", "revenue_balance"}, {"value", "x"}}),
  };
  merge_same_problem(all);
  REQUIRE(all.size() == 2);
  const auto it = std::find_if(all.begin(), all.end(), [](const auto& x) { return x.finding.rule == "CB001"; });
  REQUIRE(it != all.end());
  CHECK(it->codes() == "IN003, CB001");
  CHECK(it->finding.severity == Severity::error);
}

TEST_CASE("decide: who acts follows the rule, and for an input finding the input it is about") {
  Dataset data;
  data.files.resize(1);
  for (const char* kind : {"census-xml", "ehcp-cases", "ap_placements", "balances", "commitments", "schools", "config"})
    data.files.push_back({std::string(kind) + ".file", kind, "", 0});
  auto input = [&](std::size_t file, std::string laestab) {
    Finding f;
    f.plugin = "core";
    f.rule = "IN003";
    f.laestab = std::move(laestab);
    f.source = {static_cast<std::uint32_t>(file), 2};
    return f;
  };
  const RuleMeta in003 = rule(Actor::school, "core"), in008 = rule(Actor::la_data, "core");
  CHECK(decide_actor(input(1, "8881001"), &in003, data) == Actor::school);
  CHECK(decide_actor(input(1, ""), &in003, data) == Actor::la_data); // a census file no school is named for
  CHECK(decide_actor(input(2, "8881001"), &in003, data) == Actor::la_sen);
  CHECK(decide_actor(input(3, "8881001"), &in003, data) == Actor::la_ap);
  CHECK(decide_actor(input(4, "8881001"), &in003, data) == Actor::la_finance);
  CHECK(decide_actor(input(5, "8881001"), &in003, data) == Actor::la_finance);
  CHECK(decide_actor(input(6, "8881001"), &in003, data) == Actor::la_data);
  CHECK(decide_actor(input(7, ""), &in003, data) == Actor::la_data);
  CHECK(decide_actor(input(0, ""), &in003, data) == Actor::la_data);        // no file at all
  CHECK(decide_actor(input(1, "8881001"), &in008, data) == Actor::la_data); // declared for the LA: stays
  // A plugin's finding goes to the actor its rule declares, whatever file it came from.
  Finding eh = input(1, "8881001");
  eh.plugin = "ehcp-timeliness";
  const RuleMeta eh005 = rule(Actor::la_sen, "ehcp-timeliness");
  CHECK(decide_actor(eh, &eh005, data) == Actor::la_sen);
  CHECK(name(Actor::la_sen) == "LA SEN team");
  CHECK(id(Actor::la_finance) == "la_finance");
}

TEST_CASE("decide: an LA-level finding about a pupil is shown to every school the pupil is on roll at") {
  using namespace censusqa::testkit;
  const Dataset data = DatasetBuilder()
                           .school_return("8882001")
                           .pupil({.upn = "K888200100208"})
                           .pupil({.upn = "B888200100001"})
                           .school_return("8882000")
                           .pupil({.upn = "K888200100208"})
                           .school_return("8883000")
                           .pupil({.upn = "C888300000001"})
                           .build();
  std::vector<IdentifiedFinding> all{
      found("CI005::K888200100208", "census-integrity", Severity::query, "", "K888200100208", {}),
      found("EH010::2018", "ehcp-timeliness", Severity::query, "", "2018", {}),
  };
  all[0].finding.upn = "K888200100208";
  decide_audience(all, data);
  CHECK(all[0].shown_to == std::vector<std::string>{"8882000", "8882001"});
  CHECK(all[1].shown_to.empty()); // about no pupil: the LA's alone

  // Each of those schools' profiles lists it among its findings.
  std::vector<IdentifiedFinding> mine{
      found("CI001:8882001:B888200100001", "census-integrity", Severity::error, "8882001", "B888200100001", {})};
  all.push_back(mine[0]);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.finding.laestab < b.finding.laestab; });
  const censusqa::report::RunSummary summary;
  const censusqa::report::Metrics metrics;
  const std::map<std::string, censusqa::report::RuleText> texts;
  const censusqa::report::Comparators comparators;
  const censusqa::report::ProfileTemplate tpl;
  censusqa::report::ReportContext ctx{data, summary, metrics, all, texts, comparators, tpl, "test", {}};
  censusqa::report::index_findings_by_school(ctx);
  REQUIRE(ctx.by_school.count("8882001"));
  const auto& list = ctx.by_school.at("8882001");
  REQUIRE(list.size() == 2);
  CHECK(all[list[0]].finding.rule == "CI001"); // the error first, then the query shown to it
  CHECK(all[list[1]].finding.rule == "CI005");
  CHECK(ctx.by_school.at("8882000").size() == 1);
  CHECK_FALSE(ctx.by_school.count("8883000"));
}

TEST_CASE("decide: an explanation given for a merged finding's id still applies to the merged finding") {
  IdentifiedFinding x = found("PN003:8881001:A888100119001", "primary-need", Severity::query, "8881001",
                              "A888100119001", {{"SENtype", "'AUTISM'"}});
  x.merged.push_back({"IN004:8881001:A888100119001.SENtype",
                      found("IN004:8881001:A888100119001.SENtype", "core", Severity::query, "8881001",
                            "A888100119001.SENtype", {{"field", "SENtype"}, {"value", "AUTISM"}})
                          .finding});
  store::ExplanationRow e;
  e.id = 7;
  e.finding_id = "IN004:8881001:A888100119001.SENtype";
  e.values = R"({"field": "SENtype", "value": "AUTISM"})";
  store::ExplanationRow changed = e;
  changed.id = 8;
  changed.finding_id = "PN003:8881001:A888100119001";
  changed.values = R"({"SENtype": "'ASD'"})";
  const auto d =
      store::decide_explanations({e, changed}, {x}, Date::parse("2025-01-16"), [](std::string_view) { return true; });
  REQUIRE(d.size() == 2);
  CHECK(d[0].status == store::status::active); // matched under the merged id, against the merged finding's values
  CHECK(d[1].status == store::status::review);
  CHECK_THAT(d[1].reason, Catch::Contains("values changed"));
}
