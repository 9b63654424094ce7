// An implementation of rpc-retry that is not Faultline actors: its own client, server and network, writing the
// event log format `faultline validate` reads (README "Event logs"). Per-node orders only, as separate processes
// would log them. With --wrong its server forgets to look up the idempotency key before applying (a retry is
// applied twice); `faultline validate rpc-retry LOG` names the event where the implementation leaves the design.
//
//   external_rpc [--wrong] LOG    writes one run: the first reply is lost, the client retries, the server replies.
#include <cstdio>
#include <deque>
#include <set>
#include <string>
#include <vector>

namespace {

struct Message {
  bool request;  // Request(key, amount) or Reply(key)
  int key, amount;
  int src, dst;
  std::string text() const {
    return request ? "Request(key=" + std::to_string(key) + ", amount=" + std::to_string(amount) + ")"
                   : "Reply(key=" + std::to_string(key) + ")";
  }
};

/// Each node writes its own lines, numbered by itself (node_seq): no global order.
struct NodeLog {
  int node;
  int seq = 0;
  std::vector<std::string> lines;
  void event(const std::string& fields) {
    lines.push_back("{\"node\":" + std::to_string(node) + ",\"node_seq\":" + std::to_string(seq++) + "," + fields +
                    "}");
  }
  void message(const char* kind, const Message& m, const std::string& state = "") {
    event("\"kind\":\"" + std::string(kind) + "\",\"src\":" + std::to_string(m.src) + ",\"dst\":" +
          std::to_string(m.dst) + ",\"message\":\"" + m.text() + "\"" + (state.empty() ? "" : ",\"state\":" + state));
  }
};

struct Client {
  int next = 0;
  bool done = false;
  std::string state() const {
    return "{\"done\":" + std::string(done ? "true" : "false") + ",\"next\":" + std::to_string(next) + "}";
  }
};

struct Server {
  bool wrong = false;
  int balance = 0;
  std::set<int> applied;
  std::string state() const {
    std::string keys;
    for (int k : applied) keys += (keys.empty() ? "" : ",") + std::to_string(k);
    return "{\"applied\":[" + keys + "],\"balance\":" + std::to_string(balance) + "}";
  }
  Message handle(const Message& req) {
    if (wrong || !applied.count(req.key)) {  // the wrong server skips the lookup: a retry applies again
      balance += req.amount;
      applied.insert(req.key);
    }
    return {false, req.key, 0, 1, req.src};
  }
};

}  // namespace

int main(int argc, char** argv) {
  bool wrong = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--wrong") wrong = true;
    else path = argv[i];
  }
  if (!path) {
    std::fprintf(stderr, "usage: external_rpc [--wrong] LOG\n");
    return 2;
  }
  NodeLog client_log{0, 0, {}}, server_log{1, 0, {}};
  Client client;
  Server server;
  server.wrong = wrong;
  std::deque<Message> wire;
  bool lost_one = false;

  client_log.event("\"kind\":\"start\",\"state\":" + client.state());
  Message req{true, 0, 10, 0, 1};
  client_log.message("send", req);
  wire.push_back(req);
  server_log.event("\"kind\":\"start\",\"state\":" + server.state());
  while (!client.done) {
    if (wire.empty()) {  // the retry timer: the same key again
      client_log.event("\"kind\":\"timeout\",\"timer\":\"retry\",\"state\":" + client.state());
      client_log.message("send", req);
      wire.push_back(req);
      continue;
    }
    const Message m = wire.front();
    wire.pop_front();
    if (m.request) {
      const Message reply = server.handle(m);
      server_log.message("deliver", m, server.state());
      server_log.message("send", reply);
      if (!lost_one) {  // the network loses the first reply
        lost_one = true;
        server_log.message("drop", reply);
      } else {
        wire.push_back(reply);
      }
    } else {
      client.next = m.key + 1;
      client.done = true;
      client_log.message("deliver", m, client.state());
    }
  }
  std::FILE* out = std::fopen(path, "w");
  if (!out) {
    std::fprintf(stderr, "external_rpc: cannot write %s\n", path);
    return 2;
  }
  for (const NodeLog* log : {&client_log, &server_log})
    for (const auto& line : log->lines) std::fprintf(out, "%s\n", line.c_str());
  return std::fclose(out) == 0 ? 0 : 2;
}
