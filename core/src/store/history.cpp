// See history.hpp.
#include "history.hpp"

#include "replies.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace censusqa::store {

std::string la_code_of(const RunInfo& run, const Dataset& data) {
  if (!run.la_code.empty()) return run.la_code;
  std::map<std::string, std::size_t> count;
  for (const auto& r : data.returns)
    if (r.laestab.size() == 7) ++count[r.laestab.substr(0, 3)];
  const auto it =
      std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return it == count.end() ? std::string{} : it->first;
}

RunRow run_row(const report::RunSummary& summary, const Dataset& data, const std::string& la_code,
               const std::vector<report::IdentifiedFinding>& findings, const std::string& reply_secret) {
  RunRow r;
  r.reply_secret = reply_secret;
  r.started = summary.started;
  r.la_code = la_code;
  r.term = summary.run.term ? std::string(name(*summary.run.term)) : "";
  r.reference_date = summary.run.reference_date ? summary.run.reference_date->iso() : "";
  r.version = CENSUSQA_VERSION_STRING;
  r.inputs = "[";
  for (std::size_t i = 1; i < data.files.size(); ++i)
    r.inputs += (i > 1 ? ", " : "") + std::string("{\"path\": ") + report::json_string(data.files[i].path) +
                ", \"sha256\": " + report::json_string(data.files[i].sha256) + "}";
  r.inputs += "]";
  for (const auto& f : findings) {
    auto& n = f.finding.severity == Severity::error   ? r.errors
              : f.finding.severity == Severity::query ? r.queries
                                                      : r.infos;
    ++n;
  }
  return r;
}

FindingRow finding_row(const report::IdentifiedFinding& f, const Dataset& data) {
  const Finding& x = f.finding;
  FindingRow r;
  r.id = f.id;
  r.rule = x.rule;
  r.severity = std::string(name(x.severity));
  r.scope = std::string(name(x.scope));
  r.plugin = x.plugin;
  r.laestab = x.laestab;
  r.upn = x.upn;
  r.subject = x.subject;
  if (x.source.file > 0 && x.source.file < data.files.size()) {
    r.file = data.files[x.source.file].path;
    r.line = x.source.line;
  }
  r.message = x.message;
  r.values = report::values_json(x);
  r.actor = std::string(id(f.actor));
  return r;
}

std::vector<PupilNeedRow> pupil_need_rows(const Dataset& data) {
  std::vector<PupilNeedRow> out;
  for (const auto& r : data.returns)
    for (const Pupil& p : data.pupils_of(r)) {
      if (p.upn.empty()) continue;
      if (const auto need = data.primary_need_of(p))
        out.push_back({r.laestab, p.upn, p.enrol_status ? std::string(name(*p.enrol_status)) : "",
                       p.sen_provision ? std::string(name(*p.sen_provision)) : "", std::string(name(*need))});
    }
  return out;
}

std::vector<RosterRow> roster_rows(const Dataset& data) {
  std::vector<RosterRow> out;
  out.reserve(data.pupils.size());
  for (const auto& r : data.returns)
    for (const Pupil& p : data.pupils_of(r)) {
      if (p.upn.empty()) continue;
      out.push_back({r.laestab, p.upn, std::string(data.former_upn_of(p)),
                     p.enrol_status ? std::string(name(*p.enrol_status)) : "",
                     p.nc_year ? std::string(p.nc_year->code()) : "",
                     p.sen_provision ? std::string(name(*p.sen_provision)) : "",
                     p.fsm_eligible ? (*p.fsm_eligible ? "Y" : "N") : "", p.dob ? p.dob->iso() : "",
                     p.entry_date ? p.entry_date->iso() : ""});
    }
  return out;
}

