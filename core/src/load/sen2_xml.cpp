// The SEN2 person-level return, read by path. The tree is the DfE's 2024 schema as modelled in
// SocialFinanceDigitalLabs/liia-tools (liiatools/spec/sen2/SEN2_schema_2024.xsd), with the items that
// third-party readers date to 2023 and to 2025-26 (docs/sen2-input.md gives every source). Elements
// are matched by their parent, not by name alone: URN under PlanDetail (the named setting) is not URN
// under PlacementDetail (the attended one). Order within a parent is not enforced (the XSD's sequences
// are), since a reordered but complete return loses nothing.
#include "sen2_xml.hpp"

#include "xml_values.hpp"

#include "census_xml.hpp" // LineCounter
#include "csv_reader.hpp" // trim, upper
#include "identifiers.hpp"
#include "text_encoding.hpp" // quoted_text
#include "xml_scan.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

namespace censusqa::load {

const RuleInfo IN011{
    "IN011",
    Severity::query,
    Scope::la,
    Actor::la_data,
    "File in sen2/ is not a SEN2 return",
    "A school census return, a common transfer file or another XML document among the SEN2 returns holds no EHC "
    "requests: reading part of it as SEN2 would invent or lose requests, so it is not read at all.",
    "Move the file to where it belongs (a school census return to census/), or replace it with the SEN2 return "
    "exported from the case management system.",
    0,
    "root element, Collection"};
const RuleInfo IN012{
    "IN012",
    Severity::info,
    Scope::la,
    Actor::la_data,
    "EHC cases taken from one source",
    "The same requests described by two sources would be counted twice, so each request is read from one: the SEN2 "
    "return rather than ehcp_cases.csv (unless the configuration says ehc_cases_from: csv), and a request in two "
    "SEN2 returns from the later return.",
    "Nothing, if that is the source meant; otherwise remove the file not wanted, or set ehc_cases_from.",
    0,
    "file"};
const RuleInfo IN013{
    "IN013",
    Severity::info,
    Scope::la,
    Actor::la_data,
    "SEN2 return read against another year's schema",
    "censusqa holds the SEN2 schema of 2024 only (the one published XSD found), with the items other years are known "
    "to add or drop; an item of a year it does not know would be reported as unknown, not read.",
    "Nothing, if no unknown elements are reported for the file; otherwise check them against the DfE's SEN2 "
    "technical specification for the year.",
    0,
    "Header/CollectionDetails/Year"};
const RuleInfo IN014{
    "IN014",
    Severity::query,
    Scope::la,
    Actor::la_data,
    "SEN2 return outside its LA or period",
    "A return of another LA would put its requests in this LA's figures; a request dated after the return's "
    "reference date cannot have been known on it, so the date is wrong or the return is not the one meant.",
    "Check the header's LEA and the dates against the case management system, and re-export the return.",
    0,
    "Header/Source/LEA, Header/CollectionDetails/ReferenceDate"};

int sen2_schema_year_for(int /*return_year*/) { return 2024; }

namespace {

// What an element is: a record (a container censusqa keeps state for) or a field (text).
enum class Rec : std::uint8_t {
  none,
  message,
  header,
  collection_details,
  source,
  persons,
  person,
  requests,
  assessment,
  named_plan,
  plan_detail,
  active_plans,
  placement_detail,
  sen_need
};

enum class It : std::uint8_t {
  none,
  ignored, // known, checked, not kept (or discarded: names, postcode, free text)
  collection,
  year,
  reference_date,
  lea,
  serial_no,
  date_time,
  birth_date,
  sex,
  ethnicity,
  upn,
  uln,
  upn_unknown,
  received_date,
  request_outcome_date,
  request_outcome,
  assessment_outcome,
  assessment_outcome_date,
  mediation, // any of the six mediation and tribunal flags
  week20,
  start_date,
  cease_date,
  cease_reason,
  urn,
  ukprn,
  sen_setting,
  placement_rank,
  entry_date,
  leaving_date,
  transfer_la,
  review_meeting,
  last_review,
  sen_type,
  sen_type_rank,
};

// How a field's text is checked.
enum class V : std::uint8_t { any, discard, date, date_time, yesno, code, digits, digits_min, upn, uln, year };

struct Node {
  std::string_view name;
  Rec parent;
  Rec record; // for a container
  It item;    // for a field
  V check;
  std::string_view codes; // V::code: space separated; V::digits: the count as text
  int from_year = 0, to_year = 9999;
};

constexpr std::string_view ethnicities = "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR "
                                         "BOTH CHNE OOTH REFU NOBT";
constexpr std::string_view settings = "OLA OPA EHE EYP OTH NEET NIEC NIEO";
constexpr std::string_view sen_types = "SPLD MLD SLD PMLD SEMH SLCN HI VI MSI PD ASD OTH DS";
constexpr std::string_view decisions = "Y N A W H";

constexpr Node container(std::string_view name, Rec parent, Rec record) {
  return {name, parent, record, It::none, V::any, {}};
}
constexpr Node field(std::string_view name, Rec parent, It item, V check, std::string_view codes = {}, int from = 0,
                     int to = 9999) {
  return {name, parent, Rec::none, item, check, codes, from, to};
}

// The tree. Items dated by WCSV/WPRE/D2I/WDIC (docs/research/sen2-and-ap-census.md, 1.6) carry their years.
constexpr Node nodes[] = {
    container("Message", Rec::none, Rec::message),
    container("Header", Rec::message, Rec::header),
    container("CollectionDetails", Rec::header, Rec::collection_details),
    field("Collection", Rec::collection_details, It::collection, V::any),
    field("Year", Rec::collection_details, It::year, V::year),
    field("ReferenceDate", Rec::collection_details, It::reference_date, V::date),
    container("Source", Rec::header, Rec::source),
    field("SourceLevel", Rec::source, It::ignored, V::code, "L"),
    field("LEA", Rec::source, It::lea, V::digits, "3"),
    field("SoftwareCode", Rec::source, It::ignored, V::any),
    field("Release", Rec::source, It::ignored, V::any),
    field("SerialNo", Rec::source, It::serial_no, V::digits_min, "3"),
    field("DateTime", Rec::source, It::date_time, V::date_time),
    field("DMO", Rec::source, It::ignored, V::code, "Y N R"),
    field("DCO", Rec::source, It::ignored, V::code, "Y N R"),
    container("Persons", Rec::message, Rec::persons),
    container("Person", Rec::persons, Rec::person),
    field("Surname", Rec::person, It::ignored, V::discard),
    field("Forename", Rec::person, It::ignored, V::discard),
    field("PostCode", Rec::person, It::ignored, V::discard),
    field("PersonBirthDate", Rec::person, It::birth_date, V::date),
    field("Sex", Rec::person, It::sex, V::code, "M F U"),
    field("GenderCurrent", Rec::person, It::sex, V::any, {}, 0, 2023), // codes not evidenced
    field("Ethnicity", Rec::person, It::ethnicity, V::code, ethnicities),
    field("UPN", Rec::person, It::upn, V::upn),
    field("UniqueLearnerNumber", Rec::person, It::uln, V::uln),
    field("UPNunknown", Rec::person, It::upn_unknown, V::code, "UN1 UN2 UN3 UN4 UN5 UN6 UN7 UN8 UN9 UN10"),
    container("Requests", Rec::person, Rec::requests),
    field("ReceivedDate", Rec::requests, It::received_date, V::date),
    field("RYA", Rec::requests, It::ignored, V::yesno),
    field("RequestOutcomeDate", Rec::requests, It::request_outcome_date, V::date),
    field("RequestOutcome", Rec::requests, It::request_outcome, V::code, decisions),
    field("RequestMediation", Rec::requests, It::mediation, V::yesno),
    field("RequestTribunal", Rec::requests, It::mediation, V::yesno),
    field("Exported", Rec::requests, It::ignored, V::digits, "3"),
    field("RequestSource", Rec::requests, It::ignored, V::code, "1 2 3 4 5", 2025),
    container("Assessment", Rec::requests, Rec::assessment),
    field("AssessmentOutcome", Rec::assessment, It::assessment_outcome, V::code, decisions),
    field("AssessmentOutcomeDate", Rec::assessment, It::assessment_outcome_date, V::date),
    field("AssessmentMediation", Rec::assessment, It::mediation, V::yesno),
    field("AssessmentTribunal", Rec::assessment, It::mediation, V::yesno),
    field("OtherMediation", Rec::assessment, It::mediation, V::yesno),
    field("OtherTribunal", Rec::assessment, It::mediation, V::yesno),
    field("Week20", Rec::assessment, It::week20, V::yesno),
    container("NamedPlan", Rec::assessment, Rec::named_plan),
    field("StartDate", Rec::named_plan, It::start_date, V::date),
    container("PlanDetail", Rec::named_plan, Rec::plan_detail),
    field("PlanRes", Rec::named_plan, It::ignored, V::code, "A B"),
    field("PlanWBP", Rec::named_plan, It::ignored, V::code, "A T S"),
    field("PB", Rec::named_plan, It::ignored, V::yesno),
    field("OA", Rec::named_plan, It::ignored, V::yesno),
    field("DP", Rec::named_plan, It::ignored, V::code, "E S H I"),
    field("CeaseDate", Rec::named_plan, It::cease_date, V::date),
    field("CeaseReason", Rec::named_plan, It::cease_reason, V::code, "1 2 3 4 5 6 7 8 9"),
    field("URN", Rec::plan_detail, It::urn, V::digits, "6"),
    field("UKPRN", Rec::plan_detail, It::ukprn, V::digits, "8"),
    field("SENSetting", Rec::plan_detail, It::sen_setting, V::code, settings),
    field("SENSettingOther", Rec::plan_detail, It::ignored, V::discard),
    field("PlacementRank", Rec::plan_detail, It::placement_rank, V::code, "1 2"),
    field("SENunitIndicator", Rec::plan_detail, It::ignored, V::yesno),
    field("ResourcedProvisionIndicator", Rec::plan_detail, It::ignored, V::yesno),
    container("ActivePlans", Rec::requests, Rec::active_plans),
    field("TransferLA", Rec::active_plans, It::transfer_la, V::digits, "3"),
    container("PlacementDetail", Rec::active_plans, Rec::placement_detail),
    container("SENneed", Rec::active_plans, Rec::sen_need),
    field("ReviewMeeting", Rec::active_plans, It::review_meeting, V::date, {}, 2024),
    field("ReviewOutcome", Rec::active_plans, It::ignored, V::code, "A C M", 2024),
    field("LastReview", Rec::active_plans, It::last_review, V::date),
    field("ReviewDraft", Rec::active_plans, It::ignored, V::date, {}, 2025),
    field("PhaseTransferDueDate", Rec::active_plans, It::ignored, V::date, {}, 2025),
    field("PhaseTransferFinalDate", Rec::active_plans, It::ignored, V::date, {}, 2025),
    field("Res", Rec::active_plans, It::ignored, V::code, "A B", 0, 2023),
    field("WBP", Rec::active_plans, It::ignored, V::code, "A T S", 0, 2023),
    field("URN", Rec::placement_detail, It::urn, V::digits, "6"),
    field("UKPRN", Rec::placement_detail, It::ukprn, V::digits, "8"),
    field("SENSetting", Rec::placement_detail, It::sen_setting, V::code, settings),
    field("SENSettingOther", Rec::placement_detail, It::ignored, V::discard),
    field("PlacementRank", Rec::placement_detail, It::placement_rank, V::code, "1 2"),
    field("EntryDate", Rec::placement_detail, It::entry_date, V::date),
    field("LeavingDate", Rec::placement_detail, It::leaving_date, V::date),
    field("SENunitIndicator", Rec::placement_detail, It::ignored, V::yesno),
    field("ResourcedProvisionIndicator", Rec::placement_detail, It::ignored, V::yesno),
    field("Res", Rec::placement_detail, It::ignored, V::code, "A B", 2024),
    field("WBP", Rec::placement_detail, It::ignored, V::code, "A T S", 2024),
    field("AttendancePattern", Rec::placement_detail, It::ignored, V::any, {}, 0, 2023), // codes not evidenced
    field("SENtype", Rec::sen_need, It::sen_type, V::code, sen_types),
    field("SENtypeRank", Rec::sen_need, It::sen_type_rank, V::code, "1 2"),
};

std::string_view record_name(Rec r) {
  for (const Node& n : nodes)
    if (n.record == r) return n.name;
  return "file";
}

bool in_codes(std::string_view codes, std::string_view value) {
  while (!codes.empty()) {
    const std::size_t space = codes.find(' ');
    if (codes.substr(0, space) == value) return true;
    if (space == std::string_view::npos) break;
    codes.remove_prefix(space + 1);
  }
  return false;
}

std::string listed(std::string_view codes) {
  std::string out;
  for (const char c : codes)
    out += c == ' ' ? std::string(", ") : std::string(1, c);
  return out;
}

std::optional<bool> yes_no(std::string_view s) {
  if (s == "1" || s == "true" || s == "TRUE") return true;
  if (s == "0" || s == "false" || s == "FALSE") return false;
  return std::nullopt;
}

// A placement (ActivePlans/PlacementDetail) or named setting (NamedPlan/PlanDetail).
struct Setting {
  std::string urn, ukprn, setting;
  int rank = 0;
  bool entry = false;
  std::uint32_t line = 0;
};

// A problem found in a person's record, reported when the person ends (its key, the UPN, comes after
// the fields that may be wrong). `request` is 1-based, 0 for the person's own fields.
struct Problem {
  const RuleInfo* rule;
  std::uint32_t line;
  std::uint32_t request;
  std::string field, value, expected, message;
  It item = It::none;
};

class Reader {
public:
  Reader(Sen2File& out, std::uint32_t file, std::string_view shown, const Sen2Context& ctx, std::string_view doc)
      : out_{out}, file_{file}, shown_{shown}, ctx_{ctx}, lines_{doc} {}

