// Canonical byte encoding of model states: equal values <=> equal bytes, and decode(encode(x)) == x.
// The encoding is what the explorer hashes, stores in its frontier and (in exact mode) in its visited set.
#pragma once

#include "mc/core/reflect.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/unpack.hpp>

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <utility>
#include <variant>
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
  /// Room for `n` more bytes at the end: returns where they go. Write them, then `commit` the new end. Writing
  /// through a local cursor lets the compiler keep it in a register (stores through a byte pointer could alias
  /// `size_`, so per-field appends reload it every time).
  [[gnu::always_inline]] std::uint8_t* tail(std::size_t n) {
    if (size_ + n > capacity_) [[unlikely]] reserve(std::max<std::size_t>(2 * capacity_, size_ + n + 64));
    return data_.get() + size_;
  }
  [[gnu::always_inline]] void commit(const std::uint8_t* end) { size_ = static_cast<std::size_t>(end - data_.get()); }
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
  const std::size_t at = out.size();
  out.resize(at + n);  // then a plain copy: GCC 12 misreads vector::insert's range here (-Wstringop-overflow)
  if (n) std::memcpy(out.data() + at, p, n);
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

/// The most bytes a value of type T can encode to, or `unbounded` (strings, containers). A bounded value is written
/// with one capacity check and read with one bounds check instead of one per field.
inline constexpr std::size_t unbounded = static_cast<std::size_t>(-1);

constexpr std::size_t add_bounds(std::size_t a, std::size_t b) { return a == unbounded || b == unbounded ? unbounded : a + b; }

template <class T>
consteval std::size_t max_encoded_size();

template <class T, std::size_t... I>
consteval std::size_t max_tuple_size(std::index_sequence<I...>) {
  std::size_t total = 0;
  ((total = add_bounds(total, max_encoded_size<std::tuple_element_t<I, T>>())), ...);
  return total;
}

template <class... A>
consteval std::size_t max_alternative_size(const std::variant<A...>*) {
  std::size_t most = 0;
  ((most = (most == unbounded || max_encoded_size<A>() == unbounded) ? unbounded : std::max(most, max_encoded_size<A>())), ...);
  return most;
}

template <class T>
consteval std::size_t max_encoded_size() {
  if constexpr (FlatImage<T>) {
    return sizeof(T);
  } else if constexpr (std::same_as<T, bool>) {
    return 1;
  } else if constexpr (Reflected<T>) {
    return boost::hana::unpack(boost::hana::accessors<T>(), [](auto... field) {
      std::size_t total = 0;
      ((total = add_bounds(total, max_encoded_size<std::remove_cvref_t<decltype(boost::hana::second(field)(std::declval<T&>()))>>())), ...);
      return total;
    });
  } else if constexpr (Optional<T>) {
    return add_bounds(1, max_encoded_size<typename T::value_type>());
  } else if constexpr (Variant<T>) {
    return add_bounds(sizeof(std::uint16_t), max_alternative_size(static_cast<const T*>(nullptr)));
  } else if constexpr (TupleLike<T>) {
    return max_tuple_size<T>(std::make_index_sequence<std::tuple_size_v<T>>{});
  } else if constexpr (FixedArray<T>) {
    constexpr std::size_t each = max_encoded_size<typename T::value_type>();
    return each == unbounded ? unbounded : each * std::tuple_size_v<T>;
  } else if constexpr (std::is_empty_v<T> && !Text<T> && !std::ranges::range<T>) {
    return 0;
  } else {
    return unbounded;
  }
}

template <class T>
concept Bounded = max_encoded_size<T>() != unbounded;

/// A variant whose alternatives are all flat images or trivial empty types (a message set like twopc's `Msg`):
/// written as its index and one fixed-size copy of its storage, with no test per alternative (trivially copyable
/// alternatives: it is never valueless). libstdc++ keeps the storage at the variant's own address; the reflection
/// tests compare these bytes with the plain field-by-field ones.
template <class A>
concept PlainAlternative = FlatImage<A> || (std::is_empty_v<A> && std::is_trivially_copyable_v<A> &&
                                            !Text<A> && !std::ranges::range<A>);