std::vector<SuspensionRow> suspension_rows(const Dataset& data) {
  std::vector<SuspensionRow> out;
  for (const auto& r : data.returns)
    for (const auto list : {data.pupils_of(r), data.leavers_of(r)})
      for (const Pupil& p : list) {
        if (p.upn.empty()) continue;
        for (const Exclusion& e : data.exclusions_of(p)) {
          if (!e.start_date || e.category != ExclusionCategory::SUSP) continue; // FIXD is read as SUSP
          const auto sen = e.sen_provision ? e.sen_provision : p.sen_provision;
          out.push_back({r.laestab, p.upn, e.start_date->iso(), std::string(name(*e.category)),
                         sen ? std::string(name(*sen)) : ""});
        }
      }
  return out;
}

namespace {
// The LA's censuses in the store with a reference date in [since, before): the latest run of each
// (a census validated several times before its deadline counts once), by reference date.
std::map<std::string, RunRow> censuses(Store& store, const std::string& la_code, const Date& before,
                                       const std::string& since = {}) {
  std::map<std::string, RunRow> latest;
  for (auto& r : store.runs(la_code)) // oldest first: a later run of the same census replaces it
    if (!r.reference_date.empty() && r.reference_date < before.iso() && r.reference_date >= since)
      latest[r.reference_date] = std::move(r);
  return latest;
}
} // namespace

std::optional<RunRow> previous_spring(Store& store, const std::string& la_code, const Date& before) {
  const auto all = censuses(store, la_code, before);
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (it->second.term == "SPR") return it->second;
  return std::nullopt;
}

