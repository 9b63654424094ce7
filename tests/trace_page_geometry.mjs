// Drives Debian's Chromium over the DevTools protocol (its own --remote-debugging-pipe: no npm package, no
// download) to load trace pages at given window widths and assert from the DOM's own geometry that every lane header
// is reachable, no two labels intersect, the violating step is marked and the reason shown, and that a real mouse
// click on a step shows its state with the changed fields highlighted. Screenshots go to the artifacts folder.
// Usage: node trace_page_geometry.mjs CHROMIUM ARTIFACTS NAME=PAGE.html[@expect] ...   (expect: "all-visible")
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowser } from './devtools.mjs';

const [browser, artifacts, ...pages] = process.argv.slice(2);
const {send, evaluate, open: openTab, close} = startBrowser(browser);
const watchdog = setTimeout(() => { console.log('FAIL: the browser did not answer within 120 s'); process.exit(1); }, 120000);

let failed = 0, passed = 0;
function expect(what, ok, detail = '') {
  if (ok) passed++; else { failed++; console.log(`FAIL: ${what}${detail ? ' — ' + detail : ''}`); }
}

// What the page shows, measured in the page: lanes, labels and the marks they must not cover.
const measure = `(() => {
  const pane = document.getElementById('diagram'), pr = pane.getBoundingClientRect();
  const heads = [...document.querySelectorAll('#head-svg .lane-label')];
  const inside = r => r.width > 0 && r.left >= pr.left - 0.5 && r.right <= pr.right + 0.5 &&
                      r.top >= pr.top - 0.5 && r.bottom <= pr.bottom + 0.5;
  pane.scrollTo(0, 0);
  const visible = heads.filter(h => inside(h.getBoundingClientRect())).length;
  const unreachable = [];
  for (const h of heads) {
    h.scrollIntoView({block: 'nearest', inline: 'nearest'});
    if (!inside(h.getBoundingClientRect())) unreachable.push(h.textContent);
  }
  pane.scrollTo(0, 0);
  const boxes = sel => [...document.querySelectorAll(sel)].map(e => ({e, r: e.getBoundingClientRect()}))
                                                         .filter(b => b.r.width > 0);
  const labels = boxes('#svg .msg-label'), marks = boxes('#svg .mark, #svg .band-label');
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const overlaps = [];
  labels.forEach((a, i) => {
    labels.slice(i + 1).forEach(b => { if (hit(a.r, b.r)) overlaps.push(a.e.textContent + ' / ' + b.e.textContent); });
    marks.forEach(b => { if (hit(a.r, b.r)) overlaps.push(a.e.textContent + ' / ' + b.e.textContent); });
  });
  const arrows = document.querySelectorAll('#svg line.arrow').length;
  const why = document.getElementById('why');
  return {lanes: heads.length, visible, unreachable, labels: labels.length, arrows, overlaps,
          violating: document.querySelectorAll('.row.violating').length,
          why: why.hidden ? '' : why.textContent, rows: document.querySelectorAll('#svg .row').length};
})()`;

// The page marks itself drawn when its script has run.
const open = (url, width) => openTab(url, width, 'document.body && document.body.dataset.drawn === "yes"');

async function check(name, file, expectation, width) {
  const label = `${name} at ${width} px`;
  const {targetId, sessionId} = await open(`file://${file}`, width);
  const m = await evaluate(sessionId, measure);
  expect(`${label}: one lane header per node`, m.lanes >= 2, `${m.lanes} lanes`);
  expect(`${label}: every lane header is reachable`, m.unreachable.length === 0, m.unreachable.join(', '));
  if (expectation === 'all-visible')
    expect(`${label}: every lane is on screen without scrolling`, m.visible === m.lanes, `${m.visible} of ${m.lanes}`);
  expect(`${label}: message labels are drawn`, m.labels > 0 && m.labels <= m.arrows, `${m.labels} labels, ${m.arrows} arrows`);
  expect(`${label}: no two labels (or a label and a mark) intersect`, m.overlaps.length === 0, m.overlaps.slice(0, 3).join('; '));
  expect(`${label}: the violating step is marked`, m.violating === 1, `${m.violating} marked`);
  expect(`${label}: the reason is shown`, m.why.startsWith('Why it fails:') && m.why.length > 'Why it fails: '.length, m.why);
  console.log(`${label}: ${m.lanes} lanes (${m.visible} on screen), ${m.rows} steps, ${m.labels} of ${m.arrows} arrows labelled`);
  const shot = await send('Page.captureScreenshot', {format: 'png'}, sessionId);
  writeFileSync(join(artifacts, `${name}-${width}.png`), Buffer.from(shot.data, 'base64'));

  // A real click (mouse events at the row's place on screen) on the last step: its state panel, changes marked.
  const at = await evaluate(sessionId, `(() => {
    const rows = document.querySelectorAll('#svg .row'), row = rows[rows.length - 1];
    row.scrollIntoView({block: 'center', inline: 'start'});
    const r = row.querySelector('.action').getBoundingClientRect();
    return {x: r.left + 5, y: r.top + r.height / 2, step: rows.length - 1};
  })()`);
  for (const type of ['mousePressed', 'mouseReleased'])
    await send('Input.dispatchMouseEvent', {type, x: at.x, y: at.y, button: 'left', clickCount: 1}, sessionId);
  const after = await evaluate(sessionId, `({selected: document.body.dataset.selected,
    title: document.getElementById('step-title').textContent,
    changed: document.querySelectorAll('#state-panel .changed').length,
    named: document.querySelectorAll('#state-panel .named').length,
    fields: (JSON.parse(document.getElementById('trace-data').textContent).explanation_fields || []).length,
    changes: document.querySelectorAll('#changes div').length})`);
  expect(`${label}: a click on the last step selects it`, after.selected === String(at.step), `selected ${after.selected}`);
  expect(`${label}: its changes are listed and highlighted in the state panel`,
         after.changes > 0 && after.changed > 0, `${after.changes} changes, ${after.changed} highlighted`);
  if (after.fields)
    expect(`${label}: the fields the explanation names are marked in the violating state`, after.named > 0,
           `${after.fields} named, ${after.named} marked`);
  await send('Target.closeTarget', {targetId});
}

try {
  for (const page of pages) {
    const [name, rest] = page.split('=');
    const [file, expectation] = rest.split('@');
    for (const width of [1024, 1400]) await check(name, file, expectation, width);
  }
} catch (e) {
  failed++;
  console.log(`FAIL: ${e.message}`);
}
clearTimeout(watchdog);
await close();
console.log(`trace page geometry: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
