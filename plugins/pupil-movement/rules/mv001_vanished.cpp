// MV001: a pupil on the roll at the previous census who is now on no roll, in no leavers' list and in no
// AP placement: a possible child missing education.
#include "rules.hpp"

namespace censusqa::pupil_movement {
namespace {

constexpr RuleInfo info{
    "MV001",
    Severity::query,
    Scope::pupil,
    Actor::school,
    "On the roll at the previous census, and on no roll, leavers' list or placement now",
    "A pupil of compulsory school age who was on this school's roll at the previous census is on no roll of the "
    "LA's schools in this census (status C or M, or S at a PRU), is not in this school's leavers' list and has no "
    "AP placement open on census day. The school may have left them out of its leavers (PupilsNoLongerOnRoll), or "
    "the child has left the LA's schools with no destination on record: a possible child missing education, "
    "whom the LA must try to find.",
    "Say where the pupil went (the school, another LA, home education, abroad) and, if they left, add them to the "
    "return's leavers with their leaving date; the LA checks those it cannot place.",
    needs_census | needs_previous,
    "previous/ UPN, FormerUPN, EnrolStatus, census UPN, EnrolStatus, leavers LeavingDate, ap_placements start_date, "
    "ap_placements end_date"};

void check(RuleContext& ctx) {
  const Movement& m = movement(ctx.data, ctx.run);
  if (!m.refused.empty()) return ctx.skip(m.refused);
  // The pupil may be on the part of a roll that was not read: said once, on every query.
  std::string cut_short, cut_list;
  if (!m.read_in_part.empty()) {
    cut_short = "; the return of " +
                (m.read_in_part.size() == 1 ? "school " + m.read_in_part[0]
                                            : std::to_string(m.read_in_part.size()) + " schools") +
                " was read only up to an error (IN001), and the pupil may be on " +
                (m.read_in_part.size() == 1 ? "its roll" : "one of their rolls");
    for (const auto& l : m.read_in_part)
      cut_list += (cut_list.empty() ? "" : ", ") + l;
  }
  for (const SchoolMovement& s : m.schools)
    for (const PreviousPupil& x : s.previous_roll) {
      if (x.outcome != Outcome::vanished) continue;
      // Of compulsory school age now: a nursery child or a sixth former who left is no child missing education.
      if (!of_compulsory_age(*x.then, s.day)) continue;
      // A leaver dated after census day is in the list, but not as one who has left by census day.
      const std::string leavers = x.leaving_after_census
                                      ? "in the return's leavers only with a leaving date after census day (" +
                                            x.leaving_after_census->iso() + "), which no census can show (CI013),"
                                      : "not in the return's leavers";
      std::string message = "On this school's roll at the previous census (" + s.previous_day.iso() +
                            ") and, at this one (" + s.day.iso() + "), on no roll of the LA's schools, " + leavers +
                            " and in no AP placement";
      std::vector<std::pair<std::string, std::string>> values{{"previous_census", s.previous_day.iso()},
                                                              {"census", s.day.iso()},
                                                              {"previous_record", previous_record(ctx.data, *x.then)}};
      if (x.then->nc_year) values.emplace_back("nc_year_then", std::string(x.then->nc_year->code()));
      if (!cut_short.empty()) {
        message += cut_short;
        values.emplace_back("returns_read_in_part", cut_list);
      }
      if (x.leaving_after_census) values.emplace_back("leaving_date", x.leaving_after_census->iso());
      ctx.report_school(s.laestab, x.then->upn, SourceRef{}, std::move(message), std::move(values), x.then->upn);
    }
}

} // namespace

const Rule mv001_vanished{&info, check};

} // namespace censusqa::pupil_movement