  bool start(std::string_view name, std::string_view /*local*/, std::size_t offset) {
    if (skip_) {
      ++skip_;
      return true;
    }
    if (depth_ == 0) return start_root(name);
    const Rec parent = stack_[depth_ - 1];
    if (parent == Rec::message && !decided_ && name != "Header" && !decide(name)) return false;
    const Node* node = find(parent, name);
    const int year = schema_year();
    if (!node || year < node->from_year || year > node->to_year) {
      unknown(name, parent, offset, node != nullptr);
      skip_ = 1;
      return true;
    }
    if (depth_ == stack_.size()) throw std::logic_error("SEN2 tree deeper than the reader's stack");
    if (node->record != Rec::none) {
      stack_[depth_++] = node->record;
      open(node->record, offset);
    } else {
      stack_[depth_++] = Rec::none;
      field_ = node;
      field_offset_ = offset;
      text_.clear();
    }
    return true;
  }

  void end() {
    if (skip_) {
      --skip_;
      return;
    }
    if (depth_ == 0) return;
    const Rec r = stack_[--depth_];
    if (r == Rec::none) {
      if (field_) set(*field_, trim(text_));
      field_ = nullptr;
    } else {
      close(r);
    }
  }

  void text(std::string_view raw, bool has_reference) {
    if (has_reference)
      xml::append_char_data(text_, raw);
    else
      text_.append(raw);
  }
  void cdata(std::string_view content) { text_.append(content); }
  bool wants_text() const { return field_ != nullptr && skip_ == 0; }

