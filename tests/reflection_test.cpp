// Reflection: the canonical encoding is canonical (equal <=> equal bytes) and round-trips; printing, JSON, diff.
#include "mc/core/assign.hpp"
#include "mc/core/diff.hpp"
#include "mc/core/encode.hpp"
#include "mc/core/fingerprint.hpp"
#include "mc/core/json.hpp"
#include "mc/core/print.hpp"

#include <boost/container/flat_set.hpp>
#include <boost/container/small_vector.hpp>
#include <catch2/catch.hpp>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <variant>
#include <vector>

namespace reflection_test {

enum class Color : std::uint8_t { red, green };
std::string_view to_string_view(Color c) { return c == Color::red ? "red" : "green"; }

struct Inner {
  BOOST_HANA_DEFINE_STRUCT(Inner, (int, x), (std::optional<std::string>, tag));
};
using Payload = std::variant<int, Inner>;
using Votes = std::map<int, std::set<int>>;
using Small = boost::container::small_vector<std::uint8_t, 4>;
struct Outer {
  BOOST_HANA_DEFINE_STRUCT(Outer, (Color, color), (Inner, inner), (Votes, votes), (Payload, payload),
                           (std::vector<Inner>, log), (Small, small), (bool, flag));
};

Outer sample() {
  Outer o{};
  o.color = Color::green;
  o.inner = {7, "seven"};
  o.votes = {{1, {2, 3}}, {4, {}}};
  o.payload = Inner{1, std::nullopt};
  o.log = {{1, std::nullopt}, {2, "b"}};
  o.small = {1, 2, 3, 4, 5};
  o.flag = true;
  return o;
}

}  // namespace reflection_test

using namespace reflection_test;

TEST_CASE("encoding round-trips through nested structs, maps, sets, optionals and variants", "[reflect]") {
  const Outer o = sample();
  const mc::Bytes b = mc::encode(o);
  const Outer back = mc::decode<Outer>(b.data(), b.size());
  CHECK(mc::encode(back) == b);
  CHECK(mc::to_text(back) == mc::to_text(o));
}

TEST_CASE("equal values encode to equal bytes, whatever order they were built in", "[reflect]") {
  Outer a = sample();
  Outer b = sample();
  b.votes.clear();
  b.votes[4] = {};
  b.votes[1].insert(3);
  b.votes[1].insert(2);
  CHECK(mc::encode(a) == mc::encode(b));
  CHECK(mc::fingerprint(a) == mc::fingerprint(b));
  CHECK(mc::equal(a, b));
}

TEST_CASE("each kind of difference changes the bytes", "[reflect]") {
  const Outer base = sample();
  const mc::Bytes b = mc::encode(base);
  auto differs = [&](auto change) {
    Outer o = sample();
    change(o);
    return mc::encode(o) != b && mc::fingerprint(o) != mc::fingerprint(base);
  };
  CHECK(differs([](Outer& o) { o.color = Color::red; }));
  CHECK(differs([](Outer& o) { o.inner.tag.reset(); }));
  CHECK(differs([](Outer& o) { o.inner.tag = "seven "; }));
  CHECK(differs([](Outer& o) { o.votes[4].insert(0); }));
  CHECK(differs([](Outer& o) { o.votes.erase(4); }));
  CHECK(differs([](Outer& o) { o.payload = 1; }));                  // other alternative
  CHECK(differs([](Outer& o) { o.payload = Inner{1, ""}; }));      // empty string is not none
  CHECK(differs([](Outer& o) { std::swap(o.log[0], o.log[1]); }));  // sequences keep order
  CHECK(differs([](Outer& o) { o.small.pop_back(); }));
  CHECK(differs([](Outer& o) { o.flag = false; }));
}

TEST_CASE("adjacent variable-length fields cannot alias each other", "[reflect]") {
  using Pair = std::pair<std::string, std::string>;
  CHECK(mc::encode(Pair{"ab", "c"}) != mc::encode(Pair{"a", "bc"}));
  using Lists = std::pair<std::vector<int>, std::vector<int>>;
  CHECK(mc::encode(Lists{{1, 2}, {}}) != mc::encode(Lists{{1}, {2}}));
}

