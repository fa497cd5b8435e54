// The history store against SQLite, and against PostgreSQL when CENSUSQA_TEST_POSTGRES gives a
// server (tools/with-postgres.sh starts one; ctest runs this binary both ways). Each test case gets
// a store of its own: a new SQLite file, or a new PostgreSQL database.
#include "store/history.hpp"
#include "store/replies.hpp"
#include "store/store.hpp"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <random>
#include <thread>

#include <unistd.h>

using namespace censusqa;
using namespace censusqa::store;
namespace fs = std::filesystem;

namespace {

// A fresh, empty store location for one test case; removed afterwards.
class TestDb {
public:
  TestDb() {
    static std::atomic<int> n{0};
    const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(++n);
    const char* pg = std::getenv("CENSUSQA_TEST_POSTGRES");
    const char* want = std::getenv("CENSUSQA_STORE_BACKEND");
    if (want && std::string(want) == "postgresql" && !pg)
      FAIL("CENSUSQA_STORE_BACKEND=postgresql but CENSUSQA_TEST_POSTGRES is not set (run through "
           "tools/with-postgres.sh)");
    if (pg) {
      admin_ = pg;
      name_ = "censusqa_test_" + tag;
      admin() << "CREATE DATABASE " + name_, Poco::Data::Keywords::now;
      url_ = admin_.substr(0, admin_.rfind('/') + 1) + name_;
    } else {
      file_ = fs::temp_directory_path() / ("censusqa-store-test-" + tag + ".db");
      fs::remove(file_);
      url_ = file_.string();
    }
  }
  ~TestDb() {
    if (!name_.empty()) {
      try {
        admin() << "DROP DATABASE " + name_ + " WITH (FORCE)", Poco::Data::Keywords::now;
      } catch (...) {
      }
    } else {
      fs::remove(file_);
    }
  }
  const std::string& url() const { return url_; }
  bool postgres() const { return !name_.empty(); }

private:
  Poco::Data::Session admin() {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    return Poco::Data::Session("PostgreSQL", parse_location(admin_).connection);
  }
  std::string admin_, name_, url_;
  fs::path file_;
};

RunRow a_run(const std::string& term, const std::string& date) {
  RunRow r;
  r.started = "2025-01-20T09:14:03Z";
  r.la_code = "888";
  r.term = term;
  r.reference_date = date;
  r.version = "0.1.0";
  r.inputs = R"([{"path": "census/8883001.xml", "sha256": "ab"}])";
  return r;
}

FindingRow a_finding(const std::string& id, const std::string& severity, const std::string& values) {
  FindingRow f;
  f.id = id;
  f.rule = id.substr(0, 5);
  f.severity = severity;
  f.scope = "pupil";
  f.plugin = "census-integrity";
  f.laestab = "8883001";
  f.upn = "A888300112345";
  f.subject = "A888300112345";
  f.file = "census/8883001.xml";
  f.line = 120;
  f.message = "Pupil's \"UPN\" is wrong";
  f.values = values;
  return f;
}

report::IdentifiedFinding identified(const std::string& id, Severity s,
                                     std::vector<std::pair<std::string, std::string>> values) {
  report::IdentifiedFinding f;
  f.id = id;
  f.finding.rule = id.substr(0, 5);
  f.finding.severity = s;
  f.finding.values = std::move(values);
  return f;
}

} // namespace

TEST_CASE("store: created on first use at the latest schema version, and reopened as it is") {
  TestDb db;
  {
    Store s(db.url());
    CHECK(s.schema_version() == Store::latest_version());
    CHECK(s.runs().empty());
  }
  Store again(db.url());
  CHECK(again.schema_version() == Store::latest_version());
  CHECK(again.location().connector == (db.postgres() ? "PostgreSQL" : "SQLite"));
}

