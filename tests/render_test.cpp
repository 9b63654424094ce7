// Renderings of trace files: the Mermaid text for a known trace is the spec; the HTML page is self-contained.
#include "mc/check.hpp"
#include "mc/program/render.hpp"
#include "mc/program/trace_file.hpp"
#include "mc/trace/json.hpp"
#include "mc/trace/minimise.hpp"
#include "protocols/rpc_retry.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

namespace rpc = protocols::rpc;

namespace {
nlohmann::json volatile_dedup_trace() {
  const auto model = rpc::make_model(rpc::Variant::volatile_dedup, 1, rpc::default_faults);
  const auto r = mc::check(model);
  const auto t = mc::minimise(model, "at-most-once", 3, {});
  return {{"format", "faultline-trace"}, {"version", 1}, {"protocol", "rpc-retry"}, {"params", {{"variant", "volatile-dedup"}}},
          {"property", "at-most-once"}, {"kind", "always"}, {"outcome", "violated"}, {"steps", mc::trace_to_json(*t)}};
}
}  // namespace

TEST_CASE("Mermaid output for the minimised volatile-dedup trace", "[render][mermaid]") {
  CHECK(mc::program::render_mermaid(volatile_dedup_trace()) ==
        "sequenceDiagram\n"
        "    participant n0\n"
        "    participant n1\n"
        "    Note over n0,n1: 0. initial state\n"
        "    n0->>n1: 1. Request(key=0, amount=10)\n"
        "    Note over n1: 2. crash\n"
        "    Note over n0: 3. timeout retry\n"
        "    Note over n1: 4. restart\n"
        "    n0->>n1: 5. Request(key=0, amount=10)\n");
}

TEST_CASE("Mermaid marks drops and duplicates and escapes its special characters", "[render][mermaid]") {
  nlohmann::json doc{{"steps",
                      {{{"action", "Initial predicate"}, {"state", {{"nodes", {1, 2}}}}},
                       {{"action", "drop A;B n0→n1"},
                        {"event", {{"kind", "drop"}, {"src", 0}, {"dst", 1}, {"message", "A;B"}, {"fault", true}}}},
                       {{"action", "duplicate C#1 n1→n0"},
                        {"event", {{"kind", "duplicate"}, {"src", 1}, {"dst", 0}, {"message", "C#1"}, {"fault", true}}}},
                       {{"action", "partition {n0}|{n1}"},
                        {"event", {{"kind", "partition"}, {"sides", {{0}, {1}}}, {"fault", true}}}}}}};
  CHECK(mc::program::render_mermaid(doc) ==
        "sequenceDiagram\n"
        "    participant n0\n"
        "    participant n1\n"
        "    Note over n0,n1: 0. initial state\n"
        "    n0-xn1: 1. drop A#59;B\n"
        "    n1-->>n0: 2. duplicate C#35;1\n"
        "    Note over n0,n1: 3. partition {n0}|{n1}\n");
}

TEST_CASE("the HTML page embeds the trace and loads nothing from outside", "[render][html]") {
  auto doc = volatile_dedup_trace();
  doc["steps"][0]["action"] = "</script><script>alert(1)</script>";
  const std::string page = mc::program::render_html(doc);
  CHECK(page.find("<script src") == std::string::npos);
  CHECK(page.find("http://") == page.find("http://www.w3.org/2000/svg"));  // only the SVG namespace name
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("</script><script>alert") == std::string::npos);  // embedded text cannot close the script
  CHECK(page.find("Request(key=0, amount=10) n0→n1") != std::string::npos);
}

TEST_CASE("text that would change how a script is parsed is escaped, and the data survives", "[render][html]") {
  auto doc = volatile_dedup_trace();
  doc["steps"][0]["action"] = "<!--<script> a & b > c";
  const std::string page = mc::program::render_html(doc);
  CHECK(page.find("<!--") == std::string::npos);  // "<!--<script>" inside a script swallowed the rest of the page
  CHECK(page.find("<script> a") == std::string::npos);
  // The embedded data is still JSON that decodes to the same text.
  const std::string escaped = "\\u003c!--\\u003cscript\\u003e a \\u0026 b \\u003e c";
  CHECK(page.find(escaped) != std::string::npos);
  CHECK(nlohmann::json::parse("\"" + escaped + "\"").get<std::string>() == "<!--<script> a & b > c");
}

TEST_CASE("a C++ test saves a counterexample as a trace file that show and replay read", "[trace-file]") {
  const auto model = rpc::make_model(rpc::Variant::no_dedup, 1, rpc::default_faults);
  const auto r = mc::check(model);
  REQUIRE(r.status == mc::RunStatus::violation);
  const std::string path = "saved-trace-test.json";
  REQUIRE(mc::program::save_trace(path, r,
                                  {"faultline", "rpc-retry", {{"requests", "1"}, {"variant", "no-dedup"}},
                                   rpc::default_faults}));
  const auto t = mc::program::read_trace_file(path);
  CHECK(t.program == "faultline");
  CHECK(t.protocol == "rpc-retry");
  CHECK(t.property == "at-most-once");
  CHECK(t.faults == rpc::default_faults.to_spec());
  CHECK(t.steps().size() == r.violation()->trace->size());
  std::remove(path.c_str());
  CHECK_FALSE(mc::program::save_trace(path, mc::check(rpc::make_model(rpc::Variant::dedup, 1, {})),
                                      {"faultline", "rpc-retry", {}, {}}));  // no trace: nothing written
  CHECK_FALSE(std::filesystem::exists(path));
}