template <class T>
struct PlainAlternatives : std::false_type {};
template <class... A>
struct PlainAlternatives<std::variant<A...>> : std::bool_constant<(PlainAlternative<A> && ...)> {
  static constexpr std::size_t sizes[] = {max_encoded_size<A>()...};  ///< bytes written, by index
};
template <class T>
concept PlainVariant = PlainAlternatives<T>::value;

/// Calls f(alternative) on the active alternative of a variant: an inlined chain of index tests (std::visit's
/// table of function pointers costs a call per field).
template <class V, class F>
[[gnu::always_inline]] inline auto on_alternative(V& v, F&& f) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    decltype(f(*std::get_if<0>(&v))) r{};
    if (!((v.index() == I ? (r = f(*std::get_if<I>(&v)), true) : false) || ...)) throw std::bad_variant_access();
    return r;
  }(std::make_index_sequence<std::variant_size_v<std::remove_const_t<V>>>{});
}

/// Member I of a reflected struct, and the member indices, for codecs that must be inlined whole: a cursor that
/// crosses a call boundary lives in memory and is reloaded after every byte stored (a byte store may alias it).
template <std::size_t I, class T>
[[gnu::always_inline]] inline auto& field(T& v) {
  return boost::hana::second(boost::hana::at_c<I>(boost::hana::accessors<std::remove_const_t<T>>()))(v);
}
template <class T>
using field_indices = std::make_index_sequence<decltype(boost::hana::length(boost::hana::accessors<T>()))::value>;

template <class T>
[[gnu::always_inline]] inline const std::uint8_t* read_bounded(const std::uint8_t* r, T& v);

template <class T, std::size_t... I>
[[gnu::always_inline]] inline const std::uint8_t* read_fields(const std::uint8_t* r, T& v, std::index_sequence<I...>) {
  ((r = read_bounded(r, field<I>(v))), ...);
  return r;
}

/// Reads alternative I of a variant in place (through a local copy, the partial stores would stall the load that
/// copies it); the alternative is rebuilt only when another one was active.
template <std::size_t I, class V>
[[gnu::always_inline]] inline void read_alternative(const std::uint8_t*& r, V& v) {
  if (v.index() != I) v.template emplace<I>();
  r = read_bounded(r, *std::get_if<I>(&v));
}

/// Reads a Bounded value from `r`, which has at least its maximum size left; returns the end of what it read.
/// Only a variant's index needs checking. Members are overwritten in place, not rebuilt (a variant's alternative is).
template <class T>
[[gnu::always_inline]] inline const std::uint8_t* read_bounded(const std::uint8_t* r, T& v) {
  if constexpr (FlatImage<T>) {
    std::memcpy(&v, r, sizeof v);
    return r + sizeof v;
  } else if constexpr (std::same_as<T, bool>) {
    v = *r != 0;
    return r + 1;
  } else if constexpr (Reflected<T>) {
    return read_fields(r, v, field_indices<T>{});
  } else if constexpr (Optional<T>) {
    if (!*r++) {
      v.reset();
      return r;
    }
    if (!v) v.emplace();
    return read_bounded(r, *v);
  } else if constexpr (Variant<T>) {
    std::uint16_t i;
    std::memcpy(&i, r, sizeof i);
    r += sizeof i;
    if (i >= std::variant_size_v<T>) throw std::out_of_range("faultline: bad variant index in state encoding");
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (void)((i == I && (read_alternative<I>(r, v), true)) || ...);
    }(std::make_index_sequence<std::variant_size_v<T>>{});
    return r;
  } else if constexpr (TupleLike<T>) {
    std::apply([&](auto&... e) { ((r = read_bounded(r, e)), ...); }, v);
    return r;
  } else if constexpr (FixedArray<T>) {
    for (auto& e : v) r = read_bounded(r, e);
    return r;
  } else {
    static_assert(std::is_empty_v<T>);
    return r;
  }
}

/// Sequences and sets whose elements are Bounded: read (and sized for writing) as a whole after one check.
template <class T>
concept BoundedElements = (SetLike<T> || Sequence<T>) && Bounded<std::ranges::range_value_t<T>>;

