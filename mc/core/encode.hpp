// Canonical byte encoding of model states: equal values <=> equal bytes, and decode(encode(x)) == x.
// The encoding is what the explorer hashes, stores in its frontier and (in exact mode) in its visited set.
#pragma once

#include "mc/core/reflect.hpp"

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace mc {

using Bytes = std::vector<std::uint8_t>;

/// A reusable, growable byte buffer for the explorer's hot path: unlike `Bytes` it never zero-fills, and
/// `clear` keeps the capacity, so encoding a successor allocates nothing once the buffer has warmed up.
class EncodeBuffer {
 public:
  EncodeBuffer() = default;
  EncodeBuffer(const EncodeBuffer&) = delete;
  EncodeBuffer& operator=(const EncodeBuffer&) = delete;
  EncodeBuffer(EncodeBuffer&& o) noexcept : data_(std::move(o.data_)), size_(o.size_), capacity_(o.capacity_) {
    o.size_ = o.capacity_ = 0;
  }
  EncodeBuffer& operator=(EncodeBuffer&& o) noexcept {
    data_ = std::move(o.data_);
    size_ = o.size_;
    capacity_ = o.capacity_;
    o.size_ = o.capacity_ = 0;
    return *this;
  }

  [[gnu::always_inline]] void append(const void* p, std::size_t n) {  // inlined: fixed-size copies become moves
    if (size_ + n > capacity_) [[unlikely]] reserve(std::max<std::size_t>(2 * capacity_, size_ + n + 64));
    if (n) std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    std::unique_ptr<std::uint8_t[]> bigger(new std::uint8_t[n]);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }
  void clear() { size_ = 0; }
  void resize_down(std::size_t n) { size_ = std::min(size_, n); }
  const std::uint8_t* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }

 private:
  std::unique_ptr<std::uint8_t[]> data_;
  std::size_t size_ = 0, capacity_ = 0;
};

namespace detail {

/// Types whose object representation is already canonical: copied as one block.
template <class T>
concept FlatImage = std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>;

[[gnu::always_inline]] inline void put_raw(Bytes& out, const void* p, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  out.insert(out.end(), b, b + n);
}

[[gnu::always_inline]] inline void put_raw(EncodeBuffer& out, const void* p, std::size_t n) { out.append(p, n); }

template <class Out>
[[gnu::always_inline]] inline void put_size(Out& out, std::size_t n) {
  const auto v = static_cast<std::uint32_t>(n);
  put_raw(out, &v, sizeof v);
}

/// Reads from an encoding produced by `encode`; throws on a truncated buffer instead of reading past it.
struct Reader {
  const std::uint8_t* p;
  const std::uint8_t* end;
  [[gnu::always_inline]] void raw(void* dst, std::size_t n) {
    if (static_cast<std::size_t>(end - p) < n) throw std::out_of_range("faultline: truncated state encoding");
    std::memcpy(dst, p, n);
    p += n;
  }
  [[gnu::always_inline]] std::size_t size() {
    std::uint32_t v;
    raw(&v, sizeof v);
    return v;
  }
};

/// A sequence whose elements sit contiguously and are flat images: encoded as its size and one block copy.
template <class T>
concept FlatSequence = Sequence<T> && std::ranges::contiguous_range<T> && FlatImage<std::ranges::range_value_t<T>>;

}  // namespace detail

/// Where an encoding is written: `Bytes` for general use, `EncodeBuffer` on the explorer's hot path.
template <class Out>
concept ByteSink = std::same_as<Out, Bytes> || std::same_as<Out, EncodeBuffer>;

