// Renderings of a trace file for people: a Mermaid sequence diagram for Markdown, and a self-contained HTML page
// with a lane per node, arrows from send to delivery, faults drawn on the lanes, and a clickable state panel.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace mc::program {

/// `sequenceDiagram` text; deliveries are arrows, drops end in a cross, duplicates are dashed, the rest notes.
std::string render_mermaid(const nlohmann::json& trace_doc);

/// One HTML file with no external resources: the trace is embedded, the script and styles inline.
std::string render_html(const nlohmann::json& trace_doc);

/// The HTML page's parts, for pages that draw traces too (`explore`): its styles, its markup (the elements the
/// script draws into, by id), and a script defining `faultlineDrawTrace(doc, selected)`, which draws a trace
/// document's steps there (again on each call) and returns {rows, select}.
std::string_view trace_page_styles();
std::string_view trace_page_body();
std::string_view trace_page_script();

/// JSON to embed in a <script> element: '<', '>' and '&' written as escapes, so no text in it ends the element.
std::string script_json(const nlohmann::json& doc);

}  // namespace mc::program
