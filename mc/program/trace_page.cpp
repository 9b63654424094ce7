// The HTML view of a trace file: one self-contained page (styles, script and the trace as JSON inline) that draws
// a lane per node fitted to the window, arrows from send to delivery with labels that never overlap, crash periods,
// partitions and clock ticks on their lanes, the violating step and why it fails, and a clickable state panel.
#include "mc/program/render.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace mc::program {

namespace {

// Only glyphs Debian's default fonts (DejaVu) carry: arrows and basic shapes; faults are drawn, not emoji.
constexpr std::string_view styles = R"CSS(
html,body{height:100%}
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0;display:flex;flex-direction:column;color:#222}
header{padding:8px 14px 4px;border-bottom:1px solid #ccc}
h1{font-size:16px;margin:2px 0}
.meta{font-size:13px;color:#555}
#why{margin:4px 0 2px;font-size:14px;color:#8a1c12}
#why b{color:#222}
#explanation{max-height:30vh;overflow:auto}
main{flex:1;display:flex;min-height:0}
#diagram{flex:1;overflow:auto;position:relative;min-width:0}
#lanes-head{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #ddd}
#side{width:clamp(280px,30vw,460px);overflow:auto;padding:10px 12px;font-size:13px;border-left:1px solid #ccc}
svg text{font-size:12px}
.lane{stroke:#999;stroke-width:1}
.lane-label{font-weight:bold;text-anchor:middle}
.down{fill:#333;opacity:.55}
.row{cursor:pointer}
.row rect{fill:transparent}
.row:hover rect{fill:#f3f3f3}
.row.selected rect{fill:#fff3c4}
.row.violating rect{fill:#fde2e0}
.row.violating.selected rect{fill:#fbc9c4}
.violation-tag{fill:#c01c28;font-weight:bold}
.arrow{stroke:#1a5fb4;stroke-width:1.6;fill:none}
.arrow.drop{stroke:#c01c28;stroke-dasharray:4 3}
.arrow.duplicate{stroke:#9141ac;stroke-dasharray:2 2}
.msg-label{fill:#1a3a6b;cursor:pointer}
.msg-label.drop{fill:#a01c24}.msg-label.duplicate{fill:#6d2c86}
.cross{stroke:#c01c28;stroke-width:2.5}
.mark{font-weight:bold}
.mark.crash{fill:#c01c28}.mark.restart{fill:#26a269}.mark.timeout{fill:#b5835a}.mark.tick{fill:#777;font-weight:normal}
.band{fill:#c01c28;opacity:.08}
.band-label{fill:#a01c24;font-weight:bold}
.loop{stroke:#e66100;stroke-width:2;fill:none}
.mark.cycle{fill:#e66100}
.num{fill:#777;text-anchor:end}
.action{fill:#333}
pre{background:#f7f7f7;padding:6px;margin:4px 0 10px;white-space:pre-wrap}
.changed{background:#ffe08a;font-weight:bold}
.named{outline:2px solid #c01c28;outline-offset:-1px}
.help{color:#777;font-size:12px}
#changes div{font-family:monospace}
)CSS";

constexpr std::string_view page_body = R"HTML(<header><h1 id="title"></h1><div class="meta" id="meta"></div><div id="why" hidden></div>
<pre id="explanation" hidden></pre></header>
<main><div id="diagram"><div id="lanes-head"><svg id="head-svg" xmlns="http://www.w3.org/2000/svg"></svg></div>
<svg id="svg" xmlns="http://www.w3.org/2000/svg"></svg></div>
<div id="side"><div class="help">Click a step or a message, or use &#8593;/&#8595; (k/j) to move. Changed fields are
highlighted.</div><h2 id="step-title" style="font-size:15px"></h2><div id="changes"></div><div id="state-panel"></div></div>
</main>
)HTML";

// Draws `doc` (a trace file's document) into the elements above, again on each call; returns the rows and the
// function that selects a step.
constexpr std::string_view draw_script = R"JS(
function faultlineDrawTrace(doc, selected) {
  const steps = doc.steps;
  const NS = 'http://www.w3.org/2000/svg';
  const first = steps[0].state;
  const actors = first && Array.isArray(first.nodes);  // an actor system; a plain model gets a step list
  const nodes = actors ? first.nodes.length : 0;
  const svg = document.getElementById('svg'), headSvg = document.getElementById('head-svg');
  const pane = document.getElementById('diagram');
  svg.innerHTML = ''; headSvg.innerHTML = '';

  // Header: what failed, in the report's words (a trace of n steps after its initial state, step 0), and why.
  document.getElementById('title').textContent = `${doc.protocol}: ${doc.property} (${doc.kind}) ${doc.outcome}`;
  const params = Object.entries(doc.params || {}).map(([k, v]) => `${k}=${v}`).join(', ');
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const stepsWords = (n, faults) => plural(n, 'step') + (doc.faults ? ` with ${plural(faults, 'fault event')}` : '');
  const lasso = 'cycle_start' in doc;  // a liveness counterexample: a path, then a cycle (or its last state) forever
  document.getElementById('meta').textContent =
    stepsWords(steps.length - 1, doc.fault_events || 0) + (params ? `; ${params}` : '') +
    (doc.faults ? `; faults ${doc.faults}` : '') +
    (doc.minimised_from ? `; minimised: fewest fault events (the shortest, found first, had ${stepsWords(doc.minimised_from.steps, doc.minimised_from.fault_events)})` : '') +
    (!lasso ? '' : doc.cycle_start === null ? '; then its last state forever'
                 : `; then steps ${doc.cycle_start + 1}..${steps.length - 1} forever (the cycle)`);
  const explanation = doc.explanation || '';
  const oneLine = explanation && explanation.trim().indexOf('\n') < 0;
  const why = document.getElementById('why');
  why.hidden = true;
  document.getElementById('explanation').hidden = true;
  const last = steps.length - 1;
  if (doc.outcome === 'violated') {
    why.hidden = false;
    why.innerHTML = '<b>Why it fails:</b> ';
    const lines = explanation.trim().split('\n');
    why.appendChild(document.createTextNode(explanation ? lines[lines.length - 1].trim()
      : lasso ? 'a fair behaviour that never satisfies the property (see the cycle)' : `step ${last} breaks ${doc.property}`));
  }
  const account = (oneLine ? '' : explanation) +
    (lasso && doc.fairness && doc.fairness.length ? 'The cycle is fair:\n  ' + doc.fairness.join('\n  ') : '');
  if (account) {  // a longer account, e.g. the client history as a timeline, and how a lasso's cycle is fair
    const ex = document.getElementById('explanation');
    ex.textContent = account; ex.hidden = false;
  }

  // Geometry: lanes fitted to the pane (never closer than minGap; beyond that the pane scrolls, headers pinned).
  const rowH = 34, top = 14, numX = 36, actionX = 44;
  const actionW = actors ? 190 : Math.max(320, pane.clientWidth - 80);
  const lane0 = actionX + actionW + 30, minGap = 64, maxGap = 190;
  const gap = nodes <= 1 ? maxGap : Math.max(minGap, Math.min(maxGap, (pane.clientWidth - lane0 - 70) / (nodes - 1 || 1)));
  const laneX = n => lane0 + n * gap, rowY = i => top + 17 + i * rowH;
  const width = Math.max(pane.clientWidth - 2, actors ? laneX(nodes - 1) + 90 : actionX + actionW + 20);
  const height = rowY(steps.length) + 10;
  svg.setAttribute('width', width); svg.setAttribute('height', height);
  headSvg.setAttribute('width', width); headSvg.setAttribute('height', 26);

  function el(name, attrs, text, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    (parent || svg).appendChild(e); return e;
  }
  function titled(e, full) { const t = document.createElementNS(NS, 'title'); t.textContent = full; e.appendChild(t); return e; }
  // Text that fits `max` pixels: cut with an ellipsis; the whole text stays in its tooltip.
  function fitted(e, text, max) {
    e.textContent = text;
    if (e.getComputedTextLength() <= max) return e;
    let lo = 0, hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      e.textContent = text.slice(0, mid) + '…';
      if (e.getComputedTextLength() <= max) lo = mid; else hi = mid - 1;
    }
    e.textContent = text.slice(0, lo) + '…';
    return titled(e, text);
  }
  const defs = el('defs');
  defs.innerHTML = '<marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">' +
                   '<path d="M0,0 L8,4 L0,8 z" fill="#1a5fb4"/></marker>' +
                   '<marker id="loop-head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto">' +
                   '<path d="M0,0 L8,4 L0,8 z" fill="#e66100"/></marker>';
  if (!actors) document.getElementById('lanes-head').hidden = true;  // a plain model: no lanes, a step list

  // Rows: the step number (0: the initial state) and its action; the violating step is marked.
  const rows = [];
  steps.forEach((s, i) => {
    const g = el('g', {class: 'row' + (doc.outcome === 'violated' && !lasso && i === last ? ' violating' : ''), 'data-step': i});
    el('rect', {x: 0, y: rowY(i) - rowH / 2, width, height: rowH}, undefined, g);
    el('text', {x: numX, y: rowY(i) + 4, class: 'num'}, String(i), g);
    fitted(el('text', {x: actionX, y: rowY(i) + 4, class: 'action'}, '', g), s.action, actionW - 6);
    g.addEventListener('click', () => select(i));
    rows.push(g);
  });
  if (doc.outcome === 'violated' && !lasso)
    el('text', {class: 'violation-tag', x: 2, y: rowY(last) + 4, 'data-step': last}, '✗');
  if (lasso && doc.cycle_start !== null) {  // the loop: from the last step back up to the cycle's first state
    const y1 = rowY(doc.cycle_start), y2 = rowY(last);
    el('path', {id: 'cycle', class: 'loop', d: `M18,${y2} L7,${y2} L7,${y1} L17,${y1}`, 'marker-end': 'url(#loop-head)'});
    el('text', {class: 'mark cycle', x: 1, y: y1 - 7}, '↻');
  } else if (lasso) {
    el('text', {id: 'cycle', class: 'mark cycle', x: 8, y: rowY(last) + 4}, '■');
  }

  // Every box drawn so far that a label must not cover: marks and message labels.
  const placed = [];
  const box = e => { const b = e.getBBox(); return {x: b.x - 2, y: b.y - 1, w: b.width + 4, h: b.height + 2}; };
  const hits = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const free = b => !placed.some(p => hits(p, b)) && b.x >= lane0 - gap * 0.5 - 20 && b.x + b.w <= width;
  function mark(attrs, text, max) {
    const e = el('text', attrs, text);
    if (max) fitted(e, text, max);
    placed.push(box(e));
    return e;
  }
  // A mark beside node n's lane at step i: to the right of the lane, or to its left where the diagram ends.
  function laneMark(n, i, cls, text, max) {
    const e = el('text', {class: cls, x: laneX(n) + 6, y: rowY(i) + 4, 'data-step': i}, text);
    if (max) fitted(e, text, max);
    if (e.getBBox().x + e.getBBox().width > width - 2) { e.setAttribute('text-anchor', 'end'); e.setAttribute('x', laneX(n) - 6); }
    placed.push(box(e));
    return e;
  }

  if (actors) {
    // Lanes, with their headers pinned above the scrolling diagram.
    for (let n = 0; n < nodes; n++) {
      el('line', {class: 'lane', x1: laneX(n), y1: 0, x2: laneX(n), y2: height, 'data-node': n});
      el('text', {class: 'lane-label', x: laneX(n), y: 18, 'data-node': n}, `n${n}`, headSvg);
    }
    // Crash periods: the lane goes dark from the crash to its restart (or the end of the trace).
    const downSince = {};
    const down = (n, from, to) => el('rect', {class: 'down', x: laneX(n) - 4, y: rowY(from), width: 8,
                                              height: Math.max(4, rowY(to) - rowY(from)), 'data-node': n});
    steps.forEach((s, i) => {
      const ev = s.event;
      if (ev && ev.kind === 'crash') downSince[ev.node] = i;
      if (ev && ev.kind === 'restart' && downSince[ev.node] !== undefined) { down(ev.node, downSince[ev.node], i); delete downSince[ev.node]; }
    });
    for (const [n, from] of Object.entries(downSince)) down(Number(n), from, steps.length - 0.5);
    // Partitions: a band across the steps they last, with their sides named.
    let cut = null;
    const band = (from, to) => {
      el('rect', {class: 'band', x: lane0 - 30, y: rowY(from) - rowH / 2 + 2, width: laneX(nodes - 1) - lane0 + 60,
                  height: rowY(to) - rowY(from) + rowH - 4});
    };
    steps.forEach((s, i) => {
      const ev = s.event;
      if (ev && ev.kind === 'partition') cut = {from: i, sides: ev.sides};
      if (ev && ev.kind === 'heal' && cut) { band(cut.from, i); cut = null; }
    });
    if (cut) band(cut.from, last);

    // Marks on the lanes: crashes, restarts, timeouts, clock ticks and jumps; a partition's sides; a heal.
    steps.forEach((s, i) => {
      const ev = s.event, y = rowY(i) + 4;
      if (!ev) return;
      if (ev.kind === 'crash' && ev.unsynced)  // what reached the disk of the unsynced appends
        laneMark(ev.node, i, 'mark crash', `✗ crash, kept ${ev.kept.length} of ${ev.unsynced}${ev.torn ? ', torn' : ''}`,
                 Math.max(gap * 2.2, 170));
      else if (ev.kind === 'crash') laneMark(ev.node, i, 'mark crash', '✗ crash');
      else if (ev.kind === 'restart') laneMark(ev.node, i, 'mark restart', '↑ restart');
      else if (ev.kind === 'timeout') laneMark(ev.node, i, 'mark timeout', 'timeout ' + ev.timer, Math.max(gap * 1.7, 110));
      else if (ev.kind === 'clock-jump') laneMark(ev.node, i, 'mark crash', 'wall ' + (ev.jump > 0 ? '+' : '') + ev.jump);
      else if (ev.kind === 'tick') (ev.advances || []).forEach((a, n) =>
        mark({class: 'mark tick', x: laneX(n) + 4, y, 'data-step': i}, `+${a}`));
      else if (ev.kind === 'partition')
        mark({class: 'band-label', x: lane0 - 26, y: rowY(i) - rowH / 2 + 13, 'data-step': i},
             'partition ' + ev.sides.map(side => '{' + side.map(n => 'n' + n).join(', ') + '}').join(' | '),
             laneX(nodes - 1) - lane0 + 50);
      else if (ev.kind === 'heal') mark({class: 'mark restart', x: lane0 - 26, y, 'data-step': i}, 'heal');
    });

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
    const labels = [];
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
      now.forEach(m => {
        if (counts[m]) { counts[m]--; return; }
        (pending[m] = pending[m] || []).push(i);
      });
      prev = now;
      if (!ev || !(ev.kind === 'deliver' || ev.kind === 'drop' || ev.kind === 'duplicate')) return;
      const y = rowY(i), k = keyOf(ev);
      let from = i;
      if (ev.kind !== 'duplicate' && pending[k] && pending[k].length) from = pending[k].shift();
      const x1 = laneX(ev.src), y1 = rowY(from), x2 = laneX(ev.dst);
      if (ev.kind === 'deliver') {
        el('line', {class: 'arrow deliver', x1, y1, x2, y2: y, 'marker-end': 'url(#head)', 'data-step': i});
        labels.push({step: i, kind: 'deliver', text: ev.message, x1, y1, x2, y2: y});
      } else if (ev.kind === 'drop') {
        const xm = x1 + (x2 - x1) * 0.6;
        el('line', {class: 'arrow drop', x1, y1, x2: xm, y2: y, 'data-step': i});
        el('path', {class: 'cross', d: `M${xm - 6},${y - 6} L${xm + 6},${y + 6} M${xm - 6},${y + 6} L${xm + 6},${y - 6}`});
        placed.push({x: xm - 7, y: y - 7, w: 14, h: 14});
        labels.push({step: i, kind: 'drop', text: 'lost: ' + ev.message, x1, y1, x2: xm, y2: y});
      } else {
        const xe = x1 + (x2 - x1) * 0.3;
        el('line', {class: 'arrow duplicate', x1, y1: y, x2: xe, y2: y, 'data-step': i});
        labels.push({step: i, kind: 'duplicate', text: 'duplicated: ' + ev.message, x1, y1: y, x2: xe, y2: y});
      }
    });
    // Message labels: the first spot along the arrow (or beside its end) that covers no other label or mark; cut to
    // the lane spacing with the whole text on hover and in the step panel; a label with no free spot is left off.
    const maxLabel = Math.max(80, gap * 1.5);
    const spots = [0.5, 0.35, 0.65, 0.2, 0.8, 0.05, 0.95];
    const lifts = [-5, 13, -17, 25];
    labels.forEach(l => {
      const t = el('text', {class: 'msg-label ' + l.kind, 'data-step': l.step, 'text-anchor': 'middle'});
      fitted(t, l.text, maxLabel);
      if (!t.querySelector('title')) titled(t, l.text);
      t.addEventListener('click', () => select(l.step));
      for (const attempt of [0, 1]) {
        if (attempt === 1) fitted(t, l.text, Math.max(40, gap * 0.8));  // a shorter cut, then try again
        for (const f of spots) for (const dy of lifts) {
          t.setAttribute('x', l.x1 + (l.x2 - l.x1) * f);
          t.setAttribute('y', l.y1 + (l.y2 - l.y1) * f + dy);
          const b = box(t);
          if (free(b)) { placed.push(b); return; }
        }
      }
      t.remove();  // nowhere free: the arrow keeps it as its tooltip
      const arrow = svg.querySelector(`line.arrow[data-step="${l.step}"]`);
      if (arrow) titled(arrow, l.text);
    });
  }

  // The state panel: every node's state at the selected step, with the fields that step changed highlighted, as
  // the trace saved them (the reflected diff `check` prints; files before version 3 carry none, so none is marked).
  // Fields one per line; a list of plain values one element per line once it no longer fits on one (the network's
  // messages in flight, a history): `network.bag[2]: Prepare(ballot=1) n0→n1`.
  const shown = v => typeof v === 'string' ? v : JSON.stringify(v);
  function flatten(v, path, out) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
    } else if (Array.isArray(v) && v.length && (typeof v[0] === 'object' || v.map(shown).join(', ').length > 40)) {
      v.forEach((x, i) => {
        if (x && typeof x === 'object') flatten(x, `${path}[${i}]`, out);
        else out[`${path}[${i}]`] = {text: shown(x), list: path};
      });
    } else out[path] = {text: Array.isArray(v) ? '[' + v.map(shown).join(', ') + ']' : shown(v)};
    return out;
  }
  // A shown field changed when a change's path is the field, lies inside it, or contains it; an element of a list
  // when it is the element the change added.
  const within = (inner, outer) => inner === outer || inner.startsWith(outer + '.') || inner.startsWith(outer + '[');
  const changeText = c => 'added' in c ? `${c.path} + ${c.added}` : 'removed' in c ? `${c.path} - ${c.removed}`
                                                                             : `${c.path}: ${c.before} -> ${c.after}`;
  function isChanged(path, field, changes) {
    return changes.some(c => {
      if (field.list !== undefined && c.path === field.list) return 'added' in c ? c.added === field.text : false;
      return within(c.path, path) || within(path, c.path);
    });
  }
  // The fields the explanation is about, marked in the violating state.
  const named = doc.explanation_fields || [];
  function render(state, changes, violating) {
    const now = flatten(state, '', {});
    const list = document.getElementById('changes');
    list.innerHTML = '';
    (changes || []).forEach(c => { const d = document.createElement('div'); d.textContent = changeText(c); list.appendChild(d); });
    const panel = document.getElementById('state-panel');
    panel.innerHTML = '';
    const groups = {};
    for (const [path, field] of Object.entries(now)) {
      const m = /^nodes\[(\d+)\]\.?(.*)$/.exec(path);
      const group = m ? `n${m[1]}` : path.split(/[.[]/)[0];
      const about = violating && named.some(f => within(f, path) || within(path, f));
      (groups[group] = groups[group] || []).push([m ? m[2] : path, field.text, isChanged(path, field, changes || []), about]);
    }
    for (const [group, fields] of Object.entries(groups)) {
      const h = document.createElement('h3'); h.textContent = group; h.style.fontSize = '13px'; h.style.margin = '6px 0 0';
      const pre = document.createElement('pre'); pre.className = 'node-state'; pre.dataset.group = group;
      fields.forEach(([path, value, changed, about]) => {
        const line = document.createElement('div');
        line.textContent = `${path}: ${value}`;
        line.className = [changed ? 'changed' : '', about ? 'named' : ''].filter(Boolean).join(' ');
        if (!line.className) line.removeAttribute('class');
        pre.appendChild(line);
      });
      panel.appendChild(h); panel.appendChild(pre);
    }
  }
  let current = 0;
  function select(i) {
    current = Math.max(0, Math.min(last, i));
    rows.forEach((r, j) => r.classList.toggle('selected', j === current));
    document.getElementById('step-title').textContent = `Step ${current}: ${steps[current].action}`;
    render(steps[current].state, current > 0 ? steps[current].changes : null,
           doc.outcome === 'violated' && !lasso && current === last);
    document.body.dataset.selected = current;
  }
  document.onkeydown = e => {  // one handler, for the trace drawn last
    if (e.target && e.target.closest && e.target.closest('input, textarea, select')) return;
    if (e.key === 'ArrowDown' || e.key === 'j') { select(current + 1); e.preventDefault(); }
    if (e.key === 'ArrowUp' || e.key === 'k') { select(current - 1); e.preventDefault(); }
  };
  select(selected || 0);
  document.body.dataset.drawn = 'yes';
  return {rows, select};
}
)JS";

// The static page: #step=N selects a step once drawn; #click=N (for tests) clicks its row.
constexpr std::string_view page_start = R"JS(
(function () {
  const m = /step=(\d+)/.exec(location.hash), c = /click=(\d+)/.exec(location.hash);
  const drawn = faultlineDrawTrace(JSON.parse(document.getElementById('trace-data').textContent),
                                   m ? parseInt(m[1], 10) : 0);
  if (c) drawn.rows[parseInt(c[1], 10)].dispatchEvent(new MouseEvent('click', {bubbles: true}));
})();
)JS";

}  // namespace

std::string script_json(const nlohmann::json& doc) {
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
  return safe;
}

std::string render_html(const nlohmann::json& doc) {
  const std::string safe = script_json(doc);
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                     "<title>faultline trace</title>\n<style>{}</style></head><body>\n{}"
                     "<script id=\"trace-data\" type=\"application/json\">{}</script>\n<script>{}{}</script></body></html>\n",
                     styles, page_body, safe, draw_script, page_start);
}

std::string_view trace_page_styles() { return styles; }
std::string_view trace_page_body() { return page_body; }
std::string_view trace_page_script() { return draw_script; }

}  // namespace mc::program
