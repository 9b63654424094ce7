// The explorer's page: the path taken so far drawn by the trace page's own script (lanes, arrows, faults, the
// state panel), each property's value, the steps enabled here grouped by node with their changes on hover, and
// the controls: back and forward, load a trace, and a bounded search for a counterexample from here.
#include "mc/program/explore_server.hpp"
#include "mc/program/render.hpp"

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace mc::program {

namespace {

constexpr std::string_view explore_styles = R"CSS(
#toolbar{display:flex;flex-wrap:wrap;gap:6px;align-items:center;padding:6px 14px;border-bottom:1px solid #ccc;
  font-size:13px;background:#fafafa}
#toolbar input[type=number]{width:5em}
#toolbar .sep{width:14px}
#error{color:#c01c28;font-weight:bold}
#search-status{color:#555}
#explore-panel h2{font-size:14px;margin:8px 0 4px}
#properties{list-style:none;padding:0;margin:0 0 6px}
#properties li{font-family:monospace;padding:1px 4px}
#properties li.violated{background:#fde2e0;color:#8a1c12;font-weight:bold}
#properties li.holds,#properties li.reached{color:#26a269}
.group h3{font-size:13px;margin:6px 0 2px}
button.step{display:block;width:100%;text-align:left;margin:2px 0;padding:3px 6px;font:12px monospace;
  background:#fff;border:1px solid #bbb;border-radius:3px;cursor:pointer}
button.step:hover{background:#eef4fd;border-color:#1a5fb4}
button.step.fault{border-left:4px solid #c01c28}
button.step.breaks{background:#fde2e0}
button.step.outside{opacity:.5}
button.step .tag{color:#c01c28;font-weight:bold}
#preview{min-height:2.5em;font-family:monospace;font-size:12px;background:#f7f7f7;padding:4px;margin:4px 0;
  white-space:pre-wrap}
#found ol{font-family:monospace;font-size:12px;padding-left:2.2em;margin:4px 0}
)CSS";

constexpr std::string_view explore_toolbar = R"HTML(<div id="toolbar">
<button id="back" title="One step back (the step stays available to Forward)">&#9664; Back</button>
<button id="forward" title="Take again the step Back undid">Forward &#9654;</button>
<button id="restart" title="The initial state">Initial state</button>
<label>Load a trace file <input type="file" id="trace-file" accept=".json,application/json"></label>
<span class="sep"></span>
<button id="search">Find a counterexample from here</button>
<label>depth <input id="search-depth" type="number" value="30" min="1" max="1000"></label>
<label>seconds <input id="search-seconds" type="number" value="60" min="1" max="3600"></label>
<button id="cancel" disabled>Cancel</button>
<span id="search-status"></span>
<span id="error" role="alert"></span>
</div>
)HTML";

constexpr std::string_view explore_panel = R"HTML(<div id="explore-panel">
<h2>Properties here</h2><ul id="properties"></ul>
<div id="found" hidden></div>
<h2 id="steps-title">Steps from here</h2>
<div class="help">Click a step to take it; hover to see what it changes. A red edge marks a fault.</div>
<div id="successors"></div>
<div id="preview"></div>
</div>
)HTML";

constexpr std::string_view explore_script = R"JS(
(function () {
  const $ = id => document.getElementById(id);
  $('side').insertAdjacentHTML('afterbegin', $('panel-markup').textContent);
  let model = null, path = null, forward = [];
  const text = p => p.join('.');
  const fromHash = () => {
    const m = /path=([0-9.]+)/.exec(location.hash);
    return m ? m[1].split('.').map(Number) : null;
  };
  async function api(url, options) {
    const r = await fetch(url, options);
    const j = await r.json().catch(() => ({error: `HTTP ${r.status}`}));
    if (!r.ok) throw new Error(j.error || `HTTP ${r.status}`);
    return j;
  }
  const showError = e => { $('error').textContent = e ? String(e.message || e) : ''; };
  const changeLine = c => 'added' in c ? `${c.path} + ${c.added}` : 'removed' in c ? `${c.path} - ${c.removed}`
                                                                        : `${c.path}: ${c.before} -> ${c.after}`;

  function renderProperties(props) {
    const list = $('properties');
    list.innerHTML = '';
    props.forEach(p => {
      const li = document.createElement('li');
      li.dataset.property = p.name; li.dataset.value = p.value;
      li.className = p.value.replace(/ /g, '-');
      li.textContent = `${p.name} (${p.kind}): ${p.value}`;
      list.appendChild(li);
    });
  }

  function renderSuccessors(successors) {
    const box = $('successors');
    box.innerHTML = '';
    $('steps-title').textContent = `Steps from here (${successors.length})`;
    const groups = new Map();
    successors.forEach(s => { if (!groups.has(s.group)) groups.set(s.group, []); groups.get(s.group).push(s); });
    const order = [...groups.keys()].sort((a, b) => {
      const na = /^n(\d+)$/.exec(a), nb = /^n(\d+)$/.exec(b);
      if (na && nb) return Number(na[1]) - Number(nb[1]);
      return na ? -1 : nb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    });
    for (const g of order) {
      const div = document.createElement('div');
      div.className = 'group'; div.dataset.group = g;
      const h = document.createElement('h3'); h.textContent = g; div.appendChild(h);
      for (const s of groups.get(g)) {
        const b = document.createElement('button');
        b.className = 'step' + (s.fault ? ' fault' : '') + (s.breaks.length ? ' breaks' : '') +
                      (s.within ? '' : ' outside');
        b.dataset.index = s.index; b.dataset.action = s.action;
        b.textContent = s.action;
        if (s.breaks.length) {
          const tag = document.createElement('span'); tag.className = 'tag';
          tag.textContent = `  ✗ breaks ${s.breaks.join(', ')}`; b.appendChild(tag);
        }
        const lines = s.changes.map(changeLine);
        if (!s.within) lines.unshift('(outside the model\'s state constraint: the checker does not store it)');
        b.title = lines.join('\n') || '(changes nothing)';
        b.addEventListener('mouseenter', () => {
          $('preview').textContent = b.title;
          $('preview').dataset.index = s.index;
        });
        b.addEventListener('click', () => take(s.index));
        div.appendChild(b);
      }
      box.appendChild(div);
    }
    $('preview').textContent = successors.length ? 'Hover a step to see what it would change.'
                                                 : 'No step is enabled here.';
  }

  async function show(p) {
    const q = encodeURIComponent(text(p));
    const [st, su] = await Promise.all([api('/api/state?path=' + q), api('/api/successors?path=' + q)]);
    path = p;
    const doc = {protocol: model.protocol, params: model.params, faults: model.faults, fault_events: st.fault_events,
                 steps: st.steps, property: st.violated || '', kind: 'always',
                 outcome: st.violated ? 'violated' : 'holds',
                 explanation: st.explanation || '', explanation_fields: st.explanation_fields || []};
    faultlineDrawTrace(doc, st.steps.length - 1);
    $('title').textContent = `${model.protocol}: step ${st.depth}` + (st.violated ? `, ${st.violated} violated` : '');
    renderProperties(st.properties);
    renderSuccessors(su.successors);
    $('back').disabled = p.length <= 1;
    $('forward').disabled = !forward.length;
    document.body.dataset.path = text(p);
    document.body.dataset.violated = st.violated || '';
    const last = document.querySelector('#svg .row:last-of-type');
    if (last) last.scrollIntoView({block: 'nearest'});
  }
  function go(p) {
    if (path && text(p) === text(path)) return;
    location.hash = 'path=' + text(p);  // the hashchange shows it, so a reload or a shared URL opens the same state
  }
  function take(index) {
    if (forward.length && forward[forward.length - 1] === index) forward.pop(); else forward = [];
    go(path.concat([index]));
  }
  async function load() {
    const p = fromHash() || model.start;
    try { await show(p); showError(null); } catch (e) { showError(e); }
    document.body.dataset.ready = 'yes';
  }
  window.addEventListener('hashchange', load);
  $('back').addEventListener('click', () => {
    if (path.length > 1) { forward.push(path[path.length - 1]); go(path.slice(0, -1)); }
  });
  $('forward').addEventListener('click', () => { if (forward.length) go(path.concat([forward.pop()])); });
  $('restart').addEventListener('click', () => { forward = []; go([path ? path[0] : 0]); });
  $('trace-file').addEventListener('change', async e => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      const r = await api('/api/trace', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                          body: await file.text()});
      forward = []; go(r.path); showError(null);
    } catch (err) { showError(err); }
    e.target.value = '';
  });

  // The bounded search: started from the state shown, its progress polled, its result a path to take.
  async function poll() {
    let st;
    try { st = await api('/api/search'); } catch (e) { showError(e); return; }
    const status = $('search-status'), found = $('found');
    $('cancel').disabled = st.state !== 'running';
    $('search').disabled = st.state === 'running';
    if (st.state === 'running') {
      status.textContent =
        `searching: depth ${st.depth}, ${st.states.toLocaleString()} states, ${st.seconds.toFixed(1)} s`;
      setTimeout(poll, 250);
      return;
    }
    if (st.state !== 'done') return;
    const r = st.result, from = st.from.length - 1;
    status.textContent = `searched ${st.states.toLocaleString()} states in ${st.seconds.toFixed(1)} s`;
    found.hidden = false;
    found.innerHTML = '';
    const h = document.createElement('h2');
    found.appendChild(h);
    if (!r.found) {
      h.textContent = r.complete ? 'No state reachable from here breaks an invariant'
                                 : `Nothing found within the limits (stopped: ${r.stop_reason})`;
      found.dataset.found = 'no';
      return;
    }
    h.textContent = `Found: ${r.property} violated ${r.path.length - 1 - from} steps from step ${from}`;
    found.dataset.found = 'yes'; found.dataset.path = text(r.path);
    const take = document.createElement('button');
    take.id = 'take-found'; take.textContent = 'Take these steps';
    take.addEventListener('click', () => { forward = []; go(r.path); });
    found.appendChild(take);
    try {
      const there = await api('/api/state?path=' + encodeURIComponent(text(r.path)));
      const ol = document.createElement('ol');
      ol.start = from + 1;
      there.steps.slice(from + 1).forEach(s => {
        const li = document.createElement('li');
        li.textContent = s.action;
        ol.appendChild(li);
      });
      found.appendChild(ol);
    } catch (e) { showError(e); }
  }
  $('search').addEventListener('click', async () => {
    const q = `path=${encodeURIComponent(text(path))}&depth=${encodeURIComponent($('search-depth').value)}` +
              `&seconds=${encodeURIComponent($('search-seconds').value)}`;
    $('found').hidden = true;
    try { await api('/api/search?' + q, {method: 'POST'}); showError(null); poll(); } catch (e) { showError(e); }
  });
  $('cancel').addEventListener('click', async () => {
    try { await api('/api/search/cancel', {method: 'POST'}); } catch (e) { showError(e); }
  });

  api('/api/model').then(m => {
    model = m;
    document.title = `faultline explore: ${m.protocol}`;
    load();
    poll();
  }).catch(showError);
})();
)JS";

}  // namespace

std::string explore_page() {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                     "<title>faultline explore</title>\n<style>{}{}</style></head><body>\n{}{}"
                     "<script id=\"panel-markup\" type=\"text/html\">{}</script>\n"
                     "<script>{}{}</script></body></html>\n",
                     trace_page_styles(), explore_styles, explore_toolbar, trace_page_body(), explore_panel,
                     trace_page_script(), explore_script);
}

}  // namespace mc::program
