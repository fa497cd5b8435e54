// SHA-256 of input files: every census file is hashed on every run, from the same read that parses it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace censusqa::load {

/// Hex SHA-256 of `size` bytes. Safe to call from several threads at once.
std::string sha256_hex(const char* data, std::size_t size);

/// Hex SHA-256 of a file's bytes; empty when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

} // namespace censusqa::load
