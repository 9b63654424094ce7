// `explore`'s web server: Boost.Beast over Asio, a few threads answering requests, one bounded search at a time.
// Every request is checked before it is answered: its Host must name this server by an IP literal or localhost
// (a DNS-rebinding page names its own domain), its Origin, when sent, this server; its path and body are bounded.
#include "mc/program/explore_server.hpp"

#include "mc/program/params.hpp"
#include "mc/program/render.hpp"
#include "mc/program/trace_file.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace mc::program {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Request = http::request<http::string_body>;

struct Reply {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
};

Reply json_reply(const nlohmann::json& j, http::status status = http::status::ok) {
  // A request's own bytes echoed in a message may not be UTF-8: replaced, never an exception.
  return {status, "application/json", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

Reply error_reply(http::status status, const std::string& message) {
  return json_reply({{"error", message}}, status);
}

/// A request that cannot be answered as asked: its status and why.
struct BadRequest {
  http::status status;
  std::string message;
};

/// The one search a server runs at a time, in a thread of its own, cancellable, its progress readable meanwhile.
class SearchJob {
 public:
  ~SearchJob() { cancel_and_join(); }

  /// False when a search is already running.
  bool start(const ExploreSession& session, ExplorePath from, SearchLimits limits) {
    std::lock_guard lock(mutex_);
    if (running_) return false;
    if (worker_.joinable()) worker_.join();
    running_ = true;
    cancel_ = false;
    progress_.states = 0, progress_.depth = 0;
    from_ = from;
    limits_ = limits;
    result_.reset();
    started_ = std::chrono::steady_clock::now();
    worker_ = std::thread([this, &session, from = std::move(from), limits] {
      SearchOutcome out;
      try {
        out = session.search(from, limits, cancel_, progress_);
      } catch (const std::exception& e) {
        out.stop_reason = fmt::format("error: {}", e.what());
      }
      std::lock_guard done(mutex_);
      result_ = std::move(out);
      running_ = false;
    });
    return true;
  }

  void cancel() { cancel_ = true; }

  void cancel_and_join() {
    cancel_ = true;
    std::thread worker;
    {
      std::lock_guard lock(mutex_);
      worker.swap(worker_);
    }
    if (worker.joinable()) worker.join();
  }

  nlohmann::json status() const {
    std::lock_guard lock(mutex_);
    nlohmann::json j{{"state", running_ ? "running" : result_ ? "done" : "idle"}};
    if (!running_ && !result_) return j;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    j["from"] = from_;
    j["limits"] = {{"depth", limits_.max_depth}, {"states", limits_.max_states}, {"seconds", limits_.seconds}};
    j["states"] = progress_.states.load(), j["depth"] = progress_.depth.load(), j["seconds"] = seconds;
    if (result_) {
      j["states"] = result_->states, j["depth"] = result_->depth, j["seconds"] = result_->seconds;
      j["result"] = {{"found", result_->found}, {"complete", result_->complete}};
      if (result_->found) j["result"]["property"] = result_->property, j["result"]["path"] = result_->path;
      else if (!result_->complete) j["result"]["stop_reason"] = result_->stop_reason;
    }
    return j;
  }

 private:
  mutable std::mutex mutex_;
  std::thread worker_;
  std::atomic<bool> cancel_{false};
  SearchProgress progress_;
  bool running_ = false;
  ExplorePath from_;
  SearchLimits limits_;
  std::optional<SearchOutcome> result_;
  std::chrono::steady_clock::time_point started_;
};

/// %XX and '+' decoded; a malformed escape is a bad request.
std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      unsigned v = 0;
      if (i + 2 >= text.size() ||
          std::from_chars(text.data() + i + 1, text.data() + i + 3, v, 16).ptr != text.data() + i + 3)
        throw BadRequest{http::status::bad_request, "malformed %-escape in the query"};
      out += static_cast<char>(v);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};

Target split_target(std::string_view target) {
  Target t;
  const auto q = target.find('?');
  t.path = std::string(target.substr(0, q));
  if (q == std::string_view::npos) return t;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    const std::string key = percent_decode(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    if (!key.empty() && !t.query.emplace(key, value).second)
      throw BadRequest{http::status::bad_request, fmt::format("query parameter '{}' given twice", key)};
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return t;
}

/// The query parameters `allowed`, each at most once: any other is a bad request.
void only(const Target& t, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : t.query)
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      throw BadRequest{http::status::bad_request, fmt::format("unknown query parameter '{}'", key)};
}

/// "0.3.1" (or "0,3,1"): an initial state's index, then each successor's.
ExplorePath parse_path(const Target& t) {
  const auto it = t.query.find("path");
  if (it == t.query.end()) throw BadRequest{http::status::bad_request, "missing query parameter 'path' (e.g. path=0)"};
  const std::string& text = it->second;
  ExplorePath path;
  std::size_t i = 0;
  while (true) {
    std::uint32_t v = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
    if (ec != std::errc())
      throw BadRequest{http::status::bad_request,
                       fmt::format("path: expected a step number at character {} of '{}'", i + 1, text.substr(0, 80))};
    path.push_back(v);
    if (path.size() > max_explore_path)
      throw BadRequest{http::status::bad_request, fmt::format("path: more than {} steps", max_explore_path - 1)};
    i = static_cast<std::size_t>(end - text.data());
    if (i == text.size()) break;
    if (text[i] != '.' && text[i] != ',')
      throw BadRequest{http::status::bad_request, fmt::format("path: unexpected '{}' at character {}", text[i], i + 1)};
    ++i;
  }
  return path;
}

std::uint64_t parse_count(const Target& t, const std::string& key, std::uint64_t fallback, std::uint64_t most) {
  const auto it = t.query.find(key);
  if (it == t.query.end()) return fallback;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || v == 0 || v > most)
    throw BadRequest{http::status::bad_request, fmt::format("{}: expected a whole number from 1 to {}", key, most)};
  return v;
}

