// The explorer's page in a real browser (Debian's Chromium over its DevTools pipe, tests/devtools.mjs): open it,
// click the steps of a known counterexample one by one with real mouse events, and assert the page then shows the
// property violated; hover shows a step's changes; Back and Forward; a reload with the URL opens the same state;
// a second page lets "find a counterexample from here" find one and takes it. Screenshots go to the artifacts.
// Usage: node explore_browser.mjs CHROMIUM ARTIFACTS URL PROPERTY STEP-LABELS.json [SEARCH-URL SEARCH-PROPERTY]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowser } from './devtools.mjs';

const [browser, artifacts, url, property, labelsFile, searchUrl, searchProperty] = process.argv.slice(2);
const labels = JSON.parse(readFileSync(labelsFile, 'utf8'));
const {send, evaluate, waitFor, open, click, close} = startBrowser(browser);
const watchdog = setTimeout(() => { console.log('FAIL: the browser test did not end within 170 s'); process.exit(1); }, 170000);

let failed = 0, passed = 0;
function expect(what, ok, detail = '') {
  if (ok) passed++; else { failed++; console.log(`FAIL: ${what}${detail ? ' — ' + detail : ''}`); }
}
const ready = 'document.body && document.body.dataset.ready === "yes"';
const shown = `(() => ({path: document.body.dataset.path, violated: document.body.dataset.violated,
  value: (document.querySelector('#properties li[data-property="${property}"]') || {dataset: {}}).dataset.value,
  why: document.getElementById('why').hidden ? '' : document.getElementById('why').textContent,
  rows: document.querySelectorAll('#svg .row').length, steps: document.querySelectorAll('button.step').length,
  lanes: document.querySelectorAll('#head-svg .lane-label').length, hash: location.hash}))()`;
async function screenshot(sessionId, name) {
  const shot = await send('Page.captureScreenshot', {format: 'png'}, sessionId);
  writeFileSync(join(artifacts, name), Buffer.from(shot.data, 'base64'));
}
// Marks the first enabled step with this label, so that a real click can find it.
const mark = label => `(() => {
  const b = [...document.querySelectorAll('button.step')].find(b => b.dataset.action === ${JSON.stringify(label)});
  document.querySelectorAll('#next-step').forEach(e => e.removeAttribute('id'));
  if (b) b.id = 'next-step';
  return !!b;
})()`;

try {
  const {targetId, sessionId} = await open(url, 1400, ready);
  let s = await evaluate(sessionId, shown);
  expect('the page opens at the initial state', s.path === '0' && s.rows === 1 && s.steps > 0, JSON.stringify(s));
  expect(`${property} holds there`, s.value === 'holds' && s.violated === '', JSON.stringify(s));
  expect('one lane per node', s.lanes >= 2, `${s.lanes} lanes`);

  // Hover a step: its changes are shown before it is taken.
  expect('the first step of the counterexample is offered', await evaluate(sessionId, mark(labels[1])), labels[1]);
  const box = await evaluate(sessionId, `(() => { const r = document.getElementById('next-step').getBoundingClientRect();
    return {x: r.left + 10, y: r.top + r.height / 2}; })()`);
  await send('Input.dispatchMouseEvent', {type: 'mouseMoved', x: box.x, y: box.y}, sessionId);
  await waitFor(sessionId, `document.getElementById('preview').dataset.index !== undefined`, 'the hover preview');
  const preview = await evaluate(sessionId, `document.getElementById('preview').textContent`);
  expect('hovering a step shows the fields it would change', /network|nodes\[/.test(preview), preview);

  // Click the counterexample's steps, one by one.
  for (let i = 1; i < labels.length; i++) {
    const before = (await evaluate(sessionId, shown)).path;
    if (!await evaluate(sessionId, mark(labels[i]))) { expect(`step ${i} (${labels[i]}) is offered`, false); break; }
    await click(sessionId, '#next-step');
    await waitFor(sessionId, `document.body.dataset.path !== ${JSON.stringify(before)}`, `step ${i} to be taken`);
  }
  s = await evaluate(sessionId, shown);
  expect(`after ${labels.length - 1} clicks the page shows ${property} violated`,
         s.value === 'violated' && s.violated === property, JSON.stringify(s));
  expect('and why it fails, under the diagram of every step taken', s.why.startsWith('Why it fails:') &&
         s.rows === labels.length, JSON.stringify(s));
  expect('the URL holds the path', s.hash === `#path=${s.path}` && s.path.split('.').length === labels.length, s.hash);
  await screenshot(sessionId, 'explore-violation.png');
  const violating = s.path;

  // Back, then Forward, returns to the same state.
  await click(sessionId, '#back');
  await waitFor(sessionId, `document.body.dataset.path !== ${JSON.stringify(violating)}`, 'Back');
  s = await evaluate(sessionId, shown);
  expect('Back undoes the last step', s.path === violating.split('.').slice(0, -1).join('.') && s.value === 'holds',
         JSON.stringify(s));
  await click(sessionId, '#forward');
  await waitFor(sessionId, `document.body.dataset.path === ${JSON.stringify(violating)}`, 'Forward');
  s = await evaluate(sessionId, shown);
  expect('Forward takes it again', s.value === 'violated', JSON.stringify(s));

  // The URL reopens the same state, after a reload and in another tab.
  await evaluate(sessionId, 'window.beforeReload = true');
  await send('Page.reload', {}, sessionId);
  await waitFor(sessionId, `window.beforeReload === undefined && ${ready}`, 'the reloaded page');
  s = await evaluate(sessionId, shown);
  expect('a reload opens the same state', s.path === violating && s.value === 'violated', JSON.stringify(s));
  await send('Target.closeTarget', {targetId});
  const other = await open(`${url}#path=${violating}`, 1024, ready);
  s = await evaluate(other.sessionId, shown);
  expect('the URL opened in another tab shows the same state', s.path === violating && s.violated === property,
         JSON.stringify(s));
  await screenshot(other.sessionId, 'explore-shared-url.png');
  await send('Target.closeTarget', {targetId: other.targetId});

  if (searchUrl) {
    // "Find a counterexample from here", then take the path it found.
    const page = await open(searchUrl, 1400, ready);
    await click(page.sessionId, '#search');
    await waitFor(page.sessionId, `document.getElementById('found').dataset.found !== undefined`, 'the search', 120000);
    const found = await evaluate(page.sessionId, `({found: document.getElementById('found').dataset.found,
      text: document.getElementById('found').textContent})`);
    expect(`the search finds ${searchProperty} violated`, found.found === 'yes' && found.text.includes(searchProperty),
           JSON.stringify(found));
    await screenshot(page.sessionId, 'explore-search.png');
    await click(page.sessionId, '#take-found');
    await waitFor(page.sessionId, `document.body.dataset.violated !== ''`, 'the found path to be taken');
    s = await evaluate(page.sessionId, `({violated: document.body.dataset.violated, path: document.body.dataset.path})`);
    expect(`taking it shows ${searchProperty} violated`, s.violated === searchProperty, JSON.stringify(s));
    console.log(`search: ${found.text.split('Take these steps')[0]}; path ${s.path}`);
    await screenshot(page.sessionId, 'explore-search-taken.png');
    await send('Target.closeTarget', {targetId: page.targetId});
  }
} catch (e) {
  failed++;
  console.log(`FAIL: ${e.message}`);
}

clearTimeout(watchdog);
await close();
console.log(`explore page: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