/// How many bytes at most `v` encodes to: its type's maximum where that is bounded, else worked out from what the
/// value holds (a container of bounded elements from its size alone). Lets `write_any` check capacity once.
template <class T>
[[gnu::always_inline]] inline std::size_t encoded_bound(const T& v) {
  if constexpr (Bounded<T>) {
    return max_encoded_size<T>();
  } else if constexpr (Reflected<T>) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (std::size_t{0} + ... + encoded_bound(field<I>(v)));
    }(field_indices<T>{});
  } else if constexpr (Text<T>) {
    return sizeof(std::uint32_t) + v.size();
  } else if constexpr (Optional<T>) {
    return 1 + (v ? encoded_bound(*v) : 0);
  } else if constexpr (Variant<T>) {
    return sizeof(std::uint16_t) + on_alternative(v, [](const auto& alt) { return encoded_bound(alt); });
  } else if constexpr (TupleLike<T>) {
    return std::apply([](const auto&... e) { return (std::size_t{0} + ... + encoded_bound(e)); }, v);
  } else if constexpr (FixedArray<T>) {
    std::size_t n = 0;
    for (const auto& e : v) n += encoded_bound(e);
    return n;
  } else if constexpr (MapLike<T>) {
    using K = typename T::key_type;
    using M = typename T::mapped_type;
    if constexpr (Bounded<K> && Bounded<M>) {
      return sizeof(std::uint32_t) + v.size() * (max_encoded_size<K>() + max_encoded_size<M>());
    } else {
      std::size_t n = sizeof(std::uint32_t);
      for (const auto& [k, m] : v) n += encoded_bound(k) + encoded_bound(m);
      return n;
    }
  } else if constexpr (FlatSequence<T>) {
    return sizeof(std::uint32_t) + std::ranges::size(v) * sizeof(std::ranges::range_value_t<T>);
  } else if constexpr (BoundedElements<T>) {
    return sizeof(std::uint32_t) + std::ranges::size(v) * max_encoded_size<std::ranges::range_value_t<T>>();
  } else if constexpr (SetLike<T> || Sequence<T>) {
    std::size_t n = sizeof(std::uint32_t);
    for (const auto& e : v) n += encoded_bound(e);
    return n;
  } else {
    return 0;  // empty: nothing written
  }
}

[[gnu::always_inline]] inline std::uint8_t* write_size(std::uint8_t* w, std::size_t n) {
  const auto v = static_cast<std::uint32_t>(n);
  std::memcpy(w, &v, sizeof v);
  return w + sizeof v;
}

/// The error for a type the encoding does not know, wherever it is met.
template <class T>
constexpr void reject_state_type() {
  static_assert(sizeof(T) == 0,
                "faultline: this type cannot be part of model state; use integers, enums, bool, std::string, "
                "std::optional/variant/pair/tuple, ordered std or boost::container containers, or a struct "
                "declared with BOOST_HANA_DEFINE_STRUCT");
}

template <class T>
[[gnu::always_inline]] inline std::uint8_t* write_any(std::uint8_t* w, const T& v);

template <class T, std::size_t... I>
[[gnu::always_inline]] inline std::uint8_t* write_any_fields(std::uint8_t* w, const T& v, std::index_sequence<I...>) {
  ((w = write_any(w, field<I>(v))), ...);
  return w;
}