TEST_CASE("store: a run, its findings, metrics and pupils' needs read back exactly") {
  TestDb db;
  Store s(db.url());
  const std::vector<FindingRow> findings{a_finding("CI002:8883001:A888300112345", "error", R"({"UPN": "A8883"})"),
                                         a_finding("PN001:8883001:A888300112345", "query", "{}")};
  SchoolMetrics m{{"8883001", {{"pupils_on_roll", 412}, {"sen_support", 59}}}, {"8883002", {{"pupils_on_roll", 0}}}};
  std::vector<PupilNeedRow> needs{{"8883001", "A888300112345", "C", "K", "SLCN"}};
  RunRow r = a_run("SPR", "2025-01-16");
  r.errors = 1;
  r.queries = 1;
  const auto id = s.record_run(r, findings, m, needs);
  CHECK(id > 0);
  const auto back = s.run(id);
  REQUIRE(back);
  CHECK(back->term == "SPR");
  CHECK(back->reference_date == "2025-01-16");
  CHECK(back->inputs == r.inputs);
  CHECK(back->errors == 1);
  const auto f = s.findings(id);
  REQUIRE(f.size() == 2);
  CHECK(f[0].id == findings[0].id);
  CHECK(f[0].message == findings[0].message); // quotes survive
  CHECK(f[0].values == findings[0].values);
  CHECK(f[0].line == 120);
  CHECK(s.school_metrics(id) == m);
  const auto n = s.pupil_needs(id);
  REQUIRE(n.size() == 1);
  CHECK(n[0].primary_need == "SLCN");
  CHECK(n[0].sen_provision == "K");
  const auto second = s.record_run(a_run("SUM", "2025-05-15"), {findings[1]}, {}, {});
  CHECK(second > id);
  const auto latest = s.latest_finding("PN001:8883001:A888300112345");
  REQUIRE(latest);
  CHECK(latest->first == second);
  CHECK_FALSE(s.latest_finding("PN001:8883001:NOBODY"));
  CHECK(s.runs().size() == 2);
  CHECK(s.runs("999").empty());
}

TEST_CASE("store: migration 2 -> 3 keeps needs and explanations and adds permanent exclusions") {
  TestDb db;
  std::int64_t id = 0;
  {
    Store v2(db.url(), 2);
    CHECK(v2.schema_version() == 2);
    id = v2.record_run(a_run("AUT", "2024-10-03"), {}, {}, {{"8883001", "A1", "C", "K", "MLD"}});
    ExplanationRow e;
    e.finding_id = "PN001:8883001:A1";
    e.text = "kept";
    v2.add_explanation(e);
    CHECK_THROWS(v2.permanent_exclusions(id)); // the table comes with migration 3
  }
  Store v3(db.url(), 3);
  CHECK(v3.schema_version() == 3);
  CHECK(v3.pupil_needs(id).size() == 1);
  REQUIRE(v3.explanations().size() == 1);
  CHECK(v3.explanations()[0].text == "kept");
  CHECK(v3.permanent_exclusions(id).empty());
  const auto next = v3.record_run(a_run("SPR", "2025-01-16"), {}, {}, {}, {{"8883001", "A1", "2024-12-02"}});
  REQUIRE(v3.permanent_exclusions(next).size() == 1);
  CHECK(v3.permanent_exclusions(next)[0].start_date == "2024-12-02");
}

TEST_CASE("store: migrations 3 -> 5 keep the runs and add the profiles written and the replies") {
  TestDb db;
  std::int64_t id = 0;
  {
    Store v3(db.url(), 3);
    id = v3.record_run(a_run("SPR", "2025-01-16"), {}, {}, {});
    CHECK_THROWS(v3.profiles("888")); // the table comes with migration 4
    CHECK_THROWS(v3.replies());       // and this one with migration 5
  }
  Store s(db.url());
  CHECK(s.schema_version() == Store::latest_version());
  CHECK(s.run(id));
  CHECK(s.profiles("888").empty());
  s.record_profiles(id, {{"8883001", "8883001-oak-primary.xlsx"}, {"8883002", "8883002-elm.xlsx"}});
  const auto later = s.record_run(a_run("SUM", "2025-05-15"), {}, {}, {});
  s.record_profiles(later, {{"8883001", "8883001-oak-primary.xlsx"}});
  const auto p = s.profiles("888");
  REQUIRE(p.size() == 3);
  CHECK(p[0].run_id == id);
  CHECK(p[0].laestab == "8883001");
  CHECK(p[0].file == "8883001-oak-primary.xlsx");
  CHECK(p[0].written == "2025-01-20T09:14:03Z"); // the run's start
  CHECK(p[2].run_id == later);
  CHECK(s.profiles("999").empty());
  // One census's profiles: the summer run's are not the spring census's.
  const auto spring = s.profiles("888", "2025-01-16");
  REQUIRE(spring.size() == 2);
  CHECK(spring[0].run_id == id);
  CHECK(spring[1].run_id == id);
  REQUIRE(s.profiles("888", "2025-05-15").size() == 1);
  CHECK(s.profiles("888", "2025-05-15")[0].run_id == later);
  CHECK(s.profiles("888", "2025-10-02").empty());

  ReplyRow r;
  r.laestab = "8883001";
  r.file = "8883001-oak-primary.xlsx";
  r.received = "2025-01-27T10:00:00Z";
  r.explained = 2;
  r.disputed = 1;
  r.fixed = 3;
  r.refused = 1;
  const auto rid = s.add_reply(r);
  CHECK(rid > 0);
  const auto back = s.replies();
  REQUIRE(back.size() == 1);
  CHECK(back[0].id == rid);
  CHECK(back[0].laestab == r.laestab);
  CHECK(back[0].file == r.file);
  CHECK(back[0].received == r.received);
  CHECK((back[0].explained == 2 && back[0].disputed == 1 && back[0].fixed == 3 && back[0].refused == 1));
}