/// Whether `host` (a Host header) names this server: localhost or an IP literal, with this port.
bool names_this_server(std::string_view host, unsigned short port) {
  std::string_view name, port_text;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    name = host.substr(1, close - 1);
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return false;
    port_text = rest.empty() ? "80" : rest.substr(1);
  } else {
    const auto colon = host.rfind(':');
    name = host.substr(0, colon);
    port_text = colon == std::string_view::npos ? "80" : host.substr(colon + 1);
  }
  if (port_text != std::to_string(port)) return false;
  if (name == "localhost") return true;
  boost::system::error_code ec;
  (void)net::ip::make_address(std::string(name), ec);
  return !ec;
}

/// The API: each handler returns its reply or throws BadRequest / PathError / UsageError (a 4xx).
class Api {
 public:
  Api(const ExploreSession& session, const ExploreServerOptions& o) : session_(session), options_(o) {
    model_ = o.model;
    model_.update(session.model_info());
    model_["start"] = o.start;
  }

  void set_port(unsigned short port) { port_ = port; }
  void stop_search() { search_.cancel_and_join(); }

  Reply answer(const Request& req) {
    try {
      check_origin(req);
      const Target t = split_target(std::string_view(req.target().data(), req.target().size()));
      const auto method = req.method();
      const auto get = [&] {
        if (method != http::verb::get && method != http::verb::head)
          throw BadRequest{http::status::method_not_allowed, fmt::format("{} takes GET", t.path)};
      };
      const auto post = [&] {
        if (method != http::verb::post)
          throw BadRequest{http::status::method_not_allowed, fmt::format("{} takes POST", t.path)};
      };
      if (t.path == "/" || t.path == "/index.html") {
        get();
        only(t, {});
        return {http::status::ok, "text/html; charset=utf-8", explore_page()};
      }
      if (t.path == "/api/model") {
        get();
        only(t, {});
        return json_reply(model_);
      }
      if (t.path == "/api/state" || t.path == "/api/successors") {
        get();
        only(t, {"path"});
        const ExplorePath path = parse_path(t);
        return json_reply(t.path == "/api/state" ? session_.state(path) : session_.successors(path));
      }
      if (t.path == "/api/trace") {
        post();
        only(t, {});
        return json_reply({{"path", path_of_upload(req.body())}});
      }
      if (t.path == "/api/search") {
        if (method != http::verb::post) {
          get();
          only(t, {});
          return json_reply(search_.status());
        }
        only(t, {"path", "depth", "states", "seconds"});
        const ExplorePath from = parse_path(t);
        session_.state(from);  // a bad path is refused now, not by the search's thread
        SearchLimits limits;
        limits.max_depth = parse_count(t, "depth", limits.max_depth, 1000);
        limits.max_states = parse_count(t, "states", limits.max_states, std::uint64_t{50'000'000});
        limits.seconds = static_cast<double>(parse_count(t, "seconds", 60, 3600));
        if (!search_.start(session_, from, limits))
          throw BadRequest{http::status::conflict, "a search is running: cancel it first (POST /api/search/cancel)"};
        return json_reply(search_.status(), http::status::accepted);
      }
      if (t.path == "/api/search/cancel") {
        post();
        only(t, {});
        search_.cancel();
        return json_reply(search_.status());
      }
      return error_reply(http::status::not_found, fmt::format("no such page or API: {}", t.path.substr(0, 200)));
    } catch (const BadRequest& e) {
      return error_reply(e.status, e.message);
    } catch (const PathError& e) {
      return error_reply(http::status::bad_request, e.what());
    } catch (const UsageError& e) {
      return error_reply(http::status::bad_request, e.what());
    } catch (const std::exception& e) {  // the model's own failure (e.g. it throws): this request fails, not the server
      return error_reply(http::status::internal_server_error, fmt::format("internal error: {}", e.what()));
    }
  }

 private:
  void check_origin(const Request& req) const {
    const std::string host(req[http::field::host].data(), req[http::field::host].size());
    if (!names_this_server(host, port_))
      throw BadRequest{http::status::forbidden,
                       fmt::format("refused: the Host header '{}' does not name this server (127.0.0.1:{} or "
                                   "localhost:{})", host.substr(0, 100), port_, port_)};
    const auto origin = req[http::field::origin];
    if (!origin.empty() && std::string(origin.data(), origin.size()) != "http://" + host)
      throw BadRequest{http::status::forbidden, "refused: a request from another origin"};
  }

