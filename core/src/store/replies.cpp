// See replies.hpp.
#include "replies.hpp"

#include "../report/profile_template.hpp"
#include "../report/reply_check.hpp"

#include <censusqa/rule.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <stdexcept>

namespace censusqa::store {
namespace {

bool is_laestab(const std::string& s) {
  return s.size() == 7 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The reply key of a recorded run, from its secret and its inputs as the store has them (a run
// recorded before schema 9 has no secret: report::unkeyed_reply_key).
std::string run_key(const RunRow& run) {
  std::vector<std::pair<std::string, std::string>> inputs;
  Poco::JSON::Parser parser;
  const auto list = parser.parse(run.inputs).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    const auto o = list->getObject(static_cast<unsigned>(i));
    if (o) inputs.emplace_back(o->optValue<std::string>("path", ""), o->optValue<std::string>("sha256", ""));
  }
  return run.reply_secret.empty() ? report::unkeyed_reply_key(inputs) : report::reply_key(run.reply_secret, inputs);
}

} // namespace

std::string rows_of_another_school(const ReturnedWorkbook& wb, Store& db, const std::string& laestab,
                                   const std::string& file) {
  // A profile is named "<LAEstab>-<school>.xlsx" (report::profile_file_name).
  if (file.size() > 7 && file[7] == '-' && is_laestab(file.substr(0, 7)) && file.substr(0, 7) != laestab)
    return "its reply check is for school " + laestab + ", but it is named as school " + file.substr(0, 7) +
           "'s profile: the workbook was edited or renamed; ask the school to return the profile the LA sent";
  // The rows are the school's own findings: a workbook whose rows are all another school's is not
  // this school's reply, whatever its check says.
  std::map<std::string, std::size_t> others;
  std::size_t own = 0;
  for (const auto& r : wb.responses) {
    if (r.finding_id.empty()) continue;
    const auto f = db.latest_finding(r.finding_id);
    if (!f || f->second.laestab.empty()) continue;
    if (f->second.laestab == laestab)
      ++own;
    else
      ++others[f->second.laestab];
  }
  if (own == 0 && !others.empty())
    return "its reply check is for school " + laestab + ", but its rows are findings of school " +
           others.begin()->first + (others.size() > 1 ? " and others" : "") +
           ", none of this school's: the workbook was edited; ask the school to return the profile the LA sent";
  return {};
}

EstablishedSchool establish_school(const ReturnedWorkbook& wb, Store& db, const std::string& school) {
  EstablishedSchool out;
  std::optional<report::ReplyCheck> claim;
  for (const std::string* text : {&wb.check_line, &wb.check_property}) {
    if (text->empty()) continue;
    const auto c = report::parse_reply_check(*text);
    if (!c) {
      out.refused = "its reply check is not as censusqa writes it ('" + *text +
                    "'): the workbook was edited; ask the school to return the profile the LA sent";
      return out;
    }
    if (claim && claim->laestab != c->laestab) {
      out.refused = "its reply checks name two schools (" + claim->laestab + " on the sheet, " + c->laestab +
                    " in the document properties): the workbook was edited";
      return out;
    }
    if (!claim || claim->code != c->code) {
      if (claim) {
        out.refused = "its two reply checks differ: the workbook was edited";
        return out;
      }
      claim = c;
    }
  }
  if (claim) {
    std::optional<std::int64_t> run;
    bool unkeyed = false; // the run that matches has no secret: anyone with its input list could make the check
    const auto runs = db.runs();
    for (auto it = runs.rbegin(); it != runs.rend() && !run; ++it)
      if (report::same_code(report::reply_code(run_key(*it), claim->laestab), claim->code)) {
        run = it->id;
        unkeyed = it->reply_secret.empty();
      }
    if (!school.empty() && school != claim->laestab) {
      out.refused = "its reply check is for school " + claim->laestab + ", not " + school + " (--school)";
      return out;
    }
    if (run && unkeyed) {
      if (!school.empty()) {
        out.laestab = school;
        out.how = "--school (its reply check is of run " + std::to_string(*run) +
                  ", recorded before reply checks had a secret key)";
        return out;
      }
      out.refused = "its reply check is of run " + std::to_string(*run) +
                    ", recorded by an earlier censusqa whose reply checks had no secret key: a school holding its "
                    "profile's input list could have made it for school " +
                    claim->laestab + ". If you know school " + claim->laestab +
                    " sent this file, import it alone with --school " + claim->laestab;
      return out;
    }
    if (run) {
      out.laestab = claim->laestab;
      out.how = "reply check of run " + std::to_string(*run);
      return out;
    }
    if (!school.empty()) {
      out.laestab = school;
      out.how = "--school (its reply check matches no recorded run)";
      return out;
    }
    out.refused = "its reply check (LAEstab " + claim->laestab +
                  ") matches no run recorded in this store: the workbook was edited, or made by a run not recorded "
                  "here (record runs with --db); ask the school to return the profile the LA sent";
    return out;
  }
  if (!school.empty()) {
    if (!wb.laestab_property.empty() && wb.laestab_property != school) {
      out.refused = "its LAEstab property is " + wb.laestab_property + ", not " + school + " (--school)";
      return out;
    }
    out.laestab = school;
    out.how = "--school (no reply check: a profile from an earlier censusqa)";
    return out;
  }
  out.refused = "it has no reply check, so which school it is for cannot be checked (a profile made by an earlier "
                "censusqa, or the line 'Reply check (keep this line): ...' was removed from its Data to fix sheet)" +
                std::string(wb.laestab_property.empty()
                                ? ""
                                : "; its LAEstab property (" + wb.laestab_property + ") is no proof of the school") +
                ". Ask the school to return the current profile, or, if you know which school sent this file, "
                "import it alone with --school LAESTAB";
  return out;
}

ImportResult import_replies(Store& db, const std::vector<std::filesystem::path>& files, const ImportOptions& opt) {
  if (!opt.school.empty() && !is_laestab(opt.school))
    throw std::invalid_argument("--school must be a 7-digit LAEstab, not '" + clean_text(opt.school, 50) + "'");
  if (!opt.school.empty() && files.size() != 1)
    throw std::invalid_argument("--school names the school that sent one workbook: import that workbook alone");
  ImportResult res;
  // Finding id -> text of its explanations in force or awaiting the LA's review: the same reply read
  // again (or a workbook showing them carried over) adds nothing, a dispute included.
  std::multimap<std::string, std::string> existing;
  for (const char* s : {status::active, status::review})
    for (const auto& e : db.explanations(s))
      existing.emplace(e.finding_id, e.text);
  for (const auto& path : files) {
    ++res.files;
    const std::string file = clean_text(path.filename().string(), 200);
    ReturnedWorkbook wb;
    try {
      wb = read_returned_workbook(path, opt.limits);
    } catch (const std::runtime_error& e) {
      res.refused_files.push_back({file, e.what()});
      continue;
    }
    const auto school = establish_school(wb, db, opt.school);
    if (!school.refused.empty()) {
      res.refused_files.push_back({file, file + " is refused: " + school.refused});
      continue;
    }
    if (const auto why = rows_of_another_school(wb, db, school.laestab, file); !why.empty()) {
      res.refused_files.push_back({file, file + " is refused: " + why});
      continue;
    }
    res.schools.emplace_back(file, school.laestab + " (" + school.how + ")");
    std::vector<ExplanationRow> keep;
    std::size_t added = 0, disputed = 0, fixed = 0;
    const std::size_t refused_before = res.refused_rows.size();
    for (const auto& r : wb.responses) {
      auto refuse = [&](const std::string& why) {
        res.refused_rows.push_back({file, wb.sheet, r.row, r.finding_id, why});
      };
      const bool explained = report::ProfileTemplate::says_explained(r.response);
      const bool dispute = report::ProfileTemplate::says_disputed(r.response);
      if (!explained && !dispute) {
        if (!r.response.empty()) ++fixed; // "Fixed in MIS": the next run will tell
        continue;
      }
      if (r.finding_id.empty()) {
        refuse("'" + r.response + "' on a row with no Finding id");
        continue;
      }
      if (r.comment.empty()) {
        refuse("'" + r.response + "' without a Comment: nothing to keep (ask the school for the reason)");
        continue;
      }
      const auto f = db.latest_finding(r.finding_id);
      if (!f) {
        refuse("no finding with this id in any recorded run");
        continue;
      }
      if (f->second.laestab.empty() || f->second.scope == "la") {
        refuse("an LA-level finding: a school's reply cannot explain it (the LA can: censusqa explain ID --text ...)");
        continue;
      }
      // A row for an LA team is the LA's own records (its cells are locked on the profile): the team
      // answers it, not the school. Rows recorded before who acts was stored (schema 6) have no actor.
      if (!f->second.actor.empty() && f->second.actor != id(Actor::school)) {
        std::string team = f->second.actor;
        for (std::size_t a = 0; a < actor_ids.size(); ++a)
          if (actor_ids[a] == team) team = actor_names[a];
        refuse("a row for the " + team +
               " (the LA's own records): the school's reply cannot explain it (the team can: censusqa explain ID "
               "--text ...)");
        continue;
      }
      if (f->second.laestab != school.laestab) {
        refuse("a finding of school " + f->second.laestab + ", not of this workbook's school " + school.laestab);
        continue;
      }
      if (f->second.severity == "error") {
        refuse("an error: it must be fixed in the MIS, not explained");
        continue;
      }
      if (f->second.severity != "query") {
        refuse("a finding of severity " + f->second.severity + ": only queries are explained");
        continue;
      }
      bool known = false;
      for (auto [it, end] = existing.equal_range(r.finding_id); it != end; ++it)
        known = known || it->second == r.comment;
      if (known) { // the workbook shows explanations carried over: not a new one
        ++res.same;
        continue;
      }
      if (r.comment_cut)
        res.notes.push_back(file + " row " + std::to_string(r.row) + " (" + r.finding_id +
                            "): the Comment was cut to " + std::to_string(opt.limits.comment_chars) + " characters");
      ExplanationRow e;
      e.finding_id = r.finding_id;
      e.text = r.comment;
      e.by = opt.by.empty() ? "school " + school.laestab : opt.by;
      e.given = opt.given;
      e.values = f->second.values;
      e.source = file + " (" + wb.sheet + " row " + std::to_string(r.row) + ")";
      e.run_id = f->first;
      if (dispute) {
        e.status = status::review;
        e.note = disputed_note;
        ++disputed;
      } else {
        ++added;
      }
      existing.emplace(e.finding_id, e.text);
      keep.push_back(std::move(e));
    }
    // The reply itself, for the LA's Returns sheet: which school's came back, when, and what it said.
    ReplyRow reply;
    reply.laestab = school.laestab;
    reply.file = file;
    reply.received = opt.given;
    reply.explained = static_cast<std::int64_t>(added);
    reply.disputed = static_cast<std::int64_t>(disputed);
    reply.fixed = static_cast<std::int64_t>(fixed);
    reply.refused = static_cast<std::int64_t>(res.refused_rows.size() - refused_before);
    db.transaction([&] {
      for (const auto& e : keep)
        db.add_explanation(e);
      db.add_reply(reply);
    });
    res.added += added;
    res.disputed += disputed;
    res.fixed += fixed;
  }
  return res;
}

} // namespace censusqa::store