TEST_CASE("store: the Returns sheet's facts: latest profile, replies and disputes per school") {
  TestDb db;
  Store s(db.url());
  const auto id = s.record_run(a_run("SPR", "2025-01-16"), {}, {}, {});
  s.record_profiles(id, {{"8883001", "a.xlsx"}, {"8883002", "b.xlsx"}});
  RunRow later_run = a_run("SPR", "2025-01-16");
  later_run.started = "2025-01-21T08:00:00Z";
  s.record_profiles(s.record_run(later_run, {}, {}, {}), {{"8883001", "a.xlsx"}});
  ReplyRow r;
  r.laestab = "8883001";
  r.file = "first.xlsx";
  r.received = "2025-01-27T10:00:00Z";
  s.add_reply(r);
  r.file = "second.xlsx";
  r.received = "2025-01-29T10:00:00Z";
  s.add_reply(r);
  r.laestab = "9993001"; // another LA's school in a shared store
  s.add_reply(r);
  ExplanationRow e;
  e.finding_id = "PN001:8883002:A1";
  e.text = "The pupil has left";
  e.status = status::review;
  e.note = disputed_note;
  s.add_explanation(e);
  e.finding_id = "PN001:8883002:A2";
  e.note = "values changed"; // under review, but not a dispute
  s.add_explanation(e);
  // A summer run's profile, written later, is not the spring census's.
  RunRow summer = a_run("SUM", "2025-05-15");
  summer.started = "2025-05-20T08:00:00Z";
  s.record_profiles(s.record_run(summer, {}, {}, {}), {{"8883001", "a.xlsx"}});
  const auto c = chase_from_store(s, "888", "2025-01-16");
  CHECK(c.store);
  CHECK(c.profile_written ==
        std::map<std::string, std::string>{{"8883001", "2025-01-21T08:00:00Z"}, {"8883002", "2025-01-20T09:14:03Z"}});
  CHECK(chase_from_store(s, "888", "2025-05-15").profile_written ==
        std::map<std::string, std::string>{{"8883001", "2025-05-20T08:00:00Z"}});
  REQUIRE(c.reply.size() == 1);
  CHECK(c.reply.at("8883001").file == "second.xlsx");
  CHECK(c.reply.at("8883001").received == "2025-01-29T10:00:00Z");
  CHECK(c.reply.at("8883001").replies == 2);
  CHECK(c.disputed == std::map<std::string, std::int64_t>{{"8883002", 1}});
}

TEST_CASE("store: earlier runs' permanent exclusions stand in for previous/ (AP tracking)") {
  TestDb db;
  Store s(db.url());
  s.record_run(a_run("SPR", "2023-01-19"), {}, {}, {}, {{"8883001", "OLD", "2022-11-01"}}); // over a year before
  s.record_run(a_run("SPR", "2024-01-18"), {}, {}, {{"8883001", "A1", "C", "K", "ASD"}}, {});
  s.record_run(a_run("AUT", "2024-10-03"), {}, {}, {},
               {{"8883002", "B2", "2024-09-20"}, {"8883002", "A1", "2024-07-01"}});
  const auto prev = previous_from_store(s, "888", *Date::parse("2025-01-16"));
  REQUIRE(prev.data);
  CHECK(prev.from == "needs from run 2 (Spring 2024, 2024-01-18); 2 permanent exclusion(s) from run(s) 3, 2");
  const Dataset& d = *prev.data;
  // A permanently excluded pupil is a leaver in the census it was reported in.
  CHECK(d.pupils_with_upn("B2").empty());
  REQUIRE(d.leavers_with_upn("B2").size() == 1);
  const Pupil& b = d.leavers[d.leavers_with_upn("B2")[0]];
  REQUIRE(d.exclusions_of(b).size() == 1);
  CHECK(d.exclusions_of(b)[0].category == ExclusionCategory::PERM);
  CHECK(d.exclusions_of(b)[0].start_date == Date::parse("2024-09-20"));
  CHECK(d.return_of(b).term == Term::AUT);
  CHECK(d.pupils_with_upn("A1").size() == 1);  // the spring need
  CHECK(d.leavers_with_upn("A1").size() == 1); // and the autumn exclusion
  CHECK(d.pupils_with_upn("OLD").empty());
  CHECK(d.leavers_with_upn("OLD").empty());
  CHECK_FALSE(previous_from_store(s, "888", *Date::parse("2023-01-19")).data);
  CHECK(prev.kind == PreviousKind::needs_from_store); // run 2 kept no roll
  // No spring run in the store: the autumn's exclusions alone, and a kind that says so.
  TestDb db2;
  Store s2(db2.url());
  s2.record_run(a_run("AUT", "2024-10-03"), {}, {}, {}, {{"8883002", "B2", "2024-09-20"}});
  const auto autumn_only = previous_from_store(s2, "888", *Date::parse("2025-01-16"));
  REQUIRE(autumn_only.data);
  CHECK(autumn_only.kind == PreviousKind::exclusions_from_store);
  CHECK(autumn_only.from == "1 permanent exclusion(s) from run(s) 1");
}

