// --isolate: a plugin's run in a child process, so that a plugin that crashes (a segfault, an
// abort) cannot take the host down. The child runs the plugin into a BufferSink and sends it back
// through a pipe as JSON; the parent rebuilds the sink, or reports how the child died.
#pragma once

#include "buffer_sink.hpp"

#include <functional>
#include <string>

namespace censusqa::engine {

/// Runs `body` in a forked child. On return `into` holds what the child collected. The result is
/// empty on success, else why the plugin failed ("crashed with signal 11 (Segmentation fault)",
/// "threw: ...").
std::string run_isolated(const std::function<void(BufferSink&)>& body, BufferSink& into);

/// The sink as JSON and back (what crosses the pipe).
std::string encode(const BufferSink& sink, const std::string& failure);
std::string decode(const std::string& text, BufferSink& into); ///< returns the failure text

} // namespace censusqa::engine
