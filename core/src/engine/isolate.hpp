// Isolation: a plugin's run in a child process, so that a plugin that crashes (a segfault, an abort)
// or hangs cannot take the host down. The child runs the plugin into a BufferSink and sends it back
// through a pipe as JSON; the parent reads it as it comes, rebuilds the sink, or reports how the child
// died. A child still running at the time limit is killed with its process group (any process the
// plugin started too).
#pragma once

#include "buffer_sink.hpp"

#include <chrono>
#include <functional>
#include <string>

namespace censusqa::engine {

/// Runs `body` in a forked child, for at most `limit`. On return `into` holds what the child collected.
/// The result is empty on success, else why the plugin failed ("crashed with signal 11 (Segmentation
/// fault)", "threw: ...", "did not finish within 600 s and was stopped (...)").
std::string run_isolated(const std::function<void(BufferSink&)>& body, BufferSink& into,
                         std::chrono::seconds limit = std::chrono::seconds{600});

/// The sink as JSON and back (what crosses the pipe).
std::string encode(const BufferSink& sink, const std::string& failure);
std::string decode(const std::string& text, BufferSink& into); ///< returns the failure text

} // namespace censusqa::engine
