// censusqa SDK: version numbers. A plugin is built against one SDK major version and the
// host refuses a plugin whose major version differs from its own.
#pragma once

/// The SDK major version. Bumped on any change to the plugin ABI (a struct layout, a virtual
/// function, the meaning of a field). Plugins built against another major are refused.
#define CENSUSQA_SDK_VERSION_MAJOR 9
/// The SDK minor version. Bumped on additions that keep existing plugins working.
#define CENSUSQA_SDK_VERSION_MINOR 2
/// The censusqa release this SDK ships with.
#define CENSUSQA_VERSION_STRING "0.1.0"

namespace censusqa {
/// The SDK major version this translation unit was compiled against.
inline constexpr int sdk_version_major = CENSUSQA_SDK_VERSION_MAJOR;
/// The SDK minor version this translation unit was compiled against.
inline constexpr int sdk_version_minor = CENSUSQA_SDK_VERSION_MINOR;
/// The censusqa release string.
inline constexpr const char* version_string = CENSUSQA_VERSION_STRING;
} // namespace censusqa