TEST_CASE("store: migration 1 -> 2 keeps the runs and adds needs and explanations") {
  TestDb db;
  std::int64_t id = 0;
  {
    Store v1(db.url(), 1);
    CHECK(v1.schema_version() == 1);
    id = v1.record_run(a_run("AUT", "2024-10-03"), {a_finding("CI002:8883001:A888300112345", "error", "{}")},
                       {{"8883001", {{"pupils_on_roll", 400}}}}, {});
    CHECK_THROWS(v1.explanations()); // the table comes with migration 2
  }
  Store v2(db.url(), 2);
  CHECK(v2.schema_version() == 2);
  REQUIRE(v2.run(id));
  CHECK(v2.findings(id).size() == 1);
  CHECK(v2.school_metrics(id).at("8883001").at("pupils_on_roll") == 400);
  CHECK(v2.pupil_needs(id).empty());
  CHECK(v2.explanations().empty());
}

TEST_CASE("store: explanations are kept with their values and status") {
  TestDb db;
  Store s(db.url());
  ExplanationRow e;
  e.finding_id = "PN001:8883001:A888300112345";
  e.text = "Assessment under way; need confirmed in March";
  e.by = "SENCO";
  e.given = "2025-01-21T10:00:00Z";
  e.until = "2025-07-31";
  e.values = R"({"SENprovision": "K"})";
  e.source = "command line";
  const auto a = s.add_explanation(e);
  const auto b = s.add_explanation(e);
  CHECK(b > a);
  s.set_explanation_status(b, status::review, "the finding no longer occurs", 7);
  const auto active = s.explanations(status::active);
  REQUIRE(active.size() == 1);
  CHECK(active[0].id == a);
  CHECK(active[0].until == "2025-07-31");
  CHECK(active[0].values == e.values);
  const auto review = s.explanations(status::review);
  REQUIRE(review.size() == 1);
  CHECK(review[0].note == "the finding no longer occurs");
  CHECK(review[0].run_id == 7);
  CHECK(s.explanations().size() == 2);
}

TEST_CASE("store: the previous spring run stands in for previous/ (PN013)") {
  TestDb db;
  Store s(db.url());
  s.record_run(a_run("SPR", "2023-01-19"), {}, {}, {{"8883001", "A1", "C", "K", "MLD"}});
  const auto spring = s.record_run(a_run("SPR", "2024-01-18"), {}, {},
                                   {{"8883001", "A888300112345", "C", "K", "ASD"},
                                    {"8883001", "B888300112345", "S", "E", "SLCN"},
                                    {"8883002", "C888300212345", "C", "E", "SEMH"}});
  s.record_run(a_run("AUT", "2024-10-03"), {}, {}, {});
  const auto prev = previous_spring(s, "888", *Date::parse("2025-01-16"));
  REQUIRE(prev);
  CHECK(prev->id == spring);
  CHECK_FALSE(previous_spring(s, "888", *Date::parse("2023-01-19"))); // nothing strictly before
  CHECK_FALSE(previous_spring(s, "999", *Date::parse("2025-01-16")));
  const auto d = dataset_from_store(prev, s.pupil_needs(prev->id), {});
  REQUIRE(d->returns.size() == 2);
  CHECK(d->returns[0].term == Term::SPR);
  REQUIRE(d->pupils_with_upn("B888300112345").size() == 1);
  const Pupil& p = d->pupils[d->pupils_with_upn("B888300112345")[0]];
  CHECK(p.enrol_status == EnrolStatus::S);
  REQUIRE(d->needs_of(p).size() == 1);
  CHECK(d->needs_of(p)[0].type == NeedType::SLCN);
  CHECK(d->needs_of(p)[0].rank == 1);
}

