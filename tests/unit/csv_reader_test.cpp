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
