// Running a plugin in a child process; see isolate.hpp.
#include "isolate.hpp"

#include "../report/metrics.hpp"
#include "config.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace censusqa::engine {
namespace {

using Clock = std::chrono::steady_clock;

Value cell_value(const ProfileCell& c) {
  Value v;
  v.set("kind", static_cast<int>(c.kind));
  v.set("text", c.text);
  v.set("count", c.count);
  v.set("number", c.number);
  return v;
}

std::string str(const Value* v) { return v && v->is_string() ? v->as_string() : std::string(); }
std::int64_t num(const Value* v) { return v && v->is_int() ? v->as_int() : 0; }

} // namespace

std::string encode(const BufferSink& sink, const std::string& failure) {
  Value root = Value::Object{};
  root.set("failure", failure);
  Value findings = Value::Array{};
  for (const Finding& f : sink.findings) {
    Value v;
    v.set("rule", f.rule);
    v.set("severity", static_cast<int>(f.severity));
    v.set("scope", static_cast<int>(f.scope));
    v.set("laestab", f.laestab);
    v.set("upn", f.upn);
    v.set("subject", f.subject);
    v.set("file", static_cast<std::int64_t>(f.source.file));
    v.set("line", static_cast<std::int64_t>(f.source.line));
    v.set("message", f.message);
    Value values = Value::Array{};
    for (const auto& [k, x] : f.values)
      values.push_back(Value(Value::Array{Value(k), Value(x)}));
    v.set("values", std::move(values));
    v.set("dfe_rule", f.dfe_rule); // SDK 6: the DfE rule the finding names (RuleContext::for_dfe)
    findings.push_back(std::move(v));
  }
  root.set("findings", std::move(findings));
  Value skipped = Value::Object{};
  for (const auto& [k, why] : sink.skipped)
    skipped.set(k, why);
  root.set("skipped", std::move(skipped));
  Value schools = Value::Object{};
  for (const auto& [laestab, m] : sink.school_metrics) {
    Value s = Value::Object{};
    for (const auto& [k, x] : m)
      s.set(k, x);
    schools.set(laestab, std::move(s));
  }
  root.set("school_metrics", std::move(schools));
  root.set("la_metrics", Value(Value::Object(sink.la_metrics.begin(), sink.la_metrics.end())));
  Value sections = Value::Object{};
  for (const auto& [laestab, list] : sink.sections) {
    Value a = Value::Array{};
    for (const ProfileSection& s : list) {
      Value v;
      v.set("sheet", s.sheet);
      v.set("title", s.title);
      Value cols = Value::Array{}, rows = Value::Array{}, notes = Value::Array{};
      for (const auto& c : s.columns)
        cols.push_back(c);
      for (const auto& r : s.rows) {
        Value row = Value::Array{};
        for (const auto& c : r)
          row.push_back(cell_value(c));
        rows.push_back(std::move(row));
      }
      for (const auto& n : s.notes)
        notes.push_back(n);
      v.set("columns", std::move(cols));
      v.set("rows", std::move(rows));
      v.set("notes", std::move(notes));
      a.push_back(std::move(v));
    }
    sections.set(laestab, std::move(a));
  }
  root.set("sections", std::move(sections));
  Value messages = Value::Array{};
  for (const auto& m : sink.messages) {
    Value v;
    v.set("level", static_cast<int>(m.level));
    v.set("message", m.message);
    messages.push_back(std::move(v));
  }
  root.set("messages", std::move(messages));
  root.set("messages_dropped", static_cast<std::int64_t>(sink.messages_dropped));
  std::ostringstream out;
  report::write_json_value(out, root, 0);
  return out.str();
}

