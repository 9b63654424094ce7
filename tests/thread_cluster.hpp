// An mc::Cluster whose ranks are threads of one process, exchanging through shared slots between barriers:
// the distributed search tested without MPI (and under the sanitizers), with the explorer's own code paths.
#pragma once

#include "mc/explore/cluster.hpp"

#include <barrier>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace test_models {

class ThreadCluster {
 public:
  explicit ThreadCluster(int ranks)
      : size_(ranks), sync_(ranks), mail_(static_cast<std::size_t>(ranks)), words_(mail_.size()),
        blobs_(mail_.size()) {}

  /// Runs `body(cluster)` once per rank, each on its own thread, and waits for all of them.
  void run(const std::function<void(const mc::Cluster&)>& body) {
    std::vector<std::jthread> ranks;
    for (int r = 0; r < size_; ++r) ranks.emplace_back([this, r, &body] { body(make(r)); });
  }

 private:
  mc::Cluster make(int rank) {
    const auto me = static_cast<std::size_t>(rank);
    mc::Cluster c;
    c.rank = rank;
    c.size = size_;
    c.exchange = [this, me](const std::vector<std::uint8_t>& out, const std::vector<std::uint64_t>& counts) {
      mail_[me].clear();
      std::size_t at = 0;
      for (std::uint64_t n : counts) {
        mail_[me].emplace_back(out.begin() + static_cast<std::ptrdiff_t>(at),
                               out.begin() + static_cast<std::ptrdiff_t>(at + n));
        at += n;
      }
      sync_.arrive_and_wait();
      std::vector<std::uint8_t> in;
      for (const auto& from : mail_) in.insert(in.end(), from[me].begin(), from[me].end());
      sync_.arrive_and_wait();
      return in;
    };
    const auto reduce = [this, me](std::vector<std::uint64_t>& v, bool sum) {
      words_[me] = v;
      sync_.arrive_and_wait();
      for (std::size_t i = 0; i < v.size(); ++i) {
        v[i] = sum ? 0 : words_[0][i];
        for (const auto& w : words_) v[i] = sum ? v[i] + w[i] : std::max(v[i], w[i]);
      }
      sync_.arrive_and_wait();
    };
    c.sum = [reduce](std::vector<std::uint64_t>& v) { reduce(v, true); };
    c.max = [reduce](std::vector<std::uint64_t>& v) { reduce(v, false); };
    c.gather = [this, me](const std::vector<std::uint8_t>& mine) {
      blobs_[me] = mine;
      sync_.arrive_and_wait();
      std::vector<std::uint8_t> all;
      for (const auto& b : blobs_) all.insert(all.end(), b.begin(), b.end());
      sync_.arrive_and_wait();
      return all;
    };
    c.broadcast = [this, me](std::uint64_t value, int root) {
      words_[me] = {value};
      sync_.arrive_and_wait();
      const std::uint64_t v = words_[static_cast<std::size_t>(root)][0];
      sync_.arrive_and_wait();
      return v;
    };
    return c;
  }

  int size_;
  std::barrier<> sync_;
  std::vector<std::vector<std::vector<std::uint8_t>>> mail_;  ///< [from][to]
  std::vector<std::vector<std::uint64_t>> words_;
  std::vector<std::vector<std::uint8_t>> blobs_;
};

}  // namespace test_models