namespace reflection_test {
// Every shape the explorer's buffer encoder treats apart: bounded structs, optionals, variants, tuples and arrays;
// maps and sets whose elements are all bounded; sequences of bounded, of flat and of unbounded elements; tuples
// and arrays of unbounded ones.
using Cell = std::pair<bool, std::optional<std::uint8_t>>;
using Named = std::pair<std::string, std::array<std::vector<std::uint8_t>, 2>>;
struct Tag {
  auto operator<=>(const Tag&) const = default;
};
using Plain = std::variant<Tag, std::uint32_t, bool, std::uint16_t>;
static_assert(mc::detail::PlainVariant<Plain>, "written as its index and a block copy of its storage");
struct Shapes {
  BOOST_HANA_DEFINE_STRUCT(Shapes, (std::array<std::optional<Color>, 3>, slots), (std::map<std::uint16_t, Cell>, cells),
                           (boost::container::flat_set<std::tuple<std::uint8_t, bool>>, marks),
                           (std::vector<std::variant<bool, Cell>>, events), (Small, small), (Outer, outer),
                           (Named, named), (std::vector<Plain>, plain));
};
}  // namespace reflection_test

TEST_CASE("the explorer's buffer encoding is the reference encoding, and decodes in place", "[reflect]") {
  Shapes a{};
  a.slots = {Color::green, std::nullopt, Color::red};
  a.cells = {{7, {true, 3}}, {300, {false, std::nullopt}}};
  a.marks = {{1, true}, {1, false}, {0, true}};
  a.events = {true, Cell{false, 9}, false};
  a.small = {4, 5};
  a.outer = sample();
  a.named = {"ab", {{{1, 2}, {}}}};
  a.plain = {Tag{}, std::uint32_t{0xdeadbeef}, true, std::uint16_t{9}, Tag{}, false};
  Shapes b{};  // another value of every shape, so that leftovers of a decoded over b would show
  b.slots = {std::nullopt, Color::green, std::nullopt};
  b.cells = {{1, {true, std::nullopt}}};
  b.events = {Cell{true, std::nullopt}, Cell{true, 1}, Cell{false, 2}, true};
  b.small = {1, 2, 3, 4, 5, 6};
  b.named = {"", {{{}, {3, 4, 5}}}};
  b.plain = {std::uint16_t{0xffff}, Tag{}, std::uint32_t{1}};
  for (const Shapes* v : {&a, &b}) {
    const mc::Bytes plain = mc::encode(*v);
    mc::EncodeBuffer buffer;
    mc::encode_into(buffer, *v);
    CHECK(mc::Bytes(buffer.data(), buffer.data() + buffer.size()) == plain);
    const auto bytes = [](const std::uint8_t* data, std::size_t size) { return mc::Bytes(data, data + size); };
    CHECK(mc::with_encoding(*v, bytes) == plain);  // on the stack
    CHECK(mc::with_encoding<8>(*v, bytes) == plain);  // too big for 8 bytes: in a buffer
    Shapes reused = v == &a ? b : a;
    mc::detail::Reader in{plain.data(), plain.data() + plain.size()};
    mc::decode_from(in, reused);
    CHECK(in.p == in.end);
    CHECK(mc::encode(reused) == plain);
  }
}

namespace reflection_test {
// Shapes `mc::assign` copies apart: boost vectors of plain elements (one block) and of structs (element by
// element), boost flat sets (as their vectors), variants and optionals with the same or another alternative on each
// side.
struct Step {
  BOOST_HANA_DEFINE_STRUCT(Step, (std::variant<std::uint8_t, Small>, either), (std::optional<Inner>, maybe),
                           (boost::container::small_vector<Cell, 2>, cells));
};
struct Steps {
  BOOST_HANA_DEFINE_STRUCT(Steps, (boost::container::small_vector<Step, 2>, steps), (Small, small), (Outer, outer),
                           (Shapes, shapes), (boost::container::flat_multiset<std::uint16_t>, bag),
                           (boost::container::flat_set<std::uint8_t>, ids));
};
}  // namespace reflection_test

