// The returned-workbook reader against hostile replies (docs/replies-security.md): every workbook is
// built here, in memory, so the huge ones (a million nested elements, a zip that inflates to 2 GiB)
// are never files in the repository.
#include "report/reply_check.hpp"
#include "store/returned_workbook.hpp"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace censusqa;
using store::ReaderLimits;
using store::WorkbookRefused;

namespace {

struct Part {
  std::string name, data; ///< data: stored bytes, or raw deflate when deflated
  bool deflated = false;
  std::uint64_t inflated = 0;          ///< the size the part inflates to
  std::optional<std::uint64_t> claims; ///< the inflated size the directory declares, when it lies
  std::uint32_t crc = 0;
};

Part stored(std::string name, std::string data) {
  Part p{std::move(name), std::move(data)};
  p.inflated = p.data.size();
  p.crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(p.data.data()), static_cast<uInt>(p.data.size())));
  return p;
}

std::string raw_deflate(const std::string& in, int flush) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, flush) != Z_STREAM_ERROR);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

Part deflated(std::string name, const std::string& data) {
  Part p = stored(std::move(name), data);
  p.data = raw_deflate(data, Z_FINISH);
  p.deflated = true;
  return p;
}

/// A part of `mib` MiB of zeros in about 1 KiB per MiB: one MiB deflated with a full flush (so that
/// no block refers back past it) repeated, then an empty final block.
Part zeros_bomb(std::string name, std::size_t mib) {
  const std::string one = raw_deflate(std::string(1 << 20, '\0'), Z_FULL_FLUSH);
  Part p{std::move(name), {}};
  p.data.reserve(one.size() * mib + 2);
  for (std::size_t i = 0; i < mib; ++i)
    p.data += one;
  p.data += std::string("\x03\x00", 2);
  p.deflated = true;
  p.inflated = std::uint64_t{mib} << 20;
  return p;
}

void le(std::string& s, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    s += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::string zip(const std::vector<Part>& parts) {
  std::string out, cd;
  for (const auto& p : parts) {
    const std::uint64_t offset = out.size();
    const std::uint64_t usize = p.claims.value_or(p.inflated);
    const int method = p.deflated ? 8 : 0;
    le(out, 0x04034b50, 4);
    le(out, 20, 2);
    le(out, 0, 2);
    le(out, method, 2);
    le(out, 0, 4); // time, date
    le(out, p.crc, 4);
    le(out, p.data.size(), 4);
    le(out, usize, 4);
    le(out, p.name.size(), 2);
    le(out, 0, 2);
    out += p.name;
    out += p.data;
    le(cd, 0x02014b50, 4);
    le(cd, 20, 2);
    le(cd, 20, 2);
    le(cd, 0, 2);
    le(cd, method, 2);
    le(cd, 0, 4);
    le(cd, p.crc, 4);
    le(cd, p.data.size(), 4);
    le(cd, usize, 4);
    le(cd, p.name.size(), 2);
    le(cd, 0, 6); // extra, comment, disk
    le(cd, 0, 6); // attributes
    le(cd, offset, 4);
    cd += p.name;
  }
  const std::uint64_t cd_offset = out.size();
  out += cd;
  le(out, 0x06054b50, 4);
  le(out, 0, 4);
  le(out, parts.size(), 2);
  le(out, parts.size(), 2);
  le(out, cd.size(), 4);
  le(out, cd_offset, 4);
  le(out, 0, 2);
  return out;
}

const std::string ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const std::string ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string inline_cell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

/// The Data to fix sheet: the reply check line, the header on row 3, then (id, response, comment) rows.
std::string sheet(const std::vector<std::vector<std::string>>& rows, const std::string& check = {},
                  const std::string& inside_sheet_data = {}) {
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" + ns_main + "\"><sheetData>";
  if (!check.empty()) x += "<row r=\"1\">" + inline_cell("A1", check) + "</row>";
  x += "<row r=\"3\">" + inline_cell("A3", "Finding id") + inline_cell("B3", "Response") +
       inline_cell("C3", "Comment") + "</row>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string r = std::to_string(i + 4);
    x += "<row r=\"" + r + "\">";
    for (std::size_t c = 0; c < rows[i].size(); ++c)
      x += inline_cell(std::string(1, static_cast<char>('A' + c)) + r, rows[i][c]);
    x += "</row>";
  }
  return x + inside_sheet_data + "</sheetData></worksheet>";
}