  ExplorePath path_of_upload(const std::string& body) const {
    const TraceFile t = parse_trace_file(body, "the uploaded trace");
    const auto& protocol = options_.model.value("protocol", std::string());
    if (t.protocol != protocol)
      throw BadRequest{http::status::bad_request,
                       fmt::format("the uploaded trace is of {}, this explorer shows {}", t.protocol, protocol)};
    const nlohmann::json params = options_.model.value("params", nlohmann::json::object());
    if (t.doc.contains("params") && t.doc["params"] != params)
      throw BadRequest{http::status::bad_request,
                       fmt::format("the uploaded trace has the parameters {}, this explorer {}", t.doc["params"].dump(),
                                   params.dump())};
    if (t.faults && options_.model.contains("faults") && *t.faults != options_.model["faults"])
      throw BadRequest{http::status::bad_request,
                       fmt::format("the uploaded trace was found under the faults {}, this explorer explores {}",
                                   *t.faults, options_.model["faults"].get<std::string>())};
    return session_.path_of_trace(t.steps());
  }

  const ExploreSession& session_;
  const ExploreServerOptions& options_;
  nlohmann::json model_;
  unsigned short port_ = 0;
  SearchJob search_;
};

/// One connection: requests read with bounded headers and body and a deadline, answered in turn (keep-alive).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Api& api, const ExploreServerOptions& o, std::atomic<unsigned>& open)
      : stream_(std::move(socket)), api_(api), options_(o), open_(open) {
    refused_ = open_.fetch_add(1) >= options_.max_connections;
  }
  ~Connection() { open_.fetch_sub(1); }

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(64 * 1024);
    parser_->body_limit(options_.max_body);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return close();
    }
    if (ec) {  // the request itself is malformed: say so, then close (the stream's position is unknown)
      const http::status status = ec == http::error::header_limit ? http::status::request_header_fields_too_large
                                  : ec == http::error::body_limit ? http::status::payload_too_large
                                                                  : http::status::bad_request;
      return send(error_reply(status, "malformed request: " + ec.message()), false, 11);
    }
    const Request& req = parser_->get();
    if (refused_)
      return send(error_reply(http::status::service_unavailable, "too many connections"), false, req.version());
    Reply r = api_.answer(req);
    if (req.method() == http::verb::head) r.body.clear();
    send(std::move(r), req.keep_alive(), req.version());
  }

  void send(Reply r, bool keep_alive, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>(r.status, version);
    res->set(http::field::server, "faultline-explore");
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    // The page runs its own inline script and styles and talks to this server only.
    if (r.content_type.starts_with("text/html"))
      res->set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                                          "img-src 'self' data:; frame-ancestors 'none'");
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    stream_.expires_after(std::chrono::seconds(30));
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Api& api_;
  const ExploreServerOptions& options_;
  std::atomic<unsigned>& open_;
  bool refused_ = false;
};

class Listener {
 public:
  Listener(net::io_context& io, tcp::acceptor& acceptor, Api& api, const ExploreServerOptions& o,
           std::atomic<unsigned>& open)
      : io_(io), acceptor_(acceptor), api_(api), options_(o), open_(open) {}

  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) std::make_shared<Connection>(std::move(socket), api_, options_, open_)->start();
      accept();
    });
  }

 private:
  net::io_context& io_;
  tcp::acceptor& acceptor_;
  Api& api_;
  const ExploreServerOptions& options_;
  std::atomic<unsigned>& open_;
};

}  // namespace

void serve_explorer(const ExploreSession& session, const ExploreServerOptions& options, const std::atomic<bool>& stop,
                    const std::function<void(const std::string& url)>& on_listening) {
  // Declared before the io_context: connections still pending when it is destroyed refer to both.
  Api api(session, options);
  std::atomic<unsigned> open{0};
  net::io_context io;
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.listen, ec);
  if (ec) throw UsageError(fmt::format("--listen: '{}' is not an IP address", options.listen));
  tcp::acceptor acceptor(io);
  const tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw UsageError(fmt::format("cannot listen on {}:{}: {}", options.listen, options.port, ec.message()));
  const unsigned short port = acceptor.local_endpoint().port();
  api.set_port(port);
  Listener listener(io, acceptor, api, options, open);
  listener.accept();

  // Ctrl-C sets `stop`; the server notices within a tenth of a second and ends its search and connections.
  net::steady_timer watch(io);
  std::function<void()> poll = [&] {
    watch.expires_after(std::chrono::milliseconds(100));
    watch.async_wait([&](beast::error_code) {
      if (stop.load()) {
        acceptor.close();
        api.stop_search();
        io.stop();
        return;
      }
      poll();
    });
  };
  poll();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  on_listening(fmt::format("http://{}:{}/", host, port));

  std::vector<std::thread> threads;
  for (unsigned i = 1; i < std::max(1u, options.threads); ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  api.stop_search();
}

}  // namespace mc::program