TEST_CASE("assign leaves the target equal to the source, whatever the target held", "[reflect]") {
  Steps empty{};
  Steps one{};
  one.steps = {Step{std::uint8_t{3}, Inner{1, "a"}, {Cell{true, 2}}}};
  one.small = {9};
  one.outer = sample();
  Steps many = one;  // longer vectors (past their inline room), other alternatives, other optionals
  // Small alternatives emplaced, not moved in: moving a small_vector into a variant makes GCC 12 warn.
  many.steps.push_back(Step{std::uint8_t{0}, std::nullopt, {Cell{false, {}}, Cell{true, 1}, Cell{true, 7}}});
  many.steps.back().either.emplace<Small>() = {1, 2, 3, 4, 5, 6};
  many.steps.push_back(Step{std::uint8_t{0}, Inner{2, std::nullopt}, {}});
  many.steps[0].either.emplace<Small>() = {4};
  many.small = {1, 2, 3, 4, 5, 6, 7};
  many.outer.log.push_back({3, "c"});
  many.shapes.events = {true, Cell{false, 9}};
  many.shapes.marks = {{4, false}, {1, true}};
  many.bag = {7, 2, 7, 300};
  many.ids = {9, 1, 4};
  Steps other = many;
  other.steps[1].maybe = Inner{5, "e"};
  other.steps[0].cells.clear();
  other.outer.payload = 4;
  other.shapes.marks.erase(other.shapes.marks.begin());
  other.bag = {1};
  other.ids = {2};
  for (const Steps* to : {&empty, &one, &many, &other}) {
    for (const Steps* from : {&empty, &one, &many, &other}) {
      Steps t = *to;
      mc::assign(t, *from);
      CHECK(mc::encode(t) == mc::encode(*from));
      // Decoding overwrites in place too (the explorer decodes each parent over the one before): what `t` held
      // must not show through, whether its sequences were longer or shorter, its alternatives others.
      const mc::Bytes bytes = mc::encode(*from);
      Steps d = *to;
      mc::detail::Reader in{bytes.data(), bytes.data() + bytes.size()};
      mc::decode_from(in, d);
      CHECK(in.p == in.end);
      CHECK(mc::encode(d) == bytes);
    }
  }
}

TEST_CASE("a set decoded from bytes out of order is rejected, not kept unsorted", "[reflect]") {
  using Bag = boost::container::flat_multiset<std::uint16_t>;
  using Set = boost::container::flat_set<std::uint16_t>;
  const mc::Bytes unsorted = mc::encode(std::vector<std::uint16_t>{7, 2});
  const mc::Bytes repeated = mc::encode(std::vector<std::uint16_t>{2, 2, 5});
  CHECK_THROWS_AS(mc::decode<Bag>(unsorted.data(), unsorted.size()), std::out_of_range);
  CHECK_THROWS_AS(mc::decode<Set>(unsorted.data(), unsorted.size()), std::out_of_range);
  CHECK_THROWS_AS(mc::decode<Set>(repeated.data(), repeated.size()), std::out_of_range);
  CHECK(mc::decode<Bag>(repeated.data(), repeated.size()) == Bag{2, 2, 5});  // a bag holds copies
  const mc::Bytes sorted = mc::encode(Set{5, 1, 3});
  CHECK(mc::decode<Set>(sorted.data(), sorted.size()) == Set{1, 3, 5});
}

TEST_CASE("malformed encodings are rejected, not read past their end", "[reflect]") {
  const mc::Bytes b = mc::encode(sample());
  CHECK_THROWS_AS(mc::decode<Outer>(b.data(), b.size() - 1), std::out_of_range);
  mc::Bytes longer = b;
  longer.push_back(0);
  CHECK_THROWS_AS(mc::decode<Outer>(longer.data(), longer.size()), std::out_of_range);
}