  std::uint32_t line_at(std::size_t offset) { return lines_.line_at(offset); }
  bool person_open() const { return person_open_; }

  /// After the scan: a bad value that holds a name or postcode of any person in the file (put in the
  /// wrong element, before or after the person's own names) is not shown in any message, and its raw
  /// text is not kept for the EH rules.
  void mask_names() {
    if (names_.empty()) return;
    hide_name_values(out_.report.findings(), names_, "(a value holding a person's name, not shown)");
    std::erase_if(out_.raws, [&](const Sen2File::Raw& r) { return holds_a_name(r.text, names_); });
    names_.clear();
  }
  bool decided() const { return decided_; }
  bool root_message() const { return root_message_; }

private:
  static const Node* find(Rec parent, std::string_view name) {
    for (const Node& n : nodes)
      if (n.parent == parent && n.name == name) return &n;
    return nullptr;
  }
  int schema_year() const { return out_.header.year > 0 ? out_.header.year : 2024; }

  bool start_root(std::string_view name) {
    if (name == "CTfile") {
      out_.kind = Sen2File::Kind::transfer;
      return false;
    }
    if (name != "Message") {
      out_.kind = Sen2File::Kind::other;
      return false;
    }
    root_message_ = true;
    stack_[depth_++] = Rec::message;
    return true;
  }

