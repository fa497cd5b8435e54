// The DfE census rules in scope; see catalogue.hpp. Numbers, severities and conditions are the DfE's;
// the meanings are written in our own words.
#include "catalogue.hpp"

#include <algorithm>
#include <vector>

namespace censusqa::dfe {
namespace {

constexpr Severity E = Severity::error;
constexpr Severity Q = Severity::query;

constexpr Group group_list[] = {
    {"identity", "Pupil identity"},
    {"status", "Enrolment, entry and leaving, part-time, top-up funding"},
    {"nc-year", "National curriculum year"},
    {"sen", "Special educational needs"},
    {"exclusions", "Exclusions"},
    {"fsm", "Free school meal eligibility periods"},
    {"attendance", "Attendance"},
    {"ap", "School-arranged alternative provision"},
    {"term-on-term", "Term-on-term queries (against the previous census)"},
};

constexpr CatalogueEntry entries[] = {
    // identity
    {"1500", E, "identity", "The pupil has no UPN.", {}},
    {"1510", E, "identity", "The UPN's check letter (its first character) does not match the rest of it.", {}},
    {"1520", E, "identity", "Two pupil records in the return share a UPN.", {}},
    {"1530", E, "identity", "Characters 2-4 of the UPN are not a recognised LA number.", {}},
    {"1540", E, "identity", "Characters 5-12 of the UPN are not all digits.", {}},
    {"1550", E, "identity", "Character 13 of the UPN is missing or not a digit or an allowed letter.", {}},
    {"1570", E, "identity", "A pupil aged 14 or over on census day has no ULN.", {}},
    {"1573", E, "identity", "A leaver aged 14 or over on the day it left has no ULN.", {}},
    {"1575", E, "identity", "The ULN is not 10 digits, or its check digit is wrong.", {}},
    {"1578", E, "identity", "Two pupil records in the return share a ULN.", {}},
    {"1580", E, "identity", "The pupil has no surname.", {}},
    {"1590", E, "identity", "The pupil has no forename.", {}},
    {"1600", E, "identity", "The pupil has no date of birth.", {}},
    {"1601", Q, "identity", "The pupil's age is outside the range expected for the school's phase.", {}},
    {"1610", E, "identity", "The pupil's sex (gender) is missing or not a valid code.", {}},
    {"1620", Q, "identity", "Two pupils share surname, forename, sex and date of birth.",
     "Needs the pupils' names, which censusqa's loaders discard (names never leave the loader)."},
    {"5065", E, "identity", "A nursery school (phase NS) returns pupils no longer on roll.", {}},
    // status
    {"1860", E, "status", "The enrolment status is missing or not a valid code.", {}},
    {"1869", E, "status", "The top-up funding indicator is missing or invalid.", {}},
    {"1870", Q, "status", "Fewer than 95% of the pupils on roll are sole registrations (status C).", {}},
    {"1880", E, "status", "The entry date is missing or after census day.", {}},
    {"1881",
     Q,
     "status",
     "The sessions possible say the pupil attended in the first half of the summer term, before its entry "
     "date.",
     {}},
    {"1883",
     Q,
     "status",
     "The sessions possible say the pupil attended in the second half of the summer term, before its entry "
     "date.",
     {}},
    {"1885", Q, "status", "More than half of the pupils on roll have a new entry date (since the last census).", {}},
    {"1920", E, "status", "A leaver's leaving date is missing, before its entry date, or on or after census day.", {}},
    {"1930", E, "status", "The part-time indicator is missing or invalid.", {}},
    {"1940", E, "status", "A pupil of compulsory school age (5 to 15) is recorded as part-time.", {}},
    {"1960", Q, "status", "More than 35% of the pupils are part-time.", {}},
    {"1990", Q, "status", "A pupil receives top-up funding but has no EHC plan (SEN provision is not E).", {}},
    // nc-year
    {"200",
     E,
     "nc-year",
     "The school does not follow the national curriculum (its year groups are X) but the pupil has an NC year "
     "other than X.",
     {}},
    {"2000", E, "nc-year", "The pupil's actual NC year is missing or not a valid code.", {}},
    {"2002", E, "nc-year", "The pupil's NC year is outside the school's lowest and highest NC years.", {}},
    {"2010", Q, "nc-year", "For 10% or more of the pupils, the NC year differs from the one their age gives.", {}},
    {"2020", Q, "nc-year", "The pupil's NC year and age do not agree.", {}},
    {"2030", Q, "nc-year", "The pupil is in an NC year not expected for a school of this phase.", {}},
    {"2040", Q, "nc-year", "An NC year between the school's lowest and highest (other than 14) has no pupils.", {}},
    {"2050", Q, "nc-year", "Some pupils are outside the age range expected for the school's phase.", {}},
    {"2080", E, "nc-year", "A pupil aged 6 or over is in a nursery class.",
     "Needs the pupil's class type, which censusqa does not read (the class module is out of its scope)."},
    {"2112",
     E,
     "nc-year",
     "The school does not follow the national curriculum (year X) yet the pupil has an NC year group.",
     {}},
    // sen
    {"2115", E, "sen", "SEN provision S (statement) is discontinued: a statement is now an EHC plan, code E.", {}},
    {"2120", E, "sen", "SEN provision is missing or not a valid code.", {}},
    {"2125", E, "sen", "The pupil has SEN needs recorded but SEN provision N (none).", {}},
    {"2130", E, "sen", "An SEN need has a rank but no type.", {}},
    {"2140", E, "sen", "An SEN need's rank is missing or invalid (1 or 2).", {}},
    {"2160", E, "sen", "A pupil with a single SEN need has it at a rank other than 1 (primary).", {}},
    {"2165", E, "sen", "Two SEN needs share a rank: two primary (or two secondary) needs.", {}},
    {"2166", E, "sen", "More than two SEN needs are returned for the pupil.", {}},
    {"2170", E, "sen", "A pupil at SEN support (K) or with an EHC plan (E) has no valid SEN type.", {}},
    {"2175", E, "sen", "NSA (no specialist assessment) is used where SEN provision is not K (SEN support).", {}},
    {"2180", E, "sen", "A pupil at a special school has no SEN (provision N).", {}},
    {"2190",
     Q,
     "sen",
     "More than 10% of the school's pupils have an EHC plan (censusqa: mainstream schools; not SP or PR).",
     {}},
    {"2200", Q, "sen", "No pupil in the school has SEN provision (K or E).", {}},
    {"2205",
     Q,
     "sen",
     "More than 40% of the school's pupils are at SEN support (censusqa: mainstream schools; not SP or PR).",
     {}},
    {"2210", Q, "sen", "Fewer than 70% of a special school's pupils have an EHC plan.", {}},
    {"2230",
     E,
     "sen",
     "A pupil with SEN provision K or E has no SEN unit indicator (spring census; not SP or PR, see 5049).",
     {}},
    {"2250",
     E,
     "sen",
     "A pupil with SEN provision K or E has no resourced provision indicator (spring census; not SP or PR, see 5050).",
     {}},
    {"5049",
     E,
     "sen",
     "A special school or PRU (phase SP or PR) returns the SEN unit indicator, not required of it.",
     {}},
    {"5050",
     E,
     "sen",
     "A special school or PRU (phase SP or PR) returns the resourced provision indicator, not required of it.",
     {}},
    // exclusions
    {"2270", E, "exclusions", "An exclusion has no start date, no SEN provision or no category.", {}},
    {"2275",
     E,
     "exclusions",
     "The exclusion category is not valid for its start date (FIXD before 1 August 2021, SUSP from then; PERM, "
     "LNCH).",
     {}},
    {"2280", E, "exclusions", "An exclusion with a category has no valid reason.", {}},
    {"2285", E, "exclusions", "The pupil has more than one permanent exclusion.", {}},
    {"2290", E, "exclusions", "The exclusion's start date is not a valid date.", {}},
    {"2300", E, "exclusions", "A suspension or lunchtime exclusion does not give its sessions.", {}},
    {"2303", E, "exclusions", "The pupil's leaving date is before the exclusion's start: it left before it.", {}},
    {"2310", E, "exclusions", "The exclusion's SEN provision is not a valid code.", {}},
    {"2320", Q, "exclusions", "An exclusion gives more than 90 sessions.", {}},
    {"2330", E, "exclusions", "A permanent exclusion gives sessions, which do not apply to it.", {}},
    {"2335", E, "exclusions", "A permanently excluded pupil is still on roll.", {}},
    {"5051", E, "exclusions", "A nursery school (phase NS) returns exclusions.", {}},
    // fsm
    {"1741", E, "fsm", "A service child (parents in MoD personnel category 1 or 2) is recorded as FSM eligible.",
     "Needs the service child indicator, which censusqa does not read."},
    {"1745", Q, "fsm", "An FSM period starts and ends on the same day.", {}},
    {"1750", Q, "fsm", "More than 45% of the pupils have an FSM eligibility period.", {}},
    {"1760", Q, "fsm", "No pupil in the school had FSM eligibility since the last census.", {}},
    {"1761", E, "fsm", "An FSM period has no start date.", {}},
    {"1762", E, "fsm", "An FSM period starts after census day.", {}},
    {"1763", E, "fsm", "An FSM period ended on or before the previous census day, or ends after census day.", {}},
    {"1764", E, "fsm", "An FSM period's UK country is not a valid code.", {}},
    {"1765",
     E,
     "fsm",
     "An FSM period outside England (country NIR, SCT or WLS) has no end date before census day.",
     {}},
    {"1766", E, "fsm", "An FSM period ends before it starts.", {}},
    {"1767", Q, "fsm", "An FSM period has an end date, which FSM protection makes unexpected: a reason is needed.", {}},
    {"1768", E, "fsm", "The pupil has more than one open FSM period.", {}},
    // attendance
    {"2470",
     E,
     "attendance",
     "Attendance is returned for a pupil it is not collected for: aged under 4 or over 15 (or a boarder).",
     {}},
    {"2475", E, "attendance", "An attendance (absence reason) code is not valid.", {}},
    {"2480", E, "attendance", "An absence reason code is given with zero sessions missed.", {}},
    {"2490", E, "attendance", "Sessions missed are given without an absence reason code.", {}},
    {"2491",
     E,
     "attendance",
     "Absence code X (not required to attend) for a pupil not aged 4 to 15 on 31 August of the previous year.",
     {}},
    {"2492",
     E,
     "attendance",
     "Absence code X (not required to attend) for a pupil not aged 4 to 15 on 31 August of the previous year "
     "(the leavers' counterpart of 2491).",
     {}},
    {"2500", E, "attendance", "A pupil on roll has no sessions possible (or a negative number).", {}},
    {"2505", E, "attendance", "The termly absence is reported twice (totals and sessions by reason disagree).", {}},
    {"2510", E, "attendance", "A leaver has no sessions possible (or a negative number).", {}},
    {"2530", E, "attendance", "More sessions missed than sessions possible.", {}},
    {"2560", Q, "attendance", "More than 30% of the school's sessions possible are authorised absence.", {}},
    {"2571",
     E,
     "attendance",
     "Second summer half-term attendance is returned for a pupil it is not collected for (under 4, over 15, or a "
     "boarder).",
     {}},
    {"2572", E, "attendance", "An absence reason code in the second summer half-term is not valid.", {}},
    {"2573", E, "attendance", "An absence reason code in the second summer half-term is given with zero sessions.", {}},
    {"2574", E, "attendance", "Sessions missed in the second summer half-term are given without a reason code.", {}},
    {"2575", E, "attendance", "A pupil on roll has no second summer half-term sessions possible.", {}},
    {"2577", E, "attendance", "The second summer half-term absence is reported twice.", {}},
    {"2579", E, "attendance", "A leaver has no second summer half-term sessions possible.", {}},
    {"2582", E, "attendance", "More sessions missed than possible in the second summer half-term.", {}},
    {"5057", E, "attendance", "A nursery school (phase NS) returns attendance.", {}},
    {"5080", E, "attendance", "A nursery school (phase NS) returns second summer half-term attendance.", {}},
    // ap
    {"2363", E, "ap",
     "The pupil was placed in AP named in its EHC plan, but its SEN provision says it has no EHC plan.",
     "Only a supplier's paraphrase was found; the placement reason that names the EHC plan is not among the "
     "codes censusqa has evidence for (BHS SUS EXR MHN OTH PHN)."},
    {"2364", E, "ap", "A school-arranged AP placement gives none of the provider's URN, UKPRN or setting type.", {}},
    {"2372",
     E,
     "ap",
     "A leaver's AP placement has no leaving date, or one after the day the pupil left the school.",
     {}},
    // term-on-term
    {"TonT3B", Q, "term-on-term", "Significantly more infant pupils (R, 1, 2) are FSM eligible than last census.", {}},
    {"TonT3C", Q, "term-on-term", "Significantly fewer infant pupils are FSM eligible than last census.", {}},
    {"TonT3D", Q, "term-on-term", "No infant pupil was FSM eligible last census, and some are now.", {}},
    {"TonT4B", Q, "term-on-term", "Significantly more pupils are FSM eligible than last census.", {}},
    {"TonT4C", Q, "term-on-term", "Significantly fewer pupils are FSM eligible than last census.", {}},
    {"TonT4D", Q, "term-on-term", "No pupil was FSM eligible last census, and some are now.", {}},
    {"TonT5B", Q, "term-on-term", "Significantly more pupils have an EHC plan than last census.", {}},
    {"TonT5C", Q, "term-on-term", "Significantly fewer pupils have an EHC plan than last census.", {}},
    {"TonT5D", Q, "term-on-term", "No pupil had an EHC plan last census, and some do now.", {}},
    {"TonT6B", Q, "term-on-term", "Significantly more pupils are at SEN support than last census.", {}},
    {"TonT6C", Q, "term-on-term", "Significantly fewer pupils are at SEN support than last census.", {}},
    {"TonT6D", Q, "term-on-term", "No pupil was at SEN support last census, and some are now.", {}},
};

} // namespace

std::span<const CatalogueEntry> catalogue() { return entries; }

const CatalogueEntry* find(std::string_view id) {
  // The decide stage asks once per finding (millions in a national run): the entries by id, sorted once.
  static const std::vector<const CatalogueEntry*> by_id = [] {
    std::vector<const CatalogueEntry*> v;
    for (const auto& e : entries)
      v.push_back(&e);
    std::sort(v.begin(), v.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
    return v;
  }();
  const auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                                   [](const CatalogueEntry* e, std::string_view x) { return e->id < x; });
  return it != by_id.end() && (*it)->id == id ? *it : nullptr;
}

std::span<const Group> groups() { return group_list; }

} // namespace censusqa::dfe
