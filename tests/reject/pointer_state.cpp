// Must not compile: model state with a raw pointer.
#include "mc/core/encode.hpp"
struct S {
  BOOST_HANA_DEFINE_STRUCT(S, (int, x), (int*, p));
};
int main() { return static_cast<int>(mc::encode(S{}).size()); }