  // What the message is, decided at the first element after its header: SEN2 by its Collection (or,
  // with none, by a Persons list); a school census return by its Collection or its modules; else
  // another message. Only a SEN2 return is read further, so nothing else is ever half-read.
  bool decide(std::string_view name) {
    decided_ = true;
    const std::string c = upper(out_.header.collection);
    if (c == "SEN2" || (c.empty() && name == "Persons")) {
      out_.kind = Sen2File::Kind::sen2;
      return true;
    }
    const bool census_module = name == "School" || name == "Pupils" || name == "SchoolInformation";
    // SC is the school census's Collection (schemas/census-xml-map.json).
    out_.kind = c == "SC" || c.find("CENSUS") != std::string::npos || (c.empty() && census_module)
                    ? Sen2File::Kind::census
                    : Sen2File::Kind::other;
    return false;
  }

  void unknown(std::string_view name, Rec parent, std::size_t offset, bool other_year) {
    const std::string key = std::string(record_name(parent)) + "/" + std::string(name);
    if (!unknown_seen_.insert(key).second) return;
    out_.report.unknown_name({file_, line_at(offset)}, "element", quoted_text(name), std::string(record_name(parent)),
                             other_year ? "Element of another year's SEN2 schema (read as " +
                                              std::to_string(schema_year()) + ")"
                                        : std::string());
  }

  void open(Rec r, std::size_t offset) {
    switch (r) {
    case Rec::person:
      ++out_.persons;
      person_open_ = true;
      person_ = {};
      person_.line = line_at(offset);
      person_.first_case = out_.cases.size();
      break;
    case Rec::requests:
      request_ = {};
      request_open_ = true;
      ++person_.requests;
      request_.c.source = {file_, line_at(offset)};
      request_.c.origin = EhcOrigin::sen2;
      break;
    case Rec::active_plans: request_.active_plans = true; break;
    case Rec::plan_detail:
    case Rec::placement_detail:
      setting_ = {};
      setting_.line = line_at(offset);
      break;
    case Rec::sen_need:
      need_type_.reset();
      need_type_bad_ = false;
      need_rank_ = 0;
      need_line_ = line_at(offset);
      break;
    default: break;
    }
  }

  void close(Rec r) {
    switch (r) {
    case Rec::header: finish_header(); break;
    case Rec::person: close_person(); break;
    case Rec::requests: close_request(); break;
    case Rec::assessment:
      if (!request_.assessment_outcome_given)
        missing("AssessmentOutcome", "Assessment", request_.c.source.line, It::assessment_outcome);
      break;
    case Rec::named_plan:
      if (!request_.c.plan_issue_date && !request_.start_date_bad)
        missing("StartDate", "NamedPlan", request_.c.source.line, It::start_date);
      break;
    case Rec::plan_detail:
    case Rec::placement_detail: {
      const std::string_view what = r == Rec::plan_detail ? "PlanDetail" : "PlacementDetail";
      if (setting_.urn.empty() && setting_.ukprn.empty() && setting_.setting.empty())
        problem(IN002, setting_.line, "URN",
                std::string(what) + " names no setting: it needs a URN, a UKPRN or a SENSetting", {}, {});
      if (setting_.rank == 0) missing("PlacementRank", what, setting_.line);
      if (r == Rec::placement_detail) {
        if (!setting_.entry) missing("EntryDate", what, setting_.line);
        request_.placements.push_back(setting_);
      }
      break;
    }
    case Rec::sen_need:
      if (need_rank_ == 0) missing("SENtypeRank", "SENneed", need_line_);
      if (!need_type_ && !need_type_bad_) missing("SENtype", "SENneed", need_line_);
      if (need_type_ && (need_rank_ == 1 || (need_rank_ == 0 && !request_.c.la_primary_need)))
        request_.c.la_primary_need = need_type_;
      break;
    default: break;
    }
  }

  void missing(std::string_view element, std::string_view in, std::uint32_t line, It item = It::none) {
    problem(IN002, line, std::string(element),
            std::string(in) + " has no " + std::string(element) + ", which the SEN2 schema requires", {}, {}, item);
  }

  void problem(const RuleInfo& rule, std::uint32_t line, std::string field, std::string message, std::string value,
               std::string expected, It item = It::none) {
    problems_.push_back({&rule, line, request_open_ ? person_.requests : 0, std::move(field), std::move(value),
                         std::move(expected), std::move(message), item});
  }

  // A value that is not what the schema allows: reported (IN003, or IN004 for a code) and its raw text
  // kept for the EH rules when it is one of the case's fields.
  void bad(const Node& n, std::string_view value, std::string_view expected, bool code, std::string_view why = {}) {
    const std::string shown = quoted_text(value);
    const std::uint32_t line = line_at(field_offset_);
    std::string message =
        std::string(n.name) + " '" + shown + "' " +
        (why.empty()
             ? (code ? "is not a SEN2 code: expected one of " : "could not be read: expected ") + std::string(expected)
             : std::string(why));
    problem(code ? IN004 : IN003, line, std::string(n.name), std::move(message), shown, std::string(expected), n.item);
    if (request_open_)
      if (const std::optional<Field> f = case_field(n.item)) request_.raws.push_back({*f, shown});
  }

  // The case field an item is read into, by its ehcp_cases.csv name: a bad value's finding names it, so
  // that it is one problem with the EH rule's finding on that field (the engine merges them), as on the
  // CSV route.
  static std::string_view case_field_name(It item) {
    switch (item) {
    case It::received_date: return "request_date";
    case It::request_outcome: return "request_outcome";
    case It::request_outcome_date: return "request_outcome_date";
    case It::assessment_outcome: return "assessment_outcome";
    case It::assessment_outcome_date: return "assessment_outcome_date";
    case It::start_date: return "plan_issue_date";
    case It::week20: return "exception";
    case It::sen_type: return "la_primary_need";
    case It::review_meeting:
    case It::last_review: return "last_review_date";
    case It::cease_date: return "plan_ceased_date";
    default: return {};
    }
  }

