// The XML scanner against Expat, document by document: both accept or both refuse, and what both accept
// reads as the same elements and text. Plus what the scanner refuses on purpose.
#include "xml_oracle.hpp"

#include <catch2/catch.hpp>

using namespace censusqa::testkit;
using censusqa::load::xml::ScanError;

namespace {

std::string utf16(std::string_view ascii, bool little_endian) {
  std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (const char c : ascii) {
    if (little_endian)
      out += c, out += '\0';
    else
      out += '\0', out += c;
  }
  return out;
}

} // namespace

TEST_CASE("scanner and Expat agree, document by document") {
  const std::string cases[] = {
      // well-formed
      "<a/>",
      "<a>x</a>",
      "<?xml version=\"1.0\"?>\n<a b='1' c=\"2\">t&amp;&lt;&gt;&apos;&quot;&#65;&#x42;&#x1F600;</a>",
      "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><a/>",
      "<?xml version=\"1.1\"?><a/>",
      "<!-- before --><?pi data?><a><!-- in --><b>1</b><?pi?><c/></a><!-- after -->\n",
      "<a><![CDATA[<not> & a tag]]>tail</a>",
      "<a>\r\nline\rend\r\n</a>",
      "<ns0:Message xmlns:ns0=\"urn:x\"><ns0:UPN>A1</ns0:UPN></ns0:Message>",
      "\xEF\xBB\xBF<a>bom</a>",
      "<a b='x>y' c=\"it's\"/>",
      "<a>]]</a>",
      "<a>] ]></a>",
      "<a>&#xD;&#9;&#10;</a>",
      "<a  >  <b\t/>\n</a\n>",
      "<a>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80</a>",
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>",
      "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a>plain</a>",
      "<a>\xC2\x85\xC2\x9F</a>", // C1 controls: allowed in XML 1.0
      "<a.b-c_d:e/>",
      "<_a/>",
      "<?xml111 version=\"1.0\" encoding=\"U.TF-8\"?><a/>", // a processing instruction, not a declaration (fuzzer)
      // not well-formed
      "<?.ml version=\"8\"?>\n<C>9-0</C>", // a processing instruction's target that is no Name (fuzzer)
      "<a><?-x?></a>",
      "<?xml version=\":.0\"?><a/>", // a version with a colon (fuzzer)
      "<a><?9x?></a>",
      "",
      "   ",
      "<a>",
      "<a></b>",
      "<a><b></a></b>",
      "<a>&foo;</a>",
      "<a>&#0;</a>",
      "<a>&#xD800;</a>",
      "<a>&#x110000;</a>",
      "<a>&#99999999999999;</a>",
      "<a>&#;</a>",
      "<a>&#x;</a>",
      "<a>&amp</a>",
      "<a>& amp;</a>",
      "<a b='1' b='2'/>",
      "<a b='<'/>",
      "<a b=1/>",
      "<a b='1'c='2'/>",
      "<a b='&x;'/>",
      "<a b/>",
      "<a>]]></a>",
      "<!-- a -- b --><a/>",
      "<!-- a ---><a/>",
      "<a/><b/>",
      "<a/>junk",
      "text<a/>",
      "<?xml version='1.0'?><?xml version='1.0'?><a/>",
      " <?xml version='1.0'?><a/>",
      "<?XML version='1.0'?><a/>",
      "<a><?xml version='1.0'?></a>",
      "<a>\x01</a>",
      "<a>\x0B</a>",
      "\xFF<a/>",
      "<a>\xC3</a>",
      "<a>\xC0\x80</a>",
      "<a>\xED\xA0\x80</a>",
      "<a>\xEF\xBF\xBE</a>",
      "<a>\xF4\x90\x80\x80</a>",
      "<![CDATA[x]]><a/>",
      "<a><![CDATA[x]></a>",
      "<?xml version='2.0'?><a/>",
      "<?xml encoding='UTF-8'?><a/>",
      "<?xml version='1.0' standalone='maybe'?><a/>",
      "<?xml version='1.0'><a/>",
      "<? pi?><a/>",
      "<?pi?x><a/>",
      "< a/>",
      "<a >",
      "<1a/>",
      "<a></ a>",
      "<a><b></b>",
      "<a>text",
      "<a/",
      "<a b='1",
      "<!--",
      "<a><!-- x</a>",
      "<?pi",
      "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><a>caf\xC3\xA9</a>",
  };
  int compared = 0;
  for (const std::string& doc : cases) {
    INFO("document: " << doc);
    const auto expat = read_with_expat(doc);
    const auto ours = read_with_scanner(doc);
    if (const auto why = allowed_difference(doc, ours)) {
      INFO("allowed: " << *why);
      continue;
    }
    ++compared;
    INFO("Expat: " << (expat.ok ? "ok" : expat.error) << "; scanner: " << (ours.ok ? "ok" : ours.error));
    REQUIRE(ours.ok == expat.ok);
    if (ours.ok) CHECK(ours.log == expat.log);
  }
  CHECK(compared == static_cast<int>(std::size(cases)));
  // UTF-16 with a byte order mark, both ways round.
  for (const bool le : {true, false}) {
    const std::string doc = utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a b='1'>x&amp;y</a>", le);
    const auto expat = read_with_expat(doc), ours = read_with_scanner(doc);
    REQUIRE(expat.ok);
    REQUIRE(ours.ok);
    CHECK(ours.log == expat.log);
  }
}