template <ByteSink Out, class T>
[[gnu::always_inline]] inline void encode_into(Out& out, const T& v) {
  require_state_type<T>();
  if constexpr (detail::FlatImage<T>) {
    detail::put_raw(out, &v, sizeof v);  // no padding: the object's bytes are its canonical encoding
  } else if constexpr (std::same_as<T, bool>) {
    const std::uint8_t b = v;
    detail::put_raw(out, &b, 1);
  } else if constexpr (Reflected<T>) {
    for_each_field(v, [&](const char*, const auto& m) { encode_into(out, m); });
  } else if constexpr (Text<T>) {
    detail::put_size(out, v.size());
    detail::put_raw(out, v.data(), v.size());
  } else if constexpr (Optional<T>) {
    encode_into(out, v.has_value());
    if (v) encode_into(out, *v);
  } else if constexpr (Variant<T>) {
    const auto i = static_cast<std::uint16_t>(v.index());
    detail::put_raw(out, &i, sizeof i);
    std::visit([&](const auto& alt) { encode_into(out, alt); }, v);
  } else if constexpr (TupleLike<T>) {
    std::apply([&](const auto&... e) { (encode_into(out, e), ...); }, v);
  } else if constexpr (FixedArray<T>) {
    for (const auto& e : v) encode_into(out, e);
  } else if constexpr (MapLike<T>) {
    detail::put_size(out, v.size());
    for (const auto& [k, m] : v) {
      encode_into(out, k);
      encode_into(out, m);
    }
  } else if constexpr (detail::FlatSequence<T>) {
    detail::put_size(out, std::ranges::size(v));
    detail::put_raw(out, std::ranges::data(v), std::ranges::size(v) * sizeof(std::ranges::range_value_t<T>));
  } else if constexpr (SetLike<T> || Sequence<T>) {
    detail::put_size(out, std::ranges::size(v));
    for (const auto& e : v) encode_into(out, e);
  } else if constexpr (std::is_empty_v<T>) {
  } else {
    static_assert(sizeof(T) == 0,
                  "faultline: this type cannot be part of model state; use integers, enums, bool, std::string, "
                  "std::optional/variant/pair/tuple, ordered std or boost::container containers, or a struct "
                  "declared with BOOST_HANA_DEFINE_STRUCT");
  }
}

template <class T>
[[gnu::always_inline]] inline void decode_from(detail::Reader& in, T& v) {
  if constexpr (detail::FlatImage<T>) {
    in.raw(&v, sizeof v);
  } else if constexpr (std::same_as<T, bool>) {
    std::uint8_t b;
    in.raw(&b, 1);
    v = b != 0;
  } else if constexpr (Reflected<T>) {
    for_each_field(v, [&](const char*, auto& m) { decode_from(in, m); });
  } else if constexpr (Text<T>) {
    v.resize(in.size());
    in.raw(v.data(), v.size());
  } else if constexpr (Optional<T>) {
    bool has = false;
    decode_from(in, has);
    if (has) {
      v.emplace();
      decode_from(in, *v);
    } else {
      v.reset();
    }
  } else if constexpr (Variant<T>) {
    std::uint16_t i;
    in.raw(&i, sizeof i);
    if (i >= std::variant_size_v<T>) throw std::out_of_range("faultline: bad variant index in state encoding");
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((i == I ? (decode_from(in, v.template emplace<I>()), 0) : 0), ...);
    }(std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (TupleLike<T>) {
    std::apply([&](auto&... e) { (decode_from(in, e), ...); }, v);
  } else if constexpr (FixedArray<T>) {
    for (auto& e : v) decode_from(in, e);
  } else if constexpr (MapLike<T>) {
    v.clear();
    for (std::size_t n = in.size(); n > 0; --n) {
      typename T::key_type k{};
      typename T::mapped_type m{};
      decode_from(in, k);
      decode_from(in, m);
      v.emplace_hint(v.end(), std::move(k), std::move(m));
    }
  } else if constexpr (SetLike<T>) {
    v.clear();
    for (std::size_t n = in.size(); n > 0; --n) {
      typename T::key_type k{};
      decode_from(in, k);
      v.insert(v.end(), std::move(k));
    }
  } else if constexpr (detail::FlatSequence<T>) {
    const std::size_t n = in.size();
    using E = std::ranges::range_value_t<T>;
    if (static_cast<std::size_t>(in.end - in.p) / sizeof(E) < n)
      throw std::out_of_range("faultline: truncated state encoding");
    v.resize(n);
    in.raw(std::ranges::data(v), n * sizeof(E));
  } else if constexpr (Sequence<T>) {
    v.clear();
    for (std::size_t n = in.size(); n > 0; --n) {
      std::ranges::range_value_t<T> e{};
      decode_from(in, e);
      v.push_back(std::move(e));
    }
  }
}

/// The canonical bytes of a value.
template <class T>
Bytes encode(const T& v) {
  Bytes out;
  encode_into(out, v);
  return out;
}

/// Rebuilds a value from its canonical bytes; throws std::out_of_range on a malformed buffer.
template <class T>
T decode(const std::uint8_t* data, std::size_t size) {
  T v{};
  detail::Reader in{data, data + size};
  decode_from(in, v);
  if (in.p != in.end) throw std::out_of_range("faultline: trailing bytes in state encoding");
  return v;
}

/// Structural equality of two states, through their canonical encodings.
template <class T>
bool equal(const T& a, const T& b) {
  return encode(a) == encode(b);
}

}  // namespace mc
