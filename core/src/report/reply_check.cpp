// See reply_check.hpp.
#include "reply_check.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <stdexcept>

namespace censusqa::report {
namespace {

constexpr std::string_view prefix = "Reply check (keep this line): LAEstab ";
constexpr std::string_view middle = ", code ";
constexpr std::size_t code_digits = 32;

Poco::DigestEngine::Digest sha256(std::string_view a, std::string_view b = {}) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(a.data(), a.size());
  sha.update(b.data(), b.size());
  return sha.digest();
}

std::string_view as_text(const Poco::DigestEngine::Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

} // namespace

std::string new_reply_secret() {
  std::array<unsigned char, 32> bytes{};
  for (std::size_t got = 0; got < bytes.size();) {
    const ssize_t n = ::getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("the system gave no random bytes for the run's reply secret (getrandom)");
    got += static_cast<std::size_t>(n);
  }
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(bytes.begin(), bytes.end()));
}

namespace {
std::string key_of(std::string text, const std::vector<std::pair<std::string, std::string>>& inputs) {
  for (const auto& [path, hash] : inputs) {
    text += path;
    text += '\0';
    text += hash;
    text += '\n';
  }
  return std::string(as_text(sha256(text)));
}
} // namespace

std::string reply_key(std::string_view secret, const std::vector<std::pair<std::string, std::string>>& inputs) {
  return key_of("censusqa reply key 2\n" + std::string(secret) + "\n", inputs);
}

std::string unkeyed_reply_key(const std::vector<std::pair<std::string, std::string>>& inputs) {
  return key_of("censusqa reply key 1\n", inputs);
}

std::string reply_code(const std::string& key, std::string_view laestab) {
  // HMAC (RFC 2104) over SHA-256: the key is 32 bytes, below the 64-byte block.
  std::array<char, 64> inner{}, outer{};
  for (std::size_t i = 0; i < inner.size(); ++i) {
    const char k = i < key.size() ? key[i] : '\0';
    inner[i] = static_cast<char>(k ^ 0x36);
    outer[i] = static_cast<char>(k ^ 0x5c);
  }
  const std::string message = "censusqa reply 1\n" + std::string(laestab);
  const auto h = sha256(std::string_view(inner.data(), inner.size()), message);
  const auto mac = sha256(std::string_view(outer.data(), outer.size()), as_text(h));
  return Poco::DigestEngine::digestToHex(mac).substr(0, code_digits);
}

std::string reply_check_line(std::string_view laestab, std::string_view code) {
  return std::string(prefix) + std::string(laestab) + std::string(middle) + std::string(code);
}

std::optional<ReplyCheck> parse_reply_check(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  if (text.size() != prefix.size() + 7 + middle.size() + code_digits || !text.starts_with(prefix)) return std::nullopt;
  ReplyCheck c{std::string(text.substr(prefix.size(), 7)), std::string(text.substr(prefix.size() + 7 + middle.size()))};
  if (text.substr(prefix.size() + 7, middle.size()) != middle) return std::nullopt;
  for (const char ch : c.laestab)
    if (ch < '0' || ch > '9') return std::nullopt;
  for (const char ch : c.code)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return std::nullopt;
  return c;
}

bool same_code(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

} // namespace censusqa::report
