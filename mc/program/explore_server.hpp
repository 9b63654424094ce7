// `explore`'s web server (Boost.Beast): the explorer's page and its JSON API over one ExploreSession, on loopback
// unless told otherwise, refusing foreign Host and Origin headers, bounded in connections, request sizes and paths.
#pragma once

#include "mc/program/explore_session.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>

namespace mc::program {

struct ExploreServerOptions {
  std::string listen = "127.0.0.1";  ///< the address to bind; another than loopback only when asked for
  unsigned short port = 0;           ///< 0: a free port
  nlohmann::json model;              ///< program, protocol, params, faults: sent with the session's model_info
  ExplorePath start{0};              ///< where the page opens (`--trace`: the trace's last state)
  unsigned max_connections = 32;     ///< beyond these, requests are answered 503
  unsigned threads = 4;              ///< requests served at once
  std::size_t max_body = std::size_t{64} << 20;  ///< an uploaded trace file's bytes
};

/// Serves until `stop` is set (SIGINT); `on_listening(url)` once the socket is bound ("http://127.0.0.1:PORT/").
/// Throws UsageError when it cannot listen there.
void serve_explorer(const ExploreSession& session, const ExploreServerOptions& options, const std::atomic<bool>& stop,
                    const std::function<void(const std::string& url)>& on_listening);

/// The page the server sends for `/` (explore_page.cpp): it draws with the trace page's script.
std::string explore_page();

}  // namespace mc::program