std::string decode(const std::string& text, BufferSink& into) {
  const Value root = parse_json_value(text, "the isolated plugin's results");
  if (const Value* a = root.find("findings"); a && a->is_array())
    for (const Value& v : a->as_array()) {
      Finding f;
      f.rule = str(v.find("rule"));
      f.severity = static_cast<Severity>(num(v.find("severity")));
      f.scope = static_cast<Scope>(num(v.find("scope")));
      f.laestab = str(v.find("laestab"));
      f.upn = str(v.find("upn"));
      f.subject = str(v.find("subject"));
      f.source = {static_cast<std::uint32_t>(num(v.find("file"))), static_cast<std::uint32_t>(num(v.find("line")))};
      f.message = str(v.find("message"));
      f.dfe_rule = str(v.find("dfe_rule"));
      if (const Value* values = v.find("values"); values && values->is_array())
        for (const Value& pair : values->as_array())
          if (pair.is_array() && pair.as_array().size() == 2)
            f.values.emplace_back(str(&pair.as_array()[0]), str(&pair.as_array()[1]));
      into.findings.push_back(std::move(f));
    }
  if (const Value* o = root.find("skipped"); o && o->is_object())
    for (const auto& [k, v] : o->as_object())
      into.skipped[k] = str(&v);
  if (const Value* o = root.find("school_metrics"); o && o->is_object())
    for (const auto& [laestab, m] : o->as_object())
      if (m.is_object())
        for (const auto& [k, v] : m.as_object())
          into.school_metrics[laestab][k] = num(&v);
  if (const Value* o = root.find("la_metrics"); o && o->is_object())
    for (const auto& [k, v] : o->as_object())
      into.la_metrics[k] = v;
  if (const Value* o = root.find("sections"); o && o->is_object())
    for (const auto& [laestab, list] : o->as_object()) {
      if (!list.is_array()) continue;
      for (const Value& v : list.as_array()) {
        ProfileSection s;
        s.sheet = str(v.find("sheet"));
        s.title = str(v.find("title"));
        if (const Value* c = v.find("columns"); c && c->is_array())
          for (const Value& x : c->as_array())
            s.columns.push_back(str(&x));
        if (const Value* n = v.find("notes"); n && n->is_array())
          for (const Value& x : n->as_array())
            s.notes.push_back(str(&x));
        if (const Value* rows = v.find("rows"); rows && rows->is_array())
          for (const Value& r : rows->as_array()) {
            std::vector<ProfileCell> row;
            if (r.is_array())
              for (const Value& c : r.as_array()) {
                ProfileCell cell;
                cell.kind = static_cast<ProfileCell::Kind>(num(c.find("kind")));
                cell.text = str(c.find("text"));
                cell.count = num(c.find("count"));
                if (const Value* n = c.find("number"); n && n->is_number()) cell.number = n->as_number();
                row.push_back(std::move(cell));
              }
            s.rows.push_back(std::move(row));
          }
        into.sections[laestab].push_back(std::move(s));
      }
    }
  if (const Value* a = root.find("messages"); a && a->is_array())
    for (const Value& v : a->as_array()) // through write(): the bound and the UTF-8 check hold in the parent too
      into.write(num(v.find("level")) == static_cast<int>(Log::Level::warning) ? Log::Level::warning : Log::Level::info,
                 str(v.find("message")));
  into.messages_dropped += static_cast<std::size_t>(std::max<std::int64_t>(0, num(root.find("messages_dropped"))));
  return str(root.find("failure"));
}

namespace {

// The parent's side: everything the child writes, read as it comes (a child writing more than the
// pipe holds is never blocked on a parent waiting for it), until the child has ended or `deadline`.
// Returns whether it ended; the child is left to reap (waitid WNOWAIT), so that its process id, and
// so its process group's, cannot be taken by another process before the group is killed.
bool read_until_done(int fd, pid_t pid, Clock::time_point deadline, std::string& text) {
  char buf[65536];
  auto drain = [&] {
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return n == 0; // 0: end of file; -1: EAGAIN, nothing more for now
      text.append(buf, static_cast<std::size_t>(n));
    }
  };
  bool eof = false;
  for (;;) {
    // Every 200 ms at most, whether the child has ended: another plugin's child, forked meanwhile,
    // may hold this pipe open too, so the end of file alone does not say it.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    if (!eof) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::min<long long>(left, 200))) > 0) eof = drain();
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<long long>(left, 20)));
    }
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) {
      drain(); // what the child wrote before it ended
      return true;
    }
  }
}

} // namespace

std::string run_isolated(const std::function<void(BufferSink&)>& body, BufferSink& into, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  int fds[2];
  if (pipe(fds) != 0) return std::string("could not be isolated: pipe: ") + std::strerror(errno);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return std::string("could not be isolated: fork: ") + std::strerror(errno);
  }
  if (pid == 0) {
    // The child: in a process group of its own (so that it and whatever it starts can be stopped
    // together) and ended if censusqa ends; run the plugin, send back what it collected, and leave
    // without running the parent's exit handlers or flushing its buffers.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(4); // censusqa ended before the line above
    close(fds[0]);
    BufferSink sink;
    std::string failure;
    try {
      body(sink);
    } catch (const std::exception& e) {
      failure = std::string("threw: ") + e.what();
    } catch (...) {
      failure = "threw an exception that is not a std::exception";
    }
    const std::string text = encode(sink, failure);
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) _exit(4);
      done += static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  setpgid(pid, pid); // as the child does: whichever runs first, the group exists before it is killed
  close(fds[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  std::string text;
  const bool ended = read_until_done(fds[0], pid, deadline, text);
  close(fds[0]);
  kill(-pid, SIGKILL); // the plugin's own processes, if any are left (and the child, at the time limit)
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!ended)
    return "did not finish within " + std::to_string(limit.count()) +
           " s and was stopped (plugins.timeout_seconds / --plugin-timeout)";
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "crashed with signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "ended with exit status " + std::to_string(WEXITSTATUS(status)) + " before reporting its results";
  try {
    return decode(text, into);
  } catch (const std::exception& e) {
    return std::string("sent results that could not be read: ") + e.what();
  }
}

} // namespace censusqa::engine