std::vector<Part> workbook_parts(Part sheet1) {
  std::vector<Part> p;
  p.push_back(deflated("xl/workbook.xml", "<workbook xmlns=\"" + ns_main + "\" xmlns:r=\"" + ns_rel +
                                              "\"><sheets><sheet name=\"Data to fix\" sheetId=\"1\" "
                                              "r:id=\"rId1\"/></sheets></workbook>"));
  p.push_back(deflated("xl/_rels/workbook.xml.rels",
                       "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                       "<Relationship Id=\"rId1\" Type=\"" +
                           ns_rel + "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"));
  p.push_back(std::move(sheet1));
  return p;
}

store::ReturnedWorkbook read(const std::string& bytes, const ReaderLimits& lim = {}) {
  std::istringstream in(bytes);
  return store::read_returned_workbook(in, bytes.size(), "reply.xlsx", lim);
}

std::string refusal(const std::string& bytes, const ReaderLimits& lim = {}) {
  try {
    read(bytes, lim);
  } catch (const WorkbookRefused& e) {
    return e.what();
  }
  return "(not refused)";
}

} // namespace

TEST_CASE("a returned profile reads back: responses, comments, the reply check") {
  const std::string check = report::reply_check_line("8882001", std::string(32, 'a'));
  const auto wb = read(zip(workbook_parts(deflated(
      "xl/worksheets/sheet1.xml",
      sheet({{"CI001:8882001:A1", "Explained", "Placed here by another LA"}, {"CI002:8882001:A2", "", ""}}, check)))));
  CHECK(wb.sheet == "Data to fix");
  CHECK(wb.check_line == check);
  REQUIRE(wb.responses.size() == 1);
  CHECK(wb.responses[0].finding_id == "CI001:8882001:A1");
  CHECK(wb.responses[0].response == "Explained");
  CHECK(wb.responses[0].comment == "Placed here by another LA");
  CHECK(wb.responses[0].row == 4);
}

TEST_CASE("a reply nested a million elements deep is refused, not a stack overflow") {
  std::string deep;
  deep.reserve(7'000'000);
  for (int i = 0; i < 1'000'000; ++i)
    deep += "<a>";
  for (int i = 0; i < 1'000'000; ++i)
    deep += "</a>";
  const auto why = refusal(zip(workbook_parts(deflated("xl/worksheets/sheet1.xml", sheet({}, {}, deep)))));
  CHECK_THAT(why, Catch::Contains("reply.xlsx") && Catch::Contains("xl/worksheets/sheet1.xml") &&
                      Catch::Contains("nested more than 64 deep"));
}

TEST_CASE("a 2 MiB zip that inflates to 2 GiB is refused before it is inflated") {
  Part bomb = zeros_bomb("xl/worksheets/sheet1.xml", 2048);
  CHECK(bomb.data.size() < (3u << 20));
  const auto why = refusal(zip(workbook_parts(std::move(bomb))));
  CHECK_THAT(why, Catch::Contains("declares more than 1024 MiB") && Catch::Contains("nothing was inflated"));
}

TEST_CASE("a zip bomb whose directory lies about its size is stopped as it inflates") {
  Part bomb = zeros_bomb("xl/worksheets/sheet1.xml", 2048);
  bomb.claims = 10000; // small enough to pass every declared-size check
  const auto why = refusal(zip(workbook_parts(std::move(bomb))));
  CHECK_THAT(why, Catch::Contains("inflates to more than the 10000 bytes its directory entry declares"));
}

TEST_CASE("the inflated size of one part and of all parts read is bounded") {
  ReaderLimits lim;
  lim.part_bytes = 4 << 20;
  CHECK_THAT(refusal(zip(workbook_parts(zeros_bomb("xl/worksheets/sheet1.xml", 8))), lim),
             Catch::Contains("more than the 4 MiB read of one part"));
  lim = {};
  lim.total_bytes = 4 << 20;
  CHECK_THAT(refusal(zip(workbook_parts(zeros_bomb("xl/worksheets/sheet1.xml", 8))), lim),
             Catch::Contains("the parts read declare more than 4 MiB inflated"));
}

TEST_CASE("a zip of too many parts is refused from its directory") {
  auto parts = workbook_parts(deflated("xl/worksheets/sheet1.xml", sheet({})));
  for (int i = 0; i < 5000; ++i)
    parts.push_back(stored("x/" + std::to_string(i), ""));
  CHECK_THAT(refusal(zip(parts)), Catch::Contains("has 5003 parts, more than the 4096 read"));
}