  static std::optional<Field> case_field(It item) {
    switch (item) {
    case It::received_date: return Field::request_date;
    case It::request_outcome: return Field::request_outcome;
    case It::request_outcome_date: return Field::request_outcome_date;
    case It::assessment_outcome: return Field::assessment_outcome;
    case It::assessment_outcome_date: return Field::assessment_outcome_date;
    case It::start_date: return Field::plan_issue_date;
    case It::week20: return Field::exception;
    case It::sen_type: return Field::la_primary_need;
    case It::review_meeting:
    case It::last_review: return Field::last_review_date;
    case It::cease_date: return Field::plan_ceased_date;
    default: return std::nullopt;
    }
  }

  // Checks a field's text against its type; false (and reported) when it is not valid. An empty
  // element is an absent one (the DfE's own mock-ups write empty optional elements).
  bool valid(const Node& n, std::string_view v) {
    switch (n.check) {
    case V::any:
    case V::discard: return true;
    case V::date:
      if (xs_date(v)) return true;
      bad(n, v, "a date as YYYY-MM-DD (xs:date)", false);
      return false;
    case V::date_time:
      if (v.size() >= 19 && xs_date(v.substr(0, 10)) && v[10] == 'T') return true;
      bad(n, v, "a date and time as YYYY-MM-DDThh:mm:ss (xs:dateTime)", false);
      return false;
    case V::yesno:
      if (yes_no(v)) return true;
      bad(n, v, "1, 0, true or false", true);
      return false;
    case V::code:
      if (in_codes(n.codes, v)) {
        if (n.item == It::sen_type && v == "DS" && schema_year() < 2025) {
          bad(n, v, listed(n.codes.substr(0, n.codes.size() - 3)), true,
              "is not valid here: DS (Down syndrome) is a SEN2 code from the 2025 return");
          return false;
        }
        return true;
      }
      bad(n, v,
          listed(n.item == It::sen_type && schema_year() < 2025 ? n.codes.substr(0, n.codes.size() - 3) : n.codes),
          true);
      return false;
    case V::digits:
    case V::digits_min: {
      const auto count = static_cast<std::size_t>(n.codes[0] - '0');
      const bool digits = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits && (n.check == V::digits ? v.size() == count : v.size() >= count && v.size() <= 18)) return true;
      bad(n, v, (n.check == V::digits ? "" : "at least ") + std::string(n.codes) + " digits", false);
      return false;
    }
    case V::upn: {
      const bool ok =
          v.size() == 13 && ((v[0] >= 'A' && v[0] <= 'Z') || (v[0] >= 'a' && v[0] <= 'z')) &&
          std::all_of(v.begin() + 1, v.begin() + 12, [](char c) { return c >= '0' && c <= '9'; }) &&
          ((v[12] >= '0' && v[12] <= '9') || (v[12] >= 'A' && v[12] <= 'Z') || (v[12] >= 'a' && v[12] <= 'z'));
      if (ok) return true;
      bad(n, v, "a letter and 12 digits, or a letter, 11 digits and a letter (a temporary UPN)", false);
      return false;
    }
    case V::uln:
      if (is_digits(v, 10)) return true;
      bad(n, v, "10 digits", false);
      return false;
    case V::year:
      if (is_digits(v, 4)) return true;
      bad(n, v, "a year (4 digits)", false);
      return false;
    }
    return true;
  }

