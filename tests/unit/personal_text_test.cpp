// may_be_personal: a value a loader could not read is not shown when it may be a name or an address.
#include "load/census_part.hpp"
#include "load/personal_text.hpp"

#include <catch2/catch.hpp>

using censusqa::load::may_be_personal;
using censusqa::load::shown_value;

TEST_CASE("personal text: names and postcodes are not shown") {
  for (const char* t : {"Xylophonides", "Zebedeeson", "SMITH", "Mary Jane", "O'Neil", "Li Na", "Jean-Luc", "Zoë Brontë",
                        "QX77 9QZ", "sw1a1aa", "M1 1AE", " B33 8TH ", "EC1A 1BB"}) {
    INFO(t);
    CHECK(may_be_personal(t));
    CHECK(shown_value(t) == "(not shown: it may be a name or an address)");
  }
}

TEST_CASE("personal text edge: malformed dates, numbers, UPNs and short codes are shown") {
  // The loader's finding should say what was wrong with these: none is a name.
  for (const char* t : {"2016-13-40", "31/02/2024", "1,2,3", "12.5", "A88810011900", "FIXD", "LUNC", "S", "E1", "X",
                        "ASD", "ÿþAS", "", "true1", "A1 1AA1", "12 3AB"}) {
    INFO(t);
    CHECK_FALSE(may_be_personal(t));
    CHECK(shown_value(t) == t);
  }
}

TEST_CASE("personal text: a name in a census field is never kept or shown by the loader") {
  using namespace censusqa;
  using namespace censusqa::load;
  CensusPart part;
  part.returns.push_back({});
  part.pupils.push_back({});
  part.pupils[0].source = {1, 3}; // the pupil's row: a pupil with no UPN is named by it
  const PupilRef ref{false, 0};
  part.set_pupil_field(ref, CensusField::upn, "Xylophonides", {1, 3}, FieldLabel{"upn"});
  part.set_pupil_field(ref, CensusField::dob, "QX77 9QZ", {1, 3}, FieldLabel{"dob"});
  CHECK(part.pupils[0].upn.empty());
  CHECK_FALSE(part.pupils[0].dob);
  REQUIRE(part.report.findings().size() == 2);
  for (const auto& f : part.report.findings()) {
    CHECK(f.message.find("Xylophonides") == std::string::npos);
    CHECK(f.message.find("XYLOPHONIDES") == std::string::npos);
    CHECK(f.message.find("QX77") == std::string::npos);
    CHECK(f.subject.find("line3") == 0);
    for (const auto& [k, v] : f.values)
      CHECK(v.find("QX77") == std::string::npos);
  }
  for (const auto& raw : part.raws)
    CHECK(raw.text == "(not shown: it may be a name or an address)");
}
