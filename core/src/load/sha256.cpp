// OpenSSL's SHA-256 through Poco::Crypto: several times faster than Poco's portable one (it uses the
// CPU's SHA instructions).
//
// Poco::Crypto keeps OpenSSL set up while any of its objects lives (a reference count) and tears it
// down when the last one goes: with one DigestEngine per file on several threads, the count fell to
// zero on one thread while another was setting up again, and the run crashed in
// OpenSSLInitializer::uninitialize (seen on the national benchmark, about one run in three). Poco's
// advice is to initialise once at start-up; here the first hash does it, once for the process, and it
// is never undone while threads may still hash.
#include "sha256.hpp"

#include <Poco/Crypto/Crypto.h>
#include <Poco/Crypto/DigestEngine.h>
#include <Poco/DigestEngine.h>

#include <algorithm>
#include <fstream>
#include <vector>

namespace censusqa::load {
namespace {
void crypto_once() {
  static const bool initialised = [] {
    Poco::Crypto::initializeCrypto();
    return true;
  }();
  (void)initialised;
}
} // namespace

std::string sha256_hex(const char* data, std::size_t size) {
  crypto_once();
  Poco::Crypto::DigestEngine sha("SHA256");
  // The digest takes the length as an unsigned int: a huge buffer goes in 64 MB slices.
  constexpr std::size_t slice = std::size_t{1} << 26;
  for (std::size_t at = 0; at < size; at += slice)
    sha.update(data + at, static_cast<unsigned>(std::min(slice, size - at)));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  crypto_once();
  Poco::Crypto::DigestEngine sha("SHA256");
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) sha.update(buf.data(), static_cast<unsigned>(in.gcount()));
  }
  return Poco::DigestEngine::digestToHex(sha.digest());
}

} // namespace censusqa::load
