// censusqa-gen: the command line (options, checks, help); the generator is in generator.hpp.
#include "generator.hpp"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace censusqa;
using censusqa::gen::Generator;
using censusqa::gen::Options;

int main(int argc, char** argv) {
  po::options_description o("censusqa-gen: write a synthetic LA folder with known defects\n\nOptions");
  std::string ref, out;
  Options opt;
  o.add_options()("help,h", "show this help")("schools", po::value<int>(&opt.schools)->default_value(10),
                                              "number of schools")(
      "pupils", po::value<int>(&opt.pupils)->default_value(3000), "number of pupils (before dual registrations)")(
      "seed", po::value<std::uint64_t>(&opt.seed)->default_value(1), "random seed; the same seed gives the same files")(
      "out,o", po::value<std::string>(&out),
      "output LA folder (required)")("la", po::value<std::string>(&opt.la)->default_value("888"), "3-digit LA number")(
      "la-name", po::value<std::string>(&opt.la_name)->default_value("Sampleshire (generated)"),
      "LA name")("defect-rate", po::value<double>(&opt.defect_rate)->default_value(0.01),
                 "share of pupils given an injected defect (0 for clean data)")(
      "census-format", po::value<std::string>(&opt.format)->default_value("xml"),
      "xml (one file per school, as MIS software writes it) or csv (pupils.csv and its tables: exclusions, FSM "
      "periods, attendance, session details, school-arranged AP)")(
      "reference-date", po::value<std::string>(&ref)->default_value("2025-01-16"), "census reference date")(
      "ehc-source", po::value<std::string>(&opt.ehc_source)->default_value("both"),
      "where the EHC cases go: csv (ehcp_cases.csv), sen2 (sen2/sen2_<year>.xml, the LA's SEN2 return as the DfE's "
      "schema lays it out) or both (the run reads sen2/ and reports the CSV as not read)")(
      "ap-source", po::value<std::string>(&opt.ap_source)->default_value("both"),
      "where the AP placements go: csv (ap_placements.csv) or both (also ap_census/ap_census_<year>.xml, the LA's "
      "AP census return with each pupil's latest placement; censusqa.json then says ap_placements_from: csv, since "
      "the CSV carries the planned ends, reviews and destinations the AP census does not)")(
      "term", po::value<std::string>(&opt.term)->default_value("SPR"), "census term: AUT, SPR, SUM")(
      "term-changes", po::value<int>(&opt.term_changes)->default_value(0),
      "make a later term of the LA generated with the same seed and options for another term of the academic "
      "year: this many pupil defects fixed (fewer when the LA has too few to keep one of each kind) and as many "
      "new ones (listed in truth.json)");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, o), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << o
                << "\nWrites schools.csv, census/, previous/, censusqa.json and truth.json (every injected defect and\n"
                   "the rule that must report it, and each school's expected figures); tools/censusqa-gen/SHAPE.md\n"
                   "describes the census files.\nExample: censusqa-gen --schools 10 --pupils 3000 --seed 1 --out "
                   "examples/sampleshire\n";
      return 0;
    }
    if (out.empty()) throw po::error("--out DIR is required");
    if (opt.schools < 1 || opt.pupils < 1) throw po::error("--schools and --pupils must be at least 1");
    if (opt.la.size() != 3 || opt.la.find_first_not_of("0123456789") != std::string::npos)
      throw po::error("--la must be 3 digits");
    if (opt.format != "xml" && opt.format != "csv") throw po::error("--census-format must be xml or csv");
    if (opt.ehc_source != "csv" && opt.ehc_source != "sen2" && opt.ehc_source != "both")
      throw po::error("--ehc-source must be csv, sen2 or both");
    if (opt.ap_source != "csv" && opt.ap_source != "both") throw po::error("--ap-source must be csv or both");
    if (!parse_term(opt.term)) throw po::error("--term must be AUT, SPR or SUM");
    const auto d = Date::parse(ref);
    if (!d) throw po::error("--reference-date must be a date as YYYY-MM-DD");
    opt.reference_date = *d;
    opt.out = out;
    Generator(opt).run();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "censusqa-gen: " << e.what() << "\nRun 'censusqa-gen --help' for the options.\n";
    return 2;
  }
}
