// UdpCluster on Boost.Asio: an io_context, a socket and its timers per node, each node's loop on its own thread.
#include "mc/run/udp_cluster.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <array>
#include <map>
#include <stdexcept>
#include <thread>

namespace mc::run {

namespace asio = boost::asio;
using udp = asio::ip::udp;

namespace {
constexpr std::size_t max_datagram = 65507;
}

struct UdpCluster::Impl {
  struct Node {
    asio::io_context io;
    udp::socket socket{io};
    std::map<unsigned, std::unique_ptr<asio::steady_timer>> timers;
    std::array<std::uint8_t, max_datagram> buffer{};
    udp::endpoint sender;
    NodeHooks hooks;
  };
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<udp::endpoint> endpoints;

  void receive(std::size_t n) {
    Node& node = *nodes[n];
    node.socket.async_receive_from(asio::buffer(node.buffer), node.sender,
                                   [this, n](const boost::system::error_code& ec, std::size_t size) {
                                     if (ec == asio::error::operation_aborted) return;
                                     Node& me = *nodes[n];
                                     if (!ec && size >= 1 && me.buffer[0] < nodes.size() &&
                                         me.sender == endpoints[me.buffer[0]])  // only our own nodes' datagrams
                                       me.hooks.receive(me.buffer[0], me.buffer.data() + 1, size - 1);
                                     receive(n);
                                   });
  }
};

UdpCluster::UdpCluster(std::size_t nodes) : impl_(std::make_unique<Impl>()) {
  if (nodes > 250) throw std::invalid_argument("UdpCluster: at most 250 nodes");
  for (std::size_t n = 0; n < nodes; ++n) {
    auto node = std::make_unique<Impl::Node>();
    node->socket.open(udp::v4());
    node->socket.bind(udp::endpoint(asio::ip::address_v4::loopback(), 0));  // loopback only, a free port
    node->socket.set_option(asio::socket_base::receive_buffer_size(1 << 20));
    impl_->endpoints.push_back(node->socket.local_endpoint());
    impl_->nodes.push_back(std::move(node));
  }
}

UdpCluster::~UdpCluster() = default;

std::size_t UdpCluster::size() const { return impl_->nodes.size(); }

std::uint16_t UdpCluster::port(std::size_t node) const { return impl_->endpoints.at(node).port(); }

void UdpCluster::send(std::size_t from, std::size_t to, const std::vector<std::uint8_t>& payload) {
  if (payload.size() + 1 > max_datagram) throw std::length_error("a message does not fit in one datagram");
  std::vector<std::uint8_t> datagram;
  datagram.reserve(payload.size() + 1);
  datagram.push_back(static_cast<std::uint8_t>(from));
  datagram.insert(datagram.end(), payload.begin(), payload.end());
  boost::system::error_code ec;  // loopback: a full buffer is the only failure, and then the datagram is lost
  impl_->nodes.at(from)->socket.send_to(asio::buffer(datagram), impl_->endpoints.at(to), 0, ec);
}

void UdpCluster::arm(std::size_t node, unsigned timer, std::chrono::milliseconds after, std::uint64_t generation) {
  Impl::Node& n = *impl_->nodes.at(node);
  auto& t = n.timers[timer];
  if (!t) t = std::make_unique<asio::steady_timer>(n.io);
  t->expires_after(after);
  t->async_wait([&n, timer, generation](const boost::system::error_code& ec) {
    if (!ec) n.hooks.timeout(timer, generation);
  });
}

void UdpCluster::cancel(std::size_t node, unsigned timer) {
  Impl::Node& n = *impl_->nodes.at(node);
  if (auto it = n.timers.find(timer); it != n.timers.end()) it->second->cancel();
}

void UdpCluster::post(std::size_t node, std::function<void()> f) {
  asio::post(impl_->nodes.at(node)->io, std::move(f));
}

std::chrono::milliseconds UdpCluster::run(std::vector<NodeHooks> hooks, std::chrono::milliseconds duration,
                                          const std::function<bool(std::chrono::milliseconds)>& controller,
                                          const std::atomic<bool>& stop) {
  using clock = std::chrono::steady_clock;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (std::size_t n = 0; n < impl_->nodes.size(); ++n) {
    impl_->nodes[n]->hooks = std::move(hooks.at(n));
    guards.push_back(asio::make_work_guard(impl_->nodes[n]->io));
    impl_->receive(n);
  }
  std::vector<std::thread> loops;
  for (auto& node : impl_->nodes) loops.emplace_back([&io = node->io] { io.run(); });
  const auto start = clock::now();
  auto elapsed = std::chrono::milliseconds(0);
  while (elapsed < duration && !stop.load()) {
    if (!controller(elapsed)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
  }
  for (auto& node : impl_->nodes) node->io.stop();
  for (auto& t : loops) t.join();
  for (auto& node : impl_->nodes) {  // a later run must not see this one's handlers
    boost::system::error_code ignored;
    node->socket.cancel(ignored);
    node->timers.clear();
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
}

}  // namespace mc::run