TEST_CASE("states print with field names and enum names", "[reflect]") {
  CHECK(mc::to_text(sample()) ==
        "{color: green, inner: {x: 7, tag: \"seven\"}, votes: {1: {2, 3}, 4: {}}, payload: {x: 1, tag: none}, "
        "log: [{x: 1, tag: none}, {x: 2, tag: \"b\"}], small: [1, 2, 3, 4, 5], flag: true}");
}

TEST_CASE("states render as JSON", "[reflect]") {
  const auto j = mc::to_json(sample());
  CHECK(j["color"] == "green");
  CHECK(j["inner"]["tag"] == "seven");
  CHECK(j["votes"]["1"] == nlohmann::json::array({2, 3}));
  CHECK(j["payload"]["tag"].is_null());
  CHECK(j["small"].size() == 5);
}

TEST_CASE("diff lists exactly the changed fields, by path", "[reflect]") {
  Outer a = sample();
  Outer b = sample();
  b.inner.x = 8;
  b.votes[1].insert(9);
  b.votes[5] = {1};
  b.log[1].tag.reset();
  const auto d = mc::diff(a, b);
  REQUIRE(d.size() == 4);
  CHECK(d[0] == mc::FieldChange{"inner.x", "7", "8"});
  CHECK(d[1] == mc::FieldChange{"votes[1]", "", "9", mc::FieldChange::Edit::added});  // inside the set: the element
  CHECK(d[2] == mc::FieldChange{"votes[5]", "(absent)", "{1}"});
  CHECK(d[3] == mc::FieldChange{"log[1].tag", "\"b\"", "none"});
  CHECK(mc::diff(a, a).empty());
}

namespace reflection_test {
struct Nothing {
  bool operator==(const Nothing&) const = default;
};
struct Collections {
  BOOST_HANA_DEFINE_STRUCT(Collections, (std::multiset<int>, bag), (mc::BitSet<8>, timers),
                           (std::vector<int>, history), (std::map<int, Inner>, by_key), (Nothing, durable));
};
Collections collections() {
  Collections c{};
  c.bag = {1, 2, 2, 5};
  c.timers.insert(0);
  c.timers.insert(3);
  c.history = {10, 20};
  c.by_key = {{1, {7, std::nullopt}}, {2, {8, "x"}}};
  return c;
}
/// The printed change lines of a diff, as a trace shows them under a step.
std::string change_lines(const Collections& a, const Collections& b) {
  std::string out;
  for (const auto& c : mc::diff(a, b)) out += mc::change_text(c) + "\n";
  return out;
}
}  // namespace reflection_test

TEST_CASE("diffs inside collections: elements of sets and bags, tails of sequences, fields of map values",
          "[reflect]") {
  const Collections a = collections();
  Collections b = a;
  b.bag.erase(b.bag.find(2));  // one copy of two delivered
  b.bag.insert(7);
  b.timers.erase(0);
  b.timers.insert(5);
  b.history.push_back(30);
  b.by_key[2].x = 9;
  b.by_key.erase(1);
  CHECK(change_lines(a, b) ==
        "bag - 2\n"
        "bag + 7\n"
        "timers - 0\n"
        "timers + 5\n"
        "history[2] + 30\n"
        "by_key[1]: {x: 7, tag: none} -> (absent)\n"
        "by_key[2].x: 8 -> 9\n");
  Collections shorter = a;
  shorter.history.pop_back();
  shorter.history[0] = 11;
  CHECK(change_lines(a, shorter) == "history[0]: 10 -> 11\nhistory[1] - 20\n");
  Collections emptied = a;
  emptied.bag.clear();
  CHECK(change_lines(a, emptied) == "bag - 1\nbag - 2\nbag - 2\nbag - 5\n");  // each copy in flight, one a line
  CHECK(mc::diff(a, a).empty());
}

TEST_CASE("sets, bags and bit sets are JSON arrays, an empty struct an object", "[reflect]") {
  const auto j = mc::to_json(collections());
  CHECK(j["bag"] == nlohmann::json::array({1, 2, 2, 5}));
  CHECK(j["timers"] == nlohmann::json::array({0, 3}));
  CHECK(j["durable"] == nlohmann::json::object());
  CHECK(j["by_key"]["2"]["tag"] == "x");
}
