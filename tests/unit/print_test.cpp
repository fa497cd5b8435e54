// Printing: Excel's header and footer strings built from hostile text (a school's name).
#include "report/workbook.hpp"

#include <catch2/catch.hpp>

#include <string>

using censusqa::report::book::header_footer;

namespace {
std::size_t characters(const std::string& s) {
  std::size_t n = 0;
  for (const unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}
} // namespace

TEST_CASE("header and footer: three parts, page numbers in the centre") {
  CHECK(header_footer("Vale Green Primary School", "OFFICIAL-SENSITIVE", "Spring 2025 census") ==
        "&LVale Green Primary School&COFFICIAL-SENSITIVE&RSpring 2025 census");
  CHECK(header_footer("Inclusion profile: Overview", {}, "OFFICIAL-SENSITIVE", true) ==
        "&LInclusion profile: Overview&CPage &P of &N&ROFFICIAL-SENSITIVE");
  CHECK(header_footer({}, {}, {}, true) == "&CPage &P of &N");
  CHECK(header_footer({}, {}, {}) == "");
}

TEST_CASE("header and footer: a name's '&' prints as written, never as a code") {
  // "&P" alone is the page number and "&B" turns bold: doubled, they print as "&P" and "&B".
  CHECK(header_footer("A&P School", {}, {}) == "&LA&&P School");
  CHECK(header_footer("&P&N&&&", {}, {}) == "&L&&P&&N&&&&&&");
  // libxlsxwriter takes "&G" and "&[Picture]" for images even after an escaping '&' (and refuses the
  // string): a zero-width space keeps them apart.
  CHECK(header_footer("&[Picture] &G &g", {}, {}) == "&L&&\xE2\x80\x8B[Picture] &&\xE2\x80\x8BG &&g");
  // Control characters print as spaces; a stray byte is dropped.
  CHECK(header_footer("Oak\nPrimary\x01", {}, {}) == "&LOak Primary ");
  CHECK(header_footer("Caf\xC3", {}, {}) == "&LCaf");
}

TEST_CASE("header and footer: within Excel's 255 characters, cut on a character boundary") {
  const std::string marking = "OFFICIAL-SENSITIVE: contains pupil identifiers";
  const std::string welsh = "Ysgol Gynradd Gymraeg \xC5\xB5\xC5\xB7"; // ŵŷ: two bytes each
  std::string name;
  while (characters(name) < 400)
    name += welsh;
  const std::string h = header_footer(name, marking, "Spring 2025 census");
  CHECK(characters(h) == 255);
  CHECK(h.rfind("&L" + welsh, 0) == 0);
  // The other parts are whole; the long one ends in an ellipsis, after a whole character.
  const std::string tail = "\xE2\x80\xA6&C" + marking + "&RSpring 2025 census";
  REQUIRE(h.size() > tail.size());
  CHECK(h.compare(h.size() - tail.size(), tail.size(), tail) == 0);
  const auto before = static_cast<unsigned char>(h[h.size() - tail.size() - 1]);
  CHECK((before < 0x80 || (before & 0xC0) == 0x80)); // the last byte of a character, not a lead byte

  // A name of ampersands is never cut between the two characters of an escaped '&'.
  const std::string amps(300, '&');
  const std::string a = header_footer(amps, {}, {}, true);
  CHECK(characters(a) <= 255);
  const std::string body = a.substr(2, a.find("\xE2\x80\xA6") - 2);
  CHECK(body.size() % 2 == 0);
  CHECK(body.find_first_not_of('&') == std::string::npos);
  CHECK(a.size() >= 13);
  CHECK(a.compare(a.size() - 13, 13, "Page &P of &N") == 0);
}
