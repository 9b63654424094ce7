// Mermaid and HTML renderings of trace files.
#include "mc/program/render.hpp"

#include <fmt/format.h>

#include <optional>

#include <set>
#include <string_view>

namespace mc::program {

namespace {

/// Node ids that appear in the trace: from the first state's `nodes`, else from the events.
std::size_t node_count(const nlohmann::json& doc) {
  const auto& steps = doc["steps"];
  if (!steps.empty() && steps[0]["state"].contains("nodes") && steps[0]["state"]["nodes"].is_array())
    return steps[0]["state"]["nodes"].size();
  return 0;
}

/// Mermaid treats `;` and `#` specially inside messages.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ';') out += "#59;";
    else if (c == '#') out += "#35;";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string render_mermaid(const nlohmann::json& doc) {
  const auto& steps = doc["steps"];
  const std::size_t nodes = node_count(doc);
  std::string out = "sequenceDiagram\n";
  for (std::size_t n = 0; n < nodes; ++n) out += fmt::format("    participant n{}\n", n);
  if (nodes == 0) out += "    participant system\n";
  const std::string everyone = nodes ? fmt::format("n0,n{}", nodes - 1) : "system";
  const std::string all = nodes > 1 ? everyone : (nodes ? "n0" : "system");
  out += fmt::format("    Note over {}: 1. initial state\n", all);
  // A lasso's cycle is a Mermaid loop block; a behaviour that stutters at its end says so after its last step.
  const bool lasso = doc.contains("cycle_start");
  const std::optional<std::size_t> cycle =
      lasso && doc["cycle_start"].is_number_unsigned() ? std::optional(doc["cycle_start"].get<std::size_t>()) : std::nullopt;
  for (std::size_t i = 1; i < steps.size(); ++i) {
    if (cycle && i == *cycle + 1)
      out += fmt::format("    loop forever: back to the state of step {}\n", *cycle + 1);
    const auto& step = steps[i];
    const std::string action = step.value("action", std::string("?"));
    if (!step.contains("event")) {
      out += fmt::format("    Note over {}: {}. {}\n", all, i + 1, mermaid_text(action));
      continue;
    }
    const auto& e = step["event"];
    const std::string kind = e.value("kind", std::string());
    if (kind == "deliver" || kind == "drop" || kind == "duplicate") {
      const char* arrow = kind == "deliver" ? "->>" : kind == "drop" ? "-x" : "-->>";
      const std::string label = kind == "deliver" ? e.value("message", std::string())
                                                  : kind + " " + e.value("message", std::string());
      out += fmt::format("    n{}{}n{}: {}. {}\n", e.value("src", 0), arrow, e.value("dst", 0), i + 1, mermaid_text(label));
    } else if (kind == "partition" || kind == "heal" || kind == "tick") {
      out += fmt::format("    Note over {}: {}. {}\n", all, i + 1, mermaid_text(action));
    } else {
      std::string what = kind == "timeout" ? "timeout " + e.value("timer", std::string())
                         : kind == "clock-jump" ? action : kind;
      out += fmt::format("    Note over n{}: {}. {}\n", e.value("node", 0), i + 1, mermaid_text(what));
    }
  }
  if (cycle) out += "    end\n";
  else if (lasso) out += fmt::format("    Note over {}: stays in this state forever\n", all);
  return out;
}

namespace {

// The page: styles, markup and script, with the trace inserted as JSON. Kept in one raw string so the output is
// one file; the script draws an SVG (lanes, arrows, fault marks) and a state panel for the selected step.
constexpr std::string_view page_head = R"HTML(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>faultline trace</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;display:flex;height:100vh;color:#222}
#diagram{flex:3;overflow:auto;border-right:1px solid #ccc}
#side{flex:2;overflow:auto;padding:12px;font-size:13px}
h1{font-size:16px;margin:10px 14px}
.meta{margin:0 14px 8px;font-size:13px;color:#555}
svg text{font-size:12px}
.lane{stroke:#999;stroke-width:1}
.lane-label{font-weight:bold;text-anchor:middle}
.row{cursor:pointer}
.row rect{fill:transparent}
.row:hover rect{fill:#f3f3f3}
.row.selected rect{fill:#fff3c4}
.arrow{stroke:#1a5fb4;stroke-width:1.6;fill:none}
.arrow.drop{stroke:#c01c28;stroke-dasharray:4 3}
.arrow.duplicate{stroke:#9141ac;stroke-dasharray:2 2}
.cross{stroke:#c01c28;stroke-width:2.5}
.mark{font-weight:bold}
.mark.crash{fill:#c01c28}.mark.restart{fill:#26a269}.mark.timeout{fill:#b5835a}
.band{fill:#c01c28;opacity:.08}
.loop{stroke:#e66100;stroke-width:2;fill:none}
.mark.cycle{fill:#e66100}
.num{fill:#777;text-anchor:end}
.action{fill:#333}
pre{background:#f7f7f7;padding:6px;margin:4px 0 10px;white-space:pre-wrap}
.changed{background:#ffe08a;font-weight:bold}
.help{color:#777;font-size:12px}
</style></head><body>
<div id="diagram"><h1 id="title"></h1><div class="meta" id="meta"></div><pre id="explanation" hidden></pre><svg id="svg" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="side"><div class="help">Click a step, or use &#8593;/&#8595; (k/j) to move. Changed fields are highlighted.</div>
<h2 id="step-title" style="font-size:15px"></h2><div id="state-panel"></div></div>
<script id="trace-data" type="application/json">)HTML";

constexpr std::string_view page_tail = R"HTML(</script>
<script>
(function () {
  const doc = JSON.parse(document.getElementById('trace-data').textContent);
  const steps = doc.steps;
  const NS = 'http://www.w3.org/2000/svg';
  const first = steps[0].state;
  const nodes = Array.isArray(first.nodes) ? first.nodes.length : 1;
  const laneX = n => 400 + n * 170, rowY = i => 60 + i * 34;
  const width = laneX(nodes - 1) + 260, height = rowY(steps.length) + 20;
  const svg = document.getElementById('svg');
  svg.setAttribute('width', width); svg.setAttribute('height', height);
  document.getElementById('title').textContent =
    `${doc.protocol}: ${doc.property} (${doc.kind}) ${doc.outcome}`;
  const params = Object.entries(doc.params || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  document.getElementById('meta').textContent =
    `${steps.length} states, ${doc.fault_events || 0} fault events` + (params ? `; ${params}` : '') +
    (doc.faults ? `; faults ${doc.faults}` : '') +
    (doc.minimised_from ? `; minimised from ${doc.minimised_from.steps} steps / ${doc.minimised_from.fault_events} faults` : '');
  const lasso = 'cycle_start' in doc;  // a liveness counterexample: a path, then a cycle (or its last state) forever
  if (lasso) document.getElementById('meta').textContent += doc.cycle_start === null
    ? '; then its last state forever' : `; then steps ${doc.cycle_start + 2}..${steps.length} forever (the cycle)`;
  const account = (doc.explanation || '') +
    (lasso && doc.fairness && doc.fairness.length ? 'The cycle is fair:\n  ' + doc.fairness.join('\n  ') : '');
  if (account) {  // the property's own account, e.g. the client history as a timeline
    const ex = document.getElementById('explanation');
    ex.textContent = account; ex.hidden = false; ex.style.margin = '0 14px 8px';
  }
  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.appendChild(e); return e;
  }
  // Arrow head.
  const defs = el('defs');
  defs.innerHTML = '<marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">' +
                   '<path d="M0,0 L8,4 L0,8 z" fill="#1a5fb4"/></marker>';
  // Rows first (so they sit under the drawing), then lanes.
  const rows = [];
  steps.forEach((s, i) => {
    const g = el('g', {class: 'row', 'data-step': i});
    const r = document.createElementNS(NS, 'rect');
    r.setAttribute('x', 0); r.setAttribute('y', rowY(i) - 17); r.setAttribute('width', width); r.setAttribute('height', 34);
    g.appendChild(r);
    const t = document.createElementNS(NS, 'text');
    t.setAttribute('x', 34); t.setAttribute('y', rowY(i) + 4); t.setAttribute('class', 'num'); t.textContent = i + 1;
    g.appendChild(t);
    const a = document.createElementNS(NS, 'text');
    a.setAttribute('x', 44); a.setAttribute('y', rowY(i) + 4); a.setAttribute('class', 'action'); a.textContent = s.action.length > 46 ? s.action.slice(0, 45) + '…' : s.action;
    g.appendChild(a);
    g.addEventListener('click', () => select(i));
    rows.push(g);
  });
  if (lasso && doc.cycle_start !== null) {  // the loop: from the last step back up to the cycle's first state
    const y1 = rowY(doc.cycle_start), y2 = rowY(steps.length - 1);
    el('path', {id: 'cycle', class: 'loop', d: `M24,${y2} L10,${y2} L10,${y1} L22,${y1}`, 'marker-end': 'url(#head)'});
    el('text', {class: 'mark cycle', x: 2, y: y1 - 6}, '↻');
  } else if (lasso) {
    el('text', {id: 'cycle', class: 'mark cycle', x: 8, y: rowY(steps.length - 1) + 4}, '■');
  }
  for (let n = 0; n < nodes; n++) {
    el('line', {class: 'lane', x1: laneX(n), y1: 40, x2: laneX(n), y2: height - 10, 'data-node': n});
    el('text', {class: 'lane-label', x: laneX(n), y: 30}, nodes > 1 || first.nodes ? `n${n}` : 'system');
  }
  // In-flight messages per step, to draw each arrow from the step that sent the message to its delivery.
  function inflight(state) {
    const out = [];
    const net = state.network || {};
    (net.bag || []).forEach(m => out.push(String(m)));
    for (const [link, queue] of Object.entries(net.links || {})) {
      const [src, dst] = link.replace(/[()\s]/g, '').split(',');
      (queue || []).forEach(() => out.push(`link ${src}-${dst}`));
    }
    return out;
  }
  const pending = {};   // message text (or FIFO link) -> [step that sent it]
  // FIFO networks keep per-link queues (matched in order); the others keep a bag of described messages.
  const fifo = steps.some(s => s.state.network && Object.keys(s.state.network.links || {}).length);
  const keyOf = (e) => fifo ? `link ${e.src}-${e.dst}` : `${e.message} n${e.src}→n${e.dst}`;
  let prev = [];
  steps.forEach((s, i) => {
    const now = inflight(s.state);
    const ev = s.event;
    const before = prev.slice();
    // Remove what the event consumed, so what remains new in `now` was sent in this step.
    if (ev && (ev.kind === 'deliver' || ev.kind === 'drop')) {
      const at = before.indexOf(keyOf(ev));
      if (at >= 0) before.splice(at, 1);
    }
    const counts = {};
    before.forEach(m => counts[m] = (counts[m] || 0) + 1);
    const isDup = ev && ev.kind === 'duplicate';
    now.forEach(m => {
      if (counts[m]) { counts[m]--; return; }
      (pending[m] = pending[m] || []).push({step: i, dup: isDup});
    });
    prev = now;
    if (!ev) return;
    const y = rowY(i);
    if (ev.kind === 'deliver' || ev.kind === 'drop' || ev.kind === 'duplicate') {
      const k = keyOf(ev);
      let from = i;
      if (ev.kind !== 'duplicate' && pending[k] && pending[k].length) {
        const sent = pending[k].shift(); from = sent.step;
      }
      const x1 = laneX(ev.src), y1 = rowY(from), x2 = laneX(ev.dst);
      if (ev.kind === 'deliver') {
        el('line', {class: 'arrow deliver', x1, y1, x2, y2: y, 'marker-end': 'url(#head)', 'data-step': i});
        el('text', {x: (x1 + x2) / 2, y: (y1 + y) / 2 - 4, 'text-anchor': 'middle'}, ev.message);
      } else if (ev.kind === 'drop') {
        const xm = x1 + (x2 - x1) * 0.6;
        el('line', {class: 'arrow drop', x1, y1, x2: xm, y2: y, 'data-step': i});
        el('path', {class: 'cross', d: `M${xm - 6},${y - 6} L${xm + 6},${y + 6} M${xm - 6},${y + 6} L${xm + 6},${y - 6}`});
        el('text', {x: xm + 10, y: y + 4}, 'lost: ' + ev.message);
      } else {
        el('line', {class: 'arrow duplicate', x1, y1: y, x2: x1 + (x2 - x1) * 0.3, y2: y, 'data-step': i});
        el('text', {x: x1 + (x2 - x1) * 0.3 + 6, y: y + 4, class: 'mark'}, '⧉ duplicated: ' + ev.message);
      }
    } else if (ev.kind === 'crash' || ev.kind === 'restart' || ev.kind === 'timeout') {
      const sym = ev.kind === 'crash' ? '✖ crash' : ev.kind === 'restart' ? '↻ restart' : 'timeout: ' + ev.timer;
      el('text', {class: 'mark ' + ev.kind, x: laneX(ev.node) + 6, y: y + 4, 'data-step': i}, sym);
    } else if (ev.kind === 'clock-jump') {
      el('text', {class: 'mark crash', x: laneX(ev.node) + 6, y: y + 4, 'data-step': i}, '⏱ wall ' + (ev.jump > 0 ? '+' : '') + ev.jump);
    } else if (ev.kind === 'tick') {
      el('text', {class: 'mark', x: laneX(nodes - 1) + 10, y: y + 4, 'data-step': i}, '⏱ ' + steps[i].action);
    } else if (ev.kind === 'partition') {
      el('rect', {class: 'band', x: laneX(0) - 30, y: y - 14, width: laneX(nodes - 1) - laneX(0) + 60, height: 28});
      el('text', {class: 'mark crash', x: laneX(nodes - 1) + 10, y: y + 4}, 'partition ' + ev.sides.map(s => '{' + s.map(n => 'n' + n).join(',') + '}').join('|'));
    } else if (ev.kind === 'heal') {
      el('text', {class: 'mark restart', x: laneX(nodes - 1) + 10, y: y + 4}, 'heal');
    }
  });
  // The state panel: every node's state at the selected step, with the fields that step changed highlighted, as
  // the trace saved them (the reflected diff `check` prints; files before version 3 carry none, so none is marked).
  function flatten(v, path, out) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
    } else if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
      v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
    } else out[path] = JSON.stringify(v);
    return out;
  }
  // A shown field changed when a change's path is the field, lies inside it, or contains it.
  const within = (inner, outer) => inner === outer || inner.startsWith(outer + '.') || inner.startsWith(outer + '[');
  function render(state, changes) {
    const now = flatten(state, '', {});
    const paths = (changes || []).map(c => c.path);
    const panel = document.getElementById('state-panel');
    panel.innerHTML = '';
    const groups = {};
    for (const [path, value] of Object.entries(now)) {
      const m = /^nodes\[(\d+)\]\.?(.*)$/.exec(path);
      const group = m ? `n${m[1]}` : path.split(/[.[]/)[0];
      const changed = paths.some(p => within(p, path) || within(path, p));
      (groups[group] = groups[group] || []).push([m ? m[2] : path, value, changed]);
    }
    for (const [group, fields] of Object.entries(groups)) {
      const h = document.createElement('h3'); h.textContent = group; h.style.fontSize = '13px'; h.style.margin = '6px 0 0';
      const pre = document.createElement('pre'); pre.className = 'node-state'; pre.dataset.group = group;
      fields.forEach(([path, value, changed]) => {
        const line = document.createElement('div');
        line.textContent = `${path}: ${value}`;
        if (changed) line.className = 'changed';
        pre.appendChild(line);
      });
      panel.appendChild(h); panel.appendChild(pre);
    }
  }
  let current = 0;
  function select(i) {
    current = Math.max(0, Math.min(steps.length - 1, i));
    rows.forEach((r, j) => r.classList.toggle('selected', j === current));
    document.getElementById('step-title').textContent = `Step ${current + 1}: ${steps[current].action}`;
    render(steps[current].state, current > 0 ? steps[current].changes : null);
    document.body.dataset.selected = current;
  }
  document.addEventListener('keydown', e => {
    if (e.key === 'ArrowDown' || e.key === 'j') { select(current + 1); e.preventDefault(); }
    if (e.key === 'ArrowUp' || e.key === 'k') { select(current - 1); e.preventDefault(); }
  });
  const m = /step=(\d+)/.exec(location.hash);
  select(m ? parseInt(m[1], 10) - 1 : 0);
  const c = /click=(\d+)/.exec(location.hash);   // for tests: simulate a click on a step row
  if (c) rows[parseInt(c[1], 10) - 1].dispatchEvent(new MouseEvent('click', {bubbles: true}));
})();
</script></body></html>
)HTML";

}  // namespace

std::string render_html(const nlohmann::json& doc) {
  // Inside <script>, text such as "</script>" or "<!--" changes how the page is parsed. Outside JSON strings the
  // dump has no '<', '>' or '&', so writing them as JSON escapes everywhere keeps the data and the page intact.
  const std::string data = doc.dump();
  std::string safe;
  safe.reserve(data.size());
  for (const char c : data) {
    if (c == '<') safe += "\\u003c";
    else if (c == '>') safe += "\\u003e";
    else if (c == '&') safe += "\\u0026";
    else safe += c;
  }
  return std::string(page_head) + safe + std::string(page_tail);
}

}  // namespace mc::program