  void set(const Node& n, std::string_view v) {
    if (n.item == It::ignored && n.check == V::discard) {
      // Names and the postcode never leave the loader: kept only while the person is read, to keep them
      // out of messages about other fields.
      if (n.parent == Rec::person && !v.empty()) {
        names_.push_back(quoted_text(v));
        if (n.name == "Surname") person_.surname = lower(v);
        if (n.name == "Forename") person_.forename = lower(v);
      }
      return;
    }
    if (v.empty()) return;
    if (!valid(n, v)) {
      if (n.item == It::start_date) request_.start_date_bad = true;
      if (n.item == It::assessment_outcome) request_.assessment_outcome_given = true;
      if (n.item == It::request_outcome) request_.request_outcome_given = true;
      if (n.item == It::placement_rank) setting_.rank = -1;
      if (n.item == It::sen_type_rank) need_rank_ = -1;
      if (n.item == It::sen_type) need_type_bad_ = true;
      if (n.item == It::entry_date) setting_.entry = true;
      if (n.item == It::upn || n.item == It::uln || n.item == It::upn_unknown) person_.identified_badly = true;
      if (n.item == It::birth_date) person_.dob = "?"; // given, unreadable: reported once, as IN003
      if (n.item == It::sex) person_.sex = "?";
      if (n.item == It::ethnicity) person_.ethnicity = true;
      if (n.item == It::lea) lea_given_ = true;
      return;
    }
    EhcCase& c = request_.c;
    switch (n.item) {
    case It::collection: out_.header.collection = std::string(v); break;
    case It::year: out_.header.year = std::stoi(std::string(v)); break;
    case It::reference_date: out_.header.reference_date = xs_date(v); break;
    case It::lea:
      out_.header.lea = std::string(v);
      lea_given_ = true;
      break;
    case It::serial_no: out_.header.serial_no = std::stoll(std::string(v)); break;
    case It::date_time: out_.header.date_time = std::string(v.substr(0, 19)); break;
    case It::birth_date: person_.dob = std::string(v); break;
    case It::sex: person_.sex = std::string(v); break;
    case It::ethnicity: person_.ethnicity = true; break;
    case It::upn: person_.upn = upper(v); break;
    case It::uln: person_.uln = std::string(v); break;
    case It::upn_unknown: person_.upn_unknown = std::string(v); break;
    case It::received_date: c.request_date = xs_date(v); break;
    case It::request_outcome_date: c.request_outcome_date = xs_date(v); break;
    case It::request_outcome:
      c.request_outcome = parse_decision(v);
      request_.request_outcome_given = true;
      break;
    case It::assessment_outcome:
      c.assessment_outcome = parse_decision(v);
      request_.assessment_outcome_given = true;
      break;
    case It::assessment_outcome_date: c.assessment_outcome_date = xs_date(v); break;
    case It::mediation: c.mediation_or_tribunal |= *yes_no(v); break;
    case It::week20: c.exception = *yes_no(v); break;
    case It::start_date: c.plan_issue_date = xs_date(v); break;
    case It::cease_date: c.plan_ceased_date = xs_date(v); break;
    case It::cease_reason: c.cease_reason = static_cast<std::uint8_t>(v[0] - '0'); break;
    case It::urn: setting_.urn = std::string(v); break;
    case It::ukprn: setting_.ukprn = std::string(v); break;
    case It::sen_setting: setting_.setting = std::string(v); break;
    case It::placement_rank: setting_.rank = v[0] - '0'; break;
    case It::entry_date: setting_.entry = true; break;
    case It::transfer_la: request_.transfer_la = true; break;
    case It::review_meeting: c.last_review_date = xs_date(v); break;
    case It::last_review:
      if (!c.last_review_date) c.last_review_date = xs_date(v); // the meeting date, when both are given
      break;
    case It::sen_type:
      // Down syndrome (2025) is published under "other difficulty" (DfE EHC plans data guidance 2025).
      need_type_ = v == "DS" ? NeedType::OTH : parse_need_type(v);
      break;
    case It::sen_type_rank: need_rank_ = v[0] - '0'; break;
    default: break;
    }
  }

  void finish_header() {
    const Sen2Header& h = out_.header;
    if (!lea_given_) missing("LEA", "Header/Source", 1);
    for (const Problem& p : problems_) {
      std::vector<std::pair<std::string, std::string>> values{{"field", p.field}};
      if (!p.value.empty()) values.emplace_back("value", p.value);
      if (!p.expected.empty()) values.emplace_back("expected", p.expected);
      out_.report.add(*p.rule, {file_, p.line}, {}, {}, std::string(shown_) + ".header." + p.field,
                      "Header: " + p.message, std::move(values));
    }
    problems_.clear();
    if (h.collection.empty() || upper(h.collection) == "SEN2") {
      if (h.year > 0 && sen2_schema_year_for(h.year) != h.year)
        out_.report.add(IN013, {file_, 1}, {}, {}, std::string(shown_) + ".schema",
                        std::string(shown_) + " is the " + std::to_string(h.year) +
                            " SEN2 return: censusqa holds the " + std::to_string(sen2_schema_year_for(h.year)) +
                            " schema, with the items known to differ in other years, and reads it against that",
                        {{"year", std::to_string(h.year)}, {"schema", std::to_string(sen2_schema_year_for(h.year))}});
      if (!h.lea.empty() && !ctx_.la_number.empty() && h.lea != ctx_.la_number)
        out_.report.add(IN014, {file_, 1}, {}, {}, std::string(shown_) + ".lea",
                        std::string(shown_) + " is a return of LA " + h.lea + ", not of this LA (" + ctx_.la_number +
                            "): its requests are read as this LA's",
                        {{"LEA", h.lea}, {"la", ctx_.la_number}});
    }
  }

  void close_request() {
    EhcCase& c = request_.c;
    if (!request_.request_outcome_given) missing("RequestOutcome", "Requests", c.source.line, It::request_outcome);
    // The DfE's own mock-up writes an Assessment with outcome A under a refused request: an assessment
    // outcome counts only after a decision to assess (or a historical one).
    if (c.request_outcome && *c.request_outcome != Decision::Y && *c.request_outcome != Decision::H &&
        c.assessment_outcome == Decision::A && !c.assessment_outcome_date && !c.plan_issue_date)
      c.assessment_outcome.reset();
    // The school: the rank-1 placement's URN in the register, else the census school of the UPN.
    for (const Setting& s : request_.placements)
      if ((s.rank == 1 || request_.placements.size() == 1) && !s.urn.empty() && ctx_.laestab_by_urn)
        if (const auto it = ctx_.laestab_by_urn->find(s.urn); it != ctx_.laestab_by_urn->end()) c.laestab = it->second;
    if (request_.active_plans && !request_.transfer_la && request_.placements.empty())
      missing("PlacementDetail", "ActivePlans", c.source.line);
    if (const auto& ref = out_.header.reference_date) {
      std::string late;
      for (const auto& [label, d] : {std::pair{"ReceivedDate", c.request_date},
                                     {"RequestOutcomeDate", c.request_outcome_date},
                                     {"AssessmentOutcomeDate", c.assessment_outcome_date},
                                     {"StartDate", c.plan_issue_date}})
        if (d && *d > *ref) late += (late.empty() ? "" : ", ") + std::string(label) + " " + d->iso();
      if (!late.empty())
        problem(IN014, c.source.line, "date",
                "The request is dated after the return's reference date " + ref->iso() + ": " + late, late,
                "dates on or before " + ref->iso());
    }
    const auto index = static_cast<std::uint32_t>(out_.cases.size());
    for (auto& raw : request_.raws)
      out_.raws.push_back({index, raw.first, std::move(raw.second)});
    out_.cases.push_back(std::move(c));
    request_open_ = false;
  }

