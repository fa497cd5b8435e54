// The one CSV reader: RFC 4180 corner cases and line numbers.
#include "load/csv_reader.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace censusqa::load;

namespace {
std::vector<std::pair<std::uint32_t, std::vector<std::string>>> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader r(in);
  std::vector<std::string> f;
  std::vector<std::pair<std::uint32_t, std::vector<std::string>>> out;
  while (r.next(f))
    out.emplace_back(r.record_line(), f);
  return out;
}
using Fields = std::vector<std::string>;
} // namespace

TEST_CASE("CSV: BOM, CRLF, quoted commas, quotes and newlines, with the line each record starts on") {
  const auto rows = read_all("\xEF\xBB\xBF"
                             "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",z\r\n\r\n3,,\n");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].second == Fields{"a", "b", "c"});
  CHECK(rows[1].second == Fields{"1", "x,y", "say \"hi\""});
  CHECK(rows[2].first == 3);
  CHECK(rows[2].second == Fields{"2", "two\nlines", "z"});
  CHECK(rows[3].first == 6); // after the quoted newline and a blank line
  CHECK(rows[3].second == Fields{"3", "", ""});
}

TEST_CASE("CSV: a file without a final newline, and an unterminated quote") {
  CHECK(read_all("a,b\n1,2").back().second == Fields{"1", "2"});
  std::istringstream in("a,b\n1,\"open\n2,3\n");
  CsvReader r(in);
  std::vector<std::string> f;
  REQUIRE(r.next(f));
  REQUIRE(r.next(f));
  CHECK(r.record_line() == 2);
  CHECK(r.defect() == "a quoted field is not closed before the end of the file");
  CHECK_FALSE(r.next(f));
}

TEST_CASE("CSV header lookup is case-insensitive, trims, and notes duplicates") {
  CsvHeader h({" LAEstab ", "UPN", "upn"});
  CHECK(h.find("laestab") == 0);
  CHECK(h.find("Upn") == 1);
  CHECK(h.find("missing") == -1);
  CHECK(h.duplicates() == Fields{"upn"});
}

TEST_CASE("CSV: UTF-8 with or without a BOM is read as it is") {
  std::istringstream in("\xEF\xBB\xBFname\nSt Mary\xE2\x80\x99s\n");
  CsvReader r(in);
  Fields f;
  REQUIRE(r.next(f));
  REQUIRE(r.next(f));
  CHECK(f == Fields{"St Mary\xE2\x80\x99s"});
  CHECK(r.had_bom());
  CHECK(r.encoding() == CsvReader::Encoding::utf8);
}

TEST_CASE("CSV: Windows-1252 from the first byte that is not UTF-8, with its line and byte") {
  std::istringstream in("name,amount\nCaf\xC3\xA9,1\nSt Mary\x92s,\xA3"
                        "5\n\x80,\x81\n");
  CsvReader r(in);
  Fields f;
  std::vector<Fields> rows;
  while (r.next(f))
    rows.push_back(f);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1] == Fields{"Caf\xC3\xA9", "1"}); // UTF-8 before the switch
  CHECK(rows[2] == Fields{"St Mary\xE2\x80\x99s", "\xC2\xA3"
                                                  "5"});    // curly apostrophe, pound sign
  CHECK(rows[3] == Fields{"\xE2\x82\xAC", "\xEF\xBF\xBD"}); // euro; 0x81 is undefined
  CHECK(r.encoding() == CsvReader::Encoding::windows_1252);
  CHECK(r.first_non_utf8_line() == 3);
  CHECK(r.first_non_utf8_byte() == 0x92);
  CHECK(r.utf8_before_switch());
}

TEST_CASE("CSV: overlong forms, surrogates and truncated sequences are not UTF-8") {
  CHECK(is_valid_utf8("\xE2\x80\x99"));
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));     // a surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE2\x80"));         // cut short
  CHECK(valid_utf8("a\xFF"
                   "b") == "a\xC3\xBF"
                           "b");
}

TEST_CASE("CSV: a UTF-16 file is refused, with the reason") {
  for (const std::string& text : {std::string("\xFF\xFEn\0a\0", 6), std::string("n\0a\0m\0e\0", 8)}) {
    std::istringstream in(text);
    CsvReader r(in);
    Fields f;
    CHECK_FALSE(r.next(f));
    CHECK(r.refused().find("UTF-16") != std::string::npos);
  }
}

TEST_CASE("CSV: a lone CR ends a line and is counted") {
  const auto rows = read_all("a\rb\r\rc\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].first == 4);
}
