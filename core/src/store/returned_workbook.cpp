// See returned_workbook.hpp. SpreadsheetML in brief: xl/workbook.xml lists the sheets and their
// relationship ids, xl/_rels/workbook.xml.rels maps those to part names, a cell is
// <c r="B5" t="s"><v>3</v></c> where t="s" indexes xl/sharedStrings.xml, t="inlineStr" holds
// <is><t>text</t></is>, t="str" a formula's text, and no t a number.
#include "returned_workbook.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NamedNodeMap.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace censusqa::store {
namespace {

using Poco::AutoPtr;
using Poco::XML::Document;
using Poco::XML::Element;
using Poco::XML::Node;

class Package {
public:
  explicit Package(const std::filesystem::path& path) : path_{path}, in_{path, std::ios::binary} {
    if (!in_) throw std::runtime_error("cannot open " + path.string());
    try {
      archive_.emplace(in_);
    } catch (const Poco::Exception& e) {
      throw std::runtime_error(path.string() + " is not an .xlsx workbook (not a zip file): " + e.displayText());
    }
  }
  std::optional<std::string> part(const std::string& name) {
    const auto it = archive_->findHeader(name);
    if (it == archive_->headerEnd()) return std::nullopt;
    in_.clear();
    in_.seekg(0);
    Poco::Zip::ZipInputStream zin(in_, it->second, true);
    std::string out;
    Poco::StreamCopier::copyToString(zin, out);
    return out;
  }
  AutoPtr<Document> xml(const std::string& name) {
    const auto text = part(name);
    if (!text) return nullptr;
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::DOMParser::FEATURE_FILTER_WHITESPACE, false);
    try {
      return parser.parseString(*text);
    } catch (const Poco::Exception& e) {
      throw std::runtime_error(path_.string() + ": " + name + " is not well-formed XML: " + e.displayText());
    }
  }

private:
  std::filesystem::path path_;
  std::ifstream in_;
  std::optional<Poco::Zip::ZipArchive> archive_;
};

// Every element below `root` with this local name (whatever prefix the writer used), in order.
void collect(Node* n, const std::string& local, std::vector<Element*>& out) {
  for (Node* c = n->firstChild(); c; c = c->nextSibling()) {
    if (c->nodeType() != Node::ELEMENT_NODE) continue;
    if (c->localName() == local) out.push_back(static_cast<Element*>(c));
    collect(c, local, out);
  }
}
std::vector<Element*> all(Node* n, const std::string& local) {
  std::vector<Element*> out;
  if (n) collect(n, local, out);
  return out;
}
// The text of all <t> elements below n (a shared string may be split into formatted runs).
std::string text_of(Node* n) {
  std::string out;
  for (Element* t : all(n, "t"))
    out += t->innerText();
  return out;
}
std::string attr(Element* e, const std::string& local) {
  // Attributes without a prefix have no namespace; r:id has the relationships namespace.
  Poco::XML::NamedNodeMap* attrs = e->attributes();
  std::string out;
  for (unsigned long i = 0; i < attrs->length(); ++i) {
    Node* a = attrs->item(i);
    if (a->localName() == local || a->nodeName() == local) {
      out = a->nodeValue();
      break;
    }
  }
  attrs->release();
  return out;
}
// "AB12" -> 27 (0-based column).
int column_of(const std::string& ref) {
  int col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i)
    col = col * 26 + (ref[i] - 'A' + 1);
  return col - 1;
}
std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

} // namespace

ReturnedWorkbook read_returned_workbook(const std::filesystem::path& xlsx) {
  Package pkg(xlsx);
  ReturnedWorkbook out;
  auto workbook = pkg.xml("xl/workbook.xml");
  if (!workbook) throw std::runtime_error(xlsx.string() + " is not an .xlsx workbook (no xl/workbook.xml)");
  std::map<std::string, std::string> targets;
  if (auto rels = pkg.xml("xl/_rels/workbook.xml.rels"))
    for (Element* r : all(rels.get(), "Relationship")) {
      std::string t = attr(r, "Target");
      if (!t.empty() && t[0] == '/')
        t.erase(0, 1);
      else
        t = "xl/" + t;
      targets[attr(r, "Id")] = t;
    }
  std::vector<std::string> shared;
  if (auto sst = pkg.xml("xl/sharedStrings.xml"))
    for (Element* si : all(sst.get(), "si"))
      shared.push_back(text_of(si));
  if (auto custom = pkg.xml("docProps/custom.xml"))
    for (Element* p : all(custom.get(), "property"))
      if (attr(p, "name") == "LAEstab") out.laestab = trim(p->innerText());

  for (Element* sheet : all(workbook.get(), "sheet")) {
    const auto target = targets.find(attr(sheet, "id"));
    if (target == targets.end()) continue;
    auto doc = pkg.xml(target->second);
    if (!doc) continue;
    std::optional<int> c_id, c_response, c_comment;
    for (Element* row : all(doc.get(), "row")) {
      std::map<int, std::string> cells;
      int next = 0;
      for (Element* c : all(row, "c")) {
        const std::string ref = attr(c, "r");
        const int col = ref.empty() ? next : column_of(ref);
        next = col + 1;
        const std::string type = attr(c, "t");
        std::string value;
        if (type == "inlineStr") {
          value = text_of(c);
        } else {
          const auto v = all(c, "v");
          if (!v.empty()) value = v.front()->innerText();
          if (type == "s") {
            const auto i = static_cast<std::size_t>(std::strtoul(value.c_str(), nullptr, 10));
            value = i < shared.size() ? shared[i] : std::string{};
          }
        }
        cells[col] = trim(value);
      }
      if (!c_id) {
        for (const auto& [col, v] : cells) {
          if (v == "Finding id") c_id = col;
          if (v == "Response") c_response = col;
          if (v == "Comment") c_comment = col;
        }
        if (!(c_id && c_response && c_comment)) c_id.reset();
        continue;
      }
      SchoolResponse r;
      r.finding_id = cells[*c_id];
      r.response = cells[*c_response];
      r.comment = cells[*c_comment];
      r.row = static_cast<std::size_t>(std::strtoul(attr(row, "r").c_str(), nullptr, 10));
      if (!r.finding_id.empty() && (!r.response.empty() || !r.comment.empty())) out.responses.push_back(std::move(r));
    }
    if (c_id) {
      out.sheet = attr(sheet, "name");
      return out;
    }
  }
  throw std::runtime_error(xlsx.string() +
                           ": no sheet has a header row with 'Finding id', 'Response' and 'Comment' (is this a "
                           "censusqa inclusion profile?)");
}

} // namespace censusqa::store