  void close_person() {
    person_open_ = false;
    // The person's key: the UPN, else the ULN, else the person's place in the file. Never a name.
    const std::string ordinal = "P" + std::to_string(out_.persons);
    const std::string key = !person_.upn.empty() ? person_.upn : !person_.uln.empty() ? "ULN" + person_.uln : ordinal;
    const std::uint32_t line = person_.line;
    // The person's own required items first, then the problems of their fields and requests as met.
    std::vector<Problem> own;
    const auto required = [&](bool given, const char* element) {
      if (!given)
        own.push_back({&IN002,
                       line,
                       0,
                       element,
                       {},
                       {},
                       "Person has no " + std::string(element) + ", which the SEN2 schema requires"});
    };
    required(!person_.dob.empty(), "PersonBirthDate");
    required(!person_.sex.empty(), "Sex");
    required(person_.ethnicity, "Ethnicity");
    if (person_.upn.empty() && person_.uln.empty() && person_.upn_unknown.empty() && !person_.identified_badly)
      own.push_back({&IN002,
                     line,
                     0,
                     "UPNunknown",
                     {},
                     {},
                     "Person has no UPN, no UniqueLearnerNumber and no UPNunknown reason: a request for a child "
                     "without a UPN must say why (UN1 to UN10), or it cannot be matched to the school census"});
    problems_.insert(problems_.begin(), own.begin(), own.end());
    if (person_.requests == 0) missing("Requests", "Person", line);
    // Each request's id: the person and its received date, so that it is the same in next year's return.
    // Its match key (never output) finds it in another return: the UPN or ULN, else the child's names,
    // birth date and sex, since P<n> is only a place in one file.
    const std::string who =
        !person_.upn.empty()   ? "U" + person_.upn
        : !person_.uln.empty() ? "L" + person_.uln
                               : "N" + person_.surname + "|" + person_.forename + "|" + person_.dob + "|" + person_.sex;
    std::map<std::string, int> repeats, match_repeats;
    out_.match_keys.resize(out_.cases.size());
    for (std::size_t i = person_.first_case; i < out_.cases.size(); ++i) {
      EhcCase& c = out_.cases[i];
      c.upn = person_.upn;
      c.person = key;
      c.upn_unknown = person_.upn_unknown;
      std::string id = key + " " + (c.request_date ? c.request_date->iso() : std::string("undated"));
      if (const int n = ++repeats[id]; n > 1) id += " #" + std::to_string(n);
      c.case_id = std::move(id);
      std::string match = who + "|" + (c.request_date ? c.request_date->iso() : std::string("undated"));
      if (const int n = ++match_repeats[match]; n > 1) match += "#" + std::to_string(n);
      out_.match_keys[i] = std::move(match);
      if (c.laestab.empty() && !c.upn.empty() && ctx_.laestab_by_upn)
        if (const auto it = ctx_.laestab_by_upn->find(c.upn); it != ctx_.laestab_by_upn->end()) c.laestab = it->second;
    }
    const std::string person_subject = std::string(shown_) + ":" + key;
    for (const Problem& p : problems_) {
      // A request's problem is the case's: its id and school, and the field by its case name.
      const std::size_t at = person_.first_case + p.request - 1;
      const EhcCase* c = p.request && at < out_.cases.size() ? &out_.cases[at] : nullptr;
      const std::string_view case_name = case_field_name(p.item);
      const std::string field = case_name.empty() ? p.field : std::string(case_name);
      std::vector<std::pair<std::string, std::string>> values{{"field", field}};
      if (field != p.field) values.emplace_back("element", p.field);
      if (!p.value.empty()) values.emplace_back("value", p.value);
      if (!p.expected.empty()) values.emplace_back("expected", p.expected);
      out_.report.add(*p.rule, {file_, p.line}, c ? c->laestab : std::string(), person_.upn,
                      (c ? c->case_id : person_subject) + "." + field,
                      (p.request ? "Request " + std::to_string(p.request) + " of " : std::string()) + key + ": " +
                          p.message,
                      std::move(values));
    }
    problems_.clear();
  }

  struct PersonState {
    std::uint32_t line = 0, requests = 0;
    std::size_t first_case = 0;
    std::string upn, uln, upn_unknown;
    // Only to match one child's requests across returns (add_sen2_cases), never output: the names are
    // in memory while the file is read, and dropped with it.
    std::string surname, forename, dob, sex;
    bool ethnicity = false, identified_badly = false;
  };
  struct RequestState {
    EhcCase c;
    bool request_outcome_given = false, assessment_outcome_given = false, start_date_bad = false;
    bool active_plans = false, transfer_la = false;
    std::vector<Setting> placements;
    std::vector<std::pair<Field, std::string>> raws;
  };

  Sen2File& out_;
  std::uint32_t file_;
  std::string_view shown_;
  const Sen2Context& ctx_;
  LineCounter lines_;
  std::array<Rec, 16> stack_{};
  std::size_t depth_ = 0, skip_ = 0;
  const Node* field_ = nullptr;
  std::size_t field_offset_ = 0;
  std::string text_;
  bool decided_ = false, root_message_ = false, person_open_ = false, request_open_ = false, lea_given_ = false;
  std::set<std::string> unknown_seen_;
  PersonState person_;
  RequestState request_;
  Setting setting_;
  std::optional<NeedType> need_type_;
  bool need_type_bad_ = false;
  int need_rank_ = 0;
  std::uint32_t need_line_ = 0;
  std::vector<Problem> problems_;
  std::vector<std::string> names_;
};

} // namespace

