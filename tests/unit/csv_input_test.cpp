// CsvInput: each record checked against its header's shape, name columns, sources that cannot be used.
#include "load/input_report.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace censusqa::load;

namespace {
using Fields = std::vector<std::string>;

struct Read {
  std::vector<Fields> rows;
  std::vector<censusqa::Finding> findings;
  bool usable = false;
};

std::string value(const censusqa::Finding& f, std::string_view key) {
  for (const auto& [k, v] : f.values)
    if (k == key) return v;
  return "(none)";
}

Read read(const std::string& text, bool none_is_valid = false, std::string lacks = {}) {
  std::istringstream in(text);
  InputReport report;
  CsvInput csv(in, 0, "pupils.csv", report);
  Read r;
  if (csv.header()) {
    csv.set_school_column(0);
    if (!lacks.empty()) csv.lacks_columns(lacks);
    Fields f;
    while (csv.next(f))
      r.rows.push_back(f);
    r.usable = csv.usable("the rules that need it", none_is_valid);
  }
  r.findings = report.findings();
  return r;
}
} // namespace

TEST_CASE("a row with more or fewer fields than its header is IN001 at its line, not used, no value shown") {
  const auto r = read("laestab,upn,surname,forename,dob\n"
                      "8882002,A1,Okafor,Amelia,2016-05-02\n"
                      "8882002,A2,Smith, Jr,Zebedee,2017-04-01\n"
                      "8882002,A3\n"
                      "8882002,A4,Patel,Yusuf,2017-03-15\n");
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[1][1] == "A4");
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].rule == "IN001");
  CHECK(r.findings[0].source.line == 3);
  CHECK(r.findings[0].laestab == "8882002");
  CHECK(value(r.findings[0], "expected_fields") == "5");
  CHECK(value(r.findings[0], "found_fields") == "6");
  CHECK(r.findings[0].message ==
        "The record on line 3 has 6 fields but the header has 5: a comma in an unquoted value, such as a name, "
        "shifts every later field; the record is not read");
  CHECK(r.findings[1].source.line == 4);
  CHECK(value(r.findings[1], "found_fields") == "2");
  for (const auto& f : r.findings)
    CHECK(f.message.find("Zebedee") == std::string::npos);
  CHECK(r.usable);
}

TEST_CASE("a name written into another column is emptied and reported without it") {
  const auto r = read("laestab,upn,forename,notes\n8882002,A1,Zebedee,zebedee\n");
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0][3].empty());
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "IN003");
  CHECK(r.findings[0].message.find("ebedee") == std::string::npos);
}

TEST_CASE("name and address columns are known by their header") {
  for (const char* n : {"surname", "Forename", "legal_surname", "Preferred Forename", "PreferredNames",
                        "address_line_1", "Postcode", "middle_names", "former_surname"})
    CHECK(is_name_column(n));
  for (const char* n : {"laestab", "upn", "dob", "sen_need_1", "enrol_status", "provider_name_type"})
    CHECK_FALSE(is_name_column(n));
}

TEST_CASE("a source that is header-only, has no readable record or is cut short cannot be used") {
  SECTION("header only") {
    const auto r = read("laestab,upn,dob\n");
    CHECK_FALSE(r.usable);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].message.find("has a header but no records") != std::string::npos);
  }
  SECTION("cut short: the last record has fewer fields and no line end") {
    const auto r = read("laestab,upn,dob\n8882002,A1,2016-05-02\n8882002,A2");
    CHECK_FALSE(r.usable);
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].source.line == 3);
    CHECK(r.findings[0].message.find("the file ends there") != std::string::npos);
    CHECK(r.findings[1].message.find("is cut short") != std::string::npos);
  }
  SECTION("an unclosed quote") {
    const auto r = read("laestab,upn,dob\n8882002,\"A1,2016-05-02\n8882003,A2,2016-05-02\n");
    CHECK_FALSE(r.usable);
    CHECK(r.findings[0].message.find("not closed") != std::string::npos);
  }
  SECTION("header only, where none is a valid answer (commitments.csv: an LA with no commitments)") {
    const auto r = read("laestab,category,amount\n", true);
    CHECK(r.usable);
    CHECK(r.findings.empty());
  }
  SECTION("a required column missing: no record is read, and the file is not used") {
    const auto r = read("laestab,upn\n8882002,A1\n", false, "dob, sen");
    CHECK_FALSE(r.usable);
    CHECK(r.rows.empty());
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule == "IN001");
    CHECK(r.findings[0].message.find("lacks the required columns dob, sen (IN002)") != std::string::npos);
  }
  SECTION("an empty file's finding is named by the file, so two empty files keep their own ids") {
    const auto r = read("");
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].rule == "IN001");
    CHECK(r.findings[0].subject == "pupils.csv.file");
  }
  SECTION("a last record with all its fields but no line end is whole") {
    const auto r = read("laestab,upn,dob\n8882002,A1,2016-05-02");
    CHECK(r.usable);
    CHECK(r.findings.empty());
  }
}

TEST_CASE("a file read as Windows-1252 is IN010 naming the file and line") {
  const auto r = read("laestab,upn,dob\n8882002,A1,2016-05-02\n8882002,A\xA3,2016-05-02\n");
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "IN010");
  CHECK(r.findings[0].source.line == 3);
  CHECK(value(r.findings[0], "byte") == "0xA3");
  CHECK(r.rows[1][1] == "A\xC2\xA3");
}