StoredSuspensions stored_suspensions(Store& store, const std::string& la_code, const Date& since, const Date& before) {
  StoredSuspensions out;
  for (const auto& [date, run] : censuses(store, la_code, before, since.iso())) {
    auto rows = store.suspensions(run.id);
    out.rows.insert(out.rows.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    out.censuses.emplace_back(run.term, run.reference_date);
  }
  return out;
}

std::vector<ExclusionRow> permanent_exclusion_rows(const Dataset& data) {
  std::vector<ExclusionRow> out;
  for (const auto& r : data.returns)
    for (const auto list : {data.pupils_of(r), data.leavers_of(r)})
      for (const Pupil& p : list) {
        if (p.upn.empty()) continue;
        for (const Exclusion& e : data.exclusions_of(p))
          if (e.category == ExclusionCategory::PERM && e.start_date)
            out.push_back({r.laestab, p.upn, e.start_date->iso()});
      }
  return out;
}

std::shared_ptr<const Dataset>
dataset_from_store(const std::optional<RunRow>& spring, const std::vector<PupilNeedRow>& needs,
                   const std::vector<std::pair<RunRow, std::vector<ExclusionRow>>>& exclusions,
                   const std::vector<RosterRow>& roster) {
  auto d = std::make_shared<Dataset>();
  // Where its records came from, as a file a finding can name.
  if (spring) d->files.push_back({"history store run " + std::to_string(spring->id), "history-store", "", 0});
  // Rows come sorted by school: one return per school of each run.
  std::string last; // the run the last return came from
  auto return_for = [&](const RunRow& run, const std::string& laestab, const std::string& run_key, bool leaver) {
    if (d->returns.empty() || d->returns.back().laestab != laestab || last != run_key) {
      CensusReturn r;
      r.laestab = laestab;
      r.lea = laestab.substr(0, 3);
      r.estab = laestab.size() == 7 ? laestab.substr(3) : std::string();
      r.term = parse_term(run.term);
      r.reference_date = Date::parse(run.reference_date);
      if (r.reference_date) r.year = r.reference_date->year();
      r.first_pupil = static_cast<std::uint32_t>(d->pupils.size());
      r.first_leaver = static_cast<std::uint32_t>(d->leavers.size());
      d->returns.push_back(std::move(r));
      last = run_key;
    }
    ++(leaver ? d->returns.back().leaver_count : d->returns.back().pupil_count);
    return static_cast<std::uint32_t>(d->returns.size() - 1);
  };
  if (spring && !roster.empty()) {
    // A whole census: every pupil on roll, with the primary need the same run recorded.
    std::map<std::pair<std::string, std::string>, std::string> need_of;
    for (const auto& row : needs)
      need_of.emplace(std::pair{row.laestab, row.upn}, row.primary_need);
    for (const auto& row : roster) {
      Pupil p;
      p.upn = row.upn;
      p.source = {1, 0};
      p.census_return = return_for(*spring, row.laestab, "roll", false);
      p.enrol_status = parse_enrol_status(row.enrol_status);
      p.nc_year = NcYear::parse(row.nc_year);
      p.sen_provision = parse_sen_provision(row.sen_provision);
      if (row.fsm == "Y" || row.fsm == "N") p.fsm_eligible = row.fsm == "Y";
      p.dob = Date::parse(row.dob);
      p.entry_date = Date::parse(row.entry_date);
      p.first_need = static_cast<std::uint32_t>(d->needs.size());
      if (const auto it = need_of.find({row.laestab, row.upn}); it != need_of.end()) {
        SenNeed n;
        n.type = parse_need_type(it->second);
        n.rank = 1;
        d->needs.push_back(n);
        p.need_count = 1;
      }
      p.first_exclusion = static_cast<std::uint32_t>(d->exclusions.size());
      if (!row.former_upn.empty())
        d->set_raw_value(Entity::pupil, static_cast<std::uint32_t>(d->pupils.size()), Field::former_upn,
                         row.former_upn);
      d->pupils.push_back(std::move(p));
    }
    d->files[1].records = static_cast<std::uint32_t>(roster.size());
  } else if (spring)
    for (const auto& row : needs) {
      Pupil p;
      p.upn = row.upn;
      p.census_return = return_for(*spring, row.laestab, "needs", false);
      p.enrol_status = parse_enrol_status(row.enrol_status);
      p.sen_provision = parse_sen_provision(row.sen_provision);
      p.first_need = static_cast<std::uint32_t>(d->needs.size());
      p.need_count = 1;
      SenNeed n;
      n.type = parse_need_type(row.primary_need);
      n.rank = 1;
      d->needs.push_back(n);
      p.first_exclusion = static_cast<std::uint32_t>(d->exclusions.size());
      d->pupils.push_back(std::move(p));
    }
  // Permanent exclusions as leavers' records, as a census holds them (the same exclusion in several
  // runs: once).
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [run, rows] : exclusions)
    for (const auto& row : rows) {
      if (!seen.emplace(row.upn, row.start_date).second) continue;
      Pupil p;
      p.upn = row.upn;
      p.leaver = true;
      p.census_return = return_for(run, row.laestab, "run " + std::to_string(run.id), true);
      p.first_need = static_cast<std::uint32_t>(d->needs.size());
      p.first_exclusion = static_cast<std::uint32_t>(d->exclusions.size());
      p.exclusion_count = 1;
      Exclusion e;
      e.category = ExclusionCategory::PERM;
      e.start_date = Date::parse(row.start_date);
      d->exclusions.push_back(std::move(e));
      d->leavers.push_back(std::move(p));
    }
  d->available = needs_census;
  d->build_indexes();
  return d;
}

StoredPrevious previous_from_store(Store& store, const std::string& la_code, const Date& before) {
  StoredPrevious out;
  const auto spring = previous_spring(store, la_code, before);
  std::vector<PupilNeedRow> needs;
  std::vector<RosterRow> roster;
  if (spring) {
    needs = store.pupil_needs(spring->id);
    roster = store.pupil_roll(spring->id);
    // A run recorded from schema 7 keeps its whole roll: then the store stands in for a whole census.
    out.kind = roster.empty() ? PreviousKind::needs_from_store : PreviousKind::census;
    out.from = std::string(roster.empty() ? "needs" : "census") + " from run " + std::to_string(spring->id) + " (" +
               term_label(*spring) + ", " + spring->reference_date + ")";
  } else {
    out.kind = PreviousKind::exclusions_from_store;
  }
  // Permanent exclusions: the latest run of each earlier census in the 12 months before this one.
  const auto latest = censuses(store, la_code, before, before.plus_days(-366).iso());
  std::vector<std::pair<RunRow, std::vector<ExclusionRow>>> exclusions;
  std::size_t count = 0;
  std::string runs;
  for (auto it = latest.rbegin(); it != latest.rend(); ++it) {
    auto rows = store.permanent_exclusions(it->second.id);
    count += rows.size();
    runs += (runs.empty() ? "" : ", ") + std::to_string(it->second.id);
    exclusions.emplace_back(it->second, std::move(rows));
  }
  if (!spring && count == 0) return out;
  if (!runs.empty())
    out.from += std::string(out.from.empty() ? "" : "; ") + std::to_string(count) +
                " permanent exclusion(s) from run(s) " + runs;
  out.data = dataset_from_store(spring, needs, exclusions, roster);
  return out;
}