Sen2File read_sen2_xml(std::string_view bytes, std::uint32_t file, std::string_view shown, const Sen2Context& ctx) {
  Sen2File out;
  std::string converted, encoding;
  std::optional<xml::ScanError> text_error;
  const std::string_view doc = xml::prepare_xml_text(bytes, converted, encoding, text_error);
  Reader reader{out, file, shown, ctx, doc};
  out.file = file;
  std::optional<xml::ScanError> error = xml::scan_prepared(doc, text_error, reader);
  reader.mask_names();
  // A message whose header ends the file (no Persons): SEN2 by its header, or not.
  if (!error && !reader.decided() && reader.root_message() && upper(out.header.collection) == "SEN2")
    out.kind = Sen2File::Kind::sen2;
  if (out.kind != Sen2File::Kind::sen2) {
    // Not SEN2 (or stopped before anything was read as SEN2): nothing of it is kept.
    const std::string what = out.kind == Sen2File::Kind::census     ? "a school census return"
                             : out.kind == Sen2File::Kind::transfer ? "a common transfer file (CTF)"
                             : error                                ? "not well-formed XML (" + error->message + ")"
                                                                    : "not a SEN2 message";
    if (error && out.kind == Sen2File::Kind::other) out.kind = Sen2File::Kind::broken;
    out.cases.clear();
    out.raws.clear();
    out.report = {};
    const std::uint32_t line = error ? reader.line_at(error->offset) : 1;
    out.report.add(error && out.kind == Sen2File::Kind::broken ? IN001 : IN011, {file, line}, {}, {},
                   std::string(shown) + ".kind",
                   std::string(shown) + " is " + what +
                       (out.header.collection.empty() ? std::string()
                                                      : " (Collection '" + quoted_text(out.header.collection) + "')") +
                       ": it is not read as SEN2",
                   {{"file", std::string(shown)}});
    return out;
  }
  if (error) {
    // Reading stopped: the person open then is not half kept.
    if (reader.person_open()) {
      // Its requests were added as they closed; take them back.
      std::size_t keep = out.cases.size();
      while (keep > 0 && out.cases[keep - 1].case_id.empty())
        --keep;
      out.cases.resize(keep);
      out.match_keys.resize(std::min(out.match_keys.size(), keep));
      std::erase_if(out.raws, [&](const Sen2File::Raw& r) { return r.case_index >= keep; });
    }
    const std::uint32_t line = reader.line_at(error->offset);
    out.report.add(IN001, {file, line}, {}, {}, std::string(shown) + ".file",
                   std::string(shown) + " is not well-formed XML at line " + std::to_string(line) + ": " +
                       error->message + ". Reading stopped there; the " + std::to_string(out.cases.size()) +
                       " requests of complete persons before it were kept" +
                       (reader.person_open() ? " and the person being read was not" : ""),
                   {{"error", error->message}});
    out.kind = out.cases.empty() ? Sen2File::Kind::broken : Sen2File::Kind::sen2;
  }
  return out;
}

void add_sen2_cases(std::span<Sen2File> files, std::span<const std::string> shown, Dataset& data, InputReport& report) {
  // Latest first: Year, DateTime, SerialNo, then the later file.
  std::vector<std::size_t> order(files.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  const auto rank = [&](std::size_t i) {
    const Sen2Header& h = files[i].header;
    return std::tuple(h.year, h.date_time, h.serial_no, i);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) > rank(b); });
  std::unordered_map<std::string, std::size_t> taken; // match key -> the file the request was taken from
  std::unordered_set<std::string> ids;                // the case ids kept, which must be unique
  for (const std::size_t i : order) {
    Sen2File& f = files[i];
    std::map<std::size_t, std::size_t> superseded_by; // the later file -> how many of this file's requests
    std::vector<std::int64_t> new_index(f.cases.size(), -1);
    for (std::size_t k = 0; k < f.cases.size(); ++k) {
      EhcCase& c = f.cases[k];
      const std::string& match = k < f.match_keys.size() ? f.match_keys[k] : c.case_id;
      // Only another (later) return supersedes a request: two Person records of one file are two children,
      // however alike.
      if (const auto [it, fresh] = taken.emplace(match, i); !fresh && it->second != i) {
        ++superseded_by[it->second];
        continue;
      }
      // A child without UPN or ULN is P<n>, a place in one file: with several returns, the file says whose.
      if (files.size() > 1 && c.upn.empty() && c.person.rfind("ULN", 0) != 0) {
        c.person += " in " + shown[i];
        if (!ids.insert(c.case_id).second) c.case_id += " in " + shown[i];
      } else {
        ids.insert(c.case_id);
      }
      new_index[k] = static_cast<std::int64_t>(data.ehc_cases.size());
      data.ehc_cases.push_back(std::move(c));
    }
    for (auto& raw : f.raws)
      if (new_index[raw.case_index] >= 0)
        data.set_raw_value(Entity::ehc_case, static_cast<std::uint32_t>(new_index[raw.case_index]), raw.field,
                           std::move(raw.text));
    for (auto& finding : f.report.findings())
      report.findings().push_back(std::move(finding));
    for (const auto& [later, n] : superseded_by)
      report.add(IN012, {f.file, 1}, {}, {}, shown[i] + ".superseded",
                 std::to_string(n) + " of the requests in " + shown[i] + " are also in " + shown[later] +
                     ", a later return: they are read from that one",
                 {{"file", shown[i]}, {"later", shown[later]}, {"requests", std::to_string(n)}});
  }
}

} // namespace censusqa::load