/// Writes any state value at `w`, which has room for `encoded_bound(v)` bytes; returns the end of what it wrote.
/// The bytes are exactly those of `encode_into` into `Bytes`, the plain definition of the format.
template <class T>
[[gnu::always_inline]] inline std::uint8_t* write_any(std::uint8_t* w, const T& v) {
  require_state_type<T>();
  if constexpr (FlatImage<T>) {
    std::memcpy(w, &v, sizeof v);
    return w + sizeof v;
  } else if constexpr (std::same_as<T, bool>) {
    *w = v;
    return w + 1;
  } else if constexpr (Reflected<T>) {
    return write_any_fields(w, v, field_indices<T>{});
  } else if constexpr (Text<T>) {
    w = write_size(w, v.size());
    if (!v.empty()) std::memcpy(w, v.data(), v.size());
    return w + v.size();
  } else if constexpr (Optional<T>) {
    *w++ = v.has_value();
    return v ? write_any(w, *v) : w;
  } else if constexpr (PlainVariant<T>) {
    const auto i = static_cast<std::uint16_t>(v.index());
    std::memcpy(w, &i, sizeof i);
    constexpr std::size_t most = max_encoded_size<T>() - sizeof i;
    if constexpr (most > 0) std::memcpy(w + sizeof i, static_cast<const void*>(&v), most);
    return w + sizeof i + PlainAlternatives<T>::sizes[i];
  } else if constexpr (Variant<T>) {
    const auto i = static_cast<std::uint16_t>(v.index());
    std::memcpy(w, &i, sizeof i);
    w += sizeof i;
    return on_alternative(v, [&](const auto& alt) { return write_any(w, alt); });
  } else if constexpr (TupleLike<T>) {
    std::apply([&](const auto&... e) { ((w = write_any(w, e)), ...); }, v);
    return w;
  } else if constexpr (FixedArray<T>) {
    for (const auto& e : v) w = write_any(w, e);
    return w;
  } else if constexpr (MapLike<T>) {
    w = write_size(w, v.size());
    for (const auto& [k, m] : v) w = write_any(write_any(w, k), m);
    return w;
  } else if constexpr (FlatSequence<T>) {
    const std::size_t n = std::ranges::size(v);
    w = write_size(w, n);
    if (n) std::memcpy(w, std::ranges::data(v), n * sizeof(std::ranges::range_value_t<T>));
    return w + n * sizeof(std::ranges::range_value_t<T>);
  } else if constexpr (SetLike<T> || Sequence<T>) {
    w = write_size(w, std::ranges::size(v));
    for (const auto& e : v) w = write_any(w, e);
    return w;
  } else {
    if constexpr (!std::is_empty_v<T>) reject_state_type<T>();
    return w;
  }
}

/// A set that holds each value once (its insert says whether it did), as against a multiset.
template <class T>
concept UniqueSet = requires(T& v, const typename T::value_type& e) {
  { v.insert(e) } -> std::same_as<std::pair<typename T::iterator, bool>>;
};

template <std::size_t I, class V>
void decode_alternative(Reader& in, V& v);

/// Whether `n` values of at most `each` bytes fit in the `left` bytes of a buffer.
constexpr bool fits(std::size_t n, std::size_t each, std::size_t left) { return each == 0 || n <= left / each; }

}  // namespace detail

/// Where an encoding is written: `Bytes` for general use, `EncodeBuffer` on the explorer's hot path.
template <class Out>
concept ByteSink = std::same_as<Out, Bytes> || std::same_as<Out, EncodeBuffer>;

/// Appends the canonical bytes of `v`. Into `Bytes` it is the plain field-by-field definition of the format; into
/// the explorer's `EncodeBuffer` the whole value is written through a cursor after one capacity check (the same
/// bytes: the reflection tests check every shape, the protocol tests every reachable state of eight protocols).
template <ByteSink Out, class T>
[[gnu::always_inline]] inline void encode_into(Out& out, const T& v) {
  require_state_type<T>();
  if constexpr (std::same_as<Out, EncodeBuffer>) {
    out.commit(detail::write_any(out.tail(detail::encoded_bound(v)), v));
  } else if constexpr (detail::FlatImage<T>) {
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
  } else if constexpr (!std::is_empty_v<T>) {
    detail::reject_state_type<T>();
  }
}