TEST_CASE("store: history diff - introduced, resolved, persisting, changed values and metric changes") {
  TestDb db;
  Store s(db.url());
  const auto a = s.record_run(a_run("AUT", "2024-10-03"),
                              {a_finding("CI002:8883001:X", "error", "{}"), a_finding("CI006:8883001:Y", "error", "{}"),
                               a_finding("PN001:8883001:Z", "query", R"({"v": "1"})")},
                              {{"8883001", {{"pupils_on_roll", 400}, {"sen_support", 50}}}}, {});
  const auto b = s.record_run(
      a_run("SPR", "2025-01-16"),
      {a_finding("CI006:8883001:Y", "error", "{}"), a_finding("PN001:8883001:Z", "query", R"({"v": "2"})"),
       a_finding("CI007:8883001:W", "error", "{}")},
      {{"8883001", {{"pupils_on_roll", 400}, {"sen_support", 52}}}, {"8883002", {{"pupils_on_roll", 9}}}}, {});
  const auto d = diff_runs(s, a, b);
  REQUIRE(d.introduced.size() == 1);
  CHECK(d.introduced[0].id == "CI007:8883001:W");
  REQUIRE(d.resolved.size() == 1);
  CHECK(d.resolved[0].id == "CI002:8883001:X");
  CHECK(d.persisting.size() == 2);
  REQUIRE(d.changed.size() == 1);
  CHECK(d.changed[0].second.values == R"({"v": "2"})");
  REQUIRE(d.metrics.size() == 2); // sen_support 50 -> 52, and the new school
  CHECK(d.metrics[0].metric == "sen_support");
  CHECK(d.metrics[0].before == 50);
  CHECK(d.metrics[0].after == 52);
  CHECK(d.metrics[1].laestab == "8883002");
  CHECK_FALSE(d.metrics[1].before);
  CHECK_THROWS_WITH(diff_runs(s, a, 99), Catch::Contains("no run 99"));
}

TEST_CASE("store: a postgresql:// address becomes libpq keywords, the password is never displayed") {
  const auto l = parse_location("postgresql://qa:s3cret@db.example.org:5433/census?sslmode=require");
  CHECK(l.connector == "PostgreSQL");
  CHECK(l.connection == "host=db.example.org port=5433 user=qa password=s3cret dbname=census sslmode=require");
  CHECK(l.display == "postgresql://qa@db.example.org:5433/census");
  CHECK(parse_location("history.db").connector == "SQLite");
  CHECK_THROWS(parse_location(""));
  CHECK_THROWS(parse_location("postgresql://qa@host/db?options=-c x"));
}

TEST_CASE("explanations: applied only while the finding is the same, otherwise reviewed or expired") {
  const auto ref = Date::parse("2025-01-16");
  auto expl = [](std::int64_t id, const std::string& finding, const std::string& values,
                 const std::string& until = "") {
    ExplanationRow e;
    e.id = id;
    e.finding_id = finding;
    e.values = values;
    e.until = until;
    return e;
  };
  const std::vector<report::IdentifiedFinding> now{identified("PN001:1:A", Severity::query, {{"SENprovision", "K"}}),
                                                   identified("PN002:1:B", Severity::query, {{"SENtype", "ASD"}}),
                                                   identified("CI002:1:C", Severity::error, {})};
  const auto d =
      decide_explanations({expl(1, "PN001:1:A", R"({"SENprovision": "K"})"),
                           expl(2, "PN002:1:B", R"({"SENtype": "MLD"})"), expl(3, "PN003:1:GONE", "{}"),
                           expl(4, "CI002:1:C", "{}"), expl(5, "PN001:1:A", R"({"SENprovision": "K"})", "2025-01-15"),
                           expl(6, "PN001:1:A", R"({"SENprovision": "K"})", "2025-01-16")},
                          now, ref, [](std::string_view) { return true; });
  REQUIRE(d.size() == 6);
  CHECK(d[0].status == status::review); // an older explanation of the same finding: replaced by 6
  CHECK_THAT(d[0].reason, Catch::Contains("newer explanation"));
  CHECK(d[1].status == status::review);
  CHECK_THAT(d[1].reason, Catch::Contains("values changed"));
  CHECK(d[2].status == status::review);
  CHECK_THAT(d[2].reason, Catch::Contains("no longer occurs"));
  CHECK(d[3].status == status::review);
  CHECK_THAT(d[3].reason, Catch::Contains("error"));
  CHECK(d[4].status == status::expired); // until the day before the census
  CHECK(d[5].status == status::active);  // until the census date itself: still applies
}

