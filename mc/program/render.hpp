// Renderings of a trace file for people: a Mermaid sequence diagram for Markdown, and a self-contained HTML page
// with a lane per node, arrows from send to delivery, faults drawn on the lanes, and a clickable state panel.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace mc::program {

/// `sequenceDiagram` text; deliveries are arrows, drops end in a cross, duplicates are dashed, the rest notes.
std::string render_mermaid(const nlohmann::json& trace_doc);

/// One HTML file with no external resources: the trace is embedded, the script and styles inline.
std::string render_html(const nlohmann::json& trace_doc);

}  // namespace mc::program