std::string term_label(const RunRow& run) {
  const auto date = Date::parse(run.reference_date);
  const std::string label =
      report::census_label(parse_term(run.term), date ? std::optional<int>(date->year()) : std::nullopt);
  if (!label.empty()) return label;
  return run.reference_date.empty() ? "run " + std::to_string(run.id) : run.reference_date;
}

std::vector<PastTerm> past_terms(Store& store, const std::string& la_code, const Date& before, std::size_t count) {
  const auto latest = censuses(store, la_code, before);
  std::vector<PastTerm> out;
  for (auto it = latest.rbegin(); it != latest.rend() && out.size() < count; ++it)
    out.push_back({it->second, term_label(it->second), {}});
  std::reverse(out.begin(), out.end());
  for (auto& t : out)
    t.schools = store.school_metrics(t.run.id);
  return out;
}

std::vector<ExplanationDecision> decide_explanations(const std::vector<ExplanationRow>& active,
                                                     const std::vector<report::IdentifiedFinding>& findings,
                                                     const std::optional<Date>& reference_date,
                                                     const std::function<bool(std::string_view rule)>& ran) {
  // A finding's own id, and the ids of the findings merged into it (an explanation given for the
  // loader's finding of the same problem still applies), each with the values it was given for.
  struct Target {
    const report::IdentifiedFinding* finding;
    const Finding* values;
  };
  std::map<std::string, Target> by_id;
  for (const auto& f : findings) {
    by_id.emplace(f.id, Target{&f, &f.finding});
    for (const auto& m : f.merged)
      by_id.emplace(m.id, Target{&f, &m.finding});
  }
  std::vector<ExplanationDecision> out;
  std::set<std::string> applied; // one explanation per finding: the newest wins, older ones go to review
  for (auto it = active.rbegin(); it != active.rend(); ++it) {
    const ExplanationRow& e = *it;
    ExplanationDecision d{e.id, e.finding_id, status::active, ""};
    const auto f = by_id.find(e.finding_id);
    if (!e.until.empty() && reference_date && e.until < reference_date->iso()) {
      d.status = status::expired;
      d.reason = "it held until " + e.until + ", before this census (" + reference_date->iso() + ")";
    } else if (f == by_id.end() && !ran(std::string_view(e.finding_id).substr(0, e.finding_id.find(':')))) {
      // the rule did not run: nothing is known of its finding this time; the explanation waits
    } else if (f == by_id.end()) {
      d.status = status::review;
      d.reason = "the finding no longer occurs: check whether the explanation is still needed";
    } else if (f->second.finding->finding.severity == Severity::error) {
      d.status = status::review;
      d.reason = "the finding is an error, which must be fixed rather than explained";
    } else if (report::values_json(*f->second.values) != e.values) {
      d.status = status::review;
      d.reason = "the finding's values changed from " + e.values + " to " + report::values_json(*f->second.values);
    } else if (!applied.insert(f->second.finding->id).second) {
      d.status = status::review;
      d.reason = "a newer explanation of the same finding replaced it";
    }
    out.push_back(std::move(d));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

AppliedExplanations apply_explanations(Store& store, std::vector<report::IdentifiedFinding>& findings,
                                       const std::optional<Date>& reference_date,
                                       const std::function<bool(std::string_view rule)>& ran) {
  AppliedExplanations out;
  const auto active = store.explanations(status::active);
  out.decisions = decide_explanations(active, findings, reference_date, ran);
  out.history.store = store.location().display;
  std::map<std::int64_t, const ExplanationRow*> by_id;
  for (const auto& e : active)
    by_id[e.id] = &e;
  std::map<std::string, const ExplanationRow*> applied;
  for (const auto& d : out.decisions) {
    if (d.status == status::active)
      applied[d.finding_id] = by_id[d.explanation];
    else
      out.history.review.push_back({d.explanation, d.finding_id, d.status, d.reason});
  }
  for (auto& f : findings) {
    auto it = applied.find(f.id);
    for (std::size_t m = 0; it == applied.end() && m < f.merged.size(); ++m)
      it = applied.find(f.merged[m].id); // explained under a merged finding's id
    if (it != applied.end()) {
      const ExplanationRow& e = *it->second;
      f.explained = report::Explained{e.id, e.text, e.by, e.given, e.until};
      ++out.history.explained;
    }
  }
  return out;
}

Diff diff_runs(Store& store, std::int64_t a, std::int64_t b) {
  Diff d;
  const auto ra = store.run(a), rb = store.run(b);
  if (!ra)
    throw std::runtime_error("no run " + std::to_string(a) + " in the history store (see 'censusqa history list')");
  if (!rb)
    throw std::runtime_error("no run " + std::to_string(b) + " in the history store (see 'censusqa history list')");
  d.a = *ra;
  d.b = *rb;
  const auto fa = store.findings(a), fb = store.findings(b);
  std::map<std::string, const FindingRow*> ia, ib;
  for (const auto& f : fa)
    ia.emplace(f.id, &f);
  for (const auto& f : fb)
    ib.emplace(f.id, &f);
  for (const auto& f : fb) {
    const auto it = ia.find(f.id);
    if (it == ia.end()) {
      d.introduced.push_back(f);
    } else {
      d.persisting.push_back(f);
      if (it->second->values != f.values || it->second->message != f.message) d.changed.emplace_back(*it->second, f);
    }
  }
  for (const auto& f : fa)
    if (!ib.count(f.id)) d.resolved.push_back(f);
  const auto ma = store.school_metrics(a), mb = store.school_metrics(b);
  std::set<std::string> schools;
  for (const auto& [s, v] : ma)
    schools.insert(s);
  for (const auto& [s, v] : mb)
    schools.insert(s);
  static const std::map<std::string, std::int64_t> none;
  for (const auto& s : schools) {
    const auto xa = ma.find(s), xb = mb.find(s);
    const auto& va = xa == ma.end() ? none : xa->second;
    const auto& vb = xb == mb.end() ? none : xb->second;
    std::set<std::string> names;
    for (const auto& [k, v] : va)
      names.insert(k);
    for (const auto& [k, v] : vb)
      names.insert(k);
    for (const auto& k : names) {
      const auto pa = va.find(k), pb = vb.find(k);
      std::optional<std::int64_t> before, after;
      if (pa != va.end()) before = pa->second;
      if (pb != vb.end()) after = pb->second;
      if (before != after) d.metrics.push_back({s, k, before, after});
    }
  }
  return d;
}

report::ReportContext::Chase chase_from_store(Store& store, const std::string& la_code,
                                              const std::string& reference_date) {
  report::ReportContext::Chase c;
  c.store = true;
  for (const auto& p : store.profiles(la_code, reference_date)) // oldest run first: the last one stays
    c.profile_written[p.laestab] = p.written;
  for (const auto& r : store.replies()) {
    if (r.laestab.rfind(la_code, 0) != 0) continue; // another LA's school, in a shared store
    auto& reply = c.reply[r.laestab];
    reply.received = r.received;
    reply.file = r.file;
    ++reply.replies;
  }
  // A finding's id is RULE:LAESTAB:SUBJECT.
  for (const auto& e : store.explanations(status::review))
    if (e.note == disputed_note)
      if (const auto a = e.finding_id.find(':'), b = e.finding_id.find(':', a + 1);
          a != std::string::npos && b != std::string::npos)
        ++c.disputed[e.finding_id.substr(a + 1, b - a - 1)];
  return c;
}

} // namespace censusqa::store
