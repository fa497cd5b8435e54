// libFuzzer target: the SDK's text parsers: money (pence), dates (ISO and DD/MM/YYYY), UPNs,
// published DfE numbers and the code lists. A parsed value must print back as something that parses
// to the same value.
#include <censusqa/censusqa.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  if (const auto p = censusqa::parse_money(s)) {
    // Printed back as pounds and pence, it must parse to the same number of pence.
    const std::int64_t v = *p;
    const std::uint64_t mag = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    const std::string text =
        (v < 0 ? "-" : "") + std::to_string(mag / 100) + "." + (mag % 100 < 10 ? "0" : "") + std::to_string(mag % 100);
    const auto again = censusqa::parse_money(text);
    if (!again || *again != v) std::abort();
  }
  if (const auto d = censusqa::Date::parse(s)) {
    const auto again = censusqa::Date::parse(d->iso());
    if (!again || *again != *d) std::abort();
  }
  (void)censusqa::parse_published_number(s);
  if (censusqa::upn_valid(s) && !censusqa::upn_well_formed(s)) std::abort();
  (void)censusqa::upn_check_letter(s);
  (void)censusqa::parse_need_type(s);
  (void)censusqa::parse_sen_provision(s);
  return 0;
}