TEST_CASE("store: the Overview's previous terms are the three latest censuses before this one, oldest first") {
  TestDb db;
  Store s(db.url());
  s.record_run(a_run("SPR", "2024-01-18"), {}, {{"8883001", {{"pupils_on_roll", 1}}}}, {});
  s.record_run(a_run("SUM", "2024-05-16"), {}, {{"8883001", {{"pupils_on_roll", 2}}}}, {});
  s.record_run(a_run("AUT", "2024-10-03"), {}, {{"8883001", {{"pupils_on_roll", 3}}}}, {});
  s.record_run(a_run("AUT", "2024-10-03"), {}, {{"8883001", {{"pupils_on_roll", 4}}}}, {}); // a re-run: it wins
  s.record_run(a_run("SPR", "2025-01-16"), {}, {{"8883001", {{"pupils_on_roll", 5}}}}, {}); // this census
  auto other = a_run("SUM", "2024-06-01");
  other.la_code = "999";
  s.record_run(other, {}, {{"9993001", {{"pupils_on_roll", 9}}}}, {});
  const auto past = past_terms(s, "888", *Date::parse("2025-01-16"), 3);
  REQUIRE(past.size() == 3);
  CHECK(past[0].label == "Spring 2024");
  CHECK(past[1].label == "Summer 2024");
  CHECK(past[2].label == "Autumn 2024");
  CHECK(past[2].schools.at("8883001").at("pupils_on_roll") == 4);
  CHECK(past_terms(s, "888", *Date::parse("2024-05-16"), 3).size() == 1);
  CHECK(past_terms(s, "888", *Date::parse("2024-01-18"), 3).empty());
}

TEST_CASE("explanations: a finding whose rule did not run this time leaves its explanation as it was") {
  ExplanationRow e;
  e.id = 1;
  e.finding_id = "AP007:8883001:U1";
  e.values = "{}";
  const auto ran_all_but_ap = [](std::string_view rule) { return rule.substr(0, 2) != "AP"; };
  const auto d = decide_explanations({e}, {}, Date::parse("2025-01-16"), ran_all_but_ap);
  REQUIRE(d.size() == 1);
  CHECK(d[0].status == status::active);
  CHECK(d[0].reason.empty());
  const auto gone = decide_explanations({e}, {}, Date::parse("2025-01-16"), [](std::string_view) { return true; });
  CHECK(gone[0].status == status::review);
}

// Issue 17, point 8: two runs creating a new store at once. Each took the store's absence from its
// own look and both ran the first migration: "table runs already exists". The schema is now created
// and migrated under the store's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock),
// with the version read again inside it.
TEST_CASE("runs creating a new store at the same moment all succeed") {
  constexpr int runs = 4;
  for (int round = 0; round < 8; ++round) {
    TestDb db;
    std::latch start(runs);
    std::vector<std::string> errors(runs);
    std::vector<std::thread> threads;
    for (int i = 0; i < runs; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          Store s(db.url());
          if (s.schema_version() != Store::latest_version())
            errors[i] = "schema version " + std::to_string(s.schema_version());
        } catch (const std::exception& e) {
          errors[i] = describe(e);
        }
      });
    for (auto& t : threads)
      t.join();
    for (int i = 0; i < runs; ++i) {
      INFO("round " << round << ", run " << i << ": " << errors[i]);
      CHECK(errors[i].empty());
    }
    Store s(db.url());
    CHECK(s.runs().empty());
  }
}

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
std::string open_error(const std::string& db) {
  try {
    Store s(db);
  } catch (const std::exception& e) {
    return describe(e);
  }
  return {};
}
} // namespace