template <class T>
[[gnu::always_inline]] inline void decode_from(detail::Reader& in, T& v) {
  if constexpr (detail::Bounded<T> && !detail::FlatImage<T>) {
    if (static_cast<std::size_t>(in.end - in.p) >= detail::max_encoded_size<T>()) {
      in.p = detail::read_bounded(in.p, v);
      return;
    }
  }
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
      if (!v) v.emplace();
      decode_from(in, *v);
    } else {
      v.reset();
    }
  } else if constexpr (Variant<T>) {
    std::uint16_t i;
    in.raw(&i, sizeof i);
    if (i >= std::variant_size_v<T>) throw std::out_of_range("faultline: bad variant index in state encoding");
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((i == I ? (detail::decode_alternative<I>(in, v), 0) : 0), ...);
    }(std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (TupleLike<T>) {
    std::apply([&](auto&... e) { (decode_from(in, e), ...); }, v);
  } else if constexpr (FixedArray<T>) {
    for (auto& e : v) decode_from(in, e);
  } else if constexpr (MapLike<T>) {
    v.clear();
    for (std::size_t n = in.size(); n > 0; --n) {
      typename T::key_type k{};
      decode_from(in, k);
      // The value is decoded in place: moving a decoded small_vector in makes GCC 12 warn (-Wstringop-overread).
      auto it = v.emplace_hint(v.end(), std::piecewise_construct, std::forward_as_tuple(std::move(k)),
                               std::forward_as_tuple());
      decode_from(in, it->second);
    }
  } else if constexpr (SetLike<T> && SortedSequence<T>) {
    // Encoded in order, so read as the sequence it keeps (in place, as below), then checked to be in order.
    auto& elements = v.tree().get_sequence_ref();
    decode_from(in, elements);
    const auto out_of_order = [&](const auto& a, const auto& b) {
      if constexpr (detail::UniqueSet<T>) return !v.value_comp()(a, b);
      else return v.value_comp()(b, a);
    };
    if (std::adjacent_find(elements.begin(), elements.end(), out_of_order) != elements.end())
      throw std::out_of_range("faultline: a set's elements out of order in state encoding");
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
    if (n) in.raw(std::ranges::data(v), n * sizeof(E));  // an empty vector's data() may be null: memcpy must not see it
  } else if constexpr (Sequence<T> && detail::BoundedElements<T> && requires { v.erase(v.begin(), v.end()); }) {
    using E = std::ranges::range_value_t<T>;
    const std::size_t n = in.size();
    if (!detail::fits(n, detail::max_encoded_size<E>(), static_cast<std::size_t>(in.end - in.p))) {
      v.clear();  // near the end of the buffer: element by element, each one checked
      for (std::size_t k = 0; k < n; ++k) decode_from(in, v.emplace_back());
      return;
    }
    // The elements already there are overwritten whole (no destruction and rebuilding); the rest are appended.
    if (v.size() > n) v.erase(v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
    for (auto& e : v) in.p = detail::read_bounded(in.p, e);
    while (v.size() < n) in.p = detail::read_bounded(in.p, v.emplace_back());  // in place, as above
  } else if constexpr (Sequence<T> && requires { v.erase(v.begin(), v.end()); v.emplace_back(); }) {
    // Overwritten in place, as above: nodes and their logs keep their storage from one parent to the next.
    const std::size_t n = in.size();
    if (v.size() > n) v.erase(v.begin() + static_cast<std::ptrdiff_t>(n), v.end());
    for (auto& e : v) decode_from(in, e);
    while (v.size() < n) decode_from(in, v.emplace_back());
  } else if constexpr (Sequence<T>) {
    v.clear();
    for (std::size_t n = in.size(); n > 0; --n) {
      if constexpr (requires { decode_from(in, v.emplace_back()); }) {
        decode_from(in, v.emplace_back());  // in place, as above
      } else {
        std::ranges::range_value_t<T> e{};
        decode_from(in, e);
        v.push_back(std::move(e));
      }
    }
  }
}

namespace detail {
/// Decodes alternative I into the one already there when it is the same (a log's records keep their storage);
/// otherwise it is rebuilt first.
template <std::size_t I, class V>
[[gnu::always_inline]] inline void decode_alternative(Reader& in, V& v) {
  if (v.index() != I) v.template emplace<I>();
  decode_from(in, *std::get_if<I>(&v));
}
}  // namespace detail

/// The canonical bytes of a value.
template <class T>
Bytes encode(const T& v) {
  Bytes out;
  encode_into(out, v);
  return out;
}

/// Calls `f(data, size)` with the canonical bytes of `v`, written on the stack when they fit in `Small` bytes: for
/// a key computed once per state (a history's verdict) the allocation and growth of `Bytes` cost more than the rest.
template <std::size_t Small = 512, class T, class F>
decltype(auto) with_encoding(const T& v, F&& f) {
  const std::size_t bound = detail::encoded_bound(v);
  if (bound <= Small) {
    std::uint8_t stack[Small];
    const std::uint8_t* end = detail::write_any(stack, v);
    return f(static_cast<const std::uint8_t*>(stack), static_cast<std::size_t>(end - stack));
  }
  EncodeBuffer heap;
  heap.commit(detail::write_any(heap.tail(bound), v));
  return f(heap.data(), heap.size());
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