TEST_CASE("the scanner refuses what it refuses on purpose, and says why") {
  const auto doctype = read_with_scanner("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>");
  CHECK_FALSE(doctype.ok);
  CHECK(doctype.error.find("DOCTYPE") != std::string::npos);
  CHECK(read_with_expat("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").ok); // Expat would expand it
  const auto unicode_name = read_with_scanner("<caf\xC3\xA9/>");
  CHECK_FALSE(unicode_name.ok);
  CHECK(unicode_name.error.find("outside ASCII") != std::string::npos);
  std::string deep;
  for (int i = 0; i < 5000; ++i)
    deep += "<a>";
  const auto nested = read_with_scanner(deep);
  CHECK_FALSE(nested.ok);
  CHECK(nested.error == "elements nested more than 4096 deep");
  // Windows-1252, which Expat does not read: the curly apostrophe and the euro become UTF-8.
  const auto cp = read_with_scanner("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>St Mary\x92s \x80</a>");
  REQUIRE(cp.ok);
  CHECK(cp.log == "<a'St Mary\xE2\x80\x99s \xE2\x82\xAC'>");
}

TEST_CASE("an error's offset is where the problem is, so that its line can be named") {
  std::string converted, encoding;
  std::optional<ScanError> error;
  const std::string text = "<a>\n<b>\n</c>\n</a>";
  const auto doc = censusqa::load::xml::prepare_xml_text(text, converted, encoding, error);
  REQUIRE_FALSE(error);
  struct Null {
    bool start(std::string_view, std::string_view, std::size_t) { return true; }
    void end() {}
    void text(std::string_view, bool) {}
    void cdata(std::string_view) {}
    bool wants_text() const { return false; }
  } h;
  const auto e = censusqa::load::xml::scan(doc, h);
  REQUIRE(e);
  CHECK(e->offset == text.find("</c>"));
  CHECK(e->message == "mismatched tag");
}

TEST_CASE("a file declaring UTF-16 whose bytes are one a character is refused, saying so") {
  std::string converted, encoding;
  std::optional<ScanError> error;
  censusqa::load::xml::prepare_xml_text("<?xml version=\"1.0\" encoding=\"utf-16\"?><a>x</a>", converted, encoding,
                                        error);
  REQUIRE(error);
  CHECK_THAT(error->message, Catch::StartsWith("the file declares the encoding \"UTF-16\", but its bytes are not "
                                               "UTF-16: it has no byte order mark and one byte a character"));
  // Another encoding censusqa does not read is named as such.
  censusqa::load::xml::prepare_xml_text("<?xml version=\"1.0\" encoding=\"EBCDIC\"?><a>x</a>", converted, encoding,
                                        error);
  REQUIRE(error);
  CHECK_THAT(error->message, Catch::EndsWith("which censusqa does not read (UTF-8, UTF-16, US-ASCII, ISO-8859-1 and "
                                             "Windows-1252)"));
}