TEST_CASE("--db naming a folder fails at once, saying it is a folder") {
  const fs::path dir = fs::temp_directory_path() / ("censusqa-store-dir-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string e = open_error(dir.string());
  const double took = seconds_since(t0);
  fs::remove_all(dir);
  CHECK_THAT(e, Catch::Contains("is a folder") && Catch::Contains("history.sqlite"));
  CHECK(took < 2.0); // was a 60 s stall (Poco's login timeout) before "unable to open database file"
}

TEST_CASE("--db in a folder that does not exist fails at once, naming the folder") {
  const std::string e = open_error((fs::temp_directory_path() / "censusqa-no-such-folder" / "h.sqlite").string());
  CHECK_THAT(e, Catch::Contains("censusqa-no-such-folder does not exist"));
}

TEST_CASE("a store another process holds locked fails after the wait, saying how long it waited") {
  TestDb db;
  if (db.postgres()) return; // SQLite's file lock; PostgreSQL's writers wait on the server
  ::setenv("CENSUSQA_DB_WAIT", "1", 1);
  Store holder(db.url());
  std::string e;
  double took = 0;
  holder.transaction([&] { // holds the write lock
    const auto t0 = std::chrono::steady_clock::now();
    e = open_error(db.url());
    took = seconds_since(t0);
  });
  ::unsetenv("CENSUSQA_DB_WAIT");
  CHECK_THAT(e, Catch::Contains("is locked by another process") && Catch::Contains("waited 1."));
  CHECK(took >= 0.9);
  CHECK(took < 5.0);
}

TEST_CASE("a store that cannot be written is refused before the run, when the run would record") {
  if (::geteuid() == 0) {
    WARN("running as root, which may write anywhere: the read-only store cannot be tested here");
    return;
  }
  TestDb db;
  if (db.postgres()) return;
  { Store s(db.url()); }
  fs::permissions(db.url(), fs::perms::owner_read);
  Store s(db.url()); // reading is still possible (censusqa profile)
  CHECK_THROWS_WITH(s.check_writable(), Catch::Contains("read-only"));
  fs::permissions(db.url(), fs::perms::owner_read | fs::perms::owner_write);
}

TEST_CASE("store: migration 5 -> 6 keeps the findings and adds who acts on each (empty for the older rows)") {
  TestDb db;
  {
    Store v5(db.url(), 5);
    CHECK(v5.schema_version() == 5);
    v5.record_run(a_run("AUT", "2024-10-03"), {}, {}, {});
  }
  Store s(db.url(), 6);
  CHECK(s.schema_version() == 6);
  FindingRow la = a_finding("EH001:8883001:CASE-1", "query", "{}");
  la.actor = "la_sen";
  FindingRow school = a_finding("CI002:8883001:A888300112345", "query", "{}");
  school.actor = "school";
  s.record_run(a_run("SPR", "2025-01-16"), {la, school}, {}, {});
  const auto a = s.latest_finding("EH001:8883001:CASE-1");
  REQUIRE(a);
  CHECK(a->second.actor == "la_sen");
  const auto b = s.latest_finding("CI002:8883001:A888300112345");
  REQUIRE(b);
  CHECK(b->second.actor == "school");
}

TEST_CASE("store: migration 6 -> 7 keeps the runs; a run recorded since keeps its roll, which stands in for a whole "
          "previous census") {
  TestDb db;
  std::int64_t old_spring = 0;
  {
    Store v6(db.url(), 6);
    old_spring = v6.record_run(a_run("SPR", "2023-01-19"), {}, {}, {{"8883001", "A1", "C", "K", "MLD"}}, {},
                               {{"8883001", "A1", "", "C", "4", "K", "", "2014-05-01", "2019-09-04"}});
    CHECK(v6.pupil_roll(old_spring).empty()); // schema 6 has no roll: nothing was kept
  }
  Store s(db.url(), 7);
  CHECK(s.schema_version() == 7);
  CHECK(s.runs().size() == 1);
  // A run from before schema 7: still the needs-only stand-in.
  {
    const auto prev = previous_from_store(s, "888", *Date::parse("2024-01-18"));
    REQUIRE(prev.data);
    CHECK(prev.kind == PreviousKind::needs_from_store);
    CHECK(prev.from.rfind("needs from run", 0) == 0);
  }
  const std::vector<RosterRow> roll{
      {"8883001", "A888300112345", "", "C", "6", "K", "Y", "2013-04-02", "2017-09-05"},
      {"8883001", "B888300112345", "B88830011234A", "S", "R", "N", "N", "2019-11-30", "2024-01-08"},
      {"8883002", "C888300212345", "", "M", "", "", "", "", ""}};
  const auto spring =
      s.record_run(a_run("SPR", "2024-01-18"), {}, {}, {{"8883001", "A888300112345", "C", "K", "ASD"}}, {}, roll);
  const auto back = s.pupil_roll(spring);
  REQUIRE(back.size() == 3);
  CHECK(back[1].former_upn == "B88830011234A");
  CHECK(back[0].fsm == "Y");
  const auto prev = previous_from_store(s, "888", *Date::parse("2025-01-16"));
  REQUIRE(prev.data);
  CHECK(prev.kind == PreviousKind::census);
  CHECK(prev.from.rfind("census from run " + std::to_string(spring), 0) == 0);
  const Dataset& d = *prev.data;
  REQUIRE(d.returns.size() == 2);
  CHECK(d.returns[0].reference_date->iso() == "2024-01-18");
  REQUIRE(d.pupils.size() == 3);
  const Pupil& a = d.pupils[d.pupils_with_upn("A888300112345")[0]];
  CHECK(a.enrol_status == EnrolStatus::C);
  CHECK(a.nc_year->code() == "6");
  CHECK(a.sen_provision == SenProvision::K);
  CHECK(a.fsm_eligible == true);
  CHECK(a.dob->iso() == "2013-04-02");
  REQUIRE(d.needs_of(a).size() == 1);
  CHECK(d.needs_of(a)[0].type == NeedType::ASD); // the need the same run recorded
  const Pupil& b = d.pupils[d.pupils_with_upn("B888300112345")[0]];
  CHECK(d.former_upn_of(b) == "B88830011234A");
  CHECK(b.fsm_eligible == false);
  CHECK(d.needs_of(b).empty());
  const Pupil& c = d.pupils[d.pupils_with_upn("C888300212345")[0]];
  CHECK_FALSE(c.fsm_eligible);
  CHECK_FALSE(c.dob);
  CHECK(d.files.at(c.source.file).path == "history store run " + std::to_string(spring));
  CHECK(d.files.at(c.source.file).kind == "history-store");
}

TEST_CASE("store: migration 7 -> 8 adds each run's suspensions; the academic year's earlier censuses give theirs") {
  TestDb db;
  {
    Store v7(db.url(), 7);
    v7.record_run(a_run("AUT", "2024-10-03"), {}, {}, {}, {}, {}, {{"8883001", "A1", "2024-06-03", "SUSP", "K"}});
  }
  Store s(db.url(), 8);
  CHECK(s.schema_version() == 8);
  CHECK(s.suspensions(1).empty()); // recorded at schema 7: nothing kept
  s.record_run(a_run("SPR", "2025-01-16"), {}, {}, {}, {}, {},
               {{"8883001", "A888300112345", "2024-11-05", "SUSP", "K"},
                {"8883001", "A888300112345", "2024-06-05", "SUSP", "K"}});
  s.record_run(a_run("SPR", "2025-01-16"), {}, {}, {}, {}, {}, // the same census validated again: the latest counts
               {{"8883001", "A888300112345", "2024-11-05", "SUSP", "E"}});
  s.record_run(a_run("SUM", "2025-05-15"), {}, {}, {}, {}, {}, {{"8883002", "B1", "2025-03-03", "SUSP", ""}});
  const auto got = stored_suspensions(s, "888", *Date::parse("2024-08-01"), *Date::parse("2025-05-15"));
  REQUIRE(got.censuses.size() == 2); // October (no rows kept) and January; May is not before itself
  CHECK(got.censuses[1] == std::pair<std::string, std::string>{"SPR", "2025-01-16"});
  REQUIRE(got.rows.size() == 1);
  CHECK(got.rows[0].sen_provision == "E");
  CHECK(got.rows[0].start_date == "2024-11-05");
}

TEST_CASE("store: migration 8 -> 9 keeps each run's reply secret; a run recorded before has none") {
  TestDb db;
  {
    Store v8(db.url(), 8);
    RunRow r = a_run("AUT", "2024-10-03");
    r.reply_secret = std::string(64, 'a'); // a schema 8 store has nowhere to keep it
    v8.record_run(r, {}, {}, {}, {}, {}, {});
    CHECK(v8.run(1)->reply_secret.empty());
  }
  Store s(db.url());
  CHECK(s.schema_version() == 9);
  CHECK(s.run(1)->reply_secret.empty());
  RunRow r = a_run("SPR", "2025-01-16");
  r.reply_secret = std::string(64, 'b');
  const auto id = s.record_run(r, {}, {}, {}, {}, {}, {});
  CHECK(s.run(id)->reply_secret == std::string(64, 'b'));
  REQUIRE(s.runs().size() == 2);
  CHECK(s.runs()[0].reply_secret.empty());
  CHECK(s.runs()[1].reply_secret == std::string(64, 'b'));
}
