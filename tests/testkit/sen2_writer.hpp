// Writes EHC cases as a SEN2 person-level return (the 2024 schema's tree, docs/sen2-input.md), for tests
// that read the same cases through ehcp_cases.csv and through SEN2 and compare. SDK types only.
#pragma once

#include <censusqa/dataset.hpp>

#include <map>
#include <string>
#include <vector>

namespace censusqa::testkit {

struct Sen2WriteHeader {
  int year = 2025;
  std::string reference_date = "2025-01-16";
  std::string lea = "888";
  std::string date_time = "2025-01-20T10:00:00";
};

/// One Person per distinct person (EhcCase::person, else the UPN, else the case id), one Requests per
/// case, in the order given. A case without a UPN is written with UPNunknown UN1.
inline std::string sen2_xml(const std::vector<EhcCase>& cases, const Sen2WriteHeader& h = {}) {
  std::string o = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header><CollectionDetails>"
                  "<Collection>SEN2</Collection><Year>" +
                  std::to_string(h.year) + "</Year><ReferenceDate>" + h.reference_date +
                  "</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>" + h.lea +
                  "</LEA><SoftwareCode>censusqa-test</SoftwareCode><Release>1</Release><SerialNo>001</SerialNo>"
                  "<DateTime>" +
                  h.date_time + "</DateTime><DMO>Y</DMO><DCO>Y</DCO></Source></Header>\n<Persons>\n";
  std::vector<std::string> order;
  std::map<std::string, std::vector<const EhcCase*>> by_person;
  for (const EhcCase& c : cases) {
    const std::string key = !c.person.empty() ? c.person : !c.upn.empty() ? c.upn : c.case_id;
    if (!by_person.count(key)) order.push_back(key);
    by_person[key].push_back(&c);
  }
  const auto date = [&](const char* tag, const std::optional<Date>& d) {
    if (d) o += std::string("<") + tag + ">" + d->iso() + "</" + tag + ">";
  };
  for (const std::string& key : order) {
    const auto& list = by_person[key];
    o += "<Person><Surname>Smith</Surname><Forename>Sam</Forename><PersonBirthDate>2012-05-01</PersonBirthDate>"
         "<Sex>F</Sex><Ethnicity>WBRI</Ethnicity><PostCode>ZZ1 1ZZ</PostCode>";
    o += list.front()->upn.empty() ? std::string("<UPNunknown>UN1</UPNunknown>")
                                   : "<UPN>" + list.front()->upn + "</UPN>";
    for (const EhcCase* c : list) {
      o += "\n<Requests>";
      date("ReceivedDate", c->request_date);
      date("RequestOutcomeDate", c->request_outcome_date);
      o += "<RequestOutcome>" + std::string(c->request_outcome ? name(*c->request_outcome) : "A") + "</RequestOutcome>";
      if (c->assessment_outcome || c->plan_issue_date) {
        o += "<Assessment><AssessmentOutcome>" +
             std::string(c->assessment_outcome ? name(*c->assessment_outcome) : "A") + "</AssessmentOutcome>";
        date("AssessmentOutcomeDate", c->assessment_outcome_date);
        if (c->mediation_or_tribunal) o += "<AssessmentMediation>1</AssessmentMediation>";
        if (c->exception) o += std::string("<Week20>") + (*c->exception ? "1" : "0") + "</Week20>";
        if (c->plan_issue_date) {
          o += "<NamedPlan><StartDate>" + c->plan_issue_date->iso() +
               "</StartDate><PlanDetail><SENSetting>OTH</SENSetting><PlacementRank>1</PlacementRank>"
               "<SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0</ResourcedProvisionIndicator>"
               "</PlanDetail>";
          date("CeaseDate", c->plan_ceased_date);
          if (c->cease_reason) o += "<CeaseReason>" + std::to_string(*c->cease_reason) + "</CeaseReason>";
          o += "</NamedPlan>";
        }
        o += "</Assessment>";
      }
      if (c->plan_issue_date && c->la_primary_need) {
        o += "<ActivePlans><PlacementDetail><SENSetting>OTH</SENSetting><PlacementRank>1</PlacementRank><EntryDate>" +
             c->plan_issue_date->iso() +
             "</EntryDate><SENunitIndicator>0</SENunitIndicator><ResourcedProvisionIndicator>0"
             "</ResourcedProvisionIndicator></PlacementDetail><SENneed><SENtype>" +
             std::string(name(*c->la_primary_need)) + "</SENtype><SENtypeRank>1</SENtypeRank></SENneed>";
        date("ReviewMeeting", c->last_review_date);
        o += "</ActivePlans>";
      }
      o += "</Requests>";
    }
    o += "</Person>\n";
  }
  return o + "</Persons>\n</Message>\n";
}

} // namespace censusqa::testkit
