// censusqa SDK: the plugin descriptor, read by the host before any of the plugin's code runs (the
// idea of PostgreSQL's module magic block). It says which SDK, compiler and C++ standard library the
// plugin was built with; the host refuses a plugin it cannot safely call, naming the file, what the
// plugin was built with and what the host expects. CENSUSQA_PLUGIN (plugin.hpp) writes it.
#pragma once

#include <censusqa/version.hpp>

#include <cstdint>

namespace censusqa {

/// The descriptor's layout never changes: it is how the host tells layouts apart.
struct PluginDescriptor {
  std::uint32_t magic;     ///< plugin_magic
  std::uint32_t size;      ///< sizeof(PluginDescriptor)
  std::int32_t sdk_major;  ///< CENSUSQA_SDK_VERSION_MAJOR the plugin was built with
  std::int32_t sdk_minor;  ///< CENSUSQA_SDK_VERSION_MINOR the plugin was built with
  char compiler[32];       ///< "gcc 12", "clang 14"
  char stdlib[32];         ///< "libstdc++ 12", "libc++ 160000"
  char plugin_id[64];      ///< the plugin's id, as its info() gives it
  char plugin_version[32]; ///< the plugin's version, as its info() gives it
};

inline constexpr std::uint32_t plugin_magic = 0x31505143; // "CQP1"

namespace detail {
#define CENSUSQA_STR2(x) #x
#define CENSUSQA_STR(x) CENSUSQA_STR2(x)
#if defined(__clang__)
inline constexpr char compiler_id[] = "clang " CENSUSQA_STR(__clang_major__);
#elif defined(__GNUC__)
inline constexpr char compiler_id[] = "gcc " CENSUSQA_STR(__GNUC__);
#elif defined(_MSC_VER)
inline constexpr char compiler_id[] = "msvc " CENSUSQA_STR(_MSC_VER);
#else
inline constexpr char compiler_id[] = "unknown";
#endif
} // namespace detail
} // namespace censusqa

// The standard library's id needs one of its headers to be included first.
#include <cstddef>
namespace censusqa::detail {
#if defined(_LIBCPP_VERSION)
inline constexpr char stdlib_id[] = "libc++ " CENSUSQA_STR(_LIBCPP_VERSION);
#elif defined(_GLIBCXX_RELEASE)
inline constexpr char stdlib_id[] = "libstdc++ " CENSUSQA_STR(_GLIBCXX_RELEASE);
#else
inline constexpr char stdlib_id[] = "unknown";
#endif
/// Copies a text into a descriptor field, truncated and NUL-terminated.
template <std::size_t N> constexpr void copy_text(char (&to)[N], const char* from) {
  std::size_t i = 0;
  for (; from && from[i] && i + 1 < N; ++i)
    to[i] = from[i];
  to[i] = 0;
}
} // namespace censusqa::detail
