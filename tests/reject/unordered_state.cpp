// Must not compile: model state with a hash container has no canonical order.
#include "mc/core/encode.hpp"
#include <unordered_map>
struct S {
  BOOST_HANA_DEFINE_STRUCT(S, (int, x), (std::unordered_map<int, int>, m));
};
int main() { return static_cast<int>(mc::encode(S{}).size()); }