TEST_CASE("rows, cells and cell text are bounded") {
  std::vector<std::vector<std::string>> rows(20, {"CI001:8882001:A1", "Explained", "x"});
  ReaderLimits lim;
  lim.rows = 10;
  CHECK_THAT(refusal(zip(workbook_parts(deflated("xl/worksheets/sheet1.xml", sheet(rows)))), lim),
             Catch::Contains("has more than 10 rows"));
  const std::string huge(200'000, 'x');
  CHECK_THAT(refusal(zip(workbook_parts(deflated("xl/worksheets/sheet1.xml", sheet({{"id", "Explained", huge}}))))),
             Catch::Contains("a cell longer than Excel's 32,767 characters"));
}

TEST_CASE("a document type declaration (entity expansion) is refused") {
  const std::string x = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
                        "<worksheet xmlns=\"" +
                        ns_main + "\"><sheetData/></worksheet>";
  CHECK_THAT(refusal(zip(workbook_parts(deflated("xl/worksheets/sheet1.xml", x)))),
             Catch::Contains("document type declaration"));
}

TEST_CASE("not a zip, a damaged part, an encrypted part: refused with the reason") {
  CHECK_THAT(refusal("not a zip at all, just text that is long enough"), Catch::Contains("not an .xlsx workbook"));
  Part p = deflated("xl/worksheets/sheet1.xml", sheet({}));
  p.crc ^= 1;
  CHECK_THAT(refusal(zip(workbook_parts(p))), Catch::Contains("CRC-32 does not match"));
}

TEST_CASE("a Comment is text: control characters removed, length capped, a formula stays text") {
  const std::string formula = "=HYPERLINK(\"http://example.invalid\",\"Click\")";
  const std::string long_comment(5000, 'y');
  const auto wb = read(zip(workbook_parts(deflated(
      "xl/worksheets/sheet1.xml", sheet({{"CI001:8882001:A1", "Explained", formula + "\x7f\xc2\x85 line\nbreak&#x9;"},
                                         {"CI001:8882001:A2", "Explained", long_comment},
                                         {"CI001:8882001:A3", "Explained",
                                          "\xe2\x80\xae"
                                          "evil\xef\xbb\xbf"}})))));
  REQUIRE(wb.responses.size() == 3);
  CHECK(wb.responses[0].comment == formula + " line break"); // DEL and C1 gone, spaces made single
  CHECK_FALSE(wb.responses[0].comment_cut);
  CHECK(wb.responses[1].comment.size() == 2000);
  CHECK(wb.responses[1].comment_cut);
  CHECK(wb.responses[2].comment == "evil"); // the bidi override and the BOM gone
}

TEST_CASE("a formula cell is read as its value, never as its formula") {
  const std::string x = "<worksheet xmlns=\"" + ns_main + "\"><sheetData><row r=\"1\">" +
                        inline_cell("A1", "Finding id") + inline_cell("B1", "Response") + inline_cell("C1", "Comment") +
                        "</row><row r=\"2\">" + inline_cell("A2", "CI001:8882001:A1") + inline_cell("B2", "Explained") +
                        "<c r=\"C2\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c></row></sheetData></worksheet>";
  const auto wb = read(zip(workbook_parts(deflated("xl/worksheets/sheet1.xml", x))));
  REQUIRE(wb.responses.size() == 1);
  CHECK(wb.responses[0].comment == "ab");
}

TEST_CASE("the reply check: only censusqa's line parses, the code depends on the run's secret, inputs and school") {
  const std::string secret = report::new_reply_secret();
  CHECK(secret.size() == 64);
  CHECK(secret != report::new_reply_secret());
  const std::vector<std::pair<std::string, std::string>> inputs{{"census/a.xml", "aa"}, {"census/b.xml", "bb"}};
  const std::string key = report::reply_key(secret, inputs);
  const std::string code = report::reply_code(key, "8882001");
  CHECK(code.size() == 32);
  CHECK(code != report::reply_code(key, "8882002"));
  CHECK(code !=
        report::reply_code(report::reply_key(secret, {{"census/a.xml", "aa"}, {"census/b.xml", "bc"}}), "8882001"));
  // What a school sees (the inputs and their hashes, in its profile's properties) does not make the code.
  CHECK(code != report::reply_code(report::unkeyed_reply_key(inputs), "8882001"));
  CHECK(code != report::reply_code(report::reply_key(report::new_reply_secret(), inputs), "8882001"));
  const auto line = report::reply_check_line("8882001", code);
  const auto parsed = report::parse_reply_check(line);
  REQUIRE(parsed);
  CHECK(parsed->laestab == "8882001");
  CHECK(parsed->code == code);
  CHECK_FALSE(report::parse_reply_check(line + "0"));
  CHECK_FALSE(report::parse_reply_check(report::reply_check_line("888200X", code)));
  CHECK_FALSE(report::parse_reply_check(report::reply_check_line("8882001", std::string(32, 'G'))));
  CHECK(report::same_code(code, code));
  CHECK_FALSE(report::same_code(code, report::reply_code(key, "8882002")));
}
